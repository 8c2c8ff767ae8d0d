/**
 * The roster Merkle tree, bit-for-bit the @openzeppelin/merkle-tree StandardMerkleTree over the leaf
 * encoding ["uint256", "address", "uint256"] = (index, beneficiary, amount):
 *   leaf  = keccak256(keccak256(abi.encode(index, beneficiary, amount)))
 *   node  = keccak256(min(a, b) ++ max(a, b))            (commutative, as OpenZeppelin's MerkleProof)
 *   the leaves are sorted ascending and laid out like OpenZeppelin's makeMerkleTree: a (2n-1)-node
 *   array, root at 0, children of i at 2i+1 and 2i+2, sorted leaf k at position 2n-2-k.
 * Same layout means same root, same proofs and same tree indices as StandardMerkleTree.of(...).
 *
 * Everything lives in flat typed arrays (one Uint8Array of 32-byte nodes), which is what makes a
 * million rows fit in a few hundred MB instead of gigabytes of hex strings.
 */
import type { Keccak256 } from "./keccak.ts";
import type { RosterRows } from "./input.ts";
import { compareBytes, readUint256, toHex } from "./bytes.ts";
import { sortRowsByKey } from "./sort.ts";

export const LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

export interface RosterValue {
  index: bigint;
  beneficiary: string;
  amount: bigint;
}

export class RosterTree {
  /** Number of leaves (rows). */
  readonly count: number;
  /** (2n-1) * 32 bytes in OpenZeppelin's order: nodes[0..32) is the root. */
  readonly nodes: Uint8Array;
  /** Row-wise values, in input order: 32-byte index, 20-byte beneficiary, 32-byte amount. */
  readonly indexes: Uint8Array;
  readonly beneficiaries: Uint8Array;
  readonly amounts: Uint8Array;
  /** Position of each row's leaf in `nodes` (StandardMerkleTree's values[i].treeIndex). */
  readonly treeIndex: Uint32Array;
  /** Rows ordered by beneficiary, for binary-search lookups. */
  readonly byBeneficiary: Uint32Array;
  /** The same bytes as `nodes`, as 32-bit words (8 per node) for fast copies. */
  private readonly nodeWords: Uint32Array;

  constructor(parts: {
    count: number;
    nodes: Uint8Array;
    indexes: Uint8Array;
    beneficiaries: Uint8Array;
    amounts: Uint8Array;
    treeIndex: Uint32Array;
    byBeneficiary: Uint32Array;
  }) {
    this.count = parts.count;
    this.nodes = parts.nodes;
    this.indexes = parts.indexes;
    this.beneficiaries = parts.beneficiaries;
    this.amounts = parts.amounts;
    this.treeIndex = parts.treeIndex;
    this.byBeneficiary = parts.byBeneficiary;
    if (this.nodes.byteOffset % 4 !== 0) throw new Error("tree nodes must be 4-byte aligned");
    this.nodeWords = new Uint32Array(this.nodes.buffer, this.nodes.byteOffset, this.nodes.length / 4);
  }

  get root(): string {
    return toHex(this.nodes, 0, 32);
  }

  /** The longest proof: leaves sit at depth floor(log2(2n-1)) or one above. */
  get depth(): number {
    return treeDepth(this.count);
  }

  value(row: number): RosterValue {
    return {
      index: readUint256(this.indexes, row * 32),
      beneficiary: toHex(this.beneficiaries, row * 20, 20),
      amount: readUint256(this.amounts, row * 32),
    };
  }

  leaf(row: number): string {
    return toHex(this.nodes, this.treeIndex[row] * 32, 32);
  }

  /** Row of a beneficiary (20 bytes), or -1. Binary search: ~20 comparisons for a million rows. */
  findBeneficiary(address: Uint8Array): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const row = this.byBeneficiary[mid];
      const c = compareBytes(this.beneficiaries, row * 20, address, 0, 20);
      if (c === 0) return row;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Sibling hashes from the leaf up, written as 32-byte slots into `out`; returns how many. */
  proofInto(row: number, out: Uint8Array, outOffset = 0): number {
    let node = this.treeIndex[row];
    let length = 0;
    while (node > 0) {
      const sibling = node & 1 ? node + 1 : node - 1;
      out.set(this.nodes.subarray(sibling * 32, sibling * 32 + 32), outOffset + length * 32);
      length++;
      node = (node - 1) >>> 1;
    }
    return length;
  }

