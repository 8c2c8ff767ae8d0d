"use client";
/**
 * The roster programme page's wallet islands (see islands.tsx): loaded after the page, so wagmi, the
 * proof lookup and the relayer client never count in its first-load JavaScript.
 */
import dynamic from "next/dynamic";

const block = (minHeight: number) =>
  function Placeholder() {
    return <div className="card" style={{ minHeight }} aria-busy="true" />;
  };

export const RosterClaimIsland = dynamic(() => import("@/app/roster/[programme]/ClaimPanel"), { ssr: false, loading: block(160) });
export const RosterObjectionIsland = dynamic(() => import("@/app/roster/[programme]/ObjectionPanel"), { ssr: false, loading: block(200) });
