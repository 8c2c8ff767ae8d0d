/**
 * The public ledger in the browser: every escrow and registry event read from the deployment block in
 * chunks (public RPCs cap eth_getLogs ranges), decoded with viem, and folded into per-project books,
 * per-household records and per-official records. The fold (buildLedger) is pure and unit-tested; the
 * audit page compares its totals with the escrow's balances to show conservation holding.
 * (lib/ledger.ts does the same for the CLIs with ethers; this one keeps ethers out of the browser bundle.)
 */
import { decodeEventLog, type Address, type Client, type Hex, type Log } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import { aidEscrowAbi, aidRegistryAbi } from "../generated/contracts.ts";

export const LOG_CHUNK = 2_000n;

export interface ChainEvent {
  contract: "escrow" | "registry";
  name: string;
  args: Record<string, any>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** Block timestamp (seconds), filled after fetching. */
  timestamp?: number;
}

export async function fetchChainEvents(
  client: Client,
  o: { escrow: Address; registry: Address; fromBlock: bigint; toBlock?: bigint; chunk?: bigint },
): Promise<{ events: ChainEvent[]; toBlock: bigint; requests: number }> {
  const toBlock = o.toBlock ?? (await getBlockNumber(client));
  const chunk = o.chunk ?? LOG_CHUNK;
  const ranges: [bigint, bigint][] = [];
  for (let start = o.fromBlock; start <= toBlock; start += chunk) {
    ranges.push([start, start + chunk - 1n < toBlock ? start + chunk - 1n : toBlock]);
  }
  const results = await Promise.all(
    ranges.map(([fromBlock, to]) => getLogs(client, { address: [o.escrow, o.registry], fromBlock, toBlock: to })),
  );
  const events: ChainEvent[] = [];
  for (const log of results.flat()) {
    const e = decodeChainLog(log, log.address.toLowerCase() === o.escrow.toLowerCase() ? "escrow" : "registry");
    if (e) events.push(e);
  }
  events.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  // Timestamps: one getBlock per distinct block (batched by the http transport).
  const blocks = [...new Set(events.map((e) => e.blockNumber))];
  const stamps = await Promise.all(blocks.map((n) => getBlock(client, { blockNumber: n }).then((b) => [n, Number(b.timestamp)] as const)));
  const at = new Map(stamps);
  for (const e of events) e.timestamp = at.get(e.blockNumber);
  return { events, toBlock, requests: ranges.length };
}

