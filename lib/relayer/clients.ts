/**
 * The relayer's viem clients for one chain: a public client for reads and simulations, and a wallet
 * client that signs locally with the relayer's key (the node never holds it).
 */
import { createPublicClient, createWalletClient, defineChain, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";

export interface RelayerClients {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  chainId: number;
}

/** `transport` is http(url) for a real node, or custom(provider) over an in-process Hardhat network. */
export async function relayerClients(transport: Transport, account: Account, pollingInterval = 500): Promise<RelayerClients> {
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval }) as PublicClient<Transport, Chain>;
  const walletClient = createWalletClient({ chain, transport, account, pollingInterval });
  return { publicClient, walletClient, chainId };
}
