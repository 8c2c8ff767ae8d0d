/**
 * Parsers for the roster's CSV fields. Each writes its value straight into a typed-array slot and
 * returns an error message (or undefined), so a million rows cost no intermediate objects.
 */
import type { Keccak256 } from "./keccak.ts";
import { UINT256_MAX, writeSmallUint256, writeUint256 } from "./bytes.ts";

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

const checksumInput = new Uint8Array(40);

/**
 * Parses a 0x-prefixed 20-byte address into out[offset .. offset+20).
 * Mixed-case input must carry a valid EIP-55 checksum (the same rule as ethers' getAddress), because
 * a mistyped character in a mixed-case address is exactly what the checksum exists to catch.
 * The zero address is refused: a tranche paid there is burnt.
 */
export function parseAddressInto(
  text: string,
  out: Uint8Array,
  offset: number,
  keccak: Keccak256,
  deferTo?: { caseMasks: Uint8Array; at: number },
): string | undefined {
  if (text.length === 0) return "missing address";
  if (text.length !== 42 || text[0] !== "0" || (text[1] !== "x" && text[1] !== "X")) {
    return `not an address (expected 0x followed by 40 hex digits): ${JSON.stringify(text)}`;
  }
  let lower = false;
  let upper = false;
  let nonZero = 0;
  for (let i = 0; i < 40; i++) {
    const code = text.charCodeAt(2 + i);
    const nibble = hexNibble(code);
    if (nibble < 0) return `not an address (bad hex digit ${JSON.stringify(text[2 + i])}): ${JSON.stringify(text)}`;
    if (code >= 97) lower = true;
    else if (code >= 65) upper = true;
    if (i & 1) out[offset + (i >> 1)] |= nibble;
    else out[offset + (i >> 1)] = nibble << 4;
    nonZero |= nibble;
  }
  if (nonZero === 0) return "zero address";
  if (lower && upper && deferTo !== undefined) {
    // Record which digits were upper case; the checksum is checked later, possibly on another thread.
    const { caseMasks, at } = deferTo;
    caseMasks.fill(0, at, at + 5);
    for (let i = 0; i < 40; i++) {
      const code = text.charCodeAt(2 + i);
      if (code >= 65 && code < 97) caseMasks[at + (i >> 3)] |= 1 << (i & 7);
    }
    return CHECKSUM_DEFERRED;
  }
  if (lower && upper) {
    // EIP-55: hex letter i is upper case iff nibble i of keccak256(lower-case hex) is >= 8.
    for (let i = 0; i < 40; i++) checksumInput[i] = text.charCodeAt(2 + i) | 0x20; // digits are unchanged by | 0x20
    const hash = keccak.hash(checksumInput);
    for (let i = 0; i < 40; i++) {
      const code = text.charCodeAt(2 + i);
      if (code < 65) continue; // a digit
      const hashNibble = i & 1 ? hash[i >> 1] & 15 : hash[i >> 1] >> 4;
      if ((code < 97) !== hashNibble >= 8) return `bad address checksum: ${text}`;
    }
  }
  return undefined;
}

/** parseAddressInto's answer when it recorded a mixed-case address for a later checksum check. */
export const CHECKSUM_DEFERRED = "checksum deferred";

const HEX_CODES = new TextEncoder().encode("0123456789abcdef");

/** The address as it was written: lower-case hex with the recorded digits in upper case. */
export function addressAsWritten(address: Uint8Array, offset: number, caseMasks: Uint8Array, at: number): string {
  let text = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = i & 1 ? address[offset + (i >> 1)] & 15 : address[offset + (i >> 1)] >> 4;
    const char = String.fromCharCode(HEX_CODES[nibble]);
    text += caseMasks[at + (i >> 3)] & (1 << (i & 7)) ? char.toUpperCase() : char;
  }
  return text;
}

/** EIP-55 check of a deferred mixed-case address: each letter is upper case iff its hash nibble is >= 8. */
export function checksumMatches(address: Uint8Array, offset: number, caseMasks: Uint8Array, at: number, keccak: Keccak256): boolean {
  for (let i = 0; i < 40; i++) {
    checksumInput[i] = HEX_CODES[i & 1 ? address[offset + (i >> 1)] & 15 : address[offset + (i >> 1)] >> 4];
  }
  const hash = keccak.hash(checksumInput);
  for (let i = 0; i < 40; i++) {
    if (checksumInput[i] < 97) continue; // a digit
    const hashNibble = i & 1 ? hash[i >> 1] & 15 : hash[i >> 1] >> 4;
    const upper = (caseMasks[at + (i >> 3)] & (1 << (i & 7))) !== 0;
    if (upper !== hashNibble >= 8) return false;
  }
  return true;
}

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^([0-9]*)(?:\.([0-9]*))?$/;

/** Writes a decimal digit string (already validated) as uint256; returns false if it exceeds 2^256-1. */
function writeDigits(digits: string, out: Uint8Array, offset: number): boolean {
  // 15 digits always fit a double exactly; most amounts and indexes take this fast path.
  if (digits.length <= 15) {
    out.fill(0, offset, offset + 24); // the slot may hold a refused row's bytes
    writeSmallUint256(Number(digits), out, offset);
    return true;
  }
  const value = BigInt(digits);
  if (value > UINT256_MAX) return false;
  writeUint256(value, out, offset);
  return true;
}

/** Parses the optional index column: a non-negative decimal integer below 2^256. */
export function parseIndexInto(text: string, out: Uint8Array, offset: number): string | undefined {
  if (text.length === 0) return "missing index";
  if (!DIGITS.test(text)) return `not a non-negative integer: ${JSON.stringify(text)}`;
  if (!writeDigits(text, out, offset)) return "index exceeds 2^256-1";
  return undefined;
}

/**
 * Parses an amount per tranche into base units. With decimals = 0 only integers are accepted; with
 * decimals = N a decimal such as "12.5" is scaled by 10^N and may carry at most N fractional digits,
 * so no amount is ever rounded silently.
 */
export function parseAmountInto(text: string, decimals: number, out: Uint8Array, offset: number): string | undefined {
  if (text.length === 0) return "missing amount";
  if (text[0] === "-") return `negative amount: ${text}`;
  const match = DECIMAL.exec(text);
  if (match === null || (match[1] === "" && (match[2] ?? "") === "")) {
    // A comma could be a decimal mark or a thousands separator: say which form is read, never guess.
    const hint = text.includes(",") ? " (write amounts with a decimal point and no thousands separators, e.g. 1234.5)" : "";
    return `not a number: ${JSON.stringify(text)}${hint}`;
  }
  const whole = match[1];
  const fraction = match[2] ?? "";
  if (match[2] !== undefined && decimals === 0) {
    return `not an integer: ${text} (amounts are in base units; pass --decimals N for decimal amounts)`;
  }
  if (fraction.length > decimals) return `more than ${decimals} decimal places: ${text}`;
  const digits = (whole + fraction.padEnd(decimals, "0")).replace(/^0+/, "");
  if (digits === "") return "amount is zero";
  if (!writeDigits(digits, out, offset)) return `amount exceeds 2^256-1: ${text}`;
  return undefined;
}
