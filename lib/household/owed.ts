/**
 * Everything one household is owed, from every escrow project and every roster programme, and what it
 * should do next (issue 9, item 5): the household page's logic, pure, so the page and the tests decide
 * the same way. Each tranche gets one status by the contracts' own rules (chain time, half-open windows:
 * lib/escrow/status.ts, lib/roster/status.ts); the next steps put money that can be taken now first,
 * then what needs the household before a payment fails (renewal), then what it waits for.
 *
 * Also the place the lost-phone and passkey work plugs into (issues 12-14): a re-bound account sees the
 * same items (they are keyed by commitment and by leaf), and new kinds of next step join NextStep.
 */
import type { AttestationRecord } from "../books/escrow.ts";
import { trancheClaimable } from "../escrow/status.ts";
import { trancheState, type TrancheState } from "../roster/status.ts";

type Address = `0x${string}`;
type Hex = `0x${string}`;

/** One tranche as the household sees it. */
export type TrancheStatus =
  | "received" // paid to the household
  | "claimable" // can be taken now
  | "locked" // unlocks at `unlocksAt`
  | "waitingWindow" // the publicity window is still open (until `opensAt`)
  | "notOpen" // a roster whose claims open at `opensAt`
  | "held" // an objection awaits a reviewer
  | "excluded" // an upheld objection removed the household
  | "stopped" // the household exited (escrow): no more tranches
  | "forfeited" // settled without payment
  | "needsRenewal" // unlocked, but the conditions' attestations lapsed: officials must renew them
  | "closed" // past the claim deadline, or the project was cancelled
  | "paused"; // a roster programme paused by its guardian

export interface OwedTranche {
  tranche: number;
  amount: bigint;
  unlocksAt: number;
  status: TrancheStatus;
  /** When the claims of this tranche open, if later than its unlock (window, roster approval). */
  opensAt?: number;
  receivedAt?: number;
}

export interface OwedItem {
  kind: "escrow" | "roster";
  /** "escrow:<projectId>" or "roster:<programme>": stable across refreshes. */
  key: string;
  title: string;
  token: Address;
  tranches: OwedTranche[];
  /** Escrow: the household's eligibility lapses at this time (its attestations expire) before a tranche unlocks. */
  renewBy?: number;
}

/**
 * When the household's eligibility for these conditions lapses: for each condition, the k-th latest
 * expiry among its valid attestations by active officials; the earliest of those. 0 when it is not
 * eligible now (a condition lacks k valid attestations).
 */
export function eligibilityLapse(
  attestations: ReadonlyMap<Hex, readonly AttestationRecord[]>,
  conditions: readonly Hex[],
  threshold: number,
  now: number,
  isActive: (official: Address) => boolean = () => true,
): number {
  let lapse = Number.POSITIVE_INFINITY;
  for (const c of conditions) {
    const expiries = (attestations.get(c) ?? [])
      .filter((r) => !r.revoked && now < r.expiry && isActive(r.official))
      .map((r) => r.expiry)
      .sort((a, b) => b - a);
    if (expiries.length < threshold) return 0;
    lapse = Math.min(lapse, expiries[threshold - 1]);
  }
  return lapse === Number.POSITIVE_INFINITY ? 0 : lapse;
}

/** An escrow enrolment's tranches (settledMask: the escrow's enrolment view, bit i = tranche i settled). */
export function escrowTranches(
  p: { terms: { trancheUnlockTimes: readonly number[]; claimDeadline: number; amountPerTranche: bigint }; cancelledAt?: number },
  b: { status: string; windowEndsAt: number; claims: readonly { trancheIndex: number; at: number }[] },
  settledMask: number | undefined,
  lapse: number,
  now: number,
): OwedTranche[] {
  const eligible = lapse > now;
  return p.terms.trancheUnlockTimes.map((unlocksAt, i) => {
    const base = { tranche: i, amount: p.terms.amountPerTranche, unlocksAt };
    const claim = b.claims.find((c) => c.trancheIndex === i);
    if (claim) return { ...base, status: "received", receivedAt: claim.at };
    const settled = settledMask !== undefined ? ((settledMask >> i) & 1) === 1 : false;
    if (settled) return { ...base, status: "forfeited" };
    if (b.status === "Removed") return { ...base, status: "excluded" };
    if (b.status === "Exited") return { ...base, status: "stopped" };
    if (p.cancelledAt !== undefined || now >= p.terms.claimDeadline) return { ...base, status: "closed" };
    if (b.status === "Objected") return { ...base, status: "held" };
    if (trancheClaimable(p, b, i, settled, now, eligible)) return { ...base, status: "claimable" };
    if (now < unlocksAt) return { ...base, status: "locked", ...(b.windowEndsAt > unlocksAt && { opensAt: b.windowEndsAt }) };
    if (now < b.windowEndsAt) return { ...base, status: "waitingWindow", opensAt: b.windowEndsAt };
    return { ...base, status: "needsRenewal" };
  });
}

