/**
 * Binary roster files. Both start with the same 64-byte little-endian header:
 *   0  "PAROSTER"      magic
 *   8  u32 version     1
 *   12 u32 kind        1 = tree file, 2 = proofs file
 *   16 u32 rowCount    n
 *   20 u32 depth       longest proof
 *   24 u32 recordSize  proofs file only (0 in a tree file)
 *   28 u32 fanoutBits  proofs file only (0 in a tree file)
 *   32 bytes32 root
 *
 * Tree file (everything needed to rebuild any proof; loads as zero-copy typed-array views):
 *   nodes         (2n-1) * 32   OpenZeppelin StandardMerkleTree order, root first
 *   indexes       n * 32        uint256 big-endian, input row order
 *   beneficiaries n * 20
 *   amounts       n * 32        uint256 big-endian
 *   treeIndex     n * u32       position of each row's leaf in nodes
 *   byBeneficiary n * u32       rows sorted by beneficiary
 *
 * Proofs file (one fixed-size record per household, sorted by beneficiary, so a browser can fetch its
 * own record with small HTTP range requests: the header, its fan-out entries, its bucket of ~16 records):
 *   fanout   2^fanoutBits * u32   fanout[p] = number of records whose beneficiary's top fanoutBits
 *                                 bits are <= p (so bucket p is records [fanout[p-1], fanout[p]))
 *   records  n * recordSize       beneficiary 20 | index 32 | amount 32 | u32 proofLength | depth * 32 proof
 */
import { LITTLE_ENDIAN, compareBytes, readUint256, toHex } from "./bytes.ts";
import { RosterTree, treeDepth } from "./tree.ts";

export const MAGIC = "PAROSTER";
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 64;
export const KIND_TREE = 1;
export const KIND_PROOFS = 2;
const RECORD_FIXED = 20 + 32 + 32 + 4;

interface Header {
  kind: number;
  count: number;
  depth: number;
  recordSize: number;
  fanoutBits: number;
  root: Uint8Array;
}

function encodeHeader(h: Header): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, h.kind, true);
  view.setUint32(16, h.count, true);
  view.setUint32(20, h.depth, true);
  view.setUint32(24, h.recordSize, true);
  view.setUint32(28, h.fanoutBits, true);
  bytes.set(h.root, 32);
  return bytes;
}

function decodeHeader(bytes: Uint8Array, kind: number): Header {
  if (bytes.length < HEADER_SIZE) throw new Error("not a roster file: too short");
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new Error("not a roster file: bad magic");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) throw new Error(`unsupported roster file version ${version}`);
  const actualKind = view.getUint32(12, true);
  if (actualKind !== kind) throw new Error(`expected a roster ${kind === KIND_TREE ? "tree" : "proofs"} file, got kind ${actualKind}`);
  const count = view.getUint32(16, true);
  const depth = view.getUint32(20, true);
  if (count === 0 || depth !== treeDepth(count)) throw new Error("corrupt roster file: row count and depth disagree");
  return {
    kind,
    count,
    depth,
    recordSize: view.getUint32(24, true),
    fanoutBits: view.getUint32(28, true),
    root: bytes.slice(32, 64),
  };
}

function u32Bytes(array: Uint32Array): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error("roster files need a little-endian platform");
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The tree file as a list of parts, to be written one after another (no 150 MB concatenation). */
export function encodeTreeFile(tree: RosterTree): Uint8Array[] {
  const header = encodeHeader({ kind: KIND_TREE, count: tree.count, depth: tree.depth, recordSize: 0, fanoutBits: 0, root: tree.nodes.subarray(0, 32) });
  return [header, tree.nodes, tree.indexes, tree.beneficiaries, tree.amounts, u32Bytes(tree.treeIndex), u32Bytes(tree.byBeneficiary)];
}

export function treeFileSize(count: number): number {
  return HEADER_SIZE + (2 * count - 1) * 32 + count * (32 + 20 + 32 + 4 + 4);
}

/**
 * Loads a tree file. The arrays are views into `bytes` (no copy), so loading costs no more than
 * reading the file. The content is checked for shape only: call verifyRosterTree to re-hash it.
 */
