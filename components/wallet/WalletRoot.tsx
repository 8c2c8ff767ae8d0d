"use client";
/**
 * Wallet islands. The wallet stack (wagmi, connectors, write actions) is not part of any page's first
 * load: each island is loaded with next/dynamic after the page has rendered, and wraps its content in
 * WalletRoot. All islands share one config; only the header's island hydrates it (reconnects, discovers
 * EIP-6963 wallets, reads the cookie state), because wagmi's Hydrate must run once per page load.
 */
import { useEffect, type ReactNode } from "react";
import { WagmiContext, WagmiProvider, useConnection, type State } from "wagmi";
import { walletConfig } from "@/lib/wallet/wagmi";
import { walletBridge } from "@/lib/wallet/walletBridge";

function Bridge() {
  const c = useConnection();
  useEffect(() => {
    walletBridge.publish(c.isConnected ? { chainId: c.chainId, address: c.address } : {});
  }, [c.isConnected, c.chainId, c.address]);
  return null;
}

export function WalletRoot({ children, hydrate = false, initialState }: { children: ReactNode; hydrate?: boolean; initialState?: State }) {
  const config = walletConfig();
  if (hydrate)
    return (
      <WagmiProvider config={config} initialState={initialState}>
        <Bridge />
        {children}
      </WagmiProvider>
    );
  return <WagmiContext.Provider value={config}>{children}</WagmiContext.Provider>;
}
