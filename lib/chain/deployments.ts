/**
 * Which chains the clients talk to and where the contracts are, from the generated module
 * (lib/generated/contracts.ts): the one deployment lookup of the dApp, the CLIs and the relayer.
 * Browser-safe: no node built-ins.
 */
import type { Address } from "viem";
import { deployments } from "../generated/deployments.ts";
import { deploymentFrom, type Deployment, type DeploymentRecord } from "./deployment-record.ts";

export const LOCAL_CHAIN_ID = 31337;

/** The local node's RPC. Baked in at build time (NEXT_PUBLIC_*), and read by the CSP proxy too. */
export const LOCAL_RPC_URL = process.env.NEXT_PUBLIC_RPC_URL || "http://127.0.0.1:8545";

export { deploymentFrom, type DeployedContract, type Deployment, type DeploymentRecord } from "./deployment-record.ts";

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
