/**
 * Rebuilds every project's books from events alone, the way an auditor who trusts no view function
 * would, and checks them against the escrow's actual balances.
 *
 * Three steps, each usable on its own so a test (or an auditor) can change what the next step sees:
 *   fetchEvents()  chunked eth_getLogs from the deployment block (public RPCs cap the block range),
 *                  decoded into JSON-friendly LedgerEvents (numbers as decimal strings);
 *   buildBooks()   pure: folds the events (lib/books/escrow.ts, the dApp's fold too) into per-project
 *                  books and flags anomalies;
 *   checkBooks()   compares the books with balances and views read at the same block.
 * auditChain() runs all three.
 */
import { Contract, Interface, type Provider, type Log, type ParamType, getAddress, ZeroAddress } from "ethers";
import { aidEscrowAbi, aidRegistryAbi, aidRosterFactoryAbi, aidRosterProgrammeAbi } from "../chain/contracts.ts";
import type { RosterEvent, RosterLedgerView } from "../books/roster.ts";
import { conditionLabel } from "../registry/conditions.ts";
import { buildLedger, type BeneficiaryBook } from "../books/escrow.ts";

export const DEFAULT_CHUNK_SIZE = 2_000;

export interface LedgerEvent {
  contract: "AidEscrow" | "AidRegistry";
  name: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** Decoded arguments by name: uints as decimal strings, addresses checksummed, tuples as objects. */
  args: Record<string, any>;
}

const escrowIface = new Interface(aidEscrowAbi as never);
const registryIface = new Interface(aidRegistryAbi as never);

function plain(value: unknown, type: ParamType): any {
  if (type.isTuple()) {
    const out: Record<string, unknown> = {};
    type.components.forEach((c, i) => (out[c.name] = plain((value as any)[i], c)));
    return out;
  }
  if (type.isArray()) return Array.from(value as unknown[]).map((v) => plain(v, type.arrayChildren));
  if (typeof value === "bigint") return value.toString();
  if (type.baseType === "address") return getAddress(value as string);
  return value;
}

export function decodeLog(log: Log, contract: LedgerEvent["contract"]): LedgerEvent | undefined {
  const iface = contract === "AidEscrow" ? escrowIface : registryIface;
  const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return undefined;
  const args: Record<string, any> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name] = plain(parsed.args[i], input)));
  return {
    contract,
    name: parsed.name,
    blockNumber: log.blockNumber,
    logIndex: log.index,
    transactionHash: log.transactionHash,
    args,
  };
}

