/**
 * The books of roster programmes, rebuilt from events alone: one pure fold shared by the audit CLI
 * (events decoded with ethers) and the dApp (events decoded with viem). Its input is plain data: event
 * arguments may be bigints or decimal strings, addresses in any case, so both decoders and a JSON event
 * file feed it unchanged. Everything the fold cannot learn from events (the programme's balance at the
 * audited block, its own ledger view, the published roster files) is passed in by the caller.
 *
 * Conservation (docs/DECISIONS-roster.md, "The programme's balance is its money"):
 *   raised (+ surplus) = claimed + refunded + held,   held = the programme's actual balance,
 * where claimed is the sum of Claimed events and the surplus is money that reached the programme outside
 * donations (forced ETH, stray tokens): it may only ever be positive.
 */
import type { RosterFileCheck } from "../roster/audit-files.ts";
import { RAW_DESCRIBE, type Describe } from "./describe.ts";
import { projectStatusAt } from "../escrow/status.ts";

/** One decoded event of the roster factory or of a programme. */
export interface RosterEvent {
  /** The emitting contract: the factory (ProgrammeCreated) or a programme. */
  address: string;
  name: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** The block's timestamp (seconds): claims and refunds are checked against windows in chain time. */
  timestamp: number;
  /** Arguments by name: integers as bigint, number or decimal string; tuples as objects. */
  args: Record<string, any>;
}

export type Severity = "critical" | "warning";

export type RosterAnomalyKind =
  | "not-conserved"
  | "overdrawn"
  | "surplus"
  | "view-mismatch"
  | "over-commitment"
  | "root-replaced-after-open"
  | "claim-over-roster-total"
  | "double-claim"
  | "claim-across-versions"
  | "claim-outside-window"
  | "claim-of-held-leaf"
  | "claim-of-excluded-leaf"
  | "claim-not-a-leaf"
  | "refund-before-open"
  | "refund-above-contribution"
  | "content-hash-mismatch"
  | "roster-file-mismatch"
  | "unknown-programme"
  | "programme-count-mismatch";

export interface RosterAnomaly {
  kind: RosterAnomalyKind;
  severity: Severity;
  programme: string;
  version?: number;
  index?: string;
  tranche?: number;
  blockNumber?: number;
  message: string;
}

export interface RosterClaim {
  version: number;
  index: bigint;
  tranche: number;
  account: string;
  amount: bigint;
  blockNumber: number;
  timestamp: number;
  transactionHash: string;
}

export interface RosterObjection {
  version: number;
  index: bigint;
  objector: string;
  reasonHash: string;
  blockNumber: number;
  timestamp: number;
  transactionHash: string;
  ruling?: { upheld: boolean; reviewer: string; releasedAmount: bigint; blockNumber: number; timestamp: number };
}

/** One half of a cancellation: the manager's or a reviewer's approveCancellation(). */
export interface RosterCancellationApproval {
  approver: string;
  asReviewer: boolean;
  /** When a first half stops counting unless the other half comes (0: this approval completed the pair). */
  expiresAt: number;
  /** Its approver withdrew it (CancellationWithdrawn). */
  withdrawn?: boolean;
  blockNumber: number;
  timestamp: number;
  transactionHash: string;
}

/**
 * A change of one leaf after claims opened (docs/DECISIONS.md E16), signed by k officials: a lost phone's
 * re-bind to `newAccount`, or an exit or exclusion withholding `withheldAmount` from the roster total.
 */
export interface RosterLeafChange {
  version: number;
  index: bigint;
  kind: "Rebind" | "Exit" | "Exclude";
  newAccount: string;
  officials: string[];
  reasonHash: string;
  effectiveAt: number;
  withheldAmount: bigint;
  objections: { objector: string; reasonHash: string; blockNumber: number }[];
  /** Upheld: the change is void (and `restoredAmount` went back into the roster total). */
  ruling?: { upheld: boolean; reviewer: string; restoredAmount: bigint; blockNumber: number };
  blockNumber: number;
  timestamp: number;
  transactionHash: string;
}

