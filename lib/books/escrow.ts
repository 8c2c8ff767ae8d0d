/**
 * The books of the escrow and the registry, rebuilt from events alone: one pure fold shared by the dApp
 * (events read by lib/escrow/events.ts through the one log reader) and the audit CLI (the same events, or read
 * back from an exported JSON file; lib/books/escrow-report.ts lays them out). Its input is plain data: integer arguments may be
 * bigints, numbers or decimal strings, so every decoder and a JSON event file feed it unchanged. It keeps
 * what either side needs (per-project money, enrolments, payments, refunds and objections, per-household
 * and per-official records, attestations); the CLI's anomaly checks and the browser's views are built on
 * its output. Nothing here may import ethers or viem at run time: public pages bundle it.
 */

type Address = `0x${string}`;
type Hex = `0x${string}`;

/** One decoded escrow or registry event. */
export interface EscrowEvent {
  /** Which contract emitted it; the fold goes by the event name (the two contracts share none). */
  contract: string;
  name: string;
  /** Arguments by name: integers as bigint, number or decimal string; tuples as objects. */
  args: Record<string, any>;
  blockNumber: bigint | number;
  logIndex: number;
  transactionHash: string;
  /** Block timestamp (seconds) when the reader fetched it; 0 when unknown. */
  timestamp?: number;
}

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

export interface ObjectionRecord {
  commitment: Hex;
  objector: Address;
  reasonHash: Hex;
  at: number;
  ruled?: { upheld: boolean; reviewer: Address; at: number };
}

export interface PaymentRecord {
  trancheIndex: number;
  amount: bigint;
  recipient: Address;
  at: number;
  transactionHash: Hex;
}

/** One AidClaimed, with what the audit checks it against: the enrolment's attesters and the terms then. */
export interface ProjectPayment extends PaymentRecord {
  commitment: Hex;
  blockNumber: number;
  /** Position in the folded event list (orders payments across projects). */
  seq: number;
  /** The attesters of the household's enrolment when paid; undefined when no enrolment was on record. */
  attesters?: readonly Address[];
  /**
   * The account the registry's events had bound the household's commitment to when it was paid (binding and
   * re-binding events before this payment, in chain order); undefined when no binding was on record.
   */
  boundAccount?: Address;
  terms: ProjectTerms;
}

/** One household's latest enrolment in a project; re-entries carry its claims and objections over. */
export interface HouseholdBook {
  commitment: Hex;
  status: EnrolmentState;
  enrolledAt: number;
  enrolledBlock: number;
  enrolledBy: Address;
  windowEndsAt: number;
  /** Committed by this enrolment alone. */
  enrolledAmount: bigint;
  /** Still committed to the household over all its enrolments. */
  committed: bigint;
  attesters: Address[];
  claimed: bigint;
  claims: ProjectPayment[];
  objections: ObjectionRecord[];
}

export interface ProjectTerms {
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
}

export interface ProjectBook {
  projectId: bigint;
  manager: Address;
  terms: ProjectTerms;
  /** The version of `terms` (1 at creation, then each ProjectTermsUpdated's): what a donation agrees to. */
  termsVersion: bigint;
  createdAt: number;
  raised: bigint;
  committed: bigint;
  claimed: bigint;
  refunded: bigint;
  /** raised - claimed - refunded: what the escrow must still hold for the project. */
  held: bigint;
  /** By lowercase address; `account` is the address as first seen. */
  donors: Map<Address, { donated: bigint; refunded: bigint; account: Address }>;
  /** Latest enrolment per household. */
  households: Map<Hex, HouseholdBook>;
  /** Every enrolment in order, superseded ones included. */
  enrolmentHistory: HouseholdBook[];
  payments: ProjectPayment[];
  objections: ObjectionRecord[];
  cancelledAt?: number;
  refundPool?: bigint;
  events: EscrowEvent[];
}

export interface OfficialRecord {
  official: Address;
  /** Distinct (household, condition) pairs attested: renewing one does not count again. */
  attestations: number;
  revokedOfTheirs: number;
  revocationsMade: number;
  enrolments: number;
  exits: number;
  /** Upheld objections against enrolments they attested. */
  upheldAgainst: number;
  active: boolean;
}

export interface EscrowBooks {
  projects: Map<string, ProjectBook>;
  attestations: AttestationRecord[];
  officials: Map<Address, OfficialRecord>;
  identities: Map<Hex, Address>;
  events: EscrowEvent[];
}

const key = (id: bigint | number | string) => String(id);
const lc = (a: string) => a.toLowerCase() as Address;

function officialRecord(l: EscrowBooks, a: Address): OfficialRecord {
  const k = lc(a);
  let r = l.officials.get(k);
  if (!r) {
    r = { official: a, attestations: 0, revokedOfTheirs: 0, revocationsMade: 0, enrolments: 0, exits: 0, upheldAgainst: 0, active: false };
    l.officials.set(k, r);
  }
  return r;
}

