import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Household passkey accounts (issues 13 and 14): the account factory (which creates the one account
 * implementation) and the programme operator's paymaster. Both read the registry of households: the
 * factory's accounts for `successorOf` (a lost phone's re-bind), the paymaster for `commitmentOf`.
 *
 * EntryPoint v0.8 must already be at its canonical address (ignition/erc4337/entryPoint.ts puts it there
 * on a local chain; public chains have it) before the paymaster is funded. The operator then funds the
 * paymaster (`deposit`) and sets what it sponsors (`setDailyCap`, shops, `setCallSponsored` for the
 * registry's re-bind cancellation): see docs/ACCOUNTS.md.
 */
export default buildModule("HouseholdAccounts", (m) => {
  const registry = m.getParameter<string>("registry");
  const operator = m.getParameter("operator", m.getAccount(0));
  // 0.01 ETH: a passkey payment uses about 0.2M gas with the P-256 precompile, and its limits about
  // 0.6M, so this allows up to ~16 gwei per gas; raise it on a busy L1.
  const maxCostPerOperation = m.getParameter("maxCostPerOperation", 10_000_000_000_000_000n);
  const maxOperationsPerDay = m.getParameter("maxOperationsPerDay", 20);

  const factory = m.contract("HouseholdAccountFactory", [registry]);
  const paymaster = m.contract("HouseholdPaymaster", [operator, factory, registry, maxCostPerOperation, maxOperationsPerDay]);
  return { factory, paymaster };
});