/** Leaf membership and file checks of one roster version. */
export interface RosterFileVerdict {
  status: "checked" | "not checked";
  /** Why not, or where the file came from. */
  detail: string;
  contentHashMatches?: boolean;
  claimsChecked?: number;
  claimsNotLeaves?: number;
}

export interface RosterVersionBook {
  version: number;
  root: string;
  leafCount: number;
  /** As published (and signed by the officials). */
  rosterTotal: bigint;
  /** After upheld objections released their leaves' amounts. */
  rosterTotalNow: bigint;
  uri: string;
  contentHash: string;
  publishedAt: { blockNumber: number; timestamp: number };
  approval?: { officials: string[]; claimsOpenAt: number; blockNumber: number; timestamp: number };
  claims: number;
  claimed: bigint;
  upheldIndexes: string[];
  file: RosterFileVerdict;
}

export interface RosterProgrammeBook {
  programme: string;
  id: string;
  manager: string;
  token: string;
  category: string;
  region: string;
  metadataURI: string;
  trancheUnlockTimes: number[];
  fundingDeadline: number;
  claimDeadline: number;
  publicityWindow: number;
  threshold: number;
  createdAt: { blockNumber: number; timestamp: number };
  raised: bigint;
  claimed: bigint;
  refunded: bigint;
  /** The programme's balance at the audited block (supplied), or raised - claimed - refunded without one. */
  held: bigint;
  /** raised - claimed - refunded: what the events say must still be held. */
  heldByEvents: bigint;
  /** held - heldByEvents when positive: money that arrived outside donations. */
  surplus: bigint;
  balanceChecked: boolean;
  donors: Record<string, { donated: bigint; refunded: bigint }>;
  versions: RosterVersionBook[];
  claims: RosterClaim[];
  skippedInBatches: number;
  objections: RosterObjection[];
  leafChanges: RosterLeafChange[];
  refunds: { donor: string; amount: bigint; blockNumber: number; timestamp: number }[];
  cancellation: { approvals: RosterCancellationApproval[]; cancelledAt?: number };
  /** Status at the audited time, by the contract's own rule. */
  status: "Funding" | "Active" | "Cancelled" | "Closed";
  anomalies: RosterAnomaly[];
  verdict: "balanced" | "unbalanced";
}

/** The programme's own ledger() view at the audited block, to compare with the events. */
export interface RosterLedgerView {
  raised: bigint | string;
  refunded: bigint | string;
  rosterTotal: bigint | string;
  donors: bigint | string | number;
}

export interface RosterBooksContext {
  /** Programmes listed by the factory (ProgrammeCreated); events of any other address are ignored. */
  factory?: string;
  /**
   * The factory's programmeCount() at the audited block: a reading that leaves out a programme's
   * ProgrammeCreated event would otherwise drop the whole programme from the books unnoticed.
   */
  programmeCount?: number;
  /** The audited block's timestamp: statuses are derived at this time. */
  auditedAt: number;
  /** Each programme's balance of its token at the audited block (lowercase or checksummed keys). */
  balances?: Record<string, bigint | string>;
  views?: Record<string, RosterLedgerView>;
  /** The published roster file of (programme, version), opened by the caller; see rosterFileKey. */
  files?: Record<string, RosterFileCheck | { unavailable: string }>;
  /** How anomaly messages name amounts and times (default: base units and Unix seconds). */
  describe?: Describe;
}

export interface RosterBooks {
  programmes: RosterProgrammeBook[];
  anomalies: RosterAnomaly[];
  critical: number;
  verdict: "balanced" | "unbalanced";
  eventCount: number;
}

export const rosterFileKey = (programme: string, version: number) => `${programme.toLowerCase()}#${version}`;

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as string | number));
const num = (v: unknown): number => Number(v);
const lc = (a: string) => a.toLowerCase();
const lookup = <T>(record: Record<string, T> | undefined, address: string): T | undefined => {
  if (!record) return undefined;
  if (address in record) return record[address];
  const want = lc(address);
  for (const [k, v] of Object.entries(record)) if (lc(k) === want) return v;
  return undefined;
};

/** LeafChangeKind in AidRosterTypes.sol (lib/roster/typed-data.ts LEAF_CHANGE_KINDS). */
const LEAF_CHANGE_KIND_NAMES = ["Rebind", "Exit", "Exclude"] as const;

