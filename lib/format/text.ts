/**
 * Pure text helpers shared by every page and tool: short hashes, bytes32 labels, household pseudonyms,
 * project metadata. Unit-tested in test/web/format.ts.
 */
import { hexToString, isHex, keccak256, stringToHex, toBytes, type Hex } from "viem";

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

/**
 * A bytes32 label back to its text, as ethers' decodeBytes32String reads it (null-terminated UTF-8, at
 * most 31 bytes); undefined when the value is not such a label.
 */
export function bytes32Label(value: string): string | undefined {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) return undefined;
  const bytes = toBytes(value as Hex);
  if (bytes[31] !== 0) return undefined;
  let length = 31;
  while (length > 0 && bytes[length - 1] === 0) length--;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length));
  } catch {
    return undefined;
  }
}
