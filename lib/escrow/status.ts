/**
 * A project's and an enrolment's status: the names of the escrow's enums (same order as
 * contracts/interfaces/AidTypes.sol), so the dApp, the CLIs and the audit say the same word.
 */

export const PROJECT_STATUSES = ["None", "Funding", "Active", "Cancelled", "Closed"] as const;

export const ENROLMENT_STATUSES = ["None", "Enrolled", "Objected", "Removed", "Exited"] as const;

export type ProjectStatusName = (typeof PROJECT_STATUSES)[number];

export type EnrolmentStatusName = (typeof ENROLMENT_STATUSES)[number];

export const projectStatusName = (v: number | bigint): ProjectStatusName => PROJECT_STATUSES[Number(v)] ?? "None";

export const enrolmentStatusName = (v: number | bigint): EnrolmentStatusName => ENROLMENT_STATUSES[Number(v)] ?? "None";

/** What a project's status depends on: cancellation and its two deadlines. */
export interface StatusInputs {
  cancelled: boolean;
  fundingDeadline: number;
  claimDeadline: number;
}

/**
 * The status the escrow's projectStatus() view gives at chain time `now` (AidEscrow._status; windows are
 * half-open): the one rule the dApp, the CLIs and the audit all use.
 */
export function projectStatusAt(p: StatusInputs, now: number): "Funding" | "Active" | "Cancelled" | "Closed" {
  if (p.cancelled) return "Cancelled";
  if (now >= p.claimDeadline) return "Closed";
  if (now < p.fundingDeadline) return "Funding";
  return "Active";
}

/** projectStatusAt for a project of the folded books (lib/books/escrow.ts). */
export function projectStatus(p: { cancelledAt?: number; terms: { fundingDeadline: number; claimDeadline: number } }, now: number): ProjectStatusName {
  return projectStatusAt({ cancelled: p.cancelledAt !== undefined, fundingDeadline: p.terms.fundingDeadline, claimDeadline: p.terms.claimDeadline }, now);
}

/**
 * Whether a household may claim tranche `i` now, by the escrow's rules: unlocked, its publicity window
 * over, enrolled, before the claim deadline, eligible, and not settled (paid, or forfeited).
 */
export function trancheClaimable(
  p: { terms: { trancheUnlockTimes: readonly number[]; claimDeadline: number } },
  b: { windowEndsAt: number; status: string },
  i: number,
  settled: boolean,
  now: number,
  eligible: boolean,
): boolean {
  return !settled && now >= p.terms.trancheUnlockTimes[i] && now >= b.windowEndsAt && b.status === "Enrolled" && now < p.terms.claimDeadline && eligible;
}

/**
 * The tranches a household can claim now. `settledMask` is the escrow's enrolment view (bit i: tranche i
 * settled); without it, a tranche counts as settled when the books hold a payment of it.
 */
export function claimableTranches(
  p: { terms: { trancheUnlockTimes: readonly number[]; claimDeadline: number } },
  b: { windowEndsAt: number; status: string; claims: readonly { trancheIndex: number }[] },
  settledMask: number | undefined,
  now: number,
  eligible: boolean,
): number[] {
  return p.terms.trancheUnlockTimes.flatMap((_, i) => {
    const settled = settledMask !== undefined ? ((settledMask >> i) & 1) === 1 : b.claims.some((c) => c.trancheIndex === i);
    return trancheClaimable(p, b, i, settled, now, eligible) ? [i] : [];
  });
}

/** A household's latest objection in a project: none, awaiting a ruling, dismissed, or upheld (removed). */
export type ObjectionState = "none" | "pending" | "dismissed" | "upheld";

/** Where a household stands in its publicity window, as every page shows it. */
export interface HouseholdPublicity {
  /** The window by time alone, half-open as in the escrow: open while now < windowEndsAt. */
  window: "open" | "closed";
  endsAt: number;
  objection: ObjectionState;
  /** object() would be accepted now: the household is Enrolled (no objection pending) and the window is open. */
  canObject: boolean;
}

/**
 * The one rule for a household's publicity window and objection (AidEscrow.object: Enrolled and
 * now < windowEndsAt; a pending objection does not close the window, it waits for a ruling). The project
 * page and the household page both show this, so they never disagree.
 */
export function householdPublicity(
  b: { status: string; windowEndsAt: number; objections: readonly { ruled?: { upheld: boolean } }[] },
  now: number,
): HouseholdPublicity {
  const window = now < b.windowEndsAt ? "open" : "closed";
  const last = b.objections.at(-1);
  // Objected and Removed say it all (only an upheld objection removes); otherwise a dismissed objection is
  // worth saying. A household enrolled again after an earlier removal starts with no objection.
  const objection: ObjectionState =
    b.status === "Objected" ? "pending" : b.status === "Removed" ? "upheld" : last?.ruled && !last.ruled.upheld ? "dismissed" : "none";
  return { window, endsAt: b.windowEndsAt, objection, canObject: b.status === "Enrolled" && window === "open" };
}