/** The latest change of (version, index) not yet ruled upheld-or-dismissed on its last objection. */
function pendingLeafChange(p: RosterProgrammeBook, version: number, index: bigint): RosterLeafChange | undefined {
  return [...p.leafChanges].reverse().find((c) => c.version === version && c.index === index);
}

/**
 * Whether `account` is a successor the officials named for (version, index) before block `blockNumber`: a
 * re-bind requested by then and not voided by an upheld objection. (When it may be paid, after its delay and
 * any ruling, is the contract's to enforce; the audit checks whom the leaf's money may go to.)
 */
export function isLeafSuccessor(p: RosterProgrammeBook, version: number, index: bigint, account: string, blockNumber: number): boolean {
  return p.leafChanges.some(
    (c) => c.version === version && c.index === index && c.kind === "Rebind" && lc(c.newAccount) === lc(account) && c.blockNumber <= blockNumber && !c.ruling?.upheld,
  );
}

/**
 * Folds events (in any order: they are sorted by block and log index first) into per-programme books
 * and anomalies. Pure: the same events and context always give the same books.
 */
export function buildRosterBooks(input: readonly RosterEvent[], context: RosterBooksContext): RosterBooks {
  const events = [...input].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  const d = context.describe ?? RAW_DESCRIBE;
  const books = new Map<string, RosterProgrammeBook>();
  const anomalies: RosterAnomaly[] = [];
  const unknown = new Set<string>();
  /** (version, index, tranche) and (index, tranche) of every payment, per programme. */
  const paid = new Map<string, Map<string, number>>();

  for (const e of events) {
    const a = e.args;
    if (e.name === "ProgrammeCreated") {
      if (context.factory && lc(e.address) !== lc(context.factory)) continue;
      const programme = String(a.programme);
      books.set(lc(programme), newProgrammeBook({ programme, id: a.id, manager: a.manager, terms: a.terms, createdAt: { blockNumber: e.blockNumber, timestamp: e.timestamp } }));
      paid.set(lc(programme), new Map());
      continue;
    }
    const p = books.get(lc(e.address));
    if (!p) {
      unknown.add(e.address);
      continue;
    }
    applyRosterEvent(p, e, paid.get(lc(p.programme))!, d);
  }

  for (const p of books.values()) {
    const flag = (anomaly: Omit<RosterAnomaly, "programme">) => p.anomalies.push({ programme: p.programme, ...anomaly });
    const $ = (v: bigint) => d.amount(p.token, v);
    const cancelledAt = p.cancellation.cancelledAt;
    // AidRosterProgramme._status is the escrow's rule: one function decides both (lib/escrow/status.ts).
    p.status = projectStatusAt({ cancelled: cancelledAt !== undefined && cancelledAt <= context.auditedAt, fundingDeadline: p.fundingDeadline, claimDeadline: p.claimDeadline }, context.auditedAt);
    p.heldByEvents = p.raised - p.claimed - p.refunded;
    if (p.claimed + p.refunded > p.raised) {
      flag({ kind: "overdrawn", severity: "critical", message: `Paid out ${$(p.claimed)} in claims and ${$(p.refunded)} in refunds but raised only ${$(p.raised)}.` });
    }
    const balance = lookup(context.balances, p.programme);
    if (balance === undefined) {
      p.held = p.heldByEvents;
    } else {
      p.balanceChecked = true;
      p.held = big(balance);
      if (p.held < p.heldByEvents) {
        flag({
          kind: "not-conserved",
          severity: "critical",
          message: `The programme holds ${$(p.held)}, but raised ${$(p.raised)} - claimed ${$(p.claimed)} - refunded ${$(p.refunded)} = ${$(p.heldByEvents)}.`,
        });
      } else if (p.held > p.heldByEvents) {
        p.surplus = p.held - p.heldByEvents;
        flag({ kind: "surplus", severity: "warning", message: `The programme holds ${$(p.surplus)} more than its events account for (money sent outside donations).` });
      }
    }
    const view = lookup(context.views, p.programme);
    if (view) {
      const current = p.versions.at(-1);
      const expected: [string, bigint, bigint][] = [
        ["raised", p.raised, big(view.raised)],
        ["refunded", p.refunded, big(view.refunded)],
        ["rosterTotal", current?.rosterTotalNow ?? 0n, big(view.rosterTotal)],
        ["donors", BigInt(Object.keys(p.donors).length), big(view.donors)],
      ];
      for (const [field, events, onChain] of expected) {
        if (events !== onChain) flag({ kind: "view-mismatch", severity: "critical", message: `${field}: events say ${events}, the programme says ${onChain}.` });
      }
    }
    for (const v of p.versions) checkRosterFile(p, v, lookup(context.files, rosterFileKey(p.programme, v.version)), flag);
    anomalies.push(...p.anomalies);
    const critical = p.anomalies.some((x) => x.severity === "critical");
    p.verdict = p.balanceChecked && !critical ? "balanced" : "unbalanced";
  }
  for (const address of unknown) {
    anomalies.push({ kind: "unknown-programme", severity: "warning", programme: address, message: `Events of ${address}, which the factory never created, were ignored.` });
  }
  const programmes = [...books.values()];
  if (context.programmeCount !== undefined && context.programmeCount !== programmes.length) {
    anomalies.push({
      kind: "programme-count-mismatch",
      severity: "critical",
      programme: context.factory ?? "",
      message: `The events name ${programmes.length} programme(s), the factory says it created ${context.programmeCount}.`,
    });
  }
  const critical = anomalies.filter((x) => x.severity === "critical").length;
  return {
    programmes,
    anomalies,
    critical,
    verdict: critical === 0 && programmes.every((p) => p.verdict === "balanced") ? "balanced" : "unbalanced",
    eventCount: events.length,
  };
}

