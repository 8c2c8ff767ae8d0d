/**
 * Where a roster programme stands, by the contract's own rules (chain time, half-open windows): the
 * roster's phase, whether donations, refunds and cancellation are open, in which capacity an account
 * would approve a cancellation, and the state of one tranche of one leaf. Pure: the pages, the claim
 * island and the tests decide with these and nothing else.
 */
import type { Address } from "viem";
import type { ProjectStatusName } from "../escrow/status.ts";
import type { CancellationApproval, ProgrammeSummary } from "./programme.ts";

export const OBJECTION_STATUSES = ["None", "Pending", "Upheld"] as const;
export type ObjectionStatusName = (typeof OBJECTION_STATUSES)[number];

/** Where the programme's roster stands right now (chain time). */
export type RosterPhase = "NoRoster" | "AwaitingApproval" | "PublicityWindow" | "ClaimsOpen" | "ClaimsClosed";

export function rosterPhase(p: Pick<ProgrammeSummary, "version" | "claimsOpenAt" | "status"> & { claimDeadline?: number }, now: number): RosterPhase {
  if (p.version === 0) return "NoRoster";
  if (p.status === "Cancelled" || p.status === "Closed" || (p.claimDeadline !== undefined && now >= p.claimDeadline)) return "ClaimsClosed";
  if (p.claimsOpenAt === 0) return "AwaitingApproval";
  return now < p.claimsOpenAt ? "PublicityWindow" : "ClaimsOpen";
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
