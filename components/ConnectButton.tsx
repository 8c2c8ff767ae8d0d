"use client";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import type { Address } from "viem";
import { LOCAL_CHAIN_ID } from "@/lib/chain/deployments";
import { DEV_CONNECTOR_ID, chooseDevAccount } from "@/lib/wallet/devConnector";
import { shortHex } from "@/lib/format/text";
import { decodeWebError } from "@/lib/errors/decode";
import { useActiveChain } from "@/hooks/useWallet";

interface DevAccount {
  index: number;
  address: Address;
  role: string;
  label: string;
}

export function ConnectButton() {
  const t = useTranslations("connect");
  const connection = useConnection();
  const { disconnect } = useDisconnect();
  const [open, setOpen] = useState(false);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // Once connected the dialog is gone (unmounted before its "close" event could reset `open`): reset it
  // here, or "Disconnect" would open the dialog again by itself.
  useEffect(() => {
    if (connection.isConnected) setOpen(false);
  }, [connection.isConnected]);

  if (mounted && connection.isConnected && connection.address) {
    return (
      <div className="account">
        <span className="mono" data-testid="connected-account" title={connection.address}>
          {shortHex(connection.address)}
        </span>
        <button type="button" className="btn small secondary" onClick={() => disconnect()}>
          {t("disconnect")}
        </button>
      </div>
    );
  }
  return (
    <>
      <button type="button" className="btn small" onClick={() => setOpen(true)} disabled={!mounted}>
        {t("connect")}
      </button>
      {open && <ConnectDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ConnectDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("connect");
  const connectors = useConnectors();
  const { connect, error, isPending } = useConnect();
  const { chainId } = useActiveChain();
  const ref = useRef<HTMLDialogElement>(null);
  const [dev, setDev] = useState<DevAccount[]>([]);
  const local = chainId === LOCAL_CHAIN_ID;
  const devConnector = connectors.find((c) => c.id === DEV_CONNECTOR_ID);
  // The generic injected() connector only means something when a wallet set window.ethereum.
  const hasLegacyInjected = typeof window !== "undefined" && "ethereum" in window && !!(window as { ethereum?: unknown }).ethereum;
  const wallets = connectors.filter((c) => c.id !== DEV_CONNECTOR_ID && (c.id !== "injected" || hasLegacyInjected));

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const close = () => onClose();
    d?.addEventListener("close", close);
    return () => d?.removeEventListener("close", close);
  }, [onClose]);

  useEffect(() => {
    if (!local || !devConnector) return;
    fetch("/api/dev-accounts")
      .then((r) => r.json())
      .then((b) => setDev(b.accounts ?? []))
      .catch(() => setDev([]));
  }, [local, devConnector]);

  const done = { onSuccess: () => ref.current?.close() };
  const rejected = error && decodeWebError(error).kind === "rejected";

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="connect-title">
      <h2 id="connect-title">{t("title")}</h2>
      <h3>{t("wallets")}</h3>
      {wallets.length === 0 && <p className="muted">{t("noWallets")}</p>}
      <ul className="choices">
        {wallets.map((c) => (
          <li key={c.uid}>
            <button
              type="button"
              className="choice"
              disabled={isPending}
              onClick={() => {
                // WalletConnect shows its own QR modal, which a modal <dialog> (top layer) would cover.
                if (c.type === "walletConnect") ref.current?.close();
                connect({ connector: c }, done);
              }}
            >
              {c.icon ? <img src={c.icon} alt="" width={24} height={24} /> : <span className="icon-placeholder" aria-hidden />}
              <span>{c.id === "injected" ? t("browserWallet") : c.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {local && devConnector && (
        <>
          <h3>{t("devAccounts")}</h3>
          <p className="muted small">{t("devNote")}</p>
          <ul className="choices">
            {dev.map((a) => (
              <li key={a.address}>
                <button
                  type="button"
                  className="choice"
                  disabled={isPending}
                  onClick={() => {
                    chooseDevAccount(a.address);
                    connect({ connector: devConnector, chainId: LOCAL_CHAIN_ID }, done);
                  }}
                >
                  <span className="role-tag">{t.has(`roles.${a.role}`) ? t(`roles.${a.role}`) : a.role}</span>
                  <span>
                    {a.label} <span className="mono muted">{shortHex(a.address)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <p role="alert" className={rejected ? "notice" : "error"}>{rejected ? t("rejected") : t("failed")}</p>}
      <form method="dialog">
        <button className="btn secondary" type="submit">
          {t("close")}
        </button>
      </form>
    </dialog>
  );
}