function checkRosterFile(
  p: RosterProgrammeBook,
  v: RosterVersionBook,
  file: RosterFileCheck | { unavailable: string } | undefined,
  flag: (anomaly: Omit<RosterAnomaly, "programme">) => void,
) {
  if (!file) return;
  if ("unavailable" in file) {
    v.file = { status: "not checked", detail: file.unavailable };
    return;
  }
  const contentHashMatches = lc(file.sha256) === lc(v.contentHash);
  if (!contentHashMatches) {
    flag({
      kind: "content-hash-mismatch",
      severity: "critical",
      version: v.version,
      message: `Roster v${v.version}'s file ${file.source} hashes to ${file.sha256}, not the published content hash ${v.contentHash}.`,
    });
  }
  const problems: string[] = [];
  if (file.problem) problems.push(file.problem);
  if (lc(file.root) !== lc(v.root)) problems.push(`its root is ${file.root}, the published root ${v.root}`);
  if (file.leafCount !== v.leafCount) problems.push(`it has ${file.leafCount} leaves, the published count is ${v.leafCount}`);
  const trancheCount = BigInt(p.trancheUnlockTimes.length);
  if (!file.problem && file.amountPerTrancheTotal * trancheCount !== v.rosterTotal) {
    problems.push(`its amounts x ${trancheCount} tranche(s) make ${file.amountPerTrancheTotal * trancheCount}, the published roster total is ${v.rosterTotal}`);
  }
  for (const problem of problems) {
    flag({ kind: "roster-file-mismatch", severity: "critical", version: v.version, message: `Roster v${v.version}'s file ${file.source}: ${problem}.` });
  }
  // Membership is only meaningful against a file whose tree is intact and is the published root.
  if (file.problem || lc(file.root) !== lc(v.root)) {
    v.file = { status: "not checked", detail: `${file.source} is not the published tree`, contentHashMatches };
    return;
  }
  let notLeaves = 0;
  const claims = p.claims.filter((c) => c.version === v.version);
  for (const c of claims) {
    if (file.isLeaf(c.index, c.account, c.amount)) continue;
    // A lost phone's successor is paid the leaf's tranches: the leaf is the original account's.
    const original = file.leafAt(c.index);
    if (original && isLeafSuccessor(p, v.version, c.index, c.account, c.blockNumber) && file.isLeaf(c.index, original.account, c.amount)) continue;
    notLeaves++;
    flag({
      kind: "claim-not-a-leaf",
      severity: "critical",
      version: v.version,
      index: c.index.toString(),
      tranche: c.tranche,
      blockNumber: c.blockNumber,
      message: `Claimed (index ${c.index}, ${c.account}, ${c.amount}) is not a leaf of roster v${v.version} (${file.source}).`,
    });
  }
  v.file = { status: "checked", detail: file.source, contentHashMatches, claimsChecked: claims.length, claimsNotLeaves: notLeaves };
}