export function decodeTreeFile(bytes: Uint8Array): RosterTree {
  const header = decodeHeader(bytes, KIND_TREE);
  const n = header.count;
  if (bytes.length !== treeFileSize(n)) throw new Error(`corrupt tree file: ${bytes.length} bytes, expected ${treeFileSize(n)}`);
  if (!LITTLE_ENDIAN) throw new Error("roster files need a little-endian platform");
  // Uint32Array views need 4-byte alignment; every section length is a multiple of 4.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  let offset = HEADER_SIZE;
  const take = (length: number): Uint8Array => {
    const part = aligned.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const takeU32 = (count: number): Uint32Array => {
    const part = new Uint32Array(aligned.buffer, aligned.byteOffset + offset, count);
    offset += count * 4;
    return part;
  };
  const tree = new RosterTree({
    count: n,
    nodes: take((2 * n - 1) * 32),
    indexes: take(n * 32),
    beneficiaries: take(n * 20),
    amounts: take(n * 32),
    treeIndex: takeU32(n),
    byBeneficiary: takeU32(n),
  });
  if (compareBytes(tree.nodes, 0, header.root, 0, 32) !== 0) throw new Error("corrupt tree file: header root differs from node 0");
  return tree;
}

/** ~16 records per fan-out bucket, at most 2^16 buckets (a 256 KiB table). */
export function fanoutBitsFor(count: number): number {
  return Math.max(0, Math.min(16, Math.ceil(Math.log2(Math.max(1, count))) - 4));
}

export function proofRecordSize(depth: number): number {
  return RECORD_FIXED + 32 * depth;
}

/** The proofs file's header and fan-out table: everything before the first record. */
export function encodeProofsPreamble(tree: RosterTree): Uint8Array[] {
  const n = tree.count;
  const depth = tree.depth;
  const fanoutBits = fanoutBitsFor(n);
  const header = encodeHeader({ kind: KIND_PROOFS, count: n, depth, recordSize: proofRecordSize(depth), fanoutBits, root: tree.nodes.subarray(0, 32) });
  const fanout = new Uint32Array(2 ** fanoutBits);
  for (let k = 0; k < n; k++) fanout[beneficiaryPrefix(tree.beneficiaries, tree.byBeneficiary[k] * 20, fanoutBits)]++;
  for (let p = 1; p < fanout.length; p++) fanout[p] += fanout[p - 1];
  return [header, u32Bytes(fanout)];
}

/**
 * Writes records [first, first + count) (in beneficiary order) into out[0 ..). `out` must be 4-byte
 * aligned; every record and proof slot then is too, so proofs are copied as 32-bit words.
 */
export function encodeProofRecords(tree: RosterTree, first: number, count: number, out: Uint8Array): void {
  const recordSize = proofRecordSize(tree.depth);
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < count; i++) {
    const row = tree.byBeneficiary[first + i];
    const at = i * recordSize;
    out.set(tree.beneficiaries.subarray(row * 20, row * 20 + 20), at);
    out.set(tree.indexes.subarray(row * 32, row * 32 + 32), at + 20);
    out.set(tree.amounts.subarray(row * 32, row * 32 + 32), at + 52);
    const length = tree.proofIntoWords(row, words, (at + RECORD_FIXED) / 4);
    view.setUint32(at + 84, length, true);
    // A leaf one level above the deepest has one unused proof slot: zero it (buffers are reused).
    out.fill(0, at + RECORD_FIXED + length * 32, at + recordSize);
  }
}

/**
 * Streams the proofs file: yields the header, the fan-out table, then records in chunks. The chunk
 * buffer is reused between yields, so the consumer must write (or copy) each chunk before asking for
 * the next one; that keeps memory flat however large the roster is.
 */
export function* encodeProofsFile(tree: RosterTree, chunkRecords = 4096): Generator<Uint8Array> {
  yield* encodeProofsPreamble(tree);
  const recordSize = proofRecordSize(tree.depth);
  const chunk = new Uint8Array(recordSize * Math.min(chunkRecords, tree.count));
  for (let first = 0; first < tree.count; first += chunkRecords) {
    const count = Math.min(chunkRecords, tree.count - first);
    encodeProofRecords(tree, first, count, chunk);
    yield chunk.subarray(0, count * recordSize);
  }
}

function beneficiaryPrefix(bytes: Uint8Array, offset: number, bits: number): number {
  if (bits === 0) return 0;
  const top = (bytes[offset] << 8) | bytes[offset + 1];
  return top >>> (16 - bits);
}

export interface ProofRecord {
  index: bigint;
  beneficiary: string;
  amount: bigint;
  proof: string[];
}

/** An opened proofs file: header plus lookups by beneficiary (a fan-out jump, then a binary search). */
export class ProofsFile {
  readonly count: number;
  readonly depth: number;
  readonly root: string;
  private readonly bytes: Uint8Array;
  private readonly recordSize: number;
  private readonly fanoutBits: number;
  private readonly fanout: DataView;
  private readonly recordsOffset: number;

  constructor(bytes: Uint8Array) {
    const header = decodeHeader(bytes, KIND_PROOFS);
    if (header.recordSize !== proofRecordSize(header.depth) || header.fanoutBits > 16) throw new Error("corrupt proofs file header");
    this.bytes = bytes;
    this.count = header.count;
    this.depth = header.depth;
    this.root = toHex(header.root);
    this.recordSize = header.recordSize;
    this.fanoutBits = header.fanoutBits;
    const fanoutSize = 4 * 2 ** header.fanoutBits;
    this.fanout = new DataView(bytes.buffer, bytes.byteOffset + HEADER_SIZE, fanoutSize);
    this.recordsOffset = HEADER_SIZE + fanoutSize;
    if (bytes.length !== this.recordsOffset + this.count * this.recordSize) throw new Error("corrupt proofs file: wrong length");
  }

