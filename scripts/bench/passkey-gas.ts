/**
 * Household passkey accounts' gas (issues 13 and 14), measured twice in one run: on the EVM target
 * (osaka, with the P-256 precompile, EIP-7951; the L2s have RIP-7212 at the same address) and on the
 * `noP256` network (prague, no precompile: OpenZeppelin's Solidity P-256 fallback). Each chain gets the
 * whole stack through the production Ignition modules, the EntryPoint v0.8 npm artifact at its canonical
 * address, and anchors measured beside it on the same chain:
 *
 *   - account creation: our clones with immutable arguments, beside clone + initialize
 *     (contracts/mocks/anchors/CloneInitializeAccountAnchor.sol, OpenZeppelin's NatSpec pattern);
 *   - a relayed escrow / roster claim by a passkey account (existing, or deployed on the way through
 *     the factory's createAccountAndCall), beside the same claim signed by an ordinary account (ECDSA);
 *   - a passkey payment to a shop through the EntryPoint with the paymaster paying, beside a plain ERC-20
 *     transfer from an ordinary account. Both pay a shop that already holds the token, from a sender
 *     that still holds some after, so neither pays for a new storage slot the other does not.
 *
 * Deterministic: fixed passkeys and RFC 6979 signatures, a fixed chain day (noon UTC, 2099-01-01), fixed
 * deadlines; so the gas, including the fallback's (which depends on the signature's bits), repeats.
 * Imported by scripts/bench/gas.ts (`npm run bench`).
 */
import { network } from "hardhat";
import { NO_P256_HARDFORK, EVM_TARGET } from "../../hardhat.config.ts";
import { ensureEntryPointV08, ENTRYPOINT_V08, ENTRYPOINT_V08_ABI } from "../../ignition/erc4337/entryPoint.ts";
import PrecisionAidRosterModule from "../../ignition/modules/PrecisionAidRoster.ts";
import HouseholdAccountsModule from "../../ignition/modules/HouseholdAccounts.ts";
import { CLAIM_REQUEST_TYPES } from "../../lib/escrow/typed-data.ts";
import { CLAIM_TYPES as ROSTER_CLAIM_SHAPE, ROOT_APPROVAL_TYPES as ROOT_APPROVAL_SHAPE, rosterDomain } from "../../lib/roster/typed-data.ts";
import { BIND_IDENTITY_TYPES as BIND_IDENTITY_SHAPE } from "../../lib/registry/typed-data.ts";
import { deepRoster } from "../../test/roster/helpers.ts";
import {
  Passkey,
  ZERO_SALT,
  dayData,
  executeCalls,
  packUserOp,
  signTypedDataFor,
  transferData,
  type PackedUserOperation,
} from "../../test/account/passkey.ts";
import {
  AidEscrow__factory,
  AidRegistry__factory,
  AidRosterFactory__factory,
  AidRosterProgramme__factory,
  HouseholdAccountFactory__factory,
  HouseholdPaymaster__factory,
} from "../../types/ethers-contracts/index.ts";

type Connection = Awaited<ReturnType<typeof network.create>>;

const DAY = 86_400n;
/** 2099-01-01 00:00 UTC: every run measures on the same calendar day. */
const BENCH_DAY_START = 4_070_908_800n;
/** Far past every timestamp of the run, so no signed deadline depends on the wall clock. */
const FAR_FUTURE = 4_102_444_800n;
const TRANCHE = 50_000_000n; // 50 tUSD
const CLAIM_TYPES = { ClaimRequest: [...CLAIM_REQUEST_TYPES.ClaimRequest] };
const ROSTER_CLAIM_TYPES = { RosterClaim: [...ROSTER_CLAIM_SHAPE.RosterClaim] };
const ROOT_APPROVAL_TYPES = { RootApproval: [...ROOT_APPROVAL_SHAPE.RootApproval], Roster: [...ROOT_APPROVAL_SHAPE.Roster] };
const BIND_IDENTITY_TYPES = { BindIdentity: [...BIND_IDENTITY_SHAPE.BindIdentity] };
const DEPTH = 20;