  /**
   * proofInto for 4-byte-aligned 32-bit word buffers: eight word copies per sibling instead of a
   * subarray per sibling. Writing the proofs file copies 20 million siblings, so this matters.
   */
  proofIntoWords(row: number, out: Uint32Array, outWordOffset: number): number {
    const words = this.nodeWords;
    let node = this.treeIndex[row];
    let at = outWordOffset;
    while (node > 0) {
      const from = (node & 1 ? node + 1 : node - 1) * 8;
      out[at] = words[from];
      out[at + 1] = words[from + 1];
      out[at + 2] = words[from + 2];
      out[at + 3] = words[from + 3];
      out[at + 4] = words[from + 4];
      out[at + 5] = words[from + 5];
      out[at + 6] = words[from + 6];
      out[at + 7] = words[from + 7];
      at += 8;
      node = (node - 1) >>> 1;
    }
    return (at - outWordOffset) / 8;
  }

  /** The proof as hex strings, exactly what StandardMerkleTree.getProof returns. */
  proof(row: number): string[] {
    const out = new Uint8Array(32 * Math.max(1, this.depth));
    const length = this.proofInto(row, out);
    const proof: string[] = [];
    for (let i = 0; i < length; i++) proof.push(toHex(out, i * 32, 32));
    return proof;
  }
}

export function treeDepth(count: number): number {
  return count <= 1 ? 0 : Math.floor(Math.log2(2 * count - 1));
}

/** abi.encode(uint256 index, address beneficiary, uint256 amount) of one row into a 96-byte buffer. */
export function encodeLeafValue(rows: Pick<RosterRows, "indexes" | "beneficiaries" | "amounts">, row: number, out: Uint8Array): void {
  out.set(rows.indexes.subarray(row * 32, row * 32 + 32), 0);
  out.fill(0, 32, 44);
  out.set(rows.beneficiaries.subarray(row * 20, row * 20 + 20), 44);
  out.set(rows.amounts.subarray(row * 32, row * 32 + 32), 64);
}

/**
 * Hashes inner nodes last down to first (descending, so children come before parents) from their
 * two children. Nodes of one depth, [2^d - 1, 2^(d+1) - 1), depend only on deeper nodes, so a level
 * may be split between threads.
 */
export function hashInnerRange(nodes: Uint8Array, first: number, last: number, keccak: Keccak256): void {
  const swapped = new Uint8Array(64);
  for (let i = last; i >= first; i--) {
    const left = (2 * i + 1) * 32;
    // The two children are adjacent, so in order they hash in place; out of order they are swapped.
    if (compareBytes(nodes, left, nodes, left + 32, 32) <= 0) {
      keccak.hashInto(nodes.subarray(left, left + 64), nodes, i * 32);
    } else {
      swapped.set(nodes.subarray(left + 32, left + 64), 0);
      swapped.set(nodes.subarray(left, left + 32), 32);
      keccak.hashInto(swapped, nodes, i * 32);
    }
  }
}

/** Fills nodes[0 .. n-1) from the leaves already placed at [n-1 .. 2n-1), bottom-up. */
export function hashInnerNodes(nodes: Uint8Array, count: number, keccak: Keccak256): void {
  hashInnerRange(nodes, 0, count - 2, keccak);
}

/** Leaf hashes of rows [from, to) into leaves[row * 32 ..]. */
export function hashLeafRange(
  rows: Pick<RosterRows, "indexes" | "beneficiaries" | "amounts">,
  from: number,
  to: number,
  leaves: Uint8Array,
  keccak: Keccak256,
): void {
  const encoded = new Uint8Array(96);
  const once = new Uint8Array(32);
  for (let row = from; row < to; row++) {
    encodeLeafValue(rows, row, encoded);
    keccak.hashInto(encoded, once, 0);
    // Hashed twice so that a leaf can never be mistaken for a 64-byte inner node (second preimage).
    keccak.hashInto(once, leaves, row * 32);
  }
}

/** Sorts the leaves and places them in OpenZeppelin's layout; returns each row's tree index. */
export function placeSortedLeaves(leaves: Uint8Array, count: number, nodes: Uint8Array): Uint32Array {
  const sorted = sortRowsByKey(leaves, 32, 0, 32, count);
  const treeIndex = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const row = sorted[k];
    const position = 2 * count - 2 - k;
    nodes.set(leaves.subarray(row * 32, row * 32 + 32), position * 32);
    treeIndex[row] = position;
  }
  return treeIndex;
}

