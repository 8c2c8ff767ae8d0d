/**
 * What a donation form accepts, shared by the escrow's project page and the roster programme page.
 * Amounts are typed in token units and read with the token's own decimals (read from the chain, never
 * guessed) by `readAmount`, which refuses anything that could mean two numbers; a refusal is a code the
 * form turns into a sentence of the user's language (amount.<code>, donate.overBalance).
 */
import { readAmount, type AmountProblem } from "./amount.ts";

export type DonationProblem = AmountProblem | "decimalsUnknown" | "overBalance";

export type DonationCheck = { ok: true; amount: bigint } | { ok: false; problem: DonationProblem };

/**
 * `decimals` undefined: the token's decimals are not known yet, so nothing parses. `balance` undefined:
 * not known (yet), so only the wallet's simulation can refuse an amount above it.
 */
export function checkDonationAmount(text: string, decimals: number | undefined, balance?: bigint): DonationCheck {
  if (text.trim() === "") return { ok: false, problem: "empty" };
  if (decimals === undefined) return { ok: false, problem: "decimalsUnknown" };
  const reading = readAmount(text, decimals);
  if (!reading.ok) return reading;
  if (balance !== undefined && reading.value > balance) return { ok: false, problem: "overBalance" };
  return { ok: true, amount: reading.value };
}
