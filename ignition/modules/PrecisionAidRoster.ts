import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import PrecisionAidModule from "./PrecisionAid.ts";

/**
 * Roster programmes (issue 5) on top of the production deployment: the factory that creates one
 * AidRosterProgramme contract per county-scale programme. It trusts the registry of PrecisionAid for
 * roles and officials and the escrow's token allowlist, so it builds on that module instead of
 * deploying its own copies.
 */
export default buildModule("PrecisionAidRoster", (m) => {
  const { registry, escrow } = m.useModule(PrecisionAidModule);
  const rosterFactory = m.contract("AidRosterFactory", [registry, escrow]);
  return { registry, escrow, rosterFactory };
});
