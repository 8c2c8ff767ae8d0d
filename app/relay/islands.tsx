"use client";
/** The relay page's wallet island: loaded after the page (see components/wallet/islands.tsx). */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const RelayIsland = dynamic(() => import("./RelayView"), { ssr: false, loading: islandPlaceholder(260) });