export function buildRosterTree(rows: RosterRows, keccak: Keccak256): RosterTree {
  const n = rows.count;
  if (n === 0) throw new Error("a roster needs at least one row");

  const leaves = new Uint8Array(n * 32);
  hashLeafRange(rows, 0, n, leaves, keccak);
  const nodes = new Uint8Array((2 * n - 1) * 32);
  const treeIndex = placeSortedLeaves(leaves, n, nodes);
  hashInnerNodes(nodes, n, keccak);

  return new RosterTree({
    count: n,
    nodes,
    indexes: rows.indexes,
    beneficiaries: rows.beneficiaries,
    amounts: rows.amounts,
    treeIndex,
    byBeneficiary: rows.beneficiaryOrder,
  });
}

/**
 * Recomputes every leaf from the stored values and every inner node from its children: a stored tree
 * is trusted only after this. Returns a description of the first inconsistency, or undefined.
 */
export function verifyRosterTree(tree: RosterTree, keccak: Keccak256): string | undefined {
  const n = tree.count;
  const encoded = new Uint8Array(96);
  const once = new Uint8Array(32);
  const leaf = new Uint8Array(32);
  const seen = new Uint8Array(n);
  for (let row = 0; row < n; row++) {
    const position = tree.treeIndex[row];
    if (position < n - 1 || position > 2 * n - 2) return `row ${row}: tree index ${position} is not a leaf`;
    if (seen[position - (n - 1)]) return `row ${row}: tree index ${position} used twice`;
    seen[position - (n - 1)] = 1;
    encodeLeafValue(tree, row, encoded);
    keccak.hashInto(encoded, once, 0);
    keccak.hashInto(once, leaf, 0);
    if (compareBytes(leaf, 0, tree.nodes, position * 32, 32) !== 0) return `row ${row}: leaf does not match its values`;
  }
  for (let k = 1; k < n; k++) {
    if (compareBytes(tree.nodes, (2 * n - 2 - k) * 32, tree.nodes, (2 * n - 1 - k) * 32, 32) < 0) {
      return `leaves are not sorted at position ${2 * n - 2 - k}`;
    }
  }
  const check = new Uint8Array(32);
  const swapped = new Uint8Array(64);
  for (let i = n - 2; i >= 0; i--) {
    const left = (2 * i + 1) * 32;
    if (compareBytes(tree.nodes, left, tree.nodes, left + 32, 32) <= 0) {
      keccak.hashInto(tree.nodes.subarray(left, left + 64), check, 0);
    } else {
      swapped.set(tree.nodes.subarray(left + 32, left + 64), 0);
      swapped.set(tree.nodes.subarray(left, left + 32), 32);
      keccak.hashInto(swapped, check, 0);
    }
    if (compareBytes(check, 0, tree.nodes, i * 32, 32) !== 0) return `node ${i} does not hash from its children`;
  }
  for (let k = 1; k < n; k++) {
    const a = tree.byBeneficiary[k - 1];
    const b = tree.byBeneficiary[k];
    if (compareBytes(tree.beneficiaries, a * 20, tree.beneficiaries, b * 20, 20) >= 0) return "beneficiary index is not strictly sorted";
  }
  return undefined;
}

/**
 * The one proof fold: OpenZeppelin's MerkleProof (sorted pairs), which the contract's assembly loop
 * reproduces. Returns the root the proof leads to (32 bytes).
 */
export function foldProofBytes(leaf: Uint8Array, proof: Uint8Array, proofLength: number, keccak: Keccak256): Uint8Array {
  const pair = new Uint8Array(64);
  let current: Uint8Array = leaf.slice(0, 32);
  for (let i = 0; i < proofLength; i++) {
    const sibling = proof.subarray(i * 32, i * 32 + 32);
    if (compareBytes(current, 0, sibling, 0, 32) <= 0) {
      pair.set(current, 0);
      pair.set(sibling, 32);
    } else {
      pair.set(sibling, 0);
      pair.set(current, 32);
    }
    current = keccak.hash(pair);
  }
  return current;
}

/** Folds a proof the way MerkleProof.verify does; true iff it reaches the root. */
export function verifyProof(leaf: Uint8Array, proof: Uint8Array, proofLength: number, root: Uint8Array, keccak: Keccak256): boolean {
  return compareBytes(foldProofBytes(leaf, proof, proofLength, keccak), 0, root, 0, 32) === 0;
}