export function decodeChainLog(log: Log, contract: ChainEvent["contract"]): ChainEvent | undefined {
  try {
    const d = decodeEventLog({ abi: contract === "escrow" ? aidEscrowAbi : aidRegistryAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return {
      contract,
      name: d.eventName as string,
      args: (d.args ?? {}) as Record<string, any>,
      blockNumber: log.blockNumber ?? 0n,
      logIndex: log.logIndex ?? 0,
      transactionHash: log.transactionHash ?? "0x",
    };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------- the fold

export interface AttestationRecord {
  commitment: Hex;
  conditionId: Hex;
  official: Address;
  expiry: number;
  evidenceHash: Hex;
  score: number;
  attestedAt: number;
  revoked: boolean;
  revokedBy?: Address;
  transactionHash: Hex;
}

export type EnrolmentState = "Enrolled" | "Objected" | "Removed" | "Exited";

export interface BeneficiaryBook {
  commitment: Hex;
  status: EnrolmentState;
  enrolledAt: number;
  enrolledBy: Address;
  windowEndsAt: number;
  committed: bigint;
  attesters: Address[];
  claimed: bigint;
  claims: { trancheIndex: number; amount: bigint; recipient: Address; at: number; transactionHash: Hex }[];
  objections: { objector: Address; reasonHash: Hex; at: number; ruled?: { upheld: boolean; reviewer: Address; at: number } }[];
}

export interface ProjectBook {
  projectId: bigint;
  manager: Address;
  terms: {
    token: Address;
    category: Hex;
    region: Hex;
    metadataURI: string;
    conditions: readonly Hex[];
    threshold: number;
    amountPerTranche: bigint;
    trancheUnlockTimes: readonly number[];
    maxBeneficiaries: number;
    fundingDeadline: number;
    claimDeadline: number;
    publicityWindow: number;
  };
  createdAt: number;
  raised: bigint;
  committed: bigint;
  claimed: bigint;
  refunded: bigint;
  /** raised - claimed - refunded: what the escrow must still hold for the project. */
  held: bigint;
  donors: Map<Address, { donated: bigint; refunded: bigint }>;
  beneficiaries: Map<Hex, BeneficiaryBook>;
  cancelledAt?: number;
  refundPool?: bigint;
  events: ChainEvent[];
}

export interface OfficialRecord {
  official: Address;
  attestations: number;
  revokedOfTheirs: number;
  revocationsMade: number;
  enrolments: number;
  exits: number;
  /** Upheld objections against enrolments they attested. */
  upheldAgainst: number;
  active: boolean;
}

export interface Ledger {
  projects: Map<string, ProjectBook>;
  attestations: AttestationRecord[];
  officials: Map<Address, OfficialRecord>;
  identities: Map<Hex, Address>;
  events: ChainEvent[];
}

const key = (id: bigint | number | string) => String(id);
const lc = (a: string) => a.toLowerCase() as Address;

function officialRecord(l: Ledger, a: Address): OfficialRecord {
  const k = lc(a);
  let r = l.officials.get(k);
  if (!r) {
    r = { official: a, attestations: 0, revokedOfTheirs: 0, revocationsMade: 0, enrolments: 0, exits: 0, upheldAgainst: 0, active: false };
    l.officials.set(k, r);
  }
  return r;
}

/** Folds ordered events into books. Pure: same events, same ledger. */
export function buildLedger(events: ChainEvent[]): Ledger {
  const l: Ledger = { projects: new Map(), attestations: [], officials: new Map(), identities: new Map(), events };
  const latest = new Map<string, AttestationRecord>(); // commitment|condition|official -> record
  for (const e of events) {
    const a = e.args;
    const t = e.timestamp ?? 0;
    const p = a.projectId !== undefined ? l.projects.get(key(a.projectId)) : undefined;
    if (p) p.events.push(e);
    switch (e.name) {
      case "ProjectCreated":
      case "ProjectTermsUpdated": {
        const terms = a.terms;
        const existing = l.projects.get(key(a.projectId));
        const book: ProjectBook = existing ?? {
          projectId: a.projectId,
          manager: a.manager,
          createdAt: t,
          raised: 0n,
          committed: 0n,
          claimed: 0n,
          refunded: 0n,
          held: 0n,
          donors: new Map(),
          beneficiaries: new Map(),
          events: [e],
          terms: undefined as never,
        };
        book.terms = {
          token: terms.token,
          category: terms.category,
          region: terms.region,
          metadataURI: terms.metadataURI,
          conditions: terms.conditions,
          threshold: Number(terms.threshold),
          amountPerTranche: BigInt(terms.amountPerTranche),
          trancheUnlockTimes: (terms.trancheUnlockTimes as readonly (number | bigint)[]).map(Number),
          maxBeneficiaries: Number(terms.maxBeneficiaries),
          fundingDeadline: Number(terms.fundingDeadline),
          claimDeadline: Number(terms.claimDeadline),
          publicityWindow: Number(terms.publicityWindow),
        };
        l.projects.set(key(a.projectId), book);
        break;
      }
      case "Donated": {
        if (!p) break;
        p.raised += a.amount;
        const d = p.donors.get(lc(a.donor)) ?? { donated: 0n, refunded: 0n };
        d.donated += a.amount;
        p.donors.set(lc(a.donor), d);
        break;
      }
      case "BeneficiaryEnrolled": {
        if (!p) break;
        const prev = p.beneficiaries.get(a.commitment);
        p.committed += a.committedAmount;
        p.beneficiaries.set(a.commitment, {
          commitment: a.commitment,
          status: "Enrolled",
          enrolledAt: t,
          enrolledBy: a.official,
          windowEndsAt: Number(a.windowEndsAt),
          committed: (prev?.committed ?? 0n) + a.committedAmount,
          attesters: [...a.attesters],
          claimed: prev?.claimed ?? 0n,
          claims: prev?.claims ?? [],
          objections: prev?.objections ?? [],
        });
        officialRecord(l, a.official).enrolments++;
        break;
      }
      case "ObjectionRaised": {
        const b = p?.beneficiaries.get(a.commitment);
        if (!b) break;
        b.status = "Objected";
        b.objections.push({ objector: a.objector, reasonHash: a.reasonHash, at: t });
        break;
      }
      case "ObjectionRuled": {
        const b = p?.beneficiaries.get(a.commitment);
        if (!b || !p) break;
        const open = [...b.objections].reverse().find((o) => !o.ruled);
        if (open) open.ruled = { upheld: a.upheld, reviewer: a.reviewer, at: t };
        if (a.upheld) {
          b.status = "Removed";
          p.committed -= a.releasedAmount;
          b.committed -= a.releasedAmount;
          for (const off of new Set(b.attesters.map(lc))) officialRecord(l, off).upheldAgainst++;
        } else b.status = "Enrolled";
        break;
      }
      case "BeneficiaryExited": {
        const b = p?.beneficiaries.get(a.commitment);
        if (!b || !p) break;
        b.status = "Exited";
        p.committed -= a.releasedAmount;
        b.committed -= a.releasedAmount;
        officialRecord(l, a.official).exits++;
        break;
      }
      case "AidClaimed": {
        if (!p) break;
        p.claimed += a.amount;
        const b = p.beneficiaries.get(a.commitment);
        if (b) {
          b.claimed += a.amount;
          b.claims.push({ trancheIndex: Number(a.trancheIndex), amount: a.amount, recipient: a.recipient, at: t, transactionHash: e.transactionHash });
        }
        break;
      }
      case "ProjectCancelled": {
        if (!p) break;
        p.cancelledAt = t;
        p.refundPool = a.refundPool;
        break;
      }
      case "Refunded": {
        if (!p) break;
        p.refunded += a.amount;
        const d = p.donors.get(lc(a.donor)) ?? { donated: 0n, refunded: 0n };
        d.refunded += a.amount;
        p.donors.set(lc(a.donor), d);
        break;
      }
      case "OfficialAdded":
        officialRecord(l, a.account).active = true;
        break;
      case "OfficialRemoved":
        officialRecord(l, a.account).active = false;
        break;
      case "IdentityBound":
        l.identities.set(a.commitment, a.account);
        break;
      case "IdentityRebound":
        l.identities.set(a.commitment, a.newAccount);
        break;
      case "ConditionAttested": {
        const rec: AttestationRecord = {
          commitment: a.commitment,
          conditionId: a.conditionId,
          official: a.official,
          expiry: Number(a.expiry),
          evidenceHash: a.evidenceHash,
          score: Number(a.score),
          attestedAt: t,
          revoked: false,
          transactionHash: e.transactionHash,
        };
        l.attestations.push(rec);
        latest.set(`${a.commitment}|${a.conditionId}|${lc(a.official)}`, rec);
        officialRecord(l, a.official).attestations++;
        break;
      }
      case "AttestationRevoked": {
        const rec = latest.get(`${a.commitment}|${a.conditionId}|${lc(a.attester)}`);
        if (rec) {
          rec.revoked = true;
          rec.revokedBy = a.revokedBy;
        }
        officialRecord(l, a.attester).revokedOfTheirs++;
        officialRecord(l, a.revokedBy).revocationsMade++;
        break;
      }
    }
  }
  for (const p of l.projects.values()) p.held = p.raised - p.claimed - p.refunded;
  return l;
}

/** The current (latest, per official) attestations of a household, grouped by condition. */
export function currentAttestations(l: Ledger, commitment: Hex): Map<Hex, AttestationRecord[]> {
  const latest = new Map<string, AttestationRecord>();
  for (const r of l.attestations) if (r.commitment === commitment) latest.set(`${r.conditionId}|${lc(r.official)}`, r);
  const out = new Map<Hex, AttestationRecord[]>();
  for (const r of latest.values()) out.set(r.conditionId, [...(out.get(r.conditionId) ?? []), r]);
  return out;
}

/**
 * An eligibility proof for enrol/claim: for each condition, `threshold` attesters with valid, unrevoked,
 * unexpired attestations, in strictly ascending address order (what verifyConditions requires).
 * Returns undefined when there are not enough. `activeOfficials` filters out removed officials.
 */
export function buildAttesterProof(
  l: Ledger,
  commitment: Hex,
  conditions: readonly Hex[],
  threshold: number,
  now: number,
  isActive: (official: Address) => boolean = (o) => l.officials.get(lc(o))?.active ?? true,
): Address[] | undefined {
  const current = currentAttestations(l, commitment);
  const proof: Address[] = [];
  for (const c of conditions) {
    const valid = (current.get(c) ?? [])
      .filter((r) => !r.revoked && now < r.expiry && isActive(r.official))
      .map((r) => r.official)
      .sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    if (valid.length < threshold) return undefined;
    proof.push(...valid.slice(0, threshold));
  }
  return proof;
}

/** Per token: what the books say the escrow must hold (sum of held over projects). */
export function heldByToken(l: Ledger): Map<Address, bigint> {
  const out = new Map<Address, bigint>();
  for (const p of l.projects.values()) out.set(lc(p.terms.token), (out.get(lc(p.terms.token)) ?? 0n) + p.held);
  return out;
}

/**
 * Where each unit of one donor's money went, pro rata: their share of what the project paid to
 * households, of what was refunded to them, and of what is still held.
 */
export function donorAllocation(p: ProjectBook, donor: Address) {
  const d = p.donors.get(lc(donor));
  if (!d || p.raised === 0n) return undefined;
  const toHouseholds = (p.claimed * d.donated) / p.raised;
  const refunded = d.refunded;
  const held = d.donated - toHouseholds - refunded > 0n ? d.donated - toHouseholds - refunded : 0n;
  return { donated: d.donated, toHouseholds, refunded, held };
}