export interface FetchOptions {
  escrow: string;
  registry: string;
  fromBlock: number;
  toBlock?: number;
  chunkSize?: number;
  /** Called after each chunk with blocks done and blocks in total (drives the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads every log of the escrow and the registry in [fromBlock, toBlock], at most `chunkSize` blocks per
 * eth_getLogs, so it works against providers that cap the range (commonly 2,000 or 10,000 blocks).
 */
export async function fetchEvents(provider: Provider, o: FetchOptions) {
  const toBlock = o.toBlock ?? (await provider.getBlockNumber());
  const chunk = Math.max(1, o.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const escrow = getAddress(o.escrow);
  const registry = getAddress(o.registry);
  const events: LedgerEvent[] = [];
  let requests = 0;
  const total = Math.max(0, toBlock - o.fromBlock + 1);
  for (let start = o.fromBlock; start <= toBlock; start += chunk) {
    const end = Math.min(toBlock, start + chunk - 1);
    const logs = await provider.getLogs({ address: [escrow, registry], fromBlock: start, toBlock: end });
    requests++;
    for (const log of logs) {
      const e = decodeLog(log, getAddress(log.address) === escrow ? "AidEscrow" : "AidRegistry");
      if (e) events.push(e);
    }
    o.onProgress?.(end - o.fromBlock + 1, total);
  }
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return { events, fromBlock: o.fromBlock, toBlock, requests };
}

// ---------------------------------------------------------------------------------------------- books

export interface EnrolmentBook {
  commitment: string;
  official: string;
  committed: string;
  windowEndsAt: number;
  attesters: string[];
  status: "Enrolled" | "Objected" | "Removed" | "Exited";
  blockNumber: number;
}

export interface ProjectBook {
  projectId: string;
  manager: string;
  token: string;
  category: string;
  region: string;
  conditions: string[];
  threshold: number;
  amountPerTranche: string;
  fundingDeadline: number;
  claimDeadline: number;
  /** Derived at the audited block: Funding, Active, Cancelled or Closed (filled by checkBooks). */
  status?: "Funding" | "Active" | "Cancelled" | "Closed";
  raised: string;
  claimed: string;
  refunded: string;
  /** raised - claimed - refunded: what the escrow must still hold for this project. */
  held: string;
  /** Sum of committed amounts at enrolment minus amounts released by exits and upheld objections. */
  committed: string;
  cancelled: boolean;
  refundPool?: string;
  donors: Record<string, { donated: string; refunded: string }>;
  /** Latest enrolment per household; re-entries replace earlier ones (all are in `enrolmentHistory`). */
  enrolments: Record<string, EnrolmentBook>;
  enrolmentHistory: EnrolmentBook[];
  claims: Record<string, { recipient: string; tranches: number[]; amount: string }>;
  refunds: { donor: string; amount: string; blockNumber: number }[];
  objections: { commitment: string; objector: string; upheld?: boolean }[];
}

export interface OfficialBook {
  attestations: number;
  revoked: { commitment: string; conditionId: string; revokedBy: string; blockNumber: number }[];
}

export interface Anomaly {
  kind: "under-attested-payment" | "revoked-attestation-paid" | "overdrawn-project" | "claim-without-enrolment";
  severity: "critical" | "warning";
  projectId?: string;
  commitment?: string;
  official?: string;
  message: string;
}

export interface Books {
  projects: Record<string, ProjectBook>;
  officials: Record<string, OfficialBook>;
  anomalies: Anomaly[];
  eventCount: number;
}

const big = (v: string | number | bigint) => BigInt(v);

/**
 * The audit's books: the shared fold (lib/books/escrow.ts) over the events, in chain order, laid out as
 * JSON-friendly records (amounts as decimal strings) and checked for anomalies. Pure: the same events
 * always give the same books, which is what lets anyone re-check an audit from an exported event file.
 */
export function buildBooks(events: readonly LedgerEvent[]): Books {
  const ledger = buildLedger(events);
  const projects: Record<string, ProjectBook> = {};
  for (const p of ledger.projects.values()) {
    const enrolmentOf = new Map<BeneficiaryBook, EnrolmentBook>();
    const enrolmentHistory = p.enrolmentHistory.map((b) => {
      const e: EnrolmentBook = {
        commitment: b.commitment,
        official: b.enrolledBy,
        committed: b.enrolledAmount.toString(),
        windowEndsAt: b.windowEndsAt,
        attesters: b.attesters,
        status: b.status,
        blockNumber: b.enrolledBlock,
      };
      enrolmentOf.set(b, e);
      return e;
    });
    const claims: ProjectBook["claims"] = {};
    for (const pay of p.payments) {
      const c = (claims[pay.commitment] ??= { recipient: pay.recipient, tranches: [], amount: "0" });
      c.recipient = pay.recipient;
      c.tranches.push(pay.trancheIndex);
      c.amount = (big(c.amount) + pay.amount).toString();
    }
    const book: ProjectBook = {
      projectId: p.projectId.toString(),
      manager: p.manager,
      token: p.terms.token,
      category: p.terms.category,
      region: p.terms.region,
      conditions: [...p.terms.conditions],
      threshold: p.terms.threshold,
      amountPerTranche: p.terms.amountPerTranche.toString(),
      fundingDeadline: p.terms.fundingDeadline,
      claimDeadline: p.terms.claimDeadline,
      raised: p.raised.toString(),
      claimed: p.claimed.toString(),
      refunded: p.refunded.toString(),
      held: p.held.toString(),
      committed: p.committed.toString(),
      cancelled: p.cancelledAt !== undefined,
      donors: Object.fromEntries([...p.donors.values()].map((d) => [d.account, { donated: d.donated.toString(), refunded: d.refunded.toString() }])),
      enrolments: Object.fromEntries([...p.beneficiaries].map(([c, b]) => [c, enrolmentOf.get(b)!])),
      enrolmentHistory,
      claims,
      refunds: p.events
        .filter((e) => e.name === "Refunded")
        .map((e) => ({ donor: e.args.donor, amount: String(e.args.amount), blockNumber: Number(e.blockNumber) })),
      objections: p.objections.map((o) => (o.ruled ? { commitment: o.commitment, objector: o.objector, upheld: o.ruled.upheld } : { commitment: o.commitment, objector: o.objector })),
    };
    if (p.refundPool !== undefined) book.refundPool = p.refundPool.toString();
    projects[book.projectId] = book;
  }

  // The registry's part is a listing: attestations per official and the revocations of theirs, by block.
  const officials: Record<string, OfficialBook> = {};
  for (const { name, args: a, blockNumber } of events) {
    if (name === "ConditionAttested") (officials[a.official] ??= { attestations: 0, revoked: [] }).attestations++;
    if (name === "AttestationRevoked")
      (officials[a.attester] ??= { attestations: 0, revoked: [] }).revoked.push({ commitment: a.commitment, conditionId: a.conditionId, revokedBy: a.revokedBy, blockNumber });
  }

  const anomalies: Anomaly[] = [];
  const payments = [...ledger.projects.values()].flatMap((p) => p.payments.map((pay) => ({ ...pay, projectId: p.projectId.toString() }))).sort((x, y) => x.seq - y.seq);
  for (const pay of payments) {
    if (!pay.attesters) {
      anomalies.push({
        kind: "claim-without-enrolment",
        severity: "critical",
        projectId: pay.projectId,
        commitment: pay.commitment,
        message: `Project ${pay.projectId} paid household ${pay.commitment} with no enrolment on record.`,
      });
      continue;
    }
    const { conditions, threshold } = pay.terms;
    const needed = conditions.length * threshold;
    if (pay.attesters.length < needed) {
      anomalies.push({
        kind: "under-attested-payment",
        severity: "critical",
        projectId: pay.projectId,
        commitment: pay.commitment,
        message:
          `Project ${pay.projectId} paid household ${pay.commitment} (tranche ${pay.trancheIndex}) although its enrolment ` +
          `listed ${pay.attesters.length} attesters; ${conditions.length} condition(s) x threshold ${threshold} = ${needed} are required.`,
      });
    }
  }

  for (const p of Object.values(projects)) {
    if (big(p.held) < 0n) {
      anomalies.push({
        kind: "overdrawn-project",
        severity: "critical",
        projectId: p.projectId,
        message: `Project ${p.projectId} paid out ${big(p.claimed) + big(p.refunded)} but raised only ${p.raised}.`,
      });
    }
  }

  // An official whose revoked attestation had backed an enrolment that was paid: after the revocation it
  // is critical (the escrow should have refused); before it, a warning worth a look (paid, then revoked).
  for (const [official, book] of Object.entries(officials)) {
    for (const r of book.revoked) {
      for (const pay of payments) {
        if (!pay.attesters || pay.commitment !== r.commitment) continue;
        const p = projects[pay.projectId];
        const condIndex = p.conditions.indexOf(r.conditionId);
        if (condIndex < 0) continue;
        const group = pay.attesters.slice(condIndex * p.threshold, (condIndex + 1) * p.threshold);
        if (!(group as string[]).includes(official)) continue;
        const after = pay.blockNumber > r.blockNumber;
        anomalies.push({
          kind: "revoked-attestation-paid",
          severity: after ? "critical" : "warning",
          projectId: pay.projectId,
          commitment: pay.commitment,
          official,
          message:
            `Official ${official}'s attestation of condition ${conditionLabel(r.conditionId)} for household ${pay.commitment} backed a payment of ` +
            `${pay.amount} in project ${pay.projectId} (block ${pay.blockNumber}) and was revoked at block ${r.blockNumber}` +
            (after ? "; the payment came AFTER the revocation." : "."),
        });
      }
    }
  }

  return { projects, officials, anomalies, eventCount: events.length };
}

// ---------------------------------------------------------------------------------------------- checks

export interface TokenCheck {
  token: string;
  held: string;
  balance: string;
  ok: boolean;
}

export interface ProjectCheck {
  projectId: string;
  /** raised == claimed + refunded + held, with held >= 0. */
  conserved: boolean;
  /** The escrow's own projectLedger view agrees with the events (raised, claimed, refunded, committed). */
  matchesView: boolean;
  differences: string[];
}

export interface AuditResult {
  chainId: number;
  escrow: string;
  registry: string;
  fromBlock: number;
  toBlock: number;
  requests: number;
  books: Books;
  tokens: TokenCheck[];
  projectChecks: ProjectCheck[];
  balanced: boolean;
  critical: number;
}

/**
 * Checks books against the chain at `blockTag`: every token's summed `held` must equal the escrow's
 * balance of it, and each project's figures must match the escrow's own view.
 */
export async function checkBooks(
  provider: Provider,
  books: Books,
  at: { escrow: string; blockTag: number },
): Promise<{ tokens: TokenCheck[]; projectChecks: ProjectCheck[]; balanced: boolean }> {
  const heldPerToken = new Map<string, bigint>([[ZeroAddress, 0n]]);
  for (const p of Object.values(books.projects)) {
    heldPerToken.set(p.token, (heldPerToken.get(p.token) ?? 0n) + big(p.held));
  }
  const tokens: TokenCheck[] = [];
  for (const [token, held] of heldPerToken) {
    const balance =
      token === ZeroAddress
        ? await provider.getBalance(at.escrow, at.blockTag)
        : ((await new Contract(token, ["function balanceOf(address) view returns (uint256)"], provider).balanceOf(at.escrow, {
            blockTag: at.blockTag,
          })) as bigint);
    tokens.push({ token, held: held.toString(), balance: balance.toString(), ok: held === balance });
  }

  const escrow = new Contract(at.escrow, aidEscrowAbi as never, provider);
  const time = (await provider.getBlock(at.blockTag))?.timestamp ?? 0;
  for (const p of Object.values(books.projects)) {
    // Same rule as the escrow's projectStatus (half-open windows), from events and the block's time.
    p.status = p.cancelled ? "Cancelled" : time < p.fundingDeadline ? "Funding" : time < p.claimDeadline ? "Active" : "Closed";
  }
  const projectChecks: ProjectCheck[] = [];
  for (const p of Object.values(books.projects)) {
    const differences: string[] = [];
    const conserved = big(p.held) >= 0n && big(p.raised) === big(p.claimed) + big(p.refunded) + big(p.held);
    const view = await escrow.projectLedger(p.projectId, { blockTag: at.blockTag });
    for (const field of ["raised", "claimed", "refunded", "committed"] as const) {
      if (BigInt(view[field]) !== big(p[field])) differences.push(`${field}: events say ${p[field]}, the escrow says ${view[field]}`);
    }
    projectChecks.push({ projectId: p.projectId, conserved, matchesView: differences.length === 0, differences });
  }
  const balanced = tokens.every((t) => t.ok) && projectChecks.every((c) => c.conserved && c.matchesView);
  return { tokens, projectChecks, balanced };
}

export interface AuditOptions extends FetchOptions {
  /** Replace or alter the events before the books are built (an exported file, or a test's tampering). */
  transformEvents?: (events: LedgerEvent[]) => LedgerEvent[];
  events?: LedgerEvent[];
}

export async function auditChain(provider: Provider, o: AuditOptions): Promise<AuditResult> {
  let fetched: { events: LedgerEvent[]; fromBlock: number; toBlock: number; requests: number };
  if (o.events) {
    const toBlock = o.toBlock ?? Math.max(o.fromBlock, ...o.events.map((e) => e.blockNumber));
    fetched = { events: o.events, fromBlock: o.fromBlock, toBlock, requests: 0 };
  } else {
    fetched = await fetchEvents(provider, o);
  }
  const events = o.transformEvents ? o.transformEvents(fetched.events) : fetched.events;
  const books = buildBooks(events);
  const checks = await checkBooks(provider, books, { escrow: o.escrow, blockTag: fetched.toBlock });
  const chainId = Number((await provider.getNetwork()).chainId);
  return {
    chainId,
    escrow: getAddress(o.escrow),
    registry: getAddress(o.registry),
    fromBlock: fetched.fromBlock,
    toBlock: fetched.toBlock,
    requests: fetched.requests,
    books,
    ...checks,
    critical: books.anomalies.filter((a) => a.severity === "critical").length,
  };
}

// ---------------------------------------------------------------------------------------------- rosters

const rosterFactoryIface = new Interface(aidRosterFactoryAbi as never);
const rosterProgrammeIface = new Interface(aidRosterProgrammeAbi as never);

function decodeRosterLog(log: Log, iface: Interface): Omit<RosterEvent, "timestamp"> | undefined {
  const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return undefined;
  const args: Record<string, any> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name] = plain(parsed.args[i], input)));
  return { address: getAddress(log.address), name: parsed.name, blockNumber: log.blockNumber, logIndex: log.index, transactionHash: log.transactionHash, args };
}

