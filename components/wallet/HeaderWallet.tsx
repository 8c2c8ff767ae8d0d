"use client";
import type { State } from "wagmi";
import { WalletRoot } from "./WalletRoot";
import { ConnectButton } from "../ConnectButton";
import { NetworkBanner } from "../NetworkBanner";

/** The header's island: hydrates the shared wallet config, then shows the connect button and, when the wallet is on the wrong network, the banner. */
export default function HeaderWallet({ initialState, part }: { initialState?: State; part: "button" | "banner" }) {
  if (part === "banner")
    return (
      <WalletRoot>
        <NetworkBanner />
      </WalletRoot>
    );
  return (
    <WalletRoot hydrate initialState={initialState}>
      <ConnectButton />
    </WalletRoot>
  );
}
