"use client";
/**
 * The roster programme page's wallet islands (see components/wallet/islands.tsx): loaded after the page, so wagmi, the
 * proof lookup, the relayer client and the donation, refund and cancellation forms never count in its
 * first-load JavaScript.
 */
import dynamic from "next/dynamic";
import { islandPlaceholder as block } from "@/components/wallet/placeholder";

export const RosterClaimIsland = dynamic(() => import("./ClaimPanel"), { ssr: false, loading: block(160) });
export const RosterObjectionIsland = dynamic(() => import("./ObjectionPanel"), { ssr: false, loading: block(200) });
export const RosterDonateIsland = dynamic(() => import("./FundsPanels").then((m) => m.RosterDonatePanel), { ssr: false, loading: block(190) });
export const RosterRefundIsland = dynamic(() => import("./FundsPanels").then((m) => m.RosterRefundPanel), { ssr: false, loading: block(170) });
export const RosterCancelIsland = dynamic(() => import("./CancelPanel"), { ssr: false, loading: block(60) });
