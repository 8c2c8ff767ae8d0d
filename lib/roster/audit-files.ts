/**
 * A published roster file, opened for an audit: which root it proves, how many leaves it has and
 * whether a paid (index, account, amount) is one of them. No Node APIs: the caller reads the bytes (a
 * file, an HTTP fetch) and hashes them (node:crypto, or crypto.subtle in a browser).
 *
 * The published content hash is the sha256 of the proofs file `roster build` writes (summary.json's
 * `files.proofs.sha256`, what `roster publish` publishes; the URI points at that file). A tree file is
 * accepted too: it proves membership the same way, but its own hash is not the content hash.
 *
 * Either file is checked in full before it vouches for anything: every leaf and node of a tree file is
 * re-hashed, every record of a proofs file must prove its own leaf to the file's root. Only then are its
 * leaf count, its total and its leaves trusted.
 */
import { compareBytes, fromHex, readUint256, toHex } from "./bytes.ts";
import { rosterLeafHash } from "./leaf.ts";
import { decodeTreeFile, HEADER_SIZE, KIND_PROOFS, KIND_TREE, MAGIC, ProofsFile, proofRecordSize } from "./files.ts";
import type { Keccak256 } from "./keccak.ts";
import { verifyProof, verifyRosterTree } from "./tree.ts";

export interface RosterFileCheck {
  /** Where the file came from (a path or a URL), for the report. */
  source: string;
  kind: "tree" | "proofs";
  /** sha256 of the file's bytes, 0x-hex. */
  sha256: string;
  root: string;
  leafCount: number;
  /** Sum of the amounts per tranche over every leaf. */
  amountPerTrancheTotal: bigint;
  /** Why the file cannot be trusted (a leaf or node that does not hash to the root, an index twice), if so. */
  problem?: string;
  /** Whether (index, account, amount) is a leaf of the file's tree. */
  isLeaf(index: bigint, account: string, amount: bigint): boolean;
  /** The leaf the file lists at `index` (a successor's claim is checked against it), if any. */
  leafAt(index: bigint): { account: string; amount: bigint } | undefined;
}

/** Which roster file kind `bytes` is (by its header), or undefined if it is none. */
export function rosterFileKind(bytes: Uint8Array): "tree" | "proofs" | undefined {
  if (bytes.length < HEADER_SIZE) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return undefined;
  const kind = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE).getUint32(12, true);
  return kind === KIND_TREE ? "tree" : kind === KIND_PROOFS ? "proofs" : undefined;
}

/**
 * Opens a tree or proofs file for the audit. A tree file is re-hashed in full first (verifyRosterTree):
 * only an intact tree's values can vouch for a leaf. Throws on anything that is not a roster file.
 */
export function openRosterFile(bytes: Uint8Array, sha256: string, source: string, keccak: Keccak256): RosterFileCheck {
  const kind = rosterFileKind(bytes);
  if (kind === "tree") {
    const tree = decodeTreeFile(bytes);
    const problem = verifyRosterTree(tree, keccak);
    let total = 0n;
    let duplicate: bigint | undefined;
    const rowOf = new Map<bigint, number>();
    for (let row = 0; row < tree.count; row++) {
      const value = tree.value(row);
      total += value.amount;
      if (rowOf.has(value.index)) duplicate ??= value.index;
      rowOf.set(value.index, row);
    }
    return {
      source,
      kind,
      sha256,
      root: tree.root,
      leafCount: tree.count,
      amountPerTrancheTotal: total,
      problem: problem ? `the tree does not re-hash: ${problem}` : duplicate !== undefined ? `index ${duplicate} appears twice` : undefined,
      isLeaf(index, account, amount) {
        const row = rowOf.get(index);
        if (row === undefined) return false;
        const leaf = rosterLeafHash(index, account, amount, keccak);
        return compareBytes(leaf, 0, tree.nodes, tree.treeIndex[row] * 32, 32) === 0;
      },
      leafAt(index) {
        const row = rowOf.get(index);
        if (row === undefined) return undefined;
        const value = tree.value(row);
        return { account: value.beneficiary, amount: value.amount };
      },
    };
  }
  if (kind === "proofs") {
    const proofs = new ProofsFile(bytes);
    const root = fromHex(proofs.root, 32);
    // Walk every record (layout in files.ts: beneficiary 20 | index 32 | amount 32 | u32 length | proof).
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const recordSize = proofRecordSize(proofs.depth);
    const first = HEADER_SIZE + 4 * 2 ** view.getUint32(28, true);
    let total = 0n;
    let problem: string | undefined;
    const byIndex = new Map<bigint, { account: string; amount: bigint }>();
    for (let k = 0; k < proofs.count && !problem; k++) {
      const at = first + k * recordSize;
      const account = toHex(bytes, at, 20);
      const index = readUint256(bytes, at + 20);
      const amount = readUint256(bytes, at + 52);
      const length = view.getUint32(at + 84, true);
      total += amount;
      if (byIndex.has(index)) problem = `index ${index} appears twice`;
      byIndex.set(index, { account, amount });
      if (length > proofs.depth || !verifyProof(rosterLeafHash(index, account, amount, keccak), bytes.subarray(at + 88, at + 88 + 32 * length), length, root, keccak)) {
        problem = `record ${k} (index ${index}) does not prove to the file's root`;
      }
    }
    return {
      source,
      kind,
      sha256,
      root: proofs.root,
      leafCount: proofs.count,
      amountPerTrancheTotal: total,
      problem,
      isLeaf(index, account, amount) {
        const record = proofs.find(fromHex(account.toLowerCase(), 20));
        if (!record || record.index !== index || record.amount !== amount) return false;
        const proof = new Uint8Array(32 * record.proof.length);
        record.proof.forEach((p, i) => proof.set(fromHex(p, 32), 32 * i));
        return verifyProof(rosterLeafHash(index, account, amount, keccak), proof, record.proof.length, root, keccak);
      },
      leafAt(index) {
        return byIndex.get(index);
      },
    };
  }
  throw new Error(`not a roster tree or proofs file (expected the "${MAGIC}" header)`);
}
