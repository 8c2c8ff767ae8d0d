/**
 * Sorting a million fixed-width byte keys fast.
 *
 * A comparator sort over Uint8Array slices costs ~20 M JS callbacks for a million rows. Instead each
 * row becomes one double: (the key's leading bits) * 2^rowBits + row, and Float64Array.sort, a native
 * numeric sort, orders them. Rows whose leading bits tie (rare for hashes and addresses, common for
 * small integers) are then re-sorted by the full key with a comparator, run by run.
 */
import { compareBytes } from "./bytes.ts";

/**
 * Returns the rows 0..count-1 ordered by key, where row r's key is bytes[r*stride + keyOffset ..
 * + keyLength). `prefixOffset` (within the key, 4 bytes) selects which bytes lead the order: 0 gives
 * plain lexicographic (big-endian) order; keyLength - 4 leads with the low bytes, which separates small
 * integers in one pass. The order is total: ties on the whole key fall back to the row number, so equal
 * keys end up adjacent and in input order.
 */
export function sortRowsByKey(
  bytes: Uint8Array,
  stride: number,
  keyOffset: number,
  keyLength: number,
  count: number,
  prefixOffset = 0,
): Uint32Array {
  const order = new Uint32Array(count);
  if (count === 0) return order;
  const rowBits = Math.max(1, Math.ceil(Math.log2(count)));
  if (rowBits > 32) throw new Error("too many rows to sort");
  const prefixBits = Math.min(32, 53 - rowBits); // a double holds 53 integer bits exactly
  const rowScale = 2 ** rowBits;
  const prefixShift = 32 - prefixBits;
  const prefixAt = (row: number): number => {
    const p = row * stride + keyOffset + prefixOffset;
    return ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
  };

  const composite = new Float64Array(count);
  for (let row = 0; row < count; row++) {
    composite[row] = Math.floor(prefixAt(row) / 2 ** prefixShift) * rowScale + row;
  }
  composite.sort();
  for (let i = 0; i < count; i++) order[i] = composite[i] % rowScale;

  const compareRows = (a: number, b: number): number => {
    const pa = prefixAt(a);
    const pb = prefixAt(b);
    if (pa !== pb) return pa - pb;
    const c = compareBytes(bytes, a * stride + keyOffset, bytes, b * stride + keyOffset, keyLength);
    return c !== 0 ? c : a - b;
  };
  let runStart = 0;
  for (let i = 1; i <= count; i++) {
    if (i < count && Math.floor(composite[i] / rowScale) === Math.floor(composite[runStart] / rowScale)) continue;
    if (i - runStart > 1) {
      const run = Array.from(order.subarray(runStart, i)).sort(compareRows);
      order.set(run, runStart);
    }
    runStart = i;
  }
  return order;
}