  /** The record for a 20-byte beneficiary, or undefined. */
  find(address: Uint8Array): ProofRecord | undefined {
    const prefix = beneficiaryPrefix(address, 0, this.fanoutBits);
    let lo = prefix === 0 ? 0 : this.fanout.getUint32(4 * (prefix - 1), true);
    let hi = this.fanout.getUint32(4 * prefix, true) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.recordsOffset + mid * this.recordSize;
      const c = compareBytes(this.bytes, at, address, 0, 20);
      if (c === 0) return this.record(at);
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private record(at: number): ProofRecord {
    return decodeRecord(this.bytes, at);
  }
}

function decodeRecord(bytes: Uint8Array, at: number): ProofRecord {
  const length = new DataView(bytes.buffer, bytes.byteOffset + at + 84, 4).getUint32(0, true);
  const proof: string[] = [];
  for (let i = 0; i < length; i++) proof.push(toHex(bytes, at + RECORD_FIXED + 32 * i, 32));
  return {
    beneficiary: toHex(bytes, at, 20),
    index: readUint256(bytes, at + 20),
    amount: readUint256(bytes, at + 52),
    proof,
  };
}

/** Reads `length` bytes at `offset` of a published proofs file, e.g. with an HTTP Range request. */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * One household's record from a proofs file that is not held locally: three small reads (the header,
 * two fan-out entries, the household's bucket of ~16 records), so a browser never downloads the whole
 * file. Returns undefined when the beneficiary is not on the roster.
 */
export async function fetchProofRecord(read: RangeReader, address: Uint8Array): Promise<(ProofRecord & { root: string }) | undefined> {
  const header = decodeHeader(await read(0, HEADER_SIZE), KIND_PROOFS);
  if (header.recordSize !== proofRecordSize(header.depth) || header.fanoutBits > 16) throw new Error("corrupt proofs file header");
  const prefix = beneficiaryPrefix(address, 0, header.fanoutBits);
  const entries = await read(HEADER_SIZE + 4 * Math.max(0, prefix - 1), prefix === 0 ? 4 : 8);
  const fanout = new DataView(entries.buffer, entries.byteOffset, entries.length);
  const from = prefix === 0 ? 0 : fanout.getUint32(0, true);
  const to = fanout.getUint32(prefix === 0 ? 0 : 4, true);
  if (to > header.count || from > to) throw new Error("corrupt proofs file fan-out");
  if (from === to) return undefined;
  const recordsOffset = HEADER_SIZE + 4 * 2 ** header.fanoutBits;
  const bucket = await read(recordsOffset + from * header.recordSize, (to - from) * header.recordSize);
  for (let at = 0; at < bucket.length; at += header.recordSize) {
    if (compareBytes(bucket, at, address, 0, 20) === 0) return { root: toHex(header.root), ...decodeRecord(bucket, at) };
  }
  return undefined;
}

/**
 * The tree in @openzeppelin/merkle-tree's own dump format ("standard-v1"), so anyone can check the
 * roster with StandardMerkleTree.load(JSON.parse(text)) and the library's own verify/getProof.
 * Yields the JSON text in pieces (a million rows is ~250 MB of JSON; it is never one string).
 */
export function* encodeOpenZeppelinDump(tree: RosterTree, rowsPerPiece = 10_000): Generator<string> {
  const n = tree.count;
  yield `{"format":"standard-v1","leafEncoding":["uint256","address","uint256"],"tree":[`;
  let piece = "";
  for (let i = 0; i < 2 * n - 1; i++) {
    piece += `${i === 0 ? "" : ","}"${toHex(tree.nodes, i * 32, 32)}"`;
    if (i % rowsPerPiece === rowsPerPiece - 1) {
      yield piece;
      piece = "";
    }
  }
  yield `${piece}],"values":[`;
  piece = "";
  for (let row = 0; row < n; row++) {
    const index = readUint256(tree.indexes, row * 32);
    const amount = readUint256(tree.amounts, row * 32);
    const beneficiary = toHex(tree.beneficiaries, row * 20, 20);
    piece += `${row === 0 ? "" : ","}{"value":["${index}","${beneficiary}","${amount}"],"treeIndex":${tree.treeIndex[row]}}`;
    if (row % rowsPerPiece === rowsPerPiece - 1) {
      yield piece;
      piece = "";
    }
  }
  yield `${piece}]}\n`;
}
