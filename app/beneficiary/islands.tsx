"use client";
/**
 * The household page's wallet islands (./ClaimNow.tsx): next/dynamic wrappers loaded after the page, so
 * wagmi, the relayer client and the QR code never count in its first-load JavaScript.
 */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const ClaimNowIsland = dynamic(() => import("./ClaimNow").then((m) => m.ClaimNow), { ssr: false, loading: () => <div className="claim-now" style={{ minHeight: 48 }} aria-busy="true" /> });
export const OtherWaysIsland = dynamic(() => import("./ClaimNow").then((m) => m.OtherWays), { ssr: false, loading: islandPlaceholder(60) });
export const ReceivedIsland = dynamic(() => import("./ClaimNow").then((m) => m.Received), { ssr: false });
export const ConnectRedirectIsland = dynamic(() => import("./ClaimNow").then((m) => m.ConnectRedirect), { ssr: false });
export const ShareLinkIsland = dynamic(() => import("./ClaimNow").then((m) => m.ShareLink), { ssr: false });
