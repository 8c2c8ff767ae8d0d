/**
 * The one place clients (dApp, scripts, tests) get ABIs, addresses and deployment blocks from.
 * lib/generated/contracts.ts is build output (git-ignored): entry points call
 * ensureGeneratedContracts() from lib/ensure-generated.ts before importing this module.
 */
import { aidEscrowAbi, aidRegistryAbi, aidRosterFactoryAbi, aidRosterProgrammeAbi, deployments, testStablecoinAbi } from "../generated/contracts.ts";

export * from "../generated/contracts.ts";

export type ContractName = "AidRegistry" | "AidEscrow" | "TestStablecoin" | "AidRosterFactory" | "AidRosterProgramme";

/** A chain's deployment with plain types, for lookups by a chain id only known at run time. */
export interface Deployment {
  chainId: number;
  name: string;
  deploymentBlock: number;
  contracts: Partial<Record<ContractName, { address: string; blockNumber: number }>>;
}

export function deploymentFor(chainId: number | bigint): Deployment | undefined {
  return (deployments as unknown as Record<string, Deployment>)[String(chainId)];
}

/** Like deploymentFor, but says what to do when nothing is deployed there. */
export function requireDeployment(chainId: number | bigint): Deployment & { registry: string; escrow: string } {
  const d = deploymentFor(chainId);
  const registry = d?.contracts.AidRegistry?.address;
  const escrow = d?.contracts.AidEscrow?.address;
  if (!d || !registry || !escrow) {
    throw new Error(
      `No PrecisionAid deployment is known for chain ${chainId}. Deploy first (npm start for the local chain), ` +
        "then regenerate lib/generated/contracts.ts with `bash scripts/setup.sh node scripts/generate-contracts.ts`.",
    );
  }
  return { ...d, registry, escrow };
}

export const abis = {
  AidRegistry: aidRegistryAbi,
  AidEscrow: aidEscrowAbi,
  TestStablecoin: testStablecoinAbi,
  AidRosterFactory: aidRosterFactoryAbi,
  AidRosterProgramme: aidRosterProgrammeAbi,
} as const;
