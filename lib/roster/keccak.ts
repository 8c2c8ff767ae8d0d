/**
 * Keccak-256 for the roster: one WASM hasher reused for every call.
 *
 * Why hash-wasm: on this machine it hashes a 64-byte node in ~0.8 µs, against ~3.5 µs for js-sha3,
 * ~5.5 µs for the native `keccak` addon (per-call N-API and stream overhead) and ~11 µs for
 * @noble/hashes. A million-row roster needs about four million hashes (leaf, leaf-of-leaf, inner
 * nodes, EIP-55 checksums), so the hash dominates the build time. It runs in browsers too.
 */
import { createKeccak } from "hash-wasm";

export interface Keccak256 {
  /** keccak256(input) as a fresh 32-byte array. */
  hash(input: Uint8Array): Uint8Array;
  /** keccak256(input) written into out[outOffset .. outOffset + 32). */
  hashInto(input: Uint8Array, out: Uint8Array, outOffset: number): void;
}

let shared: Promise<Keccak256> | undefined;

/** The process-wide hasher. Synchronous once created; not re-entrant (it is single-threaded JS anyway). */
export function keccak256Hasher(): Promise<Keccak256> {
  shared ??= createKeccak(256).then((hasher) => ({
    hash(input: Uint8Array): Uint8Array {
      hasher.init();
      hasher.update(input);
      return hasher.digest("binary");
    },
    hashInto(input: Uint8Array, out: Uint8Array, outOffset: number): void {
      hasher.init();
      hasher.update(input);
      out.set(hasher.digest("binary"), outOffset);
    },
  }));
  return shared;
}
