import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The production deployment: the registry (roles, identities, attestations) and the escrow that trusts
 * it. Every setting is a parameter; see ignition/parameters/<network>.json. The escrow's decisions about
 * projects and households run in a linked library (AidEscrowGovernance), deployed once here.
 */
export default buildModule("PrecisionAid", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  // Two days: long enough for the team to notice and cancel a mistaken or hostile admin transfer.
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2 * 24 * 60 * 60);
  const rebindThreshold = m.getParameter("rebindThreshold", 2);
  // Three days for a household's account change to be contested before it takes effect.
  const rebindDelay = m.getParameter("rebindDelay", 3 * 24 * 60 * 60);

  const registry = m.contract("AidRegistry", [admin, adminTransferDelay, rebindThreshold, rebindDelay]);
  const escrowGovernance = m.library("AidEscrowGovernance");
  const escrow = m.contract("AidEscrow", [registry], { libraries: { AidEscrowGovernance: escrowGovernance } });

  return { registry, escrow, escrowGovernance };
});
