"use client";
/**
 * Wallet islands. The wallet stack (wagmi, connectors, write actions, react-query) is not part of any
 * page's first load: each island is loaded with next/dynamic after the page has rendered, and wraps its
 * content in WalletRoot. All islands share one config and one query cache; only the header's island
 * hydrates the config (reconnects, discovers EIP-6963 wallets, reads the cookie state), because wagmi's
 * Hydrate must run once per page load. Pages read on the server (lib/server/); what an island reads
 * itself (a balance, an allowance, a nonce) goes through the shared query cache.
 */
import { useEffect, type ReactNode } from "react";
import { WagmiContext, WagmiProvider, useConnection, type State } from "wagmi";
import { walletConfig } from "@/lib/wallet/wagmi";
import { walletBridge } from "@/lib/wallet/walletBridge";
import { QueryRoot } from "../QueryRoot";

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
      <QueryRoot>
        <WagmiProvider config={config} initialState={initialState}>
          <Bridge />
          {children}
        </WagmiProvider>
      </QueryRoot>
    );
  return (
    <QueryRoot>
      <WagmiContext.Provider value={config}>{children}</WagmiContext.Provider>
    </QueryRoot>
  );
}
