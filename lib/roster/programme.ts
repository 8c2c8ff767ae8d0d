/**
 * Roster programmes (issue 5), read from the chain: the factory's list, one programme's terms, money,
 * current roster, approval and window, objections and claims (rebuilt from its events), and the state
 * of each tranche of one leaf. Browser-safe (viem only): the pages call it on the server for the first
 * paint, the claim island calls it in the browser after a claim.
 */
import { decodeEventLog, encodeAbiParameters, keccak256, type Address, type Client, type Hex } from "viem";
import { getBlock, getLogs } from "viem/actions";
import { aidRosterFactoryAbi, aidRosterProgrammeAbi } from "../generated/contracts.ts";
import { verifyProof } from "./tree.ts";
import { fromHex } from "./bytes.ts";
import type { Keccak256 } from "./keccak.ts";
import type { ProofRecord } from "./files.ts";
import type { WebDeployment } from "../chain/deployments.ts";
import { LOG_CHUNK } from "../escrow/events.ts";
import { readView } from "../chain/client.ts";
import { PROJECT_STATUSES, type ProjectStatusName } from "../escrow/status.ts";

export const OBJECTION_STATUSES = ["None", "Pending", "Upheld"] as const;
export type ObjectionStatusName = (typeof OBJECTION_STATUSES)[number];

export interface ProgrammeSummary {
  id: number;
  address: Address;
  token: Address;
  category: Hex;
  region: Hex;
  metadataURI: string;
  status: ProjectStatusName;
  raised: bigint;
  held: bigint;
  rosterTotal: bigint;
  leafCount: number;
  version: number;
  claimsOpenAt: number;
}

export interface RosterObjection {
  version: number;
  index: bigint;
  objector: Address;
  reasonHash: Hex;
  at: number;
  transactionHash: Hex;
  ruling?: { upheld: boolean; reviewer: Address; releasedAmount: bigint; at: number };
}

export interface RosterClaimEvent {
  account: Address;
  index: bigint;
  tranche: number;
  amount: bigint;
  at: number;
  transactionHash: Hex;
}

export interface ProgrammeDetail extends ProgrammeSummary {
  manager: Address;
  paused: boolean;
  trancheUnlockTimes: number[];
  fundingDeadline: number;
  claimDeadline: number;
  publicityWindow: number;
  threshold: number;
  root: Hex;
  uri: string;
  contentHash: Hex;
  refunded: bigint;
  donors: number;
  /** The officials who approved the current version (empty until approved). */
  approvedBy: Address[];
  approvedAt?: number;
  /** Every publication, oldest first (a republished roster voids the earlier approval and objections). */
  publications: { version: number; root: Hex; leafCount: number; at: number }[];
  objections: RosterObjection[];
  claims: RosterClaimEvent[];
  claimedTotal: bigint;
  /** CancellationApproved events, oldest first: the manager's and a reviewer's halves. */
  cancellationApprovals: CancellationApproval[];
  cancelledAt?: number;
  /** Chain time of the block everything was read at. */
  now: number;
  blockNumber: bigint;
}

export interface CancellationApproval {
  approver: Address;
  asReviewer: boolean;
  at: number;
  transactionHash: Hex;
}

/** Where the programme's roster stands right now (chain time). */
export type RosterPhase = "NoRoster" | "AwaitingApproval" | "PublicityWindow" | "ClaimsOpen" | "ClaimsClosed";

export function rosterPhase(p: Pick<ProgrammeSummary, "version" | "claimsOpenAt" | "status"> & { claimDeadline?: number }, now: number): RosterPhase {
  if (p.version === 0) return "NoRoster";
  if (p.status === "Cancelled" || p.status === "Closed" || (p.claimDeadline !== undefined && now >= p.claimDeadline)) return "ClaimsClosed";
  if (p.claimsOpenAt === 0) return "AwaitingApproval";
  return now < p.claimsOpenAt ? "PublicityWindow" : "ClaimsOpen";
}

export async function isListedProgramme(client: Client, d: WebDeployment, programme: Address): Promise<boolean> {
  if (!d.rosterFactory) return false;
  return readView(client, { address: d.rosterFactory, abi: aidRosterFactoryAbi, functionName: "isProgramme", args: [programme] });
}

type ProgrammeViews = [
  Awaited<ReturnType<typeof readView<typeof aidRosterProgrammeAbi, "terms">>>,
  Awaited<ReturnType<typeof readView<typeof aidRosterProgrammeAbi, "roster">>>,
  Awaited<ReturnType<typeof readView<typeof aidRosterProgrammeAbi, "ledger">>>,
  Awaited<ReturnType<typeof readView<typeof aidRosterProgrammeAbi, "status">>>,
];

/** terms(), roster(), ledger() and status() at one block (latest when none is given). */
function readViews(client: Client, address: Address, blockNumber?: bigint): Promise<ProgrammeViews> {
  return Promise.all([
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "terms", blockNumber }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "roster", blockNumber }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "ledger", blockNumber }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "status", blockNumber }),
  ]);
}

