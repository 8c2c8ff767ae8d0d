/**
 * The one wagmi config (create-wagmi's getConfig pattern): cookie storage and ssr so the server layout
 * can hand the connection state to the client without a flash; the local chain when it is deployed,
 * testnets only when lib/generated/contracts.ts has addresses for them. Reads use viem's http transport
 * with JSON-RPC batching (no Multicall3 on a bare Hardhat node).
 */
import { cookieStorage, createConfig, createConnector, createStorage, http, injected, type CreateConnectorFn, type Transport } from "wagmi";
import { baseSepolia, hardhat, sepolia, type Chain } from "wagmi/chains";
import { walletConnect } from "wagmi/connectors/walletConnect";
import { LOCAL_CHAIN_ID, LOCAL_RPC_URL, deploymentOn, rpcUrlFor } from "../chain/deployments.ts";
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

/** The WalletConnect Cloud project id, when one is configured (inlined at build time; public by design). */
export function walletConnectProjectId(): string | undefined {
  const id = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID?.trim();
  return id ? id : undefined;
}

/**
 * The connectors of the config: injected wallets (EIP-6963 ones are added by discovery), the dev accounts
 * only when the local chain is configured, and WalletConnect only when a project id is configured.
 * wagmi's walletConnect() imports @walletconnect/ethereum-provider (and its QR modal) with a dynamic
 * import, so that code is a separate chunk fetched after the page, never part of any first load.
 */
export function connectorFns(chains: readonly Chain[], projectId = walletConnectProjectId()): CreateConnectorFn[] {
  const connectors: CreateConnectorFn[] = [injected()];
  if (chains.some((c) => c.id === LOCAL_CHAIN_ID)) connectors.push(devAccounts({ rpcUrl: LOCAL_RPC_URL }));
  if (projectId) connectors.push(lazyWalletConnect(projectId));
  return connectors;
}

/**
 * wagmi's walletConnect(), except that its provider (a large chunk, and a socket to the relay) is loaded
 * only once someone picks WalletConnect, or when the last connection was a WalletConnect one (to restore
 * the session): wagmi would otherwise load it on every page, in setup() and while reconnecting.
 */
export function lazyWalletConnect(projectId: string): CreateConnectorFn {
  const inner = walletConnect({
    projectId,
    showQrModal: true,
    metadata: { name: "PrecisionAid", description: "PrecisionAid", url: typeof window === "undefined" ? "" : window.location.origin, icons: [] },
  });
  return createConnector((config) => {
    const c = inner(config);
    let chosen = false;
    const recent = async () => {
      try {
        return await config.storage?.getItem("recentConnectorId");
      } catch {
        return undefined;
      }
    };
    const wanted = async () => chosen || (await recent()) === c.id;
    return {
      ...c,
      async setup() {
        if (await wanted()) await c.setup?.call(this);
      },
      async getProvider(parameters?: { chainId?: number }) {
        return (await wanted()) ? c.getProvider.call(this, parameters) : undefined;
      },
      async isAuthorized() {
        return (await wanted()) ? c.isAuthorized.call(this) : false;
      },
      async connect(parameters?: Parameters<typeof c.connect>[0]) {
        chosen = true;
        return c.connect.call(this, parameters as never);
      },
    } as typeof c;
  });
}

export function getConfig() {
  const chains = configuredChains();
  const connectors = connectorFns(chains);
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
