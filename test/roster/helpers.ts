/**
 * Fixtures and helpers for the roster programme tests. Contracts are deployed through the production
 * Ignition module ignition/modules/PrecisionAidRoster.ts (which builds on PrecisionAid.ts). Rosters are
 * built with @openzeppelin/merkle-tree's StandardMerkleTree, the format the contract must accept.
 * Nothing here replaces one of our contracts.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Signer } from "ethers";
import {
  ethers,
  ignition,
  networkHelpers,
  now,
  label,
  DAY,
  protocolParameters,
  sortByAddress,
  staffProtocol,
} from "../helpers/fixtures.ts";
import PrecisionAidRosterModule from "../../ignition/modules/PrecisionAidRoster.ts";
import type { AidRosterProgramme } from "../../types/ethers-contracts/index.ts";
import {
  CLAIM_TYPES as CLAIM_SHAPE,
  LEAF_CHANGE_TYPES as LEAF_CHANGE_SHAPE,
  ROOT_APPROVAL_TYPES as ROOT_APPROVAL_SHAPE,
} from "../../lib/roster/typed-data.ts";
import {
  AidEscrow__factory,
  AidRegistry__factory,
  AidRosterFactory__factory,
  AidRosterProgramme__factory,
} from "../../types/ethers-contracts/index.ts";

export { ethers, networkHelpers, now, label, DAY };

/** Mirrors ProjectStatus in AidTypes.sol. */
export const Status = { None: 0n, Funding: 1n, Active: 2n, Cancelled: 3n, Closed: 4n } as const;
/** Mirrors RosterObjectionStatus in AidRosterTypes.sol. */
export const Objection = { None: 0n, Pending: 1n, Upheld: 2n } as const;

/** Deploys registry, escrow and roster factory through Ignition and hands out every role. */
export async function deployRoster() {
  const [admin] = await ethers.getSigners();
  const deployed = await ignition.deploy(PrecisionAidRosterModule, { parameters: await protocolParameters() });
  const registry = AidRegistry__factory.connect(await deployed.registry.getAddress(), admin);
  const escrow = AidEscrow__factory.connect(await deployed.escrow.getAddress(), admin);
  const factory = AidRosterFactory__factory.connect(await deployed.rosterFactory.getAddress(), admin);
  const blueprint = await deployed.rosterBlueprint.getAddress();
  const rosterLibraries = { AidRosterGovernance: await deployed.rosterGovernance.getAddress() };
  const escrowLibraries = { AidEscrowGovernance: await deployed.escrowGovernance.getAddress() };
  return { registry, escrow, factory, blueprint, rosterLibraries, escrowLibraries, ...(await staffProtocol(registry, escrow)) };
}
export type RosterProtocol = Awaited<ReturnType<typeof deployRoster>>;

export { sortByAddress };

export type ProgrammeTerms = {
  token: string;
  category: string;
  region: string;
  metadataURI: string;
  trancheUnlockTimes: bigint[];
  fundingDeadline: bigint;
  claimDeadline: bigint;
  publicityWindow: number;
  threshold: number;
};

/** Sensible terms relative to the current block time; override any field. */
export async function defaultProgrammeTerms(overrides: Partial<ProgrammeTerms> = {}): Promise<ProgrammeTerms> {
  const t = await now();
  return {
    token: ethers.ZeroAddress,
    category: label("education"),
    region: label("cn-gz-leishan"),
    metadataURI: "ipfs://bafy-roster-programme",
    trancheUnlockTimes: [t + 10n * DAY, t + 40n * DAY, t + 70n * DAY],
    fundingDeadline: t + 5n * DAY,
    claimDeadline: t + 100n * DAY,
    publicityWindow: Number(7n * DAY),
    threshold: 2,
    ...overrides,
  };
}

/** Creates a programme as the manager; returns the typed contract and its terms. */
export async function createProgramme(p: RosterProtocol, overrides: Partial<ProgrammeTerms> = {}) {
  const terms = await defaultProgrammeTerms(overrides);
  await p.factory.connect(p.manager).createProgramme(terms);
  const address = await p.factory.programmeAt(await p.factory.programmeCount());
  const programme: AidRosterProgramme = AidRosterProgramme__factory.connect(address, p.manager);
  return { programme, terms, address };
}

export type Leaf = { index: bigint; account: string; amount: bigint };

/** A roster in the StandardMerkleTree format (leaf = keccak256(keccak256(abi.encode(index, account, amount))). */
export function buildRoster(leaves: Leaf[], trancheCount: bigint) {
  const tree = StandardMerkleTree.of(
    // Decimal strings: the tree file (tree.dump()) is JSON, as the roster file published for auditors is.
    leaves.map((l) => [l.index.toString(), l.account, l.amount.toString()]),
    ["uint256", "address", "uint256"],
  );
  const rosterTotal = leaves.reduce((sum, l) => sum + l.amount, 0n) * trancheCount;
  return {
    tree,
    leaves,
    root: tree.root,
    rosterTotal,
    leafCount: leaves.length,
    proof: (i: number) => tree.getProof(i),
    uri: "ipfs://bafy-roster-file",
    contentHash: ethers.id(JSON.stringify(tree.dump())),
  };
}
export type Roster = ReturnType<typeof buildRoster>;