function summaryFrom(id: number, address: Address, [terms, roster, ledger, status]: ProgrammeViews): ProgrammeSummary {
  return {
    id,
    address,
    token: terms.token,
    category: terms.category,
    region: terms.region,
    metadataURI: terms.metadataURI,
    status: PROJECT_STATUSES[Number(status)] ?? "None",
    raised: ledger.raised,
    held: ledger.held,
    rosterTotal: ledger.rosterTotal,
    leafCount: Number(roster.leafCount),
    version: Number(roster.version),
    claimsOpenAt: Number(roster.claimsOpenAt),
  };
}

/** Every programme the factory lists, newest first (all reads go out in one JSON-RPC batch). */
export async function listProgrammes(client: Client, d: WebDeployment): Promise<ProgrammeSummary[]> {
  if (!d.rosterFactory) return [];
  const count = Number(await readView(client, { address: d.rosterFactory, abi: aidRosterFactoryAbi, functionName: "programmeCount" }));
  const ids = Array.from({ length: count }, (_, i) => count - i);
  const addresses = await Promise.all(ids.map((id) => readView(client, { address: d.rosterFactory!, abi: aidRosterFactoryAbi, functionName: "programmeAt", args: [BigInt(id)] })));
  return Promise.all(ids.map(async (id, i) => summaryFrom(id, addresses[i], await readViews(client, addresses[i]))));
}

/** One listed programme in full; undefined when the factory does not list the address. */
export async function readProgramme(client: Client, d: WebDeployment, address: Address): Promise<ProgrammeDetail | undefined> {
  if (!(await isListedProgramme(client, d, address))) return undefined;
  const block = await getBlock(client);
  const [views, paused, manager] = await Promise.all([
    readViews(client, address, block.number),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "paused", blockNumber: block.number }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "manager", blockNumber: block.number }),
  ]);
  const [terms, roster, ledger] = views;
  const events = await programmeEvents(client, address, d.rosterFactoryBlock ?? d.deploymentBlock, block.number);
  const version = Number(roster.version);
  const publications: ProgrammeDetail["publications"] = [];
  const objections: RosterObjection[] = [];
  const claims: RosterClaimEvent[] = [];
  const cancellationApprovals: CancellationApproval[] = [];
  let approvedBy: Address[] = [];
  let approvedAt: number | undefined;
  let cancelledAt: number | undefined;
  for (const e of events) {
    const a = e.args;
    if (e.name === "RosterPublished") publications.push({ version: Number(a.version), root: a.root, leafCount: Number(a.leafCount), at: e.at });
    else if (e.name === "RootApproved" && Number(a.version) === version) {
      approvedBy = [...a.officials];
      approvedAt = e.at;
    } else if (e.name === "ObjectionRaised")
      objections.push({ version: Number(a.version), index: a.index, objector: a.objector, reasonHash: a.reasonHash, at: e.at, transactionHash: e.transactionHash });
    else if (e.name === "ObjectionRuled") {
      const o = objections.findLast((x) => x.version === Number(a.version) && x.index === a.index && !x.ruling);
      if (o) o.ruling = { upheld: a.upheld, reviewer: a.reviewer, releasedAmount: a.releasedAmount, at: e.at };
    } else if (e.name === "Claimed")
      claims.push({ account: a.account, index: a.index, tranche: Number(a.tranche), amount: a.amount, at: e.at, transactionHash: e.transactionHash });
    else if (e.name === "CancellationApproved") cancellationApprovals.push({ approver: a.approver, asReviewer: a.asReviewer, at: e.at, transactionHash: e.transactionHash });
    else if (e.name === "ProgrammeCancelled") cancelledAt = Number(a.cancelledAt);
  }
  return {
    ...summaryFrom(0, address, views),
    refunded: ledger.refunded,
    donors: Number(ledger.donors),
    manager,
    paused,
    trancheUnlockTimes: terms.trancheUnlockTimes.map(Number),
    fundingDeadline: Number(terms.fundingDeadline),
    claimDeadline: Number(terms.claimDeadline),
    publicityWindow: Number(terms.publicityWindow),
    threshold: Number(terms.threshold),
    root: roster.root,
    uri: roster.uri,
    contentHash: roster.contentHash,
    approvedBy,
    approvedAt,
    publications,
    objections,
    claims,
    claimedTotal: claims.reduce((sum, c) => sum + c.amount, 0n),
    cancellationApprovals,
    cancelledAt,
    now: Number(block.timestamp),
    blockNumber: block.number,
  };
}

interface ProgrammeEvent {
  name: string;
  args: Record<string, any>;
  at: number;
  transactionHash: Hex;
}

