"use client";
/**
 * The roster programme page's wallet islands (see islands.tsx): loaded after the page, so wagmi, the
 * proof lookup, the relayer client and the donation, refund and cancellation forms never count in its
 * first-load JavaScript.
 */
import dynamic from "next/dynamic";

const block = (minHeight: number) =>
  function Placeholder() {
    return <div className="card" style={{ minHeight }} aria-busy="true" />;
  };

export const RosterClaimIsland = dynamic(() => import("@/app/roster/[programme]/ClaimPanel"), { ssr: false, loading: block(160) });
export const RosterObjectionIsland = dynamic(() => import("@/app/roster/[programme]/ObjectionPanel"), { ssr: false, loading: block(200) });
export const RosterDonateIsland = dynamic(() => import("@/app/roster/[programme]/FundsPanels").then((m) => m.RosterDonatePanel), { ssr: false, loading: block(190) });
export const RosterRefundIsland = dynamic(() => import("@/app/roster/[programme]/FundsPanels").then((m) => m.RosterRefundPanel), { ssr: false, loading: block(170) });
export const RosterCancelIsland = dynamic(() => import("@/app/roster/[programme]/CancelPanel"), { ssr: false, loading: block(60) });
