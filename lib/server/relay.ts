/**
 * What the relay page needs to know about a signed claim, from the books (lib/server/escrow.ts): the
 * project's token (so the amount and the confirmation are in words), and whether that tranche
 * has already been paid to the household (so the page says so instead of sending a transaction that
 * would revert with a stale nonce).
 */
import type { Hex } from "viem";
import type { TokenInfo } from "../chain/tokens.ts";
import { loadEscrow, tokenOf } from "./escrow.ts";

export interface RelayContext {
  token: `0x${string}`;
  tokenInfo?: TokenInfo;
  /** The tranche was already paid to this household: when, how much, and in which transaction. */
  paid?: { at: number; amount: bigint; transactionHash: Hex };
}

export async function relayContext(projectId: string, commitment: Hex, trancheIndex: number): Promise<RelayContext | undefined> {
  const read = await loadEscrow();
  if (!read.ok) return undefined;
  const p = read.view.books.projects.get(projectId);
  if (!p) return undefined;
  const b = p.households.get(commitment.toLowerCase() as Hex) ?? p.households.get(commitment);
  const claim = b?.claims.find((c) => c.trancheIndex === trancheIndex);
  return {
    token: p.terms.token,
    tokenInfo: tokenOf(read.view, p.terms.token),
    paid: claim && { at: claim.at, amount: claim.amount, transactionHash: claim.transactionHash },
  };
}