/** A programme's empty book, from its creation (the factory's ProgrammeCreated, or the programme's own views). */
export function newProgrammeBook(o: {
  programme: string;
  id: unknown;
  manager: unknown;
  terms: Record<string, any>;
  createdAt: { blockNumber: number; timestamp: number };
}): RosterProgrammeBook {
  const t = o.terms;
  const programme = o.programme;
  const a = { id: o.id, manager: o.manager };
  const e = { blockNumber: o.createdAt.blockNumber, timestamp: o.createdAt.timestamp };
  return {
    programme,
    id: String(a.id),
    manager: String(a.manager),
    token: String(t.token),
    category: String(t.category),
    region: String(t.region),
    metadataURI: String(t.metadataURI),
    trancheUnlockTimes: Array.from(t.trancheUnlockTimes as unknown[], num),
    fundingDeadline: num(t.fundingDeadline),
    claimDeadline: num(t.claimDeadline),
    publicityWindow: num(t.publicityWindow),
    threshold: num(t.threshold),
    createdAt: { blockNumber: e.blockNumber, timestamp: e.timestamp },
    raised: 0n,
    claimed: 0n,
    refunded: 0n,
    held: 0n,
    heldByEvents: 0n,
    surplus: 0n,
    balanceChecked: false,
    donors: {},
    versions: [],
    claims: [],
    skippedInBatches: 0,
    objections: [],
    leafChanges: [],
    refunds: [],
    cancellation: { approvals: [] },
    status: "Funding",
    anomalies: [],
    verdict: "unbalanced",
  };
}

/**
 * Folds one of a programme's own events into its book, flagging what breaks the contract's rules.
 * `paid` remembers (version, index, tranche) and (index, tranche) of every payment of this programme.
 * The audit (buildRosterBooks) and the dApp's programme page (lib/roster/programme.ts) both fold with it.
 */
