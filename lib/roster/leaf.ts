/**
 * The roster's Merkle leaf and proof fold, in one place for every builder, verifier and submitter: the
 * audit (files), the dApp (checking a household's proof against the on-chain root), the relayer
 * (checking a claim before paying gas for it) and the tests. The tree builder (./tree.ts) hashes leaves
 * in bulk with the same encoding (LEAF_ENCODING) and folds proofs with foldProofBytes.
 *
 * leaf = keccak256(keccak256(abi.encode(uint256 index, address account, uint256 amount))), as
 * @openzeppelin/merkle-tree's StandardMerkleTree; hashing twice keeps a 64-byte internal node from
 * passing as a leaf.
 */
import { keccak256, type Address, type Hex } from "viem";
import { fromHex, toHex, writeUint256 } from "./bytes.ts";
import type { Keccak256 } from "./keccak.ts";
import type { ProofRecord } from "./files.ts";
import { foldProofBytes } from "./tree.ts";

/** keccak256 through viem, in the shape the roster library takes (no WASM: the dApp's CSP allows none). */
export const viemKeccak: Keccak256 = {
  hash: (input) => keccak256(input, "bytes"),
  hashInto: (input, out, offset) => out.set(keccak256(input, "bytes"), offset),
};

/** The leaf of (index, account, amount) as bytes, with any keccak (hash-wasm in bulk, viem elsewhere). */
export function rosterLeafHash(index: bigint, account: string, amount: bigint, keccak: Keccak256): Uint8Array {
  const encoded = new Uint8Array(96);
  writeUint256(index, encoded, 0);
  encoded.set(fromHex(account.toLowerCase(), 20), 44);
  writeUint256(amount, encoded, 64);
  return keccak.hash(keccak.hash(encoded));
}

/** The leaf of (index, account, amount) as hex. */
export function rosterLeaf(index: bigint, account: Address | string, amount: bigint): Hex {
  return toHex(rosterLeafHash(index, account, amount, viemKeccak)) as Hex;
}

/** The root a proof leads to from a leaf (OpenZeppelin's MerkleProof fold). */
export function foldProof(leaf: Hex, proof: readonly Hex[]): Hex {
  const siblings = new Uint8Array(32 * proof.length);
  proof.forEach((p, i) => siblings.set(fromHex(p.toLowerCase(), 32), 32 * i));
  return toHex(foldProofBytes(fromHex(leaf.toLowerCase(), 32), siblings, proof.length, viemKeccak)) as Hex;
}

/**
 * Whether a record read from the published file proves its leaf under `root` (the on-chain root): the
 * file and the server it came through are not trusted, only this check is.
 */
export function proofMatchesRoot(record: ProofRecord, root: Hex): boolean {
  return foldProof(rosterLeaf(record.index, record.beneficiary, record.amount), record.proof as Hex[]).toLowerCase() === root.toLowerCase();
}
