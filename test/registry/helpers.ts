/**
 * Helpers for the AidRegistry tests. They build on test/helpers/fixtures.ts (never edited here) and
 * add a few fixture variants: spare signers and a household already bound to an account.
 */
import type { ContractTransactionResponse } from "ethers";
import { ethers, networkHelpers, deployProtocol, commitmentOf, INCOME, DAY, now } from "../helpers/fixtures.ts";

export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
export const ONE_YEAR = 365n * DAY;
export const evidence = (text: string) => ethers.id(`evidence:${text}`);
export const reason = (text: string) => ethers.id(`reason:${text}`);

/** Packs an eligibility epoch the way the registry does: revocation epoch high, removal epoch low. */
export const packEpoch = (revocationEpoch: bigint, removalEpoch: bigint) => (revocationEpoch << 32n) | removalEpoch;

/** deployProtocol plus the signers it leaves unused (indices 13..), for new officials and new accounts. */
export async function registryFixture() {
  const p = await deployProtocol();
  const signers = await ethers.getSigners();
  const spare = signers.slice(13);
  return { ...p, spare };
}

export type RegistryProtocol = Awaited<ReturnType<typeof registryFixture>>;

/** registryFixture plus one household commitment bound to households[0] by officials[0]. */
export async function boundFixture() {
  const p = await registryFixture();
  const commitment = commitmentOf("520101199001011234", "salt-a");
  await p.registry.connect(p.officials[0]).bindIdentity(commitment, p.households[0].address);
  return { ...p, commitment };
}

/** boundFixture plus INCOME attested by officials[0] and officials[1] until one year from now. */
export async function attestedFixture() {
  const p = await boundFixture();
  const expiry = (await now()) + ONE_YEAR;
  for (const o of p.officials.slice(0, 2)) {
    await p.registry.connect(o).attest(p.commitment, INCOME, expiry, evidence(o.address), 70);
  }
  return { ...p, expiry, attesters: p.officials.slice(0, 2).map((o) => o.address) };
}

/** The timestamp of the block that mined `tx`. */
export async function minedAt(tx: ContractTransactionResponse | Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction not mined");
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("block not found");
  return BigInt(block.timestamp);
}

/** The next transaction will be mined at exactly `t`. */
export async function nextTxAt(t: bigint) {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

/** Mines an empty block at exactly `t`, so views (eth_call on latest) read block.timestamp == t. */
export async function viewAt(t: bigint) {
  await networkHelpers.time.increaseTo(t);
}

/** Sorts addresses ascending by numeric value, the order verifyConditions requires per condition. */
export const ascending = (addresses: string[]) =>
  [...addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
