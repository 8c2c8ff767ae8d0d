/**
 * Roster programmes (issue 5), read from the chain: the factory's list, one programme's terms, money,
 * current roster, approval and window, objections and claims (its events folded by lib/books/roster.ts,
 * the audit's fold). Browser-safe (viem only): the pages call it on the server for the first
 * paint, the claim island calls it in the browser after a claim.
 */
import { zeroAddress, type Address, type Client, type Hex } from "viem";
import { getBlock } from "viem/actions";
import { aidRosterFactoryAbi } from "../generated/aidRosterFactory.ts";
import { aidRosterProgrammeAbi } from "../generated/aidRosterProgramme.ts";
import type { Deployment } from "../chain/deployments.ts";
import { readEvents } from "../chain/logs.ts";
import { BATCHED_BLOCK_READS, readView } from "../chain/client.ts";
import { PROJECT_STATUSES, type ProjectStatusName } from "../escrow/status.ts";
import { applyRosterEvent, newProgrammeBook, type RosterEvent } from "../books/roster.ts";

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
  /** Donations are taken until then (the contract's status is Funding before it). */
  fundingDeadline: number;
  claimDeadline: number;
}

/** An objection as the programme page shows it. */
export interface ProgrammeObjection {
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
  /** While paused: since when, and when the pause ends by itself at the latest (pauseClock(), MAX_PAUSE). */
  pause?: { since: number; lapsesAt: number };
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
  objections: ProgrammeObjection[];
  claims: RosterClaimEvent[];
  claimedTotal: bigint;
  /** CancellationApproved events, oldest first: the manager's and a reviewer's halves. */
  cancellationApprovals: CancellationApproval[];
  /**
   * The half in force (cancellationApproval()): given by one account, it waits for the other half from another
   * account until `expiresAt`; undefined when there is none (never given, withdrawn, expired, or its giver
   * lost the role it was given in).
   */
  cancellationHalf?: { approver: Address; asReviewer: boolean; expiresAt: number };
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
  /** When this half stopped counting unless the other came (0 when it completed the pair). */
  expiresAt: number;
  withdrawn: boolean;
}

export async function isListedProgramme(client: Client, d: Deployment, programme: Address): Promise<boolean> {
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
    fundingDeadline: Number(terms.fundingDeadline),
    claimDeadline: Number(terms.claimDeadline),
  };
}

/** Every programme the factory lists, newest first (all reads go out in one JSON-RPC batch). */
export async function listProgrammes(client: Client, d: Deployment): Promise<ProgrammeSummary[]> {
  if (!d.rosterFactory) return [];
  const count = Number(await readView(client, { address: d.rosterFactory, abi: aidRosterFactoryAbi, functionName: "programmeCount" }));
  const ids = Array.from({ length: count }, (_, i) => count - i);
  const addresses = await Promise.all(ids.map((id) => readView(client, { address: d.rosterFactory!, abi: aidRosterFactoryAbi, functionName: "programmeAt", args: [BigInt(id)] })));
  return Promise.all(ids.map(async (id, i) => summaryFrom(id, addresses[i], await readViews(client, addresses[i]))));
}

/** One listed programme in full; undefined when the factory does not list the address. */
export async function readProgramme(client: Client, d: Deployment, address: Address): Promise<ProgrammeDetail | undefined> {
  if (!(await isListedProgramme(client, d, address))) return undefined;
  const block = await getBlock(client);
  const [views, paused, manager, pauseClock, maxPause, half] = await Promise.all([
    readViews(client, address, block.number),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "paused", blockNumber: block.number }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "manager", blockNumber: block.number }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "pauseClock", blockNumber: block.number }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "MAX_PAUSE", blockNumber: block.number }),
    readView(client, { address, abi: aidRosterProgrammeAbi, functionName: "cancellationApproval", blockNumber: block.number }),
  ]);
  const [terms, roster, ledger] = views;
  const events = await programmeEvents(client, address, BigInt(d.rosterFactoryBlock ?? d.deploymentBlock), block.number);
  // The same fold as the audit's (lib/books/roster.ts), over this programme's own events; the book
  // starts from the programme's views instead of the factory's ProgrammeCreated.
  const book = newProgrammeBook({ programme: address, id: 0, manager, terms, createdAt: { blockNumber: 0, timestamp: 0 } });
  const paid = new Map<string, number>();
  for (const e of events) applyRosterEvent(book, e, paid);
  const version = Number(roster.version);
  const current = book.versions.find((v) => v.version === version);
  const publications: ProgrammeDetail["publications"] = book.versions.map((v) => ({ version: v.version, root: v.root as Hex, leafCount: v.leafCount, at: v.publishedAt.timestamp }));
  const objections: ProgrammeObjection[] = book.objections.map((o) => ({
    version: o.version,
    index: o.index,
    objector: o.objector as Address,
    reasonHash: o.reasonHash as Hex,
    at: o.timestamp,
    transactionHash: o.transactionHash as Hex,
    ...(o.ruling && { ruling: { upheld: o.ruling.upheld, reviewer: o.ruling.reviewer as Address, releasedAmount: o.ruling.releasedAmount, at: o.ruling.timestamp } }),
  }));
  const claims: RosterClaimEvent[] = book.claims.map((c) => ({ account: c.account as Address, index: c.index, tranche: c.tranche, amount: c.amount, at: c.timestamp, transactionHash: c.transactionHash as Hex }));
  const cancellationApprovals: CancellationApproval[] = book.cancellation.approvals.map((x) => ({
    approver: x.approver as Address,
    asReviewer: x.asReviewer,
    at: x.timestamp,
    transactionHash: x.transactionHash as Hex,
    expiresAt: x.expiresAt,
    withdrawn: x.withdrawn ?? false,
  }));
  // Its expiry is the one its CancellationApproved event announced (the contract's lifetime, said once there).
  const given = half.approver === zeroAddress ? undefined : cancellationApprovals.findLast((x) => x.approver.toLowerCase() === half.approver.toLowerCase() && x.expiresAt > 0);
  const cancellationHalf = given && { approver: half.approver, asReviewer: half.asReviewer, expiresAt: given.expiresAt };
  const pause = paused && Number(pauseClock.pausedAt) > 0 ? { since: Number(pauseClock.pausedAt), lapsesAt: Number(pauseClock.pausedAt) + Number(maxPause) } : undefined;
  const approvedBy = (current?.approval?.officials ?? []) as Address[];
  const approvedAt = current?.approval?.timestamp;
  const cancelledAt = book.cancellation.cancelledAt;
  return {
    ...summaryFrom(0, address, views),
    refunded: ledger.refunded,
    donors: Number(ledger.donors),
    manager,
    paused,
    ...(pause && { pause }),
    trancheUnlockTimes: terms.trancheUnlockTimes.map(Number),
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
    claimedTotal: book.claimed,
    cancellationApprovals,
    ...(cancellationHalf && { cancellationHalf }),
    cancelledAt,
    now: Number(block.timestamp),
    blockNumber: block.number,
  };
}

/** The programme's events, through the one log reader (lib/chain/logs.ts), with block times. */
async function programmeEvents(client: Client, address: Address, fromBlock: bigint, toBlock: bigint): Promise<RosterEvent[]> {
  const { events } = await readEvents(client, { sources: [{ address, abi: aidRosterProgrammeAbi, contract: "AidRosterProgramme" }], fromBlock, toBlock, timestamps: true, timestampConcurrency: BATCHED_BLOCK_READS });
  return events.map((e) => ({ ...e, address, blockNumber: Number(e.blockNumber), timestamp: e.timestamp ?? 0 }));
}