/** Six leaves: the two test households (1 and 2 units) and four strangers. */
export function defaultLeaves(p: RosterProtocol, unit = ethers.parseEther("1")): Leaf[] {
  const strangers = [1, 2, 3, 4].map((i) => ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0xa11ce00 + i), 20)));
  return [
    { index: 0n, account: p.households[0].address, amount: unit },
    { index: 1n, account: p.households[1].address, amount: 2n * unit },
    ...strangers.map((account, i) => ({ index: BigInt(i + 2), account, amount: unit })),
  ];
}

async function domainOf(programme: AidRosterProgramme) {
  const d = await programme.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/**
 * ethers wants mutable field lists; the shapes live in lib/roster/typed-data.ts: RootApproval(Roster roster,
 * uint256 deadline) (test/roster/Factory.ts checks the hash).
 */
export const ROOT_APPROVAL_TYPES = {
  RootApproval: [...ROOT_APPROVAL_SHAPE.RootApproval],
  Roster: [...ROOT_APPROVAL_SHAPE.Roster],
};
export const CLAIM_TYPES = { RosterClaim: [...CLAIM_SHAPE.RosterClaim] };
/** The LeafChange struct k officials sign (IAidRosterProgramme.requestLeafChange), from lib/roster/typed-data.ts. */
export const LEAF_CHANGE_TYPES = { LeafChange: [...LEAF_CHANGE_SHAPE.LeafChange] };
/** Mirrors LeafChangeKind in AidRosterTypes.sol. */
export const Kind = { Rebind: 0, Exit: 1, Exclude: 2 } as const;
/** Mirrors LeafChangeStatus in AidRosterTypes.sol. */
export const ChangeStatus = { None: 0n, Pending: 1n, Objected: 2n } as const;

export type Approval = { root: string; version: bigint; leafCount: bigint; rosterTotal: bigint; contentHash: string };

/** The approval the programme's current roster needs. */
export async function currentApproval(programme: AidRosterProgramme): Promise<Approval> {
  const r = await programme.roster();
  return { root: r.root, version: r.version, leafCount: r.leafCount, rosterTotal: r.rosterTotal, contentHash: r.contentHash };
}

export async function signApproval(signer: Signer, programme: AidRosterProgramme, approval: Approval, deadline: bigint) {
  return signer.signTypedData(await domainOf(programme), ROOT_APPROVAL_TYPES, { roster: approval, deadline });
}

/** Signatures of `signers` (kept in the given order) over the programme's current roster, valid until `deadline`. */
export async function approvals(
  programme: AidRosterProgramme,
  signers: (Signer & { address: string })[],
  deadline?: bigint,
) {
  const approval = await currentApproval(programme);
  const until = deadline ?? (await now()) + 30n * DAY;
  const signatures = await Promise.all(signers.map((s) => signApproval(s, programme, approval, until)));
  return { addresses: signers.map((s) => s.address), signatures, deadline: until };
}

export { domainOf };

export type ClaimMessage = { index: bigint; tranche: bigint; account: string; amount: bigint; nonce: bigint; deadline: bigint };

export async function signClaim(signer: Signer, programme: AidRosterProgramme, message: ClaimMessage) {
  return signer.signTypedData(await domainOf(programme), CLAIM_TYPES, message);
}

/** A signed claim request for leaf `i` of `roster`, signed by `signer` (the leaf's account unless overridden). */
export async function signedClaim(
  programme: AidRosterProgramme,
  roster: Roster,
  i: number,
  tranche: bigint,
  signer: Signer,
  overrides: Partial<ClaimMessage> = {},
) {
  const leaf = roster.leaves[i];
  const message: ClaimMessage = {
    index: leaf.index,
    tranche,
    account: leaf.account,
    amount: leaf.amount,
    nonce: 0n,
    deadline: (await now()) + DAY,
    ...overrides,
  };
  const signature = await signClaim(signer, programme, message);
  return { ...message, proof: roster.proof(i), signature };
}

/** Funds the programme with `amount` from donor 0 (ETH, or the stablecoin minted to the donor). */
export async function fundProgramme(p: RosterProtocol, programme: AidRosterProgramme, terms: ProgrammeTerms, amount: bigint, donor = 0) {
  const from = p.donors[donor];
  if (terms.token === ethers.ZeroAddress) {
    await programme.connect(from).donate({ value: amount });
  } else {
    await p.stablecoin.mint(from.address, amount);
    await p.stablecoin.connect(from).approve(await programme.getAddress(), amount);
    await programme.connect(from).donateToken(amount);
  }
}

export async function publish(programme: AidRosterProgramme, manager: Signer, roster: Roster) {
  return programme.connect(manager).publishRoster(roster.root, roster.leafCount, roster.rosterTotal, roster.uri, roster.contentHash);
}

/** Approves the current roster with the first k officials at an exact time; returns claimsOpenAt. */
export async function approveNow(p: RosterProtocol, programme: AidRosterProgramme, terms: ProgrammeTerms) {
  const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, terms.threshold));
  const at = (await now()) + 1n;
  await networkHelpers.time.setNextBlockTimestamp(at);
  await programme.connect(p.outsider).approveRoot(addresses, signatures, deadline);
  return at + BigInt(terms.publicityWindow);
}

