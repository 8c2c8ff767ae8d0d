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
