/**
 * What a donation form accepts, shared by the escrow's project page and the roster programme page.
 * Amounts are typed in token units and parsed with the token's own decimals (read from the chain, never
 * guessed); a refusal is a code the form turns into a sentence of the user's language (donate.<code>).
 */
import { parseAmount } from "./format.ts";

export type DonationProblem = "empty" | "invalid" | "overBalance";

export type DonationCheck = { ok: true; amount: bigint } | { ok: false; problem: DonationProblem };

/**
 * `decimals` undefined: the token's decimals are not known yet, so nothing parses. `balance` undefined:
 * not known (yet), so only the wallet's simulation can refuse an amount above it.
 */
export function checkDonationAmount(text: string, decimals: number | undefined, balance?: bigint): DonationCheck {
  if (text.trim() === "") return { ok: false, problem: "empty" };
  const amount = decimals === undefined ? undefined : parseAmount(text, decimals);
  if (amount === undefined) return { ok: false, problem: "invalid" };
  if (balance !== undefined && amount > balance) return { ok: false, problem: "overBalance" };
  return { ok: true, amount };
}
