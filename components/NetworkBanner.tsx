"use client";
import { useTranslations } from "next-intl";
import { useChains, useSwitchChain } from "wagmi";
import { useActiveChain } from "@/hooks/useWallet";

/** Shown while the wallet is on a chain we do not support; every write button is disabled meanwhile. */
export function NetworkBanner() {
  const t = useTranslations("network");
  const { wrongNetwork, walletChainId } = useActiveChain();
  const chains = useChains();
  const { switchChain, isPending } = useSwitchChain();
  if (!wrongNetwork) return null;
  const target = chains[0];
  return (
    <div className="banner" role="alert" data-testid="wrong-network">
      <span>{t("wrong", { current: String(walletChainId ?? "?"), expected: target.name })}</span>
      <button type="button" className="btn small" disabled={isPending} onClick={() => switchChain({ chainId: target.id })}>
        {t("switch", { name: target.name })}
      </button>
    </div>
  );
}
