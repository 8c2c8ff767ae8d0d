"use client";
/**
 * next/dynamic wrappers (ssr: false) for every part of a page that needs the wallet. Their code loads
 * right after the page, so it never counts in the page's first-load JavaScript; the placeholders keep
 * the layout from shifting.
 */
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";

function ConnectPlaceholder() {
  const t = useTranslations("connect");
  return (
    <button type="button" className="btn small" disabled>
      {t("connect")}
    </button>
  );
}

export const HeaderWalletButton = dynamic(() => import("./HeaderWallet"), { ssr: false, loading: () => <ConnectPlaceholder /> });
export const HeaderWalletBanner = dynamic(() => import("./HeaderWallet"), { ssr: false });

const block = (minHeight: number) =>
  function Placeholder() {
    return <div className="card" style={{ minHeight }} aria-busy="true" />;
  };

export const DonateIsland = dynamic(() => import("@/app/projects/[id]/DonateForm"), { ssr: false, loading: block(190) });
export const RefundIsland = dynamic(() => import("@/app/projects/[id]/RefundPanel"), { ssr: false, loading: block(170) });
export const ObjectionIsland = dynamic(() => import("@/app/projects/[id]/ObjectionForm"), { ssr: false, loading: block(230) });
export const EnrolmentActionsIsland = dynamic(() => import("@/app/beneficiary/EnrolmentActions"), { ssr: false });
export const RelayIsland = dynamic(() => import("@/app/relay/RelayView"), { ssr: false, loading: block(260) });
