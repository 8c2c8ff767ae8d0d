/**
 * Amounts: token units to short human strings, and what a person typed back to exact base units (or a
 * refusal). Locale-aware parts take the locale explicitly so they are deterministic on the server and in
 * tests. Unit-tested in test/web/format.ts.
 */
import { formatUnits, parseUnits } from "viem";

/**
 * Amount in token units to a short human string: at most `maxFraction` decimals, trailing zeros cut,
 * grouped for the locale.
 */
export function formatAmount(value: bigint, decimals: number, locale = "en", maxFraction = 4): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const [whole, frac = ""] = formatUnits(abs, decimals).split(".");
  const cut = frac.slice(0, maxFraction).replace(/0+$/, "");
  const grouped = new Intl.NumberFormat(locale, { useGrouping: true }).format(BigInt(whole));
  const sep = new Intl.NumberFormat(locale).format(1.5).charAt(1);
  const tiny = cut === "" && frac.replace(/0+$/, "") !== "" ? `${sep}${"0".repeat(maxFraction - 1)}1` : "";
  const out = `${grouped}${cut ? sep + cut : ""}`;
  return tiny ? `${negative ? "-" : ""}<${out === "0" ? "0" : out}${tiny}` : `${negative ? "-" : ""}${out}`;
}

/** "1.5 ETH": an amount with its token's symbol, as every sentence about money says it. */
export function formatTokenAmount(value: bigint, token: { decimals: number; symbol: string }, locale = "en"): string {
  return `${formatAmount(value, token.decimals, locale)} ${token.symbol}`;
}

/** Why a typed amount was refused; each is a sentence in messages/*.json (amount.<problem>). */
export type AmountProblem = "empty" | "notNumber" | "ambiguous" | "tooManyDecimals" | "zero";

export type AmountReading = { ok: true; value: bigint } | { ok: false; problem: AmountProblem };

/**
 * Reads an amount a person typed, in whole token units, so that it means exactly what they meant or is
 * refused. People type the decimal mark as a point or, in much of Europe and often in Chinese input
 * methods, as a comma; a comma that is only a thousands separator must never become part of the number
 * (before this rule "1,5" was read as 15). So:
 * - full-width digits and marks (１，５ from a Chinese keyboard) are read as their ASCII forms;
 * - "1.5" and a lone comma between digits, "1,5", are decimal marks;
 * - thousands separators are accepted only as well-formed groups of three before any point: "1,234.5",
 *   "12,345,678";
 * - what could be read both ways is refused: "1,234" (1.234 or 1234?), "1.234,5", "1,23,456", "1 234";
 * - at most `decimals` fractional digits (nothing is rounded), and more than zero.
 */
export function readAmount(text: string, decimals: number): AmountReading {
  const t = text.normalize("NFKC").trim();
  if (t === "") return { ok: false, problem: "empty" };
  let plain: string;
  if (/^\d+(\.\d+)?$/.test(t)) plain = t;
  else if (/^\d{1,3}(,\d{3}){2,}(\.\d+)?$/.test(t) || /^\d{1,3},\d{3}\.\d+$/.test(t)) plain = t.replace(/,/g, "");
  else if (/^\d+,\d+$/.test(t)) {
    // One comma: a decimal mark, unless it could also be a thousands separator ("1,234").
    const [whole, frac] = t.split(",");
    if (frac.length === 3 && whole.length <= 3 && !/^0/.test(whole)) return { ok: false, problem: "ambiguous" };
    plain = `${whole}.${frac}`;
  } else if (/^[\d.,]+$/.test(t) && /\d/.test(t) && (t.includes(",") || /\..*\./.test(t))) {
    // Digits with separators that fit no single reading: "1.234,5", "1,23,456", "1.234.567".
    return { ok: false, problem: "ambiguous" };
  } else return { ok: false, problem: "notNumber" };
  const frac = plain.split(".")[1] ?? "";
  if (frac.length > decimals) return { ok: false, problem: "tooManyDecimals" };
  const value = parseUnits(plain, decimals);
  return value > 0n ? { ok: true, value } : { ok: false, problem: "zero" };
}

/** A typed amount in base units, or undefined when `readAmount` refuses it. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const r = readAmount(text, decimals);
  return r.ok ? r.value : undefined;
}

/** Share as a percentage 0..100 (integer maths, one decimal). */
export function percent(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 1000n) / whole) / 10;
}
