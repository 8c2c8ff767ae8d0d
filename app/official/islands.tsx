"use client";
/** The officials' page island: loaded after the page (see components/wallet/islands.tsx). */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const OfficialIsland = dynamic(() => import("./OfficialView"), { ssr: false, loading: islandPlaceholder(480) });
