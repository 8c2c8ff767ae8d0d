"use client";
/** The donor page's wallet island: loaded after the page (see components/wallet/islands.tsx). */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const DonorIsland = dynamic(() => import("./DonorPanels"), { ssr: false, loading: islandPlaceholder(420) });
