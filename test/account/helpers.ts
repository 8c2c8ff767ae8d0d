/**
 * Household passkey accounts in tests: the contracts deployed through their Ignition module on top of the
 * production registry, escrow and roster factory, with EntryPoint v0.8 at its canonical address. The
 * chain-free parts (passkeys, ERC-7739, UserOperation packing) are in ./passkey.ts.
 */
import type { Contract, ContractTransactionResponse, Signer } from "ethers";
import { bind, connection, ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";
import { deployRoster } from "../roster/helpers.ts";
import HouseholdAccountsModule from "../../ignition/modules/HouseholdAccounts.ts";
import { ENTRYPOINT_V08, ENTRYPOINT_V08_ABI, ensureEntryPointV08 } from "../../ignition/erc4337/entryPoint.ts";
import type { HouseholdAccount, HouseholdAccountFactory, HouseholdPaymaster } from "../../types/ethers-contracts/index.ts";
import {
  HouseholdAccount__factory,
  HouseholdAccountFactory__factory,
  HouseholdPaymaster__factory,
} from "../../types/ethers-contracts/index.ts";
import { DAY_SECONDS, ZERO_SALT, type PackedUserOperation, type Passkey } from "./passkey.ts";

export * from "./passkey.ts";
export { ENTRYPOINT_V08 };

// ------------------------------------------------------------------------------------------------ deployment

/** The EntryPoint v0.8 npm artifact's functions the tests call (its ABI is the artifact's, untyped). */
export type EntryPointV08 = Contract & {
  getUserOpHash(op: PackedUserOperation): Promise<string>;
  getNonce(sender: string, key: bigint): Promise<bigint>;
  getDepositInfo(account: string): Promise<{ deposit: bigint; staked: boolean; stake: bigint; unstakeDelaySec: bigint; withdrawTime: bigint }>;
};

/** The EntryPoint v0.8 npm artifact at its canonical address on the test chain. */
export async function entryPointV08(): Promise<EntryPointV08> {
  await ensureEntryPointV08(connection.provider);
  return new ethers.Contract(ENTRYPOINT_V08, ENTRYPOINT_V08_ABI as never, (await ethers.getSigners())[0]) as EntryPointV08;
}

/**
 * The production registry, escrow and roster factory (through their Ignition modules) with staff, then
 * EntryPoint v0.8, and the household accounts' module on top, reading `successorOf` and `commitmentOf`
 * from the real registry.
 */
export async function deployAccounts() {
  const p = await deployRoster();
  const entryPoint = await entryPointV08();
  const signers = await ethers.getSigners();
  const operator = signers[14];
  const bundler = signers[15];
  const shop = signers[16];
  const deployed = await ignition.deploy(HouseholdAccountsModule, {
    parameters: { HouseholdAccounts: { registry: await p.registry.getAddress(), operator: operator.address } },
  });
  const accountFactory: HouseholdAccountFactory = HouseholdAccountFactory__factory.connect(await deployed.factory.getAddress(), p.admin);
  const paymaster: HouseholdPaymaster = HouseholdPaymaster__factory.connect(await deployed.paymaster.getAddress(), operator);
  const { chainId } = await ethers.provider.getNetwork();
  return { ...p, entryPoint, operator, bundler, shop, accountFactory, paymaster, chainId };
}

export type Accounts = Awaited<ReturnType<typeof deployAccounts>>;

/** The account for `passkey` (and `salt`): its address, whether or not it is deployed yet. */
export async function accountOf(f: { accountFactory: HouseholdAccountFactory }, passkey: Passkey, salt = ZERO_SALT) {
  const address = await f.accountFactory.accountAddress(passkey.qx, passkey.qy, salt);
  const account: HouseholdAccount = HouseholdAccount__factory.connect(address, ethers.provider);
  return { address, account, passkey, salt };
}

/** Deploys the account for `passkey` and returns it. */
export async function createAccount(f: { accountFactory: HouseholdAccountFactory }, passkey: Passkey, salt = ZERO_SALT) {
  await (await f.accountFactory.createAccount(passkey.qx, passkey.qy, salt)).wait();
  return accountOf(f, passkey, salt);
}

/** Binds `account` to a new household commitment (the registry's k officials signing) and returns the commitment. */
export async function bindHousehold(f: Accounts, account: string, id: string) {
  const commitment = ethers.id(`household:${id}`);
  await (await bind(f, commitment, account)).wait();
  return commitment;
}

// ------------------------------------------------------------------------------------------------ chain time and bundling

/** The UTC day number (unix time / 86400) of the chain's next block, as the paymaster counts days. */
export async function dayOfNextBlock(): Promise<bigint> {
  return (BigInt(await networkHelpers.time.latest()) + 1n) / DAY_SECONDS;
}

/** Moves the chain to noon (UTC) of the next day, so a test's operations do not cross midnight. */
export async function toNoonOfNextDay(): Promise<bigint> {
  const day = BigInt(await networkHelpers.time.latest()) / DAY_SECONDS + 1n;
  await networkHelpers.time.increaseTo(day * DAY_SECONDS + DAY_SECONDS / 2n);
  return day;
}

/** Submits `ops` to the EntryPoint from `bundler`, paying the fees to the bundler. */
export async function handleOps(entryPoint: EntryPointV08, bundler: Signer & { address: string }, ops: PackedUserOperation[]) {
  return (entryPoint.connect(bundler) as EntryPointV08).getFunction("handleOps")(ops, bundler.address) as Promise<ContractTransactionResponse>;
}
