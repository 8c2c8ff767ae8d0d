import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import PrecisionAidModule from "./PrecisionAid.ts";

/**
 * Roster programmes (issue 5) on top of the production deployment: the factory that creates one
 * AidRosterProgramme contract per county-scale programme. It trusts the registry of PrecisionAid for
 * roles and officials and the escrow's token allowlist, so it builds on that module instead of
 * deploying its own copies. The programmes' creation code lives in a deployer, and their objections,
 * cancellation and leaf changes in one linked library (AidRosterGovernance) every programme shares.
 */
export default buildModule("PrecisionAidRoster", (m) => {
  const { registry, escrow } = m.useModule(PrecisionAidModule);
  const rosterGovernance = m.library("AidRosterGovernance");
  const rosterDeployer = m.contract("AidRosterDeployer", [], { libraries: { AidRosterGovernance: rosterGovernance } });
  const rosterFactory = m.contract("AidRosterFactory", [registry, escrow, rosterDeployer]);
  return { registry, escrow, rosterFactory, rosterDeployer, rosterGovernance };
});
