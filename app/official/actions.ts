"use server";
/** The officials' island asks the server (lib/server/official.ts) instead of reading the books itself. */
import type { Address, Hex } from "viem";
import { isAddress, isHex } from "viem";
import { enrolmentProof, officialRecord } from "@/lib/server/official";

export async function proofFor(projectId: string, commitment: Hex) {
  if (!/^[1-9][0-9]{0,18}$/.test(projectId) || !isHex(commitment) || commitment.length !== 66) return { ok: false as const, reason: "noProject" as const };
  return enrolmentProof(projectId, commitment);
}

export async function recordOf(account: Address) {
  if (!isAddress(account, { strict: false })) return undefined;
  return officialRecord(account);
}
