/**
 * The audit's report of the escrow's books: the fold of lib/books/escrow.ts laid out as JSON-friendly
 * records (amounts as decimal strings, what the audit's JSON report and Markdown show), with the
 * anomaly checks an auditor runs over them. Pure, and free of viem and ethers at run time: the same
 * events always give the same report, which is what lets anyone re-check an audit from an event file.
 */
import { buildEscrowBooks, type HouseholdBook, type EscrowEvent } from "./escrow.ts";
import { conditionLabel } from "../registry/catalogue.ts";
import { RAW_DESCRIBE, type Describe } from "./describe.ts";

export interface EnrolmentReport {
  commitment: string;
  official: string;
  committed: string;
  windowEndsAt: number;
  attesters: string[];
  status: "Enrolled" | "Objected" | "Removed" | "Exited";
  blockNumber: number;
}

export interface ProjectReport {
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
  enrolments: Record<string, EnrolmentReport>;
  enrolmentHistory: EnrolmentReport[];
  /** Per household: the recipient, the tranche indexes paid (0-based, as on chain: tranche 1 is index 0) and the total. */
  claims: Record<string, { recipient: string; tranches: number[]; amount: string }>;
  refunds: { donor: string; amount: string; blockNumber: number }[];
  objections: { commitment: string; objector: string; upheld?: boolean }[];
}

export interface OfficialReport {
  attestations: number;
  revoked: { commitment: string; conditionId: string; revokedBy: string; blockNumber: number }[];
}

export interface Anomaly {
  kind:
    | "under-attested-payment"
    | "revoked-attestation-paid"
    | "overdrawn-project"
    | "claim-without-enrolment"
    | "payment-to-wrong-account"
    | "payment-destination-unchecked"
    | "surplus";
  severity: "critical" | "warning";
  projectId?: string;
  commitment?: string;
  official?: string;
  message: string;
}

export interface EscrowReport {
  projects: Record<string, ProjectReport>;
  officials: Record<string, OfficialReport>;
  anomalies: Anomaly[];
  eventCount: number;
}

const big = (v: string | number | bigint) => BigInt(v);

/**
 * The audit's report of the books: the shared fold (lib/books/escrow.ts) over the events, in chain order, laid out as
 * JSON-friendly records (amounts as decimal strings) and checked for anomalies. Pure: the same events
 * always give the same books, which is what lets anyone re-check an audit from an exported event file.
 */
export function buildEscrowReport(events: readonly EscrowEvent[], d: Describe = RAW_DESCRIBE): EscrowReport {
  const books = buildEscrowBooks(events);
  const projects: Record<string, ProjectReport> = {};
  for (const p of books.projects.values()) {
    const enrolmentOf = new Map<HouseholdBook, EnrolmentReport>();
    const enrolmentHistory = p.enrolmentHistory.map((b) => {
      const e: EnrolmentReport = {
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
    const claims: ProjectReport["claims"] = {};
    for (const pay of p.payments) {
      const c = (claims[pay.commitment] ??= { recipient: pay.recipient, tranches: [], amount: "0" });
      c.recipient = pay.recipient;
      c.tranches.push(pay.trancheIndex);
      c.amount = (big(c.amount) + pay.amount).toString();
    }
    const book: ProjectReport = {
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
      enrolments: Object.fromEntries([...p.households].map(([c, b]) => [c, enrolmentOf.get(b)!])),
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
  // An attestation renewed (the same official, household and condition again) counts once.
  const officials: Record<string, OfficialReport> = {};
  const attested = new Set<string>();
  for (const { name, args: a, blockNumber } of events) {
    if (name === "ConditionAttested") {
      const record = (officials[a.official] ??= { attestations: 0, revoked: [] });
      const key = `${a.official.toLowerCase()}|${a.commitment.toLowerCase()}|${a.conditionId.toLowerCase()}`;
      if (!attested.has(key)) record.attestations++;
      attested.add(key);
    }
    if (name === "AttestationRevoked")
      (officials[a.attester] ??= { attestations: 0, revoked: [] }).revoked.push({ commitment: a.commitment, conditionId: a.conditionId, revokedBy: a.revokedBy, blockNumber: Number(blockNumber) });
  }

  const anomalies: Anomaly[] = [];
  const payments = [...books.projects.values()].flatMap((p) => p.payments.map((pay) => ({ ...pay, projectId: p.projectId.toString() }))).sort((x, y) => x.seq - y.seq);
  for (const pay of payments) {
    // Where the money went (issue 11, item 16): the escrow must pay the account bound to the household's
    // commitment at that moment, as the registry's IdentityBound and IdentityRebound events tell it.
    if (pay.boundAccount === undefined) {
      anomalies.push({
        kind: "payment-destination-unchecked",
        severity: "warning",
        projectId: pay.projectId,
        commitment: pay.commitment,
        message:
          `Project ${pay.projectId} paid household ${d.household(pay.commitment)} (tranche ${pay.trancheIndex + 1}) to ${pay.recipient}, but no binding of that ` +
          "commitment is among the events read (audit from the deployment block to check it).",
      });
    } else if (pay.boundAccount.toLowerCase() !== pay.recipient.toLowerCase()) {
      anomalies.push({
        kind: "payment-to-wrong-account",
        severity: "critical",
        projectId: pay.projectId,
        commitment: pay.commitment,
        message:
          `Project ${pay.projectId} paid tranche ${pay.trancheIndex + 1} of household ${d.household(pay.commitment)} to ${pay.recipient} (block ${pay.blockNumber}), ` +
          `but the household's commitment was bound to ${pay.boundAccount} then.`,
      });
    }
    if (!pay.attesters) {
      anomalies.push({
        kind: "claim-without-enrolment",
        severity: "critical",
        projectId: pay.projectId,
        commitment: pay.commitment,
        message: `Project ${pay.projectId} paid household ${d.household(pay.commitment)} ${d.amount(pay.terms.token, pay.amount)} with no enrolment on record.`,
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
          `Project ${pay.projectId} paid household ${d.household(pay.commitment)} ${d.amount(pay.terms.token, pay.amount)} (tranche ${pay.trancheIndex + 1}) although its enrolment ` +
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
        message: `Project ${p.projectId} paid out ${d.amount(p.token, big(p.claimed) + big(p.refunded))} but raised only ${d.amount(p.token, p.raised)}.`,
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
            `Official ${official}'s attestation of condition ${conditionLabel(r.conditionId)} for household ${d.household(pay.commitment)} backed a payment of ` +
            `${d.amount(p.token, pay.amount)} in project ${pay.projectId} (block ${pay.blockNumber}) and was revoked at block ${r.blockNumber}` +
            (after ? "; the payment came AFTER the revocation." : "."),
        });
      }
    }
  }

  return { projects, officials, anomalies, eventCount: events.length };
}
