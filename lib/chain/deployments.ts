/**
 * Which chains the clients talk to and where the contracts are, from the generated module
 * (lib/generated/contracts.ts): the one deployment lookup of the dApp, the CLIs and the relayer.
 * Browser-safe: no node built-ins.
 */
import type { Address } from "viem";
import { deployments } from "../generated/deployments.ts";

export const LOCAL_CHAIN_ID = 31337;

/** The local node's RPC. Baked in at build time (NEXT_PUBLIC_*), and read by the CSP proxy too. */
export const LOCAL_RPC_URL = process.env.NEXT_PUBLIC_RPC_URL || "http://127.0.0.1:8545";

/** The contracts a deployment records an address for. */
export type DeployedContract = "AidRegistry" | "AidEscrow" | "TestStablecoin" | "AidRosterFactory";

/**
 * A chain's PrecisionAid deployment: the one shape every client (the dApp, the CLIs, the relayer) uses,
 * from the generated module or, for the CLIs' --deployment, from a file of the same shape.
 */
export interface Deployment {
  chainId: number;
  name: string;
  registry: Address;
  escrow: Address;
  stablecoin?: Address;
  /** The first block to read logs from (the earliest contract's). */
  deploymentBlock: number;
  /** The roster programme factory (issue 5), where deployed, and the block to read its logs from. */
  rosterFactory?: Address;
  rosterFactoryBlock?: number;
  /** Every recorded contract with the block it was deployed in. */
  contracts: Partial<Record<DeployedContract, { address: Address; blockNumber: number }>>;
}

/** What the generated module (and a deployment file) records per chain. */
export interface DeploymentRecord {
  chainId?: number;
  name?: string;
  deploymentBlock: number;
  contracts: Partial<Record<DeployedContract, { address: string; blockNumber: number }>>;
}

/** A recorded deployment in the shape clients use; undefined without a registry and an escrow. */
export function deploymentFrom(chainId: number, d: DeploymentRecord | undefined): Deployment | undefined {
  const registry = d?.contracts.AidRegistry?.address;
  const escrow = d?.contracts.AidEscrow?.address;
  if (!d || !registry || !escrow) return undefined;
  const contracts = d.contracts as Deployment["contracts"];
  return {
    chainId,
    name: d.name ?? `chain-${chainId}`,
    registry: registry as Address,
    escrow: escrow as Address,
    stablecoin: contracts.TestStablecoin?.address,
    deploymentBlock: d.deploymentBlock,
    rosterFactory: contracts.AidRosterFactory?.address,
    rosterFactoryBlock: contracts.AidRosterFactory?.blockNumber,
    contracts,
  };
}

/** The one deployment lookup: the generated module's deployment on a chain, if any. */
export function deploymentOn(chainId: number | bigint | undefined): Deployment | undefined {
  if (chainId === undefined) return undefined;
  return deploymentFrom(Number(chainId), (deployments as unknown as Record<string, DeploymentRecord | undefined>)[String(chainId)]);
}

/** Like deploymentOn, but says what to do when nothing is deployed there. */
export function requireDeployment(chainId: number | bigint): Deployment {
  const d = deploymentOn(chainId);
  if (!d) {
    throw new Error(
      `No PrecisionAid deployment is known for chain ${chainId}. Deploy first (npm start for the local chain), ` +
        "then regenerate lib/generated/contracts.ts with `bash scripts/setup.sh node scripts/generate-contracts.ts`.",
    );
  }
  return d;
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
