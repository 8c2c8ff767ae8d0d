/**
 * Which chains the dApp talks to and where the contracts are, from the generated module
 * (lib/generated/contracts.ts). Browser-safe: no ethers, no node built-ins.
 */
import type { Address } from "viem";
import { deployments } from "../generated/contracts.ts";

export const LOCAL_CHAIN_ID = 31337;

/** The local node's RPC. Baked in at build time (NEXT_PUBLIC_*), and read by the CSP proxy too. */
export const LOCAL_RPC_URL = process.env.NEXT_PUBLIC_RPC_URL || "http://127.0.0.1:8545";

export interface WebDeployment {
  chainId: number;
  registry: Address;
  escrow: Address;
  stablecoin?: Address;
  deploymentBlock: bigint;
  /** The roster programme factory (issue 5), where deployed, and the block to read its logs from. */
  rosterFactory?: Address;
  rosterFactoryBlock?: bigint;
}

type RawDeployment = {
  deploymentBlock: number;
  contracts: Partial<Record<"AidRegistry" | "AidEscrow" | "TestStablecoin" | "AidRosterFactory", { address: string; blockNumber: number }>>;
};

export function deploymentOn(chainId: number | undefined): WebDeployment | undefined {
  if (chainId === undefined) return undefined;
  const d = (deployments as unknown as Record<string, RawDeployment | undefined>)[String(chainId)];
  const registry = d?.contracts.AidRegistry?.address;
  const escrow = d?.contracts.AidEscrow?.address;
  if (!d || !registry || !escrow) return undefined;
  return {
    chainId,
    registry: registry as Address,
    escrow: escrow as Address,
    stablecoin: d.contracts.TestStablecoin?.address as Address | undefined,
    deploymentBlock: BigInt(d.deploymentBlock),
    rosterFactory: d.contracts.AidRosterFactory?.address as Address | undefined,
    rosterFactoryBlock: d.contracts.AidRosterFactory ? BigInt(d.contracts.AidRosterFactory.blockNumber) : undefined,
  };
}

/** Chain ids with a deployment, in the order the dApp prefers them. */
export function deployedChainIds(): number[] {
  return Object.keys(deployments)
    .map(Number)
    .sort((a, b) => (a === LOCAL_CHAIN_ID ? -1 : b === LOCAL_CHAIN_ID ? 1 : a - b));
}

/** The chain public pages read from when no wallet says otherwise. */
export function defaultChainId(): number {
  const env = Number(process.env.NEXT_PUBLIC_DEFAULT_CHAIN_ID);
  if (env && deploymentOn(env)) return env;
  return deployedChainIds()[0] ?? LOCAL_CHAIN_ID;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;

/** RPC endpoint for a chain: the local node, or a testnet URL from NEXT_PUBLIC_* (undefined: the chain's default). */
export function rpcUrlFor(chainId: number): string | undefined {
  if (chainId === LOCAL_CHAIN_ID) return LOCAL_RPC_URL;
  if (chainId === 11155111) return process.env.NEXT_PUBLIC_SEPOLIA_RPC_URL || undefined;
  if (chainId === 84532) return process.env.NEXT_PUBLIC_BASE_SEPOLIA_RPC_URL || undefined;
  return undefined;
}

/** Block explorer link for a transaction, or undefined on the local chain. */
export function txLink(chainId: number, hash: string): string | undefined {
  if (chainId === 11155111) return `https://sepolia.etherscan.io/tx/${hash}`;
  if (chainId === 84532) return `https://sepolia.basescan.org/tx/${hash}`;
  return undefined;
}
