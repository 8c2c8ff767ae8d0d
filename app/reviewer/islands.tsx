"use client";
/** The reviewer page's wallet island (Uphold / Dismiss): loaded after the page, so wagmi is not first-load. */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const RulingIsland = dynamic(() => import("./RulingPanel"), { ssr: false, loading: islandPlaceholder(60) });
