/**
 * The shape of a PrecisionAid deployment, and how a recorded one (the generated module's, or a
 * --deployment file's) becomes it. Free of the generated module, so a CLI can load it before that
 * module exists (lib/chain/ensure-generated.ts); the lookup itself is ./deployments.ts.
 */
import type { Address } from "viem";

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

