/**
 * What the officials' page asks the server for, from the books (lib/server/escrow.ts): the projects an
 * official can enrol into, the eligibility proof of a household for a project, and an official's own
 * record. The page's island calls these through server actions (app/official/actions.ts), so the books
 * never travel to the browser.
 */
import type { Address, Hex } from "viem";
import { buildAttesterProof, type AttestationRecord, type OfficialRecord } from "../escrow/events.ts";
import { projectStatus } from "../escrow/status.ts";
import { loadEscrow } from "./escrow.ts";

/** The eligibility proof enrol() needs, or why there is none. */
export type ProofAnswer = { ok: true; proof: Address[] } | { ok: false; reason: "noProject" | "notEnough" | "readFailed"; k?: number };

export async function enrolmentProof(projectId: string, commitment: Hex): Promise<ProofAnswer> {
  const read = await loadEscrow();
  if (!read.ok) return { ok: false, reason: "readFailed" };
  const { books, now } = read.view;
  const p = books.projects.get(projectId);
  if (!p || !["Funding", "Active"].includes(projectStatus(p, now))) return { ok: false, reason: "noProject" };
  const proof = buildAttesterProof(books, commitment.toLowerCase() as Hex, p.terms.conditions, p.terms.threshold, now);
  return proof ? { ok: true, proof } : { ok: false, reason: "notEnough", k: p.terms.threshold };
}

export interface OfficialRecordAnswer {
  record?: OfficialRecord;
  /** Newest first. */
  attestations: AttestationRecord[];
}

export async function officialRecord(account: Address): Promise<OfficialRecordAnswer | undefined> {
  const read = await loadEscrow();
  if (!read.ok) return undefined;
  const { books } = read.view;
  const lc = account.toLowerCase();
  return {
    record: books.officials.get(lc as Address),
    attestations: books.attestations.filter((a) => a.official.toLowerCase() === lc).reverse(),
  };
}
