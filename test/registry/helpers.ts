/**
 * Helpers for the AidRegistry tests. They build on test/helpers/fixtures.ts and add a few fixture
 * variants: spare signers, a household already bound to an account, and a registry governed by its
 * admin timelock (the deployment every real network gets).
 */
import type { ContractTransactionResponse, Signer } from "ethers";
import {
  ethers,
  ignition,
  networkHelpers,
  deployProtocol,
  commitmentOf,
  bind,
  profileOf,
  registryDomain,
  INCOME,
  DAY,
  ADMIN_DELAY,
  REBIND_DELAY,
  now,
} from "../helpers/fixtures.ts";
import PrecisionAidModule from "../../ignition/modules/PrecisionAid.ts";
import { CANCEL_REBIND_TYPES as CANCEL_REBIND_SHAPE } from "../../lib/registry/typed-data.ts";
import type { AidRegistry, AidEscrow, TimelockController } from "../../types/ethers-contracts/index.ts";
import {
  AidEscrow__factory,
  AidRegistry__factory,
  TimelockController__factory,
} from "../../types/ethers-contracts/index.ts";

export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
export const ONE_YEAR = 365n * DAY;
export const REBIND_WINDOW = 14n * DAY;
export const evidence = (text: string) => ethers.id(`evidence:${text}`);
export const reason = (text: string) => ethers.id(`reason:${text}`);

/** Mirrors RebindStatus in AidTypes.sol. */
export const RebindStatus = { None: 0n, Pending: 1n, Approved: 2n, Expired: 3n, Executed: 4n, Cancelled: 5n } as const;

/** Packs an eligibility epoch the way the registry does: household epoch high, removal epoch low. */
export const packEpoch = (revocationEpoch: bigint, removalEpoch: bigint) => (revocationEpoch << 32n) | removalEpoch;

/** deployProtocol plus the signers it leaves unused (indices 13..), for new officials and new accounts. */
export async function registryFixture() {
  const p = await deployProtocol();
  const signers = await ethers.getSigners();
  const spare = signers.slice(13);
  return { ...p, spare };
}

export type RegistryProtocol = Awaited<ReturnType<typeof registryFixture>>;

/** registryFixture plus one household commitment bound to households[0] by officials[0] and [1]. */
export async function boundFixture() {
  const p = await registryFixture();
  const commitment = commitmentOf("520101199001011234", "salt-a");
  await bind(p, commitment, p.households[0].address);
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

/**
 * The production shape: the registry deployed through the Ignition module with `admin` zero, so the
 * AdminTimelock (delay ADMIN_DELAY, proposer `governor`, anyone executes) is its only admin. Nothing is
 * staffed: every admin action has to go through the timelock.
 */
export async function governedFixture() {
  const [deployer, governor, official1, official2, official3, reviewer, household, outsider] = await ethers.getSigners();
  const deployed = await ignition.deploy(PrecisionAidModule, {
    parameters: {
      PrecisionAid: {
        admin: ethers.ZeroAddress,
        adminDelay: Number(ADMIN_DELAY),
        proposers: [governor.address],
        executors: [ethers.ZeroAddress],
        adminTransferDelay: Number(ADMIN_DELAY),
        rebindThreshold: 2,
        rebindDelay: Number(REBIND_DELAY),
      },
    },
  });
  const registry: AidRegistry = AidRegistry__factory.connect(await deployed.registry.getAddress(), deployer);
  const escrow: AidEscrow = AidEscrow__factory.connect(await deployed.escrow.getAddress(), deployer);
  const timelock: TimelockController = TimelockController__factory.connect(await deployed.timelock.getAddress(), deployer);
  return {
    registry,
    escrow,
    timelock,
    deployer,
    governor,
    officials: [official1, official2, official3],
    reviewer,
    household,
    outsider,
  };
}

export type Governed = Awaited<ReturnType<typeof governedFixture>>;

/** A timelock operation on the registry (or another target): its call data and id. */
export function operation(g: Governed, target: string, data: string, salt = ethers.ZeroHash) {
  const predecessor = ethers.ZeroHash;
  return {
    target,
    data,
    salt,
    predecessor,
    id: ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["address", "uint256", "bytes", "bytes32", "bytes32"],
        [target, 0n, data, predecessor, salt],
      ),
    ),
  };
}

/** Schedules a registry call through the timelock, waits the delay, executes it; returns the execution. */
export async function governed(g: Governed, data: string, salt = ethers.ZeroHash) {
  const op = operation(g, await g.registry.getAddress(), data, salt);
  await g.timelock.connect(g.governor).schedule(op.target, 0n, op.data, op.predecessor, op.salt, ADMIN_DELAY);
  await networkHelpers.time.increase(ADMIN_DELAY);
  return g.timelock.connect(g.outsider).execute(op.target, 0n, op.data, op.predecessor, op.salt);
}

/** The registry's call data for `fn(args)`. */
export const call = (registry: AidRegistry, fn: string, args: unknown[]) =>
  registry.interface.encodeFunctionData(fn as never, args as never);

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

/** The EIP-712 shape of a bound account's signed cancellation (lib/registry/typed-data.ts; ethers wants a mutable copy). */
export const CANCEL_REBIND_TYPES = { CancelRebind: [...CANCEL_REBIND_SHAPE.CancelRebind] };

/** The bound account's signature cancelling request `nonce` of `commitment`. */
export async function signCancel(registry: AidRegistry, account: Signer, commitment: string, nonce: bigint | number, deadline: bigint) {
  return account.signTypedData(await registryDomain(registry), CANCEL_REBIND_TYPES, { commitment, nonce, deadline });
}

export { bind, profileOf };
