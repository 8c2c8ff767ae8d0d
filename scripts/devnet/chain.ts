/**
 * The demo seed's view of a local dev node, on viem: the node's unlocked accounts (JSON-RPC accounts:
 * the node signs, no key is handled here), contract calls by account index, and chain time moved with
 * evm_increaseTime + evm_mine (which only a dev node accepts).
 */
import { createPublicClient, createWalletClient, defineChain, getAddress, http, type Abi, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import type { TypedDataSigner } from "../../lib/roster/lifecycle.ts";

/** A contract as one account sees it: every function sends (waiting for the receipt); read() calls a view. */
export type DevContract = {
  read: (functionName: string, args?: readonly unknown[]) => Promise<any>;
} & Record<string, (...args: any[]) => Promise<TransactionReceipt>>;

export interface DevChain {
  chainId: number;
  client: PublicClient;
  /** The node's accounts, checksummed, in its order (the scenario's account numbers). */
  addresses: Address[];
  now: () => Promise<number>;
  advance: (seconds: number) => Promise<void>;
  contract: (account: number, address: Address, abi: Abi) => DevContract;
  signTypedData: (account: number, typedData: unknown) => Promise<Hex>;
  /** An account as the roster library's approval signer. */
  signer: (account: number) => TypedDataSigner;
}

export async function devChain(rpcUrl: string): Promise<DevChain> {
  const transport = http(rpcUrl, { retryCount: 0 });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({ id: chainId, name: "devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const client = createPublicClient({ chain, transport, pollingInterval: 50 });
  const addresses = ((await client.request({ method: "eth_accounts" } as never)) as string[]).map((a) => getAddress(a));
  const wallets = new Map<number, ReturnType<typeof createWalletClient>>();
  const wallet = (i: number) => {
    let w = wallets.get(i);
    if (!w) wallets.set(i, (w = createWalletClient({ chain, transport, account: addresses[i], pollingInterval: 50 })));
    return w;
  };
  const contract = (account: number, address: Address, abi: Abi): DevContract =>
    new Proxy({} as DevContract, {
      get(_, functionName: string) {
        if (functionName === "read") return (fn: string, args: readonly unknown[] = []) => client.readContract({ address, abi, functionName: fn, args } as never);
        if (functionName === "then") return undefined; // not a promise
        return async (...args: unknown[]) => {
          const last = args.at(-1);
          const overrides = last && typeof last === "object" && !Array.isArray(last) && "value" in (last as object) ? (args.pop() as { value: bigint }) : {};
          const hash = await wallet(account).writeContract({ address, abi, functionName, args, ...overrides } as never);
          const receipt = await client.waitForTransactionReceipt({ hash });
          if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${hash}`);
          return receipt;
        };
      },
    });
  return {
    chainId,
    client,
    addresses,
    now: async () => Number((await client.getBlock()).timestamp),
    advance: async (seconds) => {
      await client.request({ method: "evm_increaseTime", params: [seconds] } as never);
      await client.request({ method: "evm_mine", params: [] } as never);
    },
    contract,
    signTypedData: (account, typedData) => wallet(account).signTypedData({ ...(typedData as object), account: addresses[account] } as never),
    signer: (account) => ({ address: addresses[account], signTypedData: (td) => wallet(account).signTypedData({ ...td, account: addresses[account] } as never) }),
  };
}
