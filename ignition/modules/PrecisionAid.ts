import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const DAY = 24 * 60 * 60;

/**
 * The production deployment: the admin timelock, the registry (roles, identities, attestations) and the
 * escrow that trusts it. Every setting is a parameter; see ignition/parameters/<network>.json.
 *
 * Who administers the registry (docs/DECISIONS.md, "Admin timelock"):
 * - on every real network `admin` is the zero address, so OpenZeppelin's TimelockController deployed
 *   here ("AdminTimelock") is the registry's default admin: appointing and removing officials, the
 *   re-bind policy, role grants and (through the registry's admin role) the escrow's token allowlist
 *   are scheduled in public and take effect only `adminDelay` seconds later. The registry itself refuses
 *   any other admin outside the local chain, and a timelock delay under one day;
 * - on the local chain (31337) `admin` may name a direct admin instead (the devnet's account #0, and the
 *   tests), so the demo and the tests not about governance act at once; the timelock is deployed all the
 *   same and the tests of the delayed path deploy this module with `admin` zero.
 *
 * The escrow's decisions about projects and households run in a linked library (AidEscrowGovernance),
 * deployed once here.
 */
export default buildModule("PrecisionAid", (m) => {
  // Zero: the AdminTimelock below is the admin (required outside the local chain).
  const admin = m.getParameter("admin", ZERO_ADDRESS);
  // Two days between scheduling an admin action and its effect, for households, reviewers and donors to
  // see it (CallScheduled events) and react; never under one day outside the local chain (enforced).
  const adminDelay = m.getParameter("adminDelay", 2 * DAY);
  // Who may schedule (and cancel) admin actions: a k-of-n wallet of the programme's governors. They also
  // receive the timelock's canceller role.
  const proposers = m.getParameter<string[]>("proposers", []);
  // Who may execute an action once its delay passed; the zero address lets anyone execute (the
  // action itself was fixed when it was scheduled).
  const executors = m.getParameter<string[]>("executors", [ZERO_ADDRESS]);
  // Two days: long enough for the team to notice and cancel a mistaken or hostile admin transfer.
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2 * DAY);
  const rebindThreshold = m.getParameter("rebindThreshold", 2);
  // Three days for a household's account change to be contested before it takes effect.
  const rebindDelay = m.getParameter("rebindDelay", 3 * DAY);

  // The timelock administers itself (no separate admin): changing its proposers or delay waits its delay.
  const timelock = m.contract("TimelockController", [adminDelay, proposers, executors, ZERO_ADDRESS], {
    id: "AdminTimelock",
  });
  const registry = m.contract("AidRegistry", [admin, timelock, adminTransferDelay, rebindThreshold, rebindDelay]);
  const escrowGovernance = m.library("AidEscrowGovernance");
  const escrow = m.contract("AidEscrow", [registry], { libraries: { AidEscrowGovernance: escrowGovernance } });

  return { timelock, registry, escrow, escrowGovernance };
});