/** One operation measured on both chains, beside its anchor. */
export type PasskeyRow = {
  operation: string;
  precompile: number;
  fallback: number;
  anchor: string;
  anchorPrecompile: number;
  anchorFallback: number;
};

export const PASSKEY_SNAPSHOT = "bench/gas-passkey-snapshot.json";
export const PRECOMPILE_LABEL = `P-256 precompile (${EVM_TARGET})`;
export const FALLBACK_LABEL = `Solidity fallback (${NO_P256_HARDFORK})`;

type Measured = Record<string, { gas: number; anchor: string; anchorGas: number }>;

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

/** Deploys everything on `c` and measures every operation there. */
async function measureOn(c: Connection): Promise<Measured> {
  const { ethers, ignition, networkHelpers } = c;
  const signers = await ethers.getSigners();
  const [admin, manager, o1, o2, o3, donor, relayer, operator, bundler, shop, eoaHousehold] = signers;
  await networkHelpers.time.increaseTo(BENCH_DAY_START + DAY / 2n);

  // ---------------------------------------------------------------- the production stack
  const core = await ignition.deploy(PrecisionAidRosterModule, {
    parameters: { PrecisionAid: { admin: admin.address, adminTransferDelay: 2 * 86_400, rebindThreshold: 2, rebindDelay: 3 * 86_400 } },
  });
  const registry = AidRegistry__factory.connect(await core.registry.getAddress(), admin);
  const escrow = AidEscrow__factory.connect(await core.escrow.getAddress(), admin);
  const rosterFactory = AidRosterFactory__factory.connect(await core.rosterFactory.getAddress(), admin);
  await registry.grantRole(await registry.MANAGER_ROLE(), manager.address);
  const officials = [o1, o2, o3].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  for (const [i, o] of officials.entries()) {
    await registry.addOfficial(o.address, { name: `Bench official ${i + 1}`, office: "Township office", jurisdiction: "cn-gz-leishan" });
  }
  const stablecoin = await ethers.deployContract("TestStablecoin");
  const token = await stablecoin.getAddress();
  await escrow.setTokenAllowed(token, true);

  await ensureEntryPointV08(c.provider);
  const entryPoint = new ethers.Contract(ENTRYPOINT_V08, ENTRYPOINT_V08_ABI as never, bundler);
  const accounts = await ignition.deploy(HouseholdAccountsModule, {
    parameters: { HouseholdAccounts: { registry: await registry.getAddress(), operator: operator.address } },
  });
  const factory = HouseholdAccountFactory__factory.connect(await accounts.factory.getAddress(), relayer);
  const paymaster = HouseholdPaymaster__factory.connect(await accounts.paymaster.getAddress(), operator);
  await paymaster.deposit({ value: ethers.parseEther("10") });
  await paymaster.setDailyCap(token, 1_000_000_000n);

  const out: Measured = {};

  // ---------------------------------------------------------------- account creation
  const existing = new Passkey("bench: existing account");
  const escrowOnTheWay = new Passkey("bench: escrow, deployed on the way");
  const rosterOnTheWay = new Passkey("bench: roster, deployed on the way");
  const anchorKey = new Passkey("bench: clone + initialize");
  const anchorFactory = await ethers.deployContract("CloneInitializeFactoryAnchor", [anchorKey.qx, anchorKey.qy]);
  out["passkey account creation (clone with immutable args)"] = {
    gas: await gasOf(factory.createAccount(existing.qx, existing.qy, ZERO_SALT)),
    anchor: "clone + initialize, OpenZeppelin's NatSpec pattern (anchor contract)",
    anchorGas: await gasOf(anchorFactory.getFunction("createAccount")(existing.qx, existing.qy, ZERO_SALT)),
  };
  const addressOf = (p: Passkey) => factory.accountAddress(p.qx, p.qy, ZERO_SALT);
  const existingAccount = await addressOf(existing);

  // ---------------------------------------------------------------- escrow claims
  const t = BigInt(await networkHelpers.time.latest());
  await escrow.connect(manager).createProject({
    token,
    category: ethers.encodeBytes32String("education"),
    region: ethers.encodeBytes32String("cn-gz-leishan"),
    metadataURI: "ipfs://bafy-bench",
    conditions: [ethers.id("household.income-below-line")],
    threshold: 2,
    amountPerTranche: TRANCHE,
    trancheUnlockTimes: [t + 10n * DAY, t + 40n * DAY],
    maxBeneficiaries: 10,
    fundingDeadline: t + 5n * DAY,
    claimDeadline: t + 100n * DAY,
    publicityWindow: 7 * 86_400,
  });
  const projectId = await escrow.projectCount();
  await stablecoin.mint(donor.address, 10n * TRANCHE * 2n);
  await stablecoin.connect(donor).approve(await escrow.getAddress(), 10n * TRANCHE * 2n);
  await escrow.connect(donor).donateToken(projectId, 10n * TRANCHE * 2n, await escrow.termsVersion(projectId));
  const households = [
    { name: "existing", account: existingAccount },
    { name: "on the way", account: await addressOf(escrowOnTheWay) },
    { name: "eoa", account: eoaHousehold.address },
  ];
  const commitments: Record<string, string> = {};
  for (const h of households) {
    const commitment = ethers.id(`bench household: ${h.name}`);
    commitments[h.name] = commitment;
    // k = 2 officials sign the binding (ascending); anyone submits it.
    const rd = await registry.eip712Domain();
    const registryDomain = { name: rd.name, version: rd.version, chainId: rd.chainId, verifyingContract: rd.verifyingContract };
    const binding = { commitment, account: h.account, deadline: FAR_FUTURE };
    const signers = officials.slice(0, 2);
    await registry.bindIdentity(
      commitment,
      h.account,
      FAR_FUTURE,
      signers.map((o) => o.address),
      await Promise.all(signers.map((o) => o.signTypedData(registryDomain, BIND_IDENTITY_TYPES, binding))),
    );
    for (const o of officials.slice(0, 2)) {
      await registry.connect(o).attest(commitment, ethers.id("household.income-below-line"), FAR_FUTURE, ethers.id("evidence"), 70);
    }
    await escrow.connect(officials[0]).enrol(projectId, commitment, officials.slice(0, 2).map((o) => o.address));
  }
  await networkHelpers.time.increaseTo(t + 10n * DAY);
  const d = await escrow.eip712Domain();
  const escrowDomain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  const request = (name: string, account: string) => ({
    projectId,
    commitment: commitments[name],
    trancheIndex: 0,
    recipient: account,
    amount: TRANCHE,
    nonce: 0n,
    deadline: FAR_FUTURE,
  });
  const eoaRequest = request("eoa", eoaHousehold.address);
  const eoaClaim = await gasOf(escrow.connect(relayer).claimBySig(eoaRequest, await eoaHousehold.signTypedData(escrowDomain, CLAIM_TYPES, eoaRequest), []));
  const escrowAnchor = "escrow claimBySig, relayed, signed by an ordinary account (ECDSA)";
  {
    const r = request("existing", existingAccount);
    const signature = signTypedDataFor(existing, existingAccount, escrowDomain, CLAIM_TYPES, "ClaimRequest", r);
    out["passkey claim: escrow claimBySig, relayed (account exists)"] = {
      gas: await gasOf(escrow.connect(relayer).claimBySig(r, signature, [])),
      anchor: escrowAnchor,
      anchorGas: eoaClaim,
    };
  }
  {
    const account = await addressOf(escrowOnTheWay);
    const r = request("on the way", account);
    const signature = signTypedDataFor(escrowOnTheWay, account, escrowDomain, CLAIM_TYPES, "ClaimRequest", r);
    const data = escrow.interface.encodeFunctionData("claimBySig", [r, signature, []]);
    out["passkey claim: escrow claimBySig, relayed (account deployed on the way)"] = {
      gas: await gasOf(factory.createAccountAndCall(escrowOnTheWay.qx, escrowOnTheWay.qy, ZERO_SALT, await escrow.getAddress(), data)),
      anchor: escrowAnchor,
      anchorGas: eoaClaim,
    };
  }

  // ---------------------------------------------------------------- roster claims (proofs of depth 20)
  const rt = BigInt(await networkHelpers.time.latest());
  await rosterFactory.connect(manager).createProgramme({
    token,
    category: ethers.encodeBytes32String("education"),
    region: ethers.encodeBytes32String("cn-gz-leishan"),
    metadataURI: "ipfs://bafy-bench-roster",
    trancheUnlockTimes: [rt + 10n * DAY],
    fundingDeadline: rt + 5n * DAY,
    claimDeadline: rt + 100n * DAY,
    publicityWindow: 7 * 86_400,
    threshold: 2,
  });
  const programmeAddress = await rosterFactory.programmeAt(await rosterFactory.programmeCount());
  const programme = AidRosterProgramme__factory.connect(programmeAddress, manager);
  const rosterAccounts = [existingAccount, await addressOf(rosterOnTheWay), eoaHousehold.address, ethers.getAddress("0x00000000000000000000000000000000000a11ce")];
  const roster = deepRoster(rosterAccounts.map((account, i) => ({ index: BigInt(i), account, amount: TRANCHE })), 1n, DEPTH);
  await stablecoin.mint(donor.address, roster.rosterTotal);
  await stablecoin.connect(donor).approve(programmeAddress, roster.rosterTotal);
  await programme.connect(donor).donateToken(roster.rosterTotal);
  await programme.publishRoster(roster.root, roster.leafCount, roster.rosterTotal, roster.uri, roster.contentHash);
  const r = await programme.roster();
  const approval = { root: r.root, version: r.version, leafCount: r.leafCount, rosterTotal: r.rosterTotal, contentHash: r.contentHash };
  const pd = await programme.eip712Domain();
  const programmeDomain = { name: pd.name, version: pd.version, chainId: pd.chainId, verifyingContract: pd.verifyingContract };
  const approvers = officials.slice(0, 2);
  await programme.approveRoot(
    approvers.map((o) => o.address),
    await Promise.all(approvers.map((o) => o.signTypedData(programmeDomain, ROOT_APPROVAL_TYPES, { roster: approval, deadline: FAR_FUTURE }))),
    FAR_FUTURE,
  );
  await networkHelpers.time.increaseTo(rt + 10n * DAY + 7n * DAY);
  const rosterMessage = (i: number) => ({ index: BigInt(i), tranche: 0n, account: rosterAccounts[i], amount: TRANCHE, nonce: 0n, deadline: FAR_FUTURE });
  const domain = rosterDomain(pd.chainId, programmeAddress);
  // The leaf-tranche bitmap word is warmed by the ordinary account's claim first, as in a running programme.
  const eoaRoster = rosterMessage(2);
  const eoaRosterClaim = await gasOf(
    programme.connect(relayer).claimBySig({ ...eoaRoster, proof: roster.proof(2), signature: await eoaHousehold.signTypedData(domain, ROSTER_CLAIM_TYPES, eoaRoster) }),
  );
  const rosterAnchor = "roster claimBySig (depth 20), relayed, signed by an ordinary account (ECDSA)";
  {
    const m = rosterMessage(0);
    const signature = signTypedDataFor(existing, existingAccount, domain, ROSTER_CLAIM_TYPES, "RosterClaim", m);
    out["passkey claim: roster claimBySig, relayed (account exists)"] = {
      gas: await gasOf(programme.connect(relayer).claimBySig({ ...m, proof: roster.proof(0), signature })),
      anchor: rosterAnchor,
      anchorGas: eoaRosterClaim,
    };
  }
  {
    const m = rosterMessage(1);
    const signature = signTypedDataFor(rosterOnTheWay, rosterAccounts[1], domain, ROSTER_CLAIM_TYPES, "RosterClaim", m);
    const data = programme.interface.encodeFunctionData("claimBySig", [{ ...m, proof: roster.proof(1), signature }]);
    out["passkey claim: roster claimBySig, relayed (account deployed on the way)"] = {
      gas: await gasOf(factory.createAccountAndCall(rosterOnTheWay.qx, rosterOnTheWay.qy, ZERO_SALT, programmeAddress, data)),
      anchor: rosterAnchor,
      anchorGas: eoaRosterClaim,
    };
  }

  // ---------------------------------------------------------------- paying a shop
  // The existing account holds 100 tUSD (escrow + roster), the ordinary account too; the shop holds some.
  await stablecoin.mint(shop.address, 1n);
  // Every step above moved time by whole days from noon: still noon, so the operation's day is certain.
  const day = BigInt(await networkHelpers.time.latest()) / DAY;
  const anchorTransfer = await gasOf(stablecoin.connect(eoaHousehold).transfer(shop.address, 5_000_000n));
  const payShop = async (nonce: bigint) => {
    const packed: PackedUserOperation = packUserOp({
      sender: existingAccount,
      nonce,
      callData: executeCalls([{ target: token, data: transferData(shop.address, 5_000_000n) }]),
      paymaster: await paymaster.getAddress(),
      paymasterData: dayData(day),
    });
    const hash: string = await entryPoint.getFunction("getUserOpHash")(packed);
    const op = { ...packed, signature: existing.sign(hash) };
    return gasOf(entryPoint.getFunction("handleOps")([op], bundler.address));
  };
  const transferAnchor = "ERC-20 transfer from an ordinary account (EOA, existing holder to existing holder)";
  out["passkey payment to a shop (sponsored, the account's first operation)"] = { gas: await payShop(0n), anchor: transferAnchor, anchorGas: anchorTransfer };
  out["passkey payment to a shop (sponsored)"] = { gas: await payShop(1n), anchor: transferAnchor, anchorGas: anchorTransfer };
  return out;
}

