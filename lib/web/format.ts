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

/** Parses a user-typed amount; undefined when it is not a positive number with at most `decimals` digits. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const t = text.trim().replace(/,/g, "");
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const frac = t.split(".")[1] ?? "";
  if (frac.length > decimals) return undefined;
  try {
    const v = parseUnits(t, decimals);
    return v > 0n ? v : undefined;
  } catch {
    return undefined;
  }
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
