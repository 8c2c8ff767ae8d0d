/** Small byte helpers shared by the roster modules (no Node APIs: the dApp uses them too). */

const HEX = "0123456789abcdef";

export function toHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  let out = "0x";
  for (let i = offset; i < offset + length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

/** Parses "0x"-prefixed hex of exactly `length` bytes; throws on anything else. */
export function fromHex(hex: string, length: number): Uint8Array {
  if (!/^0x[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 + 2 * length) {
    throw new Error(`expected 0x-prefixed hex of ${length} bytes, got ${JSON.stringify(hex)}`);
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Lexicographic comparison of a[ao..ao+len) and b[bo..bo+len) (unsigned bytes, i.e. big-endian numbers). */
export function compareBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = a[ao + i] - b[bo + i];
    if (d !== 0) return d;
  }
  return 0;
}

/** Writes a non-negative integer below 2^256 big-endian into out[offset .. offset+32). */
export function writeUint256(value: bigint, out: Uint8Array, offset: number): void {
  let v = value;
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Writes a safe integer (< 2^53) big-endian into out[offset .. offset+32); the caller zeroed the slot. */
export function writeSmallUint256(value: number, out: Uint8Array, offset: number): void {
  const lo = value % 0x1_0000_0000;
  const hi = (value - lo) / 0x1_0000_0000;
  out[offset + 24] = hi >>> 24;
  out[offset + 25] = (hi >>> 16) & 255;
  out[offset + 26] = (hi >>> 8) & 255;
  out[offset + 27] = hi & 255;
  out[offset + 28] = lo >>> 24;
  out[offset + 29] = (lo >>> 16) & 255;
  out[offset + 30] = (lo >>> 8) & 255;
  out[offset + 31] = lo & 255;
}

export function readUint256(bytes: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let i = 0; i < 32; i++) v = (v << 8n) | BigInt(bytes[offset + i]);
  return v;
}

export const UINT256_MAX = (1n << 256n) - 1n;

/** The typed-array views below assume little-endian byte order, as on every platform we target. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
