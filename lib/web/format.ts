/**
 * Pure formatting helpers shared by every page (and unit-tested in test/web/format.ts).
 * Locale-aware parts take the locale explicitly so they are deterministic on the server and in tests.
 */
import { formatUnits, hexToString, isHex, keccak256, parseUnits, stringToHex, toBytes, type Hex } from "viem";

export const PROJECT_STATUSES = ["None", "Funding", "Active", "Cancelled", "Closed"] as const;
export const ENROLMENT_STATUSES = ["None", "Enrolled", "Objected", "Removed", "Exited"] as const;
export type ProjectStatusName = (typeof PROJECT_STATUSES)[number];
export type EnrolmentStatusName = (typeof ENROLMENT_STATUSES)[number];

export const projectStatusName = (v: number | bigint): ProjectStatusName => PROJECT_STATUSES[Number(v)] ?? "None";
export const enrolmentStatusName = (v: number | bigint): EnrolmentStatusName => ENROLMENT_STATUSES[Number(v)] ?? "None";

/** 0x1234…abcd */
export function shortHex(hex: string, head = 6, tail = 4): string {
  if (!hex) return "";
  return hex.length > head + tail + 1 ? `${hex.slice(0, head)}…${hex.slice(-tail)}` : hex;
}

/** bytes32 label (category, region) to text; falls back to the hex when it is not printable. */
export function bytes32ToText(value: Hex): string {
  try {
    const s = hexToString(value, { size: 32 }).replace(/\0+$/, "");
    return /^[\x20-\x7e]*$/.test(s) && s.length > 0 ? s : shortHex(value);
  } catch {
    return shortHex(value);
  }
}

/** Text label to bytes32 (at most 31 ASCII characters, like ethers' encodeBytes32String). */
export function textToBytes32(text: string): Hex {
  const bytes = toBytes(text);
  if (bytes.length > 31) throw new RangeError("label longer than 31 bytes");
  return stringToHex(text, { size: 32 });
}

/** Condition id of a catalogue name: keccak256 of its UTF-8 bytes (same as ethers' id()). */
export const conditionIdOf = (name: string): Hex => keccak256(toBytes(name));

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

/** Unix seconds to a date-time string in UTC for the locale. */
export function formatTime(seconds: number | bigint, locale = "en", withTime = true): string {
  const n = Number(seconds);
  if (!n) return "—";
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
    timeZone: "UTC",
  }).format(new Date(n * 1000));
}

/**
 * A stable, human-friendly pseudonym for a household commitment: the public sees "Household K7-Q2"
 * rather than 66 hex digits, and the same commitment always gets the same name. Nothing is revealed
 * that the commitment does not already show.
 */
export function pseudonym(commitment: string): string {
  if (!isHex(commitment)) return commitment;
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const digest = keccak256(commitment as Hex);
  const bytes = toBytes(digest);
  const pick = (i: number) => alphabet[bytes[i] % alphabet.length];
  return `${pick(0)}${pick(1)}-${pick(2)}${pick(3)}`;
}

/** Parses a data: URI of JSON (as the demo uses) or returns undefined for anything else. */
export function parseMetadata(uri: string): { title?: string; village?: string; description?: string } | undefined {
  const m = /^data:application\/json(;charset=[^,;]+)?,(.*)$/s.exec(uri);
  if (!m) return undefined;
  try {
    const v = JSON.parse(decodeURIComponent(m[2]));
    return typeof v === "object" && v ? v : undefined;
  } catch {
    return undefined;
  }
}
