/**
 * The one wagmi config (create-wagmi's getConfig pattern): cookie storage and ssr so the server layout
 * can hand the connection state to the client without a flash; the local chain when it is deployed,
 * testnets only when lib/generated/contracts.ts has addresses for them. Reads use viem's http transport
 * with JSON-RPC batching (no Multicall3 on a bare Hardhat node).
 */
import { cookieStorage, createConfig, createStorage, http, injected, type CreateConnectorFn, type Transport } from "wagmi";
import { baseSepolia, hardhat, sepolia, type Chain } from "wagmi/chains";
import { LOCAL_CHAIN_ID, LOCAL_RPC_URL, deploymentOn, rpcUrlFor } from "./chain.ts";
import { devAccounts } from "./devConnector.ts";

const localChain: Chain = { ...hardhat, rpcUrls: { default: { http: [LOCAL_RPC_URL] } } };

export function configuredChains(): [Chain, ...Chain[]] {
  const chains: Chain[] = [];
  if (deploymentOn(LOCAL_CHAIN_ID) && process.env.NEXT_PUBLIC_DISABLE_LOCAL !== "1") chains.push(localChain);
  if (deploymentOn(sepolia.id)) chains.push(sepolia);
  if (deploymentOn(baseSepolia.id)) chains.push(baseSepolia);
  if (chains.length === 0) chains.push(localChain); // nothing deployed yet: the pages say so
  return chains as [Chain, ...Chain[]];
}

const rpcFor = (chain: Chain): string | undefined => rpcUrlFor(chain.id);

export function getConfig() {
  const chains = configuredChains();
  const connectors: CreateConnectorFn[] = [injected()];
  if (chains.some((c) => c.id === LOCAL_CHAIN_ID)) connectors.push(devAccounts({ rpcUrl: LOCAL_RPC_URL }));
  // WalletConnect: wagmi's walletConnect() needs @walletconnect/ethereum-provider, which this project does
  // not install (see README). It would be added here, only when NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID is set.
  const transports = Object.fromEntries(chains.map((c) => [c.id, http(rpcFor(c), { batch: { wait: 16 } })])) as Record<
    number,
    Transport
  >;
  return createConfig({
    chains,
    connectors,
    multiInjectedProviderDiscovery: true,
    storage: createStorage({ storage: cookieStorage }),
    ssr: true,
    transports,
  });
}

let browserConfig: ReturnType<typeof getConfig> | undefined;
/** The browser's one config: every wallet island shares it, so they share the connection. */
export function walletConfig() {
  if (typeof window === "undefined") return getConfig();
  return (browserConfig ??= getConfig());
}

declare module "wagmi" {
  interface Register {
    config: ReturnType<typeof getConfig>;
  }
}