/** The programme's events in LOG_CHUNK-block ranges (public RPCs cap eth_getLogs), with block times. */
async function programmeEvents(client: Client, address: Address, fromBlock: bigint, toBlock: bigint): Promise<ProgrammeEvent[]> {
  const ranges: [bigint, bigint][] = [];
  for (let start = fromBlock; start <= toBlock; start += LOG_CHUNK) ranges.push([start, start + LOG_CHUNK - 1n < toBlock ? start + LOG_CHUNK - 1n : toBlock]);
  const logs = (await Promise.all(ranges.map(([from, to]) => getLogs(client, { address, fromBlock: from, toBlock: to })))).flat();
  logs.sort((a, b) => (a.blockNumber === b.blockNumber ? (a.logIndex ?? 0) - (b.logIndex ?? 0) : (a.blockNumber ?? 0n) < (b.blockNumber ?? 0n) ? -1 : 1));
  const blocks = [...new Set(logs.map((l) => l.blockNumber ?? 0n))];
  const stamps = new Map(await Promise.all(blocks.map((n) => getBlock(client, { blockNumber: n }).then((b) => [n, Number(b.timestamp)] as const))));
  const out: ProgrammeEvent[] = [];
  for (const log of logs) {
    try {
      const d = decodeEventLog({ abi: aidRosterProgrammeAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      out.push({ name: d.eventName, args: (d.args ?? {}) as Record<string, any>, at: stamps.get(log.blockNumber ?? 0n) ?? 0, transactionHash: log.transactionHash ?? "0x" });
    } catch {
      // not one of the programme's events
    }
  }
  return out;
}

/**
 * Whether the programme takes donations now, by the contract's rules (donate/donateToken: not paused,
 * status Funding), and if not, why: the page says so instead of offering a form that would revert.
 */
export type DonationGate = "open" | "paused" | "fundingEnded" | "cancelled" | "closed";

export function donationGate(p: { status: ProjectStatusName; paused: boolean }): DonationGate {
  if (p.status === "Cancelled") return "cancelled";
  if (p.status === "Closed") return "closed";
  if (p.status !== "Funding") return "fundingEnded";
  return p.paused ? "paused" : "open";
}

/** refund() is open once the programme is Cancelled or Closed (not paused-gated: a pause never traps donors). */
export const refundsOpen = (status: ProjectStatusName): boolean => status === "Cancelled" || status === "Closed";

/** approveCancellation() is accepted while the programme is live (Funding or Active). */
export const cancellable = (status: ProjectStatusName): boolean => status === "Funding" || status === "Active";

/**
 * In which capacity an account's approveCancellation() would count, mirroring the contract: the
 * programme's own manager (holding the registry's manager role) always approves as manager, so one person
 * never supplies both halves; anyone else with the reviewer role approves as reviewer; anyone else is
 * refused. `given`: that half has already been approved (by this account or, for the reviewer half,
 * by another reviewer), so the contract would refuse a second approval.
 */
export function cancellationStanding(o: {
  account: Address;
  manager: Address;
  hasManagerRole: boolean;
  hasReviewerRole: boolean;
  approvals: Pick<CancellationApproval, "asReviewer">[];
}): { as: "manager" | "reviewer" | "none"; given: boolean } {
  if (o.account.toLowerCase() === o.manager.toLowerCase() && o.hasManagerRole) return { as: "manager", given: o.approvals.some((a) => !a.asReviewer) };
  if (o.hasReviewerRole) return { as: "reviewer", given: o.approvals.some((a) => a.asReviewer) };
  return { as: "none", given: false };
}

/** What one tranche of one leaf is, by the contract's rules (chain time, half-open windows). */
export type TrancheState = "claimed" | "held" | "excluded" | "notOpen" | "locked" | "closed" | "paused" | "claimable";

export function trancheState(o: {
  now: number;
  unlockTime: number;
  claimsOpenAt: number;
  claimDeadline: number;
  cancelledAt?: number;
  paused: boolean;
  /** isSettled(index, tranche): paid, or held/excluded by an objection. */
  settled: boolean;
  objection: ObjectionStatusName;
}): TrancheState {
  if (o.objection === "Upheld") return "excluded";
  if (o.objection === "Pending") return "held";
  if (o.settled) return "claimed";
  if (o.cancelledAt !== undefined || o.now >= o.claimDeadline) return "closed";
  if (o.claimsOpenAt === 0 || o.now < o.claimsOpenAt) return "notOpen";
  if (o.now < o.unlockTime) return "locked";
  if (o.paused) return "paused";
  return "claimable";
}

/** keccak256 through viem, in the shape lib/roster's verifier takes (no WASM: the CSP allows none). */
const viemKeccak: Keccak256 = {
  hash: (input) => keccak256(input, "bytes"),
  hashInto: (input, out, offset) => out.set(keccak256(input, "bytes"), offset),
};

/** The StandardMerkleTree leaf of (index, account, amount): keccak256(keccak256(abi.encode(...))). */
export function rosterLeaf(index: bigint, account: Address, amount: bigint): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [index, account, amount])));
}

/**
 * Whether a record read from the published file proves its leaf under `root` (the on-chain root): the
 * file and the server it came through are not trusted, only this check is.
 */
export function proofMatchesRoot(record: ProofRecord, root: Hex): boolean {
  const leaf = fromHex(rosterLeaf(record.index, record.beneficiary as Address, record.amount), 32);
  const proof = new Uint8Array(32 * record.proof.length);
  record.proof.forEach((p, i) => proof.set(fromHex(p, 32), 32 * i));
  return verifyProof(leaf, proof, record.proof.length, fromHex(root.toLowerCase(), 32), viemKeccak);
}
