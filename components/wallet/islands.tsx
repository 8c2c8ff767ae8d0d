"use client";
/**
 * The header's wallet islands. The wallet stack (wagmi, connectors, write actions) is not part of any
 * page's first load: each island is loaded with next/dynamic after the page has rendered, and wraps its
 * content in WalletRoot. All islands share one config; only the header's island hydrates it (reconnects,
 * discovers EIP-6963 wallets, reads the cookie state), because wagmi's Hydrate must run once per page
 * load. A page's own islands live beside the page (app/<route>/islands.tsx).
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
