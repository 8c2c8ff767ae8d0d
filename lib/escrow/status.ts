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
