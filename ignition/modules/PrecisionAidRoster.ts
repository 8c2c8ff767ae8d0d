import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import PrecisionAidModule from "./PrecisionAid.ts";

/**
 * Roster programmes (issue 5) on top of the production deployment: the factory that creates one
 * AidRosterProgramme contract per county-scale programme. It trusts the registry of PrecisionAid for
 * roles and officials and the escrow's token allowlist, so it builds on that module instead of
 * deploying its own copies. The programmes' code lives in an EIP-5202 blueprint the factory creates them
 * from, and their objections, cancellation and leaf changes in one linked library (AidRosterGovernance) every
 * programme shares.
 */
export default buildModule("PrecisionAidRoster", (m) => {
  const { timelock, registry, escrow, escrowGovernance } = m.useModule(PrecisionAidModule);
  const rosterGovernance = m.library("AidRosterGovernance");
  const rosterBlueprint = m.contract("AidRosterBlueprint", [], { libraries: { AidRosterGovernance: rosterGovernance } });
  const rosterFactory = m.contract("AidRosterFactory", [registry, escrow, rosterBlueprint]);
  return { timelock, registry, escrow, escrowGovernance, rosterFactory, rosterBlueprint, rosterGovernance };
});
