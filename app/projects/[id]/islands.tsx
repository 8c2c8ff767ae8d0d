"use client";
/**
 * The project page's wallet islands: next/dynamic wrappers (ssr: false) loaded right after the page, so
 * their code never counts in the page's first-load JavaScript (components/wallet/islands.tsx says why).
 */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const DonateIsland = dynamic(() => import("./DonateForm"), { ssr: false, loading: islandPlaceholder(190) });
export const RefundIsland = dynamic(() => import("./RefundPanel"), { ssr: false, loading: islandPlaceholder(170) });
export const ObjectionIsland = dynamic(() => import("./ObjectionForm"), { ssr: false, loading: islandPlaceholder(230) });
