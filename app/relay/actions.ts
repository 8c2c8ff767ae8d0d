"use server";
/** The relay island asks the server about the claim it shows (lib/server/relay.ts). */
import { isHex, type Hex } from "viem";
import { relayContext } from "@/lib/server/relay";

export async function claimContext(projectId: string, commitment: Hex, trancheIndex: number) {
  if (!/^[0-9]{1,19}$/.test(projectId) || !isHex(commitment) || commitment.length !== 66 || !Number.isInteger(trancheIndex)) return undefined;
  return relayContext(projectId, commitment, trancheIndex);
}