export function applyRosterEvent(p: RosterProgrammeBook, e: RosterEvent, paid: Map<string, number>, d: Describe = RAW_DESCRIBE): void {
  const a = e.args;
  const $ = (v: bigint) => d.amount(p.token, v);
  const flag = (anomaly: Omit<RosterAnomaly, "programme" | "blockNumber">) =>
    p.anomalies.push({ programme: p.programme, blockNumber: e.blockNumber, ...anomaly });
  const current = p.versions.at(-1);
  switch (e.name) {
    case "Donated": {
      p.raised += big(a.amount);
      const d = (p.donors[lc(a.donor)] ??= { donated: 0n, refunded: 0n });
      d.donated += big(a.amount);
      break;
    }
    case "RosterPublished": {
      const version = num(a.version);
      const rosterTotal = big(a.rosterTotal);
      if (rosterTotal > p.raised) {
        flag({ kind: "over-commitment", severity: "critical", version, message: `Roster v${version} commits ${$(rosterTotal)} but only ${$(p.raised)} was raised.` });
      }
      if (current?.approval && e.timestamp >= current.approval.claimsOpenAt) {
        flag({
          kind: "root-replaced-after-open",
          severity: "critical",
          version,
          message: `Roster v${version} replaced v${current.version} after its claims opened at ${d.time(current.approval.claimsOpenAt)} (block time ${d.time(e.timestamp)}).`,
        });
      }
      p.versions.push({
        version,
        root: String(a.root),
        leafCount: num(a.leafCount),
        rosterTotal,
        rosterTotalNow: rosterTotal,
        uri: String(a.uri),
        contentHash: String(a.contentHash),
        publishedAt: { blockNumber: e.blockNumber, timestamp: e.timestamp },
        claims: 0,
        claimed: 0n,
        upheldIndexes: [],
        file: { status: "not checked", detail: "no roster file was supplied" },
      });
      break;
    }
    case "RootApproved": {
      const v = p.versions.find((x) => x.version === num(a.version));
      if (v) {
        v.approval = {
          officials: Array.from(a.officials as unknown[], String),
          claimsOpenAt: num(a.claimsOpenAt),
          blockNumber: e.blockNumber,
          timestamp: e.timestamp,
        };
      }
      break;
    }
    case "ObjectionRaised":
      p.objections.push({
        version: num(a.version),
        index: big(a.index),
        objector: String(a.objector),
        reasonHash: String(a.reasonHash),
        blockNumber: e.blockNumber,
        timestamp: e.timestamp,
        transactionHash: e.transactionHash,
      });
      break;
    case "ObjectionRuled": {
      const version = num(a.version);
      const index = big(a.index);
      const o = [...p.objections].reverse().find((x) => x.version === version && x.index === index && !x.ruling);
      const ruling = { upheld: Boolean(a.upheld), reviewer: String(a.reviewer), releasedAmount: big(a.releasedAmount), blockNumber: e.blockNumber, timestamp: e.timestamp };
      if (o) o.ruling = ruling;
      const v = p.versions.find((x) => x.version === version);
      if (v && ruling.upheld) {
        v.rosterTotalNow -= ruling.releasedAmount;
        v.upheldIndexes.push(index.toString());
      }
      break;
    }
    case "Claimed": {
      const claim: RosterClaim = {
        version: current?.version ?? 0,
        index: big(a.index),
        tranche: num(a.tranche),
        account: String(a.account),
        amount: big(a.amount),
        blockNumber: e.blockNumber,
        timestamp: e.timestamp,
        transactionHash: e.transactionHash,
      };
      p.claims.push(claim);
      p.claimed += claim.amount;
      const where = { version: claim.version, index: claim.index.toString(), tranche: claim.tranche };
      const leaf = `leaf ${claim.index} tranche ${claim.tranche}`;
      if (!current) {
        flag({ kind: "claim-outside-window", severity: "critical", ...where, message: `Programme paid ${leaf} (${$(claim.amount)}) before any roster was published.` });
        break;
      }
      current.claims++;
      current.claimed += claim.amount;
      // Flagged once, at the claim that crosses the total.
      if (current.claimed > current.rosterTotalNow && current.claimed - claim.amount <= current.rosterTotalNow) {
        flag({
          kind: "claim-over-roster-total",
          severity: "critical",
          ...where,
          message: `Claims under roster v${current.version} reach ${$(current.claimed)}, above its roster total ${$(current.rosterTotalNow)}.`,
        });
      }
      
      const exact = `${current.version}:${claim.index}:${claim.tranche}`;
      const across = `${claim.index}:${claim.tranche}`;
      if (paid.has(exact)) {
        flag({ kind: "double-claim", severity: "critical", ...where, message: `Roster v${current.version} paid ${leaf} twice.` });
      } else if (paid.has(across)) {
        flag({
          kind: "claim-across-versions",
          severity: "critical",
          ...where,
          message: `${leaf[0].toUpperCase()}${leaf.slice(1)} was paid under roster v${paid.get(across)} and again under v${current.version}.`,
        });
      }
      paid.set(exact, current.version);
      paid.set(across, current.version);
      const opens = current.approval?.claimsOpenAt;
      const unlock = p.trancheUnlockTimes[claim.tranche];
      const closedAt = Math.min(p.cancellation.cancelledAt ?? Number.MAX_SAFE_INTEGER, p.claimDeadline);
      const why =
        opens === undefined
          ? `roster v${current.version} was never approved`
          : e.timestamp < opens
            ? `claims under v${current.version} open at ${d.time(opens)}`
            : unlock === undefined
              ? `the programme has ${p.trancheUnlockTimes.length} tranche(s)`
              : e.timestamp < unlock
                ? `tranche ${claim.tranche} unlocks at ${d.time(unlock)}`
                : e.timestamp >= closedAt
                  ? `claims closed at ${d.time(closedAt)} (${p.cancellation.cancelledAt !== undefined && p.cancellation.cancelledAt <= p.claimDeadline ? "cancellation" : "claim deadline"})`
                  : undefined;
      if (why) {
        flag({ kind: "claim-outside-window", severity: "critical", ...where, message: `Programme paid ${leaf} at block time ${d.time(e.timestamp)}, but ${why}.` });
      }
      const objection = [...p.objections].reverse().find((o) => o.version === current.version && o.index === claim.index && o.blockNumber <= e.blockNumber);
      if (objection?.ruling?.upheld && objection.ruling.blockNumber <= e.blockNumber) {
        flag({ kind: "claim-of-excluded-leaf", severity: "critical", ...where, message: `Programme paid ${leaf} of roster v${current.version}, whose objection was upheld.` });
      } else if (objection && !objection.ruling) {
        flag({ kind: "claim-of-held-leaf", severity: "critical", ...where, message: `Programme paid ${leaf} of roster v${current.version} while an objection held it.` });
      }
      break;
    }
    case "ClaimSkipped":
      p.skippedInBatches++;
      break;
    case "CancellationApproved":
      p.cancellation.approvals.push({
        approver: String(a.approver),
        asReviewer: Boolean(a.asReviewer),
        expiresAt: num(a.expiresAt ?? 0),
        blockNumber: e.blockNumber,
        timestamp: e.timestamp,
        transactionHash: e.transactionHash,
      });
      break;
    case "CancellationWithdrawn": {
      const half = [...p.cancellation.approvals].reverse().find((x) => lc(x.approver) === lc(String(a.approver)) && !x.withdrawn);
      if (half) half.withdrawn = true;
      break;
    }
    case "LeafChangeRequested": {
      const change: RosterLeafChange = {
        version: num(a.version),
        index: big(a.index),
        kind: LEAF_CHANGE_KIND_NAMES[num(a.kind)] ?? "Rebind",
        newAccount: String(a.newAccount),
        officials: Array.from(a.officials as unknown[], String),
        reasonHash: String(a.reasonHash),
        effectiveAt: num(a.effectiveAt),
        withheldAmount: big(a.withheldAmount),
        objections: [],
        blockNumber: e.blockNumber,
        timestamp: e.timestamp,
        transactionHash: e.transactionHash,
      };
      p.leafChanges.push(change);
      // What an exit or exclusion withholds leaves the roster total (and goes back to donors at the end).
      const v = p.versions.find((x) => x.version === change.version);
      if (v) v.rosterTotalNow -= change.withheldAmount;
      break;
    }
    case "LeafChangeObjected": {
      const change = pendingLeafChange(p, num(a.version), big(a.index));
      change?.objections.push({ objector: String(a.objector), reasonHash: String(a.reasonHash), blockNumber: e.blockNumber });
      break;
    }
    case "LeafChangeRuled": {
      const change = pendingLeafChange(p, num(a.version), big(a.index));
      const ruling = { upheld: Boolean(a.upheld), reviewer: String(a.reviewer), restoredAmount: big(a.restoredAmount), blockNumber: e.blockNumber };
      if (change) change.ruling = ruling;
      const v = p.versions.find((x) => x.version === num(a.version));
      if (v && ruling.upheld) v.rosterTotalNow += ruling.restoredAmount;
      break;
    }
    case "ProgrammeCancelled":
      p.cancellation.cancelledAt = num(a.cancelledAt);
      break;
    case "Refunded": {
      const amount = big(a.amount);
      p.refunded += amount;
      const dn = (p.donors[lc(a.donor)] ??= { donated: 0n, refunded: 0n });
      dn.refunded += amount;
      p.refunds.push({ donor: String(a.donor), amount, blockNumber: e.blockNumber, timestamp: e.timestamp });
      const cancelled = p.cancellation.cancelledAt !== undefined && p.cancellation.cancelledAt <= e.timestamp;
      if (!cancelled && e.timestamp < p.claimDeadline) {
        flag({
          kind: "refund-before-open",
          severity: "critical",
          message: `Donor ${a.donor} was refunded ${$(amount)} at block time ${d.time(e.timestamp)}: not cancelled, and claims run until ${d.time(p.claimDeadline)}.`,
        });
      }
      if (dn.refunded > dn.donated) {
        flag({ kind: "refund-above-contribution", severity: "critical", message: `Donor ${a.donor} got back ${$(dn.refunded)} but gave ${$(dn.donated)}.` });
      }
      break;
    }
  }
}