/** Measures every passkey operation with the precompile and with the fallback, in one run. */
export async function measurePasskeyGas(): Promise<PasskeyRow[]> {
  const withPrecompile = await network.create();
  const withFallback = await network.create({ network: "noP256" });
  try {
    const a = await measureOn(withPrecompile);
    const b = await measureOn(withFallback);
    return Object.keys(a).map((operation) => ({
      operation,
      precompile: a[operation].gas,
      fallback: b[operation].gas,
      anchor: a[operation].anchor,
      anchorPrecompile: a[operation].anchorGas,
      anchorFallback: b[operation].anchorGas,
    }));
  } finally {
    await withPrecompile.close();
    await withFallback.close();
  }
}

/** The table `npm run bench` prints. */
export function printPasskeyRows(rows: PasskeyRow[]): void {
  console.log(`\nHousehold passkey accounts (issues 13 and 14): ${PRECOMPILE_LABEL} and ${FALLBACK_LABEL}, one run`);
  console.table(
    rows.map((r) => ({
      operation: r.operation,
      [PRECOMPILE_LABEL]: r.precompile,
      [FALLBACK_LABEL]: r.fallback,
      "fallback / precompile": Number((r.fallback / r.precompile).toFixed(2)),
      anchor: r.anchor,
      "anchor gas": r.anchorPrecompile,
      "precompile / anchor": Number((r.precompile / r.anchorPrecompile).toFixed(2)),
    })),
  );
}

/** Keyed measurements for the JSON results and the snapshot (each row twice: precompile and fallback). */
export function passkeyMeasurements(rows: PasskeyRow[]) {
  return Object.fromEntries(
    rows.flatMap((r) => [
      [`${r.operation} [${PRECOMPILE_LABEL}]`, r.precompile],
      [`${r.operation} [${FALLBACK_LABEL}]`, r.fallback],
      [`anchor: ${r.anchor} [${PRECOMPILE_LABEL}]`, r.anchorPrecompile],
      [`anchor: ${r.anchor} [${FALLBACK_LABEL}]`, r.anchorFallback],
    ]),
  ) as Record<string, number>;
}