export interface RosterFetchOptions {
  factory: string;
  fromBlock: number;
  toBlock: number;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Every event of the roster factory and of the programmes it created in [fromBlock, toBlock], in the same
 * block chunks as fetchEvents, each stamped with its block's timestamp (the books check claims and
 * refunds against windows in chain time). Two passes: the factory's ProgrammeCreated events name the
 * programmes, then the programmes' own logs are read from the first creation block on.
 */
export async function fetchRosterEvents(provider: Provider, o: RosterFetchOptions) {
  const chunk = Math.max(1, o.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const factory = getAddress(o.factory);
  let requests = 0;
  const read = async (address: string[], from: number, decode: (log: Log) => Omit<RosterEvent, "timestamp"> | undefined, progressBase: number) => {
    const out: Omit<RosterEvent, "timestamp">[] = [];
    for (let start = from; start <= o.toBlock; start += chunk) {
      const end = Math.min(o.toBlock, start + chunk - 1);
      const logs = await provider.getLogs({ address, fromBlock: start, toBlock: end });
      requests++;
      for (const log of logs) {
        const e = decode(log);
        if (e) out.push(e);
      }
      o.onProgress?.(progressBase + end - from + 1, progressBase + (o.toBlock - from + 1) * 2);
    }
    return out;
  };
  const created = await read([factory], o.fromBlock, (log) => decodeRosterLog(log, rosterFactoryIface), 0);
  const programmes = created.filter((e) => e.name === "ProgrammeCreated").map((e) => getAddress(e.args.programme));
  const events = [...created];
  if (programmes.length) {
    const from = Math.min(...created.map((e) => e.blockNumber));
    // Providers cap the address list of one eth_getLogs; a hundred is accepted everywhere we deploy.
    for (let i = 0; i < programmes.length; i += 100) {
      events.push(...(await read(programmes.slice(i, i + 100), from, (log) => decodeRosterLog(log, rosterProgrammeIface), o.toBlock - o.fromBlock + 1)));
    }
  }
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  const blocks = [...new Set(events.map((e) => e.blockNumber))];
  const stamps = new Map<number, number>();
  // A few blocks at a time: one request per block, without flooding a public endpoint.
  for (let i = 0; i < blocks.length; i += 8) {
    const batch = blocks.slice(i, i + 8);
    const got = await Promise.all(batch.map((n) => provider.getBlock(n)));
    got.forEach((b, j) => stamps.set(batch[j], b!.timestamp));
  }
  return { events: events.map((e) => ({ ...e, timestamp: stamps.get(e.blockNumber)! })) as RosterEvent[], programmes, requests };
}

/** The factory's programme count, and each programme's balance of its token and ledger() view, read at `blockTag`. */
export async function readRosterState(provider: Provider, factory: string, programmes: { programme: string; token: string }[], blockTag: number) {
  const programmeCount = Number(await new Contract(factory, aidRosterFactoryAbi as never, provider).programmeCount({ blockTag }));
  const balances: Record<string, bigint> = {};
  const views: Record<string, RosterLedgerView> = {};
  for (const { programme, token } of programmes) {
    balances[programme] =
      token === ZeroAddress
        ? await provider.getBalance(programme, blockTag)
        : ((await new Contract(token, ["function balanceOf(address) view returns (uint256)"], provider).balanceOf(programme, { blockTag })) as bigint);
    const view = await new Contract(programme, aidRosterProgrammeAbi as never, provider).ledger({ blockTag });
    views[programme] = { raised: view.raised, refunded: view.refunded, rosterTotal: view.rosterTotal, donors: view.donors };
  }
  return { programmeCount, balances, views };
}
