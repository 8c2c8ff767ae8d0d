/**
 * The read-only side of the dApp: a bare viem client (no wagmi, no wallet code) with JSON-RPC batching,
 * one per chain. Public pages read through this only, which keeps their first-load JavaScript small;
 * the wallet stack arrives later, in islands (components/wallet/).
 */
import {
  createClient,
  decodeFunctionResult,
  encodeFunctionData,
  hexToBigInt,
  http,
  numberToHex,
  type Abi,
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Hex,
} from "viem";
import { baseSepolia, hardhat, sepolia } from "viem/chains";
import { LOCAL_CHAIN_ID, rpcUrlFor } from "./deployments.ts";

/**
 * Block reads a page may have in flight at once when stamping events with their times: the read client
 * batches JSON-RPC, so each round is one HTTP request (the log reader's own default is 8, for clients
 * that send one request per call).
 */
export const BATCHED_BLOCK_READS = 256;

const CHAINS: Record<number, Chain> = { [LOCAL_CHAIN_ID]: hardhat, [sepolia.id]: sepolia, [baseSepolia.id]: baseSepolia };
const clients = new Map<number, Client>();

export function readClient(chainId: number): Client {
  let c = clients.get(chainId);
  if (!c) {
    const chain = CHAINS[chainId] ?? hardhat;
    c = createClient({ chain, transport: http(rpcUrlFor(chainId), { batch: { wait: 16 } }) });
    clients.set(chainId, c);
  }
  return c;
}

/**
 * eth_call of a view, encoded and decoded with the ABI. Lighter than viem's readContract action (which
 * brings the whole `call` machinery: CCIP-read, state overrides, multicall batching) and enough here,
 * since the http transport already batches JSON-RPC requests.
 */
export async function readView<const abi extends Abi, fn extends ContractFunctionName<abi, "view" | "pure">>(
  client: Client,
  o: { address: Address; abi: abi; functionName: fn; args?: ContractFunctionArgs<abi, "view" | "pure", fn>; blockNumber?: bigint },
): Promise<ContractFunctionReturnType<abi, "view" | "pure", fn>> {
  const data = encodeFunctionData({ abi: o.abi, functionName: o.functionName, args: o.args } as never);
  const block = o.blockNumber !== undefined ? numberToHex(o.blockNumber) : "latest";
  const result = (await client.request({ method: "eth_call", params: [{ to: o.address, data }, block] } as never)) as Hex;
  return decodeFunctionResult({ abi: o.abi, functionName: o.functionName, data: result } as never) as never;
}

export async function readBalance(client: Client, address: Address, blockNumber?: bigint): Promise<bigint> {
  const block = blockNumber !== undefined ? numberToHex(blockNumber) : "latest";
  return hexToBigInt((await client.request({ method: "eth_getBalance", params: [address, block] } as never)) as Hex);
}