/** The terms as decoded (same fields, same order), their integers as the types the books use. */
function termsOf(t: any): ProjectTerms {
  return {
    ...t,
    threshold: Number(t.threshold),
    amountPerTranche: BigInt(t.amountPerTranche),
    trancheUnlockTimes: (t.trancheUnlockTimes as readonly (number | bigint | string)[]).map(Number),
    maxBeneficiaries: Number(t.maxBeneficiaries),
    fundingDeadline: Number(t.fundingDeadline),
    claimDeadline: Number(t.claimDeadline),
    publicityWindow: Number(t.publicityWindow),
  };
}

/**
 * Folds events, in the order given (chain order), into books. Pure: the same events always give the
 * same books, which is what lets anyone re-check an audit from an exported event file.
 */
export function buildEscrowBooks(events: readonly EscrowEvent[]): EscrowBooks {
  const l: EscrowBooks = { projects: new Map(), attestations: [], officials: new Map(), identities: new Map(), events: events as EscrowEvent[] };
  const latest = new Map<string, AttestationRecord>(); // commitment|condition|official -> record
  events.forEach((e, seq) => {
    const a = e.args;
    const t = e.timestamp ?? 0;
    const p = a.projectId !== undefined ? l.projects.get(key(a.projectId)) : undefined;
    if (p) p.events.push(e);
    switch (e.name) {
      case "ProjectCreated":
      case "ProjectTermsUpdated": {
        const book: ProjectBook = p ?? {
          projectId: BigInt(a.projectId),
          manager: a.manager,
          createdAt: t,
          raised: 0n,
          committed: 0n,
          claimed: 0n,
          refunded: 0n,
          held: 0n,
          donors: new Map(),
          households: new Map(),
          enrolmentHistory: [],
          payments: [],
          objections: [],
          events: [e],
          terms: termsOf(a.terms),
          termsVersion: 1n,
        };
        // ProjectTermsUpdated replaces the terms (only before the first donation).
        book.terms = termsOf(a.terms);
        if (e.name === "ProjectTermsUpdated") book.termsVersion = BigInt(a.termsVersion);
        l.projects.set(key(a.projectId), book);
        break;
      }
      case "Donated":
      case "Refunded": {
        if (!p) break;
        const amount = BigInt(a.amount);
        let d = p.donors.get(lc(a.donor));
        if (!d) p.donors.set(lc(a.donor), (d = { donated: 0n, refunded: 0n, account: a.donor }));
        if (e.name === "Donated") {
          p.raised += amount;
          d.donated += amount;
        } else {
          p.refunded += amount;
          d.refunded += amount;
        }
        break;
      }
      case "BeneficiaryEnrolled": {
        if (!p) break;
        const prev = p.households.get(a.commitment);
        const amount = BigInt(a.committedAmount);
        p.committed += amount;
        const b: HouseholdBook = {
          commitment: a.commitment,
          status: "Enrolled",
          enrolledAt: t,
          enrolledBlock: Number(e.blockNumber),
          enrolledBy: a.official,
          windowEndsAt: Number(a.windowEndsAt),
          enrolledAmount: amount,
          committed: (prev?.committed ?? 0n) + amount,
          attesters: [...a.attesters],
          claimed: prev?.claimed ?? 0n,
          claims: prev?.claims ?? [],
          objections: prev?.objections ?? [],
        };
        p.households.set(a.commitment, b);
        p.enrolmentHistory.push(b);
        officialRecord(l, a.official).enrolments++;
        break;
      }
      case "ObjectionRaised": {
        if (!p) break;
        const o: ObjectionRecord = { commitment: a.commitment, objector: a.objector, reasonHash: a.reasonHash, at: t };
        p.objections.push(o);
        const b = p.households.get(a.commitment);
        if (!b) break;
        b.status = "Objected";
        b.objections.push(o);
        break;
      }
      case "ObjectionRuled": {
        if (!p) break;
        const open = p.objections.findLast((o) => o.commitment === a.commitment && !o.ruled);
        if (open) open.ruled = { upheld: a.upheld, reviewer: a.reviewer, at: t };
        // A dismissed objection releases nothing (the escrow emits 0).
        const released = BigInt(a.releasedAmount);
        p.committed -= released;
        const b = p.households.get(a.commitment);
        if (!b) break;
        b.committed -= released;
        if (a.upheld) {
          b.status = "Removed";
          for (const off of new Set(b.attesters.map(lc))) officialRecord(l, off).upheldAgainst++;
        } else b.status = "Enrolled";
        break;
      }
      case "BeneficiaryExited": {
        if (!p) break;
        const released = BigInt(a.releasedAmount);
        p.committed -= released;
        const b = p.households.get(a.commitment);
        if (!b) break;
        b.status = "Exited";
        b.committed -= released;
        // Recorded by k officials' signatures (docs/DECISIONS.md E4): each of them answers for it.
        for (const off of a.officials as Address[]) officialRecord(l, off).exits++;
        break;
      }
      case "AidClaimed": {
        if (!p) break;
        const amount = BigInt(a.amount);
        p.claimed += amount;
        const b = p.households.get(a.commitment);
        const paid: ProjectPayment = {
          trancheIndex: Number(a.trancheIndex),
          amount,
          recipient: a.recipient,
          at: t,
          transactionHash: e.transactionHash as Hex,
          commitment: a.commitment,
          blockNumber: Number(e.blockNumber),
          seq,
          attesters: b?.attesters,
          boundAccount: l.identities.get(a.commitment),
          terms: p.terms,
        };
        p.payments.push(paid);
        if (b) {
          b.claimed += amount;
          b.claims.push(paid);
        }
        break;
      }
      case "ProjectCancelled": {
        if (!p) break;
        p.cancelledAt = t;
        p.refundPool = BigInt(a.refundPool);
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
          transactionHash: e.transactionHash as Hex,
        };
        l.attestations.push(rec);
        const attestKey = `${a.commitment}|${a.conditionId}|${lc(a.official)}`;
        // A renewal (the same official, household and condition again) is not another attestation.
        if (!latest.has(attestKey)) officialRecord(l, a.official).attestations++;
        latest.set(attestKey, rec);
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
  });
  for (const p of l.projects.values()) p.held = p.raised - p.claimed - p.refunded;
  return l;
}

/** The current (latest, per official) attestations of a household, grouped by condition. */
export function currentAttestations(l: EscrowBooks, commitment: Hex): Map<Hex, AttestationRecord[]> {
  const latest = new Map<string, AttestationRecord>();
  for (const r of l.attestations) if (r.commitment === commitment) latest.set(`${r.conditionId}|${lc(r.official)}`, r);
  const out = new Map<Hex, AttestationRecord[]>();
  for (const r of latest.values()) out.set(r.conditionId, [...(out.get(r.conditionId) ?? []), r]);
  return out;
}

/**
 * An eligibility proof for enrol/claim: for each condition, `threshold` attesters with valid, unrevoked,
 * unexpired attestations, in strictly ascending address order (what verifyConditions requires).
 * Returns undefined when there are not enough. `isActive` filters out removed officials.
 */
export function buildAttesterProof(
  l: EscrowBooks,
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

/** Per token (lowercase): what the books say the escrow must hold (sum of held over projects). */
export function heldByToken(l: EscrowBooks): Map<Address, bigint> {
  const out = new Map<Address, bigint>();
  for (const p of l.projects.values()) out.set(lc(p.terms.token), (out.get(lc(p.terms.token)) ?? 0n) + p.held);
  return out;
}

/**
 * Where each unit of one donor's money went, pro rata: their share of what the project paid to
 * households, of what was refunded to them, and of what is still held.
 */
export function donorAllocation(p: Pick<ProjectBook, "donors" | "raised" | "claimed">, donor: Address) {
  const d = p.donors.get(lc(donor));
  if (!d || p.raised === 0n) return undefined;
  const toHouseholds = (p.claimed * d.donated) / p.raised;
  const refunded = d.refunded;
  const held = d.donated - toHouseholds - refunded > 0n ? d.donated - toHouseholds - refunded : 0n;
  return { donated: d.donated, toHouseholds, refunded, held };
}

/** Where a project's money went, for the fund-flow chart: each donor in, each household and the refunds out, the rest held. */
export interface FundFlow {
  projectId: string;
  donors: { account: Address; donated: bigint }[];
  households: { commitment: Hex; claimed: bigint }[];
  raised: bigint;
  claimed: bigint;
  refunded: bigint;
  held: bigint;
}

export function fundFlow(p: ProjectBook): FundFlow {
  return {
    projectId: String(p.projectId),
    donors: [...p.donors.values()].filter((d) => d.donated > 0n).map((d) => ({ account: d.account, donated: d.donated })),
    households: [...p.households.values()].filter((b) => b.claimed > 0n).map((b) => ({ commitment: b.commitment, claimed: b.claimed })),
    raised: p.raised,
    claimed: p.claimed,
    refunded: p.refunded,
    held: p.held,
  };
}

/** A project's evaluation figures, from events alone (the /evaluation page). */
export function projectFigures(p: ProjectBook, l: EscrowBooks) {
  const list = [...p.households.values()];
  const firstClaimDelays = list.filter((b) => b.claims.length > 0).map((b) => Math.min(...b.claims.map((c) => c.at)) - b.enrolledAt);
  const avgDays = firstClaimDelays.length ? firstClaimDelays.reduce((a, b) => a + b, 0) / firstClaimDelays.length / 86400 : undefined;
  const commitments = new Set(list.map((b) => b.commitment));
  const revocations = l.attestations.filter((a) => a.revoked && commitments.has(a.commitment) && p.terms.conditions.includes(a.conditionId)).length;
  return {
    enrolments: list.length,
    exits: list.filter((b) => b.status === "Exited").length,
    objections: list.reduce((n, b) => n + b.objections.length, 0),
    upheld: list.filter((b) => b.status === "Removed").length,
    revocations,
    avgDays,
  };
}