/** A funded programme with the default roster published and approved. */
export async function readyProgramme(p: RosterProtocol, overrides: Partial<ProgrammeTerms> = {}, leaves?: Leaf[]) {
  const { programme, terms, address } = await createProgramme(p, overrides);
  const trancheCount = BigInt(terms.trancheUnlockTimes.length);
  const unit = terms.token === ethers.ZeroAddress ? ethers.parseEther("1") : 50_000_000n;
  const roster = buildRoster(leaves ?? defaultLeaves(p, unit), trancheCount);
  await fundProgramme(p, programme, terms, roster.rosterTotal);
  await publish(programme, p.manager, roster);
  const claimsOpenAt = await approveNow(p, programme, terms);
  return { programme, terms, address, roster, claimsOpenAt, trancheCount };
}

/** Moves to the later of the window end and tranche `t`'s unlock (the next block runs at that time). */
export async function openTranche(terms: ProgrammeTerms, claimsOpenAt: bigint, t: number) {
  const at = terms.trancheUnlockTimes[t] > claimsOpenAt ? terms.trancheUnlockTimes[t] : claimsOpenAt;
  await networkHelpers.time.increaseTo(at);
  return at;
}

/**
 * TEST/BENCH-ONLY: a roster whose proofs are `depth` long without building 2**depth leaves. The real
 * StandardMerkleTree (a power-of-two number of leaves, so every proof has the same length) is extended
 * upwards with fixed pseudo-random siblings, hashed as sorted pairs like OpenZeppelin's MerkleProof.
 * The result is exactly what a proof in a 2**depth-leaf tree looks like to the contract.
 */
export function deepRoster(leaves: Leaf[], trancheCount: bigint, depth: number) {
  const base = buildRoster(leaves, trancheCount);
  const own = base.proof(0).length;
  if (leaves.length & (leaves.length - 1)) throw new Error("deepRoster needs a power-of-two number of leaves");
  const extension = Array.from({ length: depth - own }, (_, i) => ethers.id(`sibling-${i}`));
  let root = base.root;
  for (const sibling of extension) {
    const [a, b] = BigInt(root) < BigInt(sibling) ? [root, sibling] : [sibling, root];
    root = ethers.keccak256(ethers.concat([a, b]));
  }
  return { ...base, root, proof: (i: number) => [...base.proof(i), ...extension] };
}

// ---------------------------------------------------------------- leaf changes (issue 12 #5)

export type LeafChangeMessage = {
  kind: number;
  newAccount: string;
  reasonHash: string;
  deadline?: bigint;
};

/**
 * The request and the signatures of `signers` (ascending) for a change of leaf `i` of `roster`, the programme's
 * current roster; the nonce is the leaf's record's changes count.
 */
export async function leafChange(
  programme: AidRosterProgramme,
  roster: Roster,
  i: number,
  change: LeafChangeMessage,
  signers: (Signer & { address: string })[],
  overrides: { nonce?: bigint; version?: bigint } = {},
) {
  const leaf = roster.leaves[i];
  const deadline = change.deadline ?? (await now()) + DAY;
  const message = {
    version: overrides.version ?? (await programme.roster()).version,
    index: leaf.index,
    kind: change.kind,
    newAccount: change.newAccount,
    reasonHash: change.reasonHash,
    nonce: overrides.nonce ?? (await programme.leafRecord(leaf.index)).changes,
    deadline,
  };
  const domain = await domainOf(programme);
  const signatures = await Promise.all(signers.map((s) => s.signTypedData(domain, LEAF_CHANGE_TYPES, message)));
  const request = {
    index: leaf.index,
    account: leaf.account,
    amount: leaf.amount,
    proof: roster.proof(i),
    kind: change.kind,
    newAccount: change.newAccount,
    reasonHash: change.reasonHash,
    deadline,
  };
  return { request, officials: signers.map((s) => s.address), signatures };
}