/**
 * The renewal date to show an escrow household: its eligibility lapses before a tranche it has not
 * received yet becomes claimable (or has lapsed already with one waiting). undefined: nothing at risk.
 */
export function renewBy(tranches: readonly OwedTranche[], lapse: number, claimDeadline: number): number | undefined {
  const atRisk = tranches.some((t) => t.status === "needsRenewal" || (t.status === "locked" && Math.max(t.unlocksAt, t.opensAt ?? 0) >= lapse && Math.max(t.unlocksAt, t.opensAt ?? 0) < claimDeadline));
  return atRisk ? lapse : undefined;
}

const ROSTER_STATUS: Record<TrancheState, TrancheStatus> = {
  claimed: "received",
  held: "held",
  excluded: "excluded",
  notOpen: "notOpen",
  locked: "locked",
  closed: "closed",
  paused: "paused",
  claimable: "claimable",
};

/** A roster leaf's tranches, by the programme's rules (lib/roster/status.ts trancheState). */
export function rosterTranches(o: {
  now: number;
  amount: bigint;
  trancheUnlockTimes: readonly number[];
  claimsOpenAt: number;
  claimDeadline: number;
  cancelled: boolean;
  paused: boolean;
  settled: readonly boolean[];
  objection: "None" | "Pending" | "Upheld";
}): OwedTranche[] {
  return o.trancheUnlockTimes.map((unlocksAt, i) => {
    const state = trancheState({
      now: o.now,
      unlockTime: unlocksAt,
      claimsOpenAt: o.claimsOpenAt,
      claimDeadline: o.claimDeadline,
      cancelledAt: o.cancelled ? 1 : undefined,
      paused: o.paused,
      settled: o.settled[i],
      objection: o.objection,
    });
    const opens = o.claimsOpenAt > unlocksAt ? { opensAt: o.claimsOpenAt } : {};
    return { tranche: i, amount: o.amount, unlocksAt, status: ROSTER_STATUS[state], ...(state === "notOpen" || state === "locked" ? opens : {}) };
  });
}

/** What the household should do or know next, most urgent first. */
export type NextStep =
  | { kind: "claim"; item: OwedItem; tranche: OwedTranche }
  | { kind: "renew"; item: OwedItem; by: number }
  | { kind: "held"; item: OwedItem }
  | { kind: "next"; item: OwedItem; tranche: OwedTranche; at: number };

export function nextSteps(items: readonly OwedItem[]): NextStep[] {
  const claims: NextStep[] = [];
  const renewals: NextStep[] = [];
  const held: NextStep[] = [];
  const upcoming: (NextStep & { kind: "next" })[] = [];
  for (const item of items) {
    for (const t of item.tranches) if (t.status === "claimable") claims.push({ kind: "claim", item, tranche: t });
    if (item.renewBy !== undefined) renewals.push({ kind: "renew", item, by: item.renewBy });
    if (item.tranches.some((t) => t.status === "held")) held.push({ kind: "held", item });
    // Only the next one per item: "Next payment on ..." is what a household plans around.
    const next = item.tranches.find((t) => t.status === "locked" || t.status === "waitingWindow" || t.status === "notOpen");
    if (next) upcoming.push({ kind: "next", item, tranche: next, at: Math.max(next.unlocksAt, next.opensAt ?? 0) });
  }
  renewals.sort((a, b) => (a as { by: number }).by - (b as { by: number }).by);
  upcoming.sort((a, b) => a.at - b.at);
  return [...claims, ...renewals, ...held, ...upcoming];
}

/** Per token: received so far, claimable now, and still to come (locked, waiting, held). */
export function owedTotals(items: readonly OwedItem[]): Map<Address, { received: bigint; claimable: bigint; coming: bigint }> {
  const out = new Map<Address, { received: bigint; claimable: bigint; coming: bigint }>();
  for (const item of items) {
    const k = item.token.toLowerCase() as Address;
    const total = out.get(k) ?? { received: 0n, claimable: 0n, coming: 0n };
    for (const t of item.tranches) {
      if (t.status === "received") total.received += t.amount;
      else if (t.status === "claimable") total.claimable += t.amount;
      else if (t.status === "locked" || t.status === "waitingWindow" || t.status === "notOpen" || t.status === "held" || t.status === "needsRenewal" || t.status === "paused") total.coming += t.amount;
    }
    out.set(k, total);
  }
  return out;
}
