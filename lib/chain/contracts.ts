/**
 * The Node side's one import for ABIs and deployments (the CLIs, the relayer, the tests): the generated
 * module plus the deployment lookup of ./deployments.ts. lib/generated/ is build output (git-ignored):
 * entry points call ensureGeneratedContracts() (./ensure-generated.ts) before importing this module.
 */
import { aidEscrowAbi, aidRegistryAbi, aidRosterFactoryAbi, aidRosterProgrammeAbi, testStablecoinAbi } from "../generated/contracts.ts";

export * from "../generated/contracts.ts";

export type ContractName = "AidRegistry" | "AidEscrow" | "TestStablecoin" | "AidRosterFactory" | "AidRosterProgramme";

export { deploymentOn, requireDeployment, type Deployment } from "./deployments.ts";

export const abis = {
  AidRegistry: aidRegistryAbi,
  AidEscrow: aidEscrowAbi,
  TestStablecoin: testStablecoinAbi,
  AidRosterFactory: aidRosterFactoryAbi,
  AidRosterProgramme: aidRosterProgrammeAbi,
} as const;
