/**
 * Node-only: the same checksum verdicts and tree as the single-threaded functions, with the hashing
 * split across worker threads.
 *
 * Hashing (~4 million keccak calls for a million rows) is embarrassingly parallel: checksums and
 * leaves are independent, and so are the inner nodes of one depth. Rows and nodes live in
 * SharedArrayBuffers so workers write in place; sorting and layout stay on the main thread. The
 * output is byte-for-byte the single-threaded one (the tests check both against OpenZeppelin and
 * against each other). Writing the proofs file on workers was tried and measured slower here: it is
 * bound by memory traffic and the main thread's writes, not by the CPU.
 */
import { Worker } from "node:worker_threads";
import type { Keccak256 } from "./keccak.ts";
import { checkPendingChecksums, type PendingChecksums, type RosterRows } from "./input.ts";
import { RosterTree, hashInnerRange, hashLeafRange, placeSortedLeaves } from "./tree.ts";

/** Below this many nodes in a level, messaging a worker costs more than hashing on the spot. */
const MIN_PARALLEL_NODES = 8192;

export interface ParallelOptions {
  /** Threads in all, the main one included (so 2 = one worker). */
  threads: number;
  /** Levels smaller than this are hashed on the main thread (tests set 1 to exercise every split). */
  minParallelNodes?: number;
}

export type WorkerJob =
  | { kind: "checksums"; from: number; to: number }
  | { kind: "leaves"; from: number; to: number }
  | { kind: "inner"; first: number; last: number };

/** The arrays a worker shares with the main thread (all on SharedArrayBuffers). */
export interface SharedTreeData {
  indexes?: Uint8Array;
  beneficiaries: Uint8Array;
  amounts?: Uint8Array;
  leaves?: Uint8Array;
  nodes?: Uint8Array;
  caseMasks?: Uint8Array;
  checksumPending?: Uint8Array;
  checksumFailures?: Uint8Array;
}

/** A few workers, each running jobs in the order sent; run() resolves when that job is done. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(count: number, data: SharedTreeData) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL("./tree-worker.ts", import.meta.url), { workerData: data });
      worker.on("message", (id: number) => {
        this.pending.get(id)?.resolve();
        this.pending.delete(id);
      });
      worker.on("error", (error) => {
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run(worker: number, job: WorkerJob): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker].postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

function shareBytes(source: Uint8Array): Uint8Array {
  if (source.buffer instanceof SharedArrayBuffer) return source;
  const copy = sharedBytes(source.length);
  copy.set(source);
  return copy;
}

/**
 * The EIP-55 checks RosterParser deferred (deferChecksums), split over threads: one keccak per
 * mixed-case address, a third of all the hashing of a million-row build. Returns failures[row] = 1,
 * for RosterParser.finish().
 */
export async function verifyChecksumsParallel(batch: PendingChecksums, keccak: Keccak256, threads: number): Promise<Uint8Array> {
  const n = batch.count;
  const failures = sharedBytes(n);
  const data = { beneficiaries: shareBytes(batch.beneficiaries.subarray(0, n * 20)), caseMasks: shareBytes(batch.caseMasks.subarray(0, n * 5)), checksumPending: shareBytes(batch.pending.subarray(0, n)), checksumFailures: failures };
  const pool = new WorkerPool(Math.max(0, threads - 1), data);
  try {
    const size = Math.ceil(n / Math.max(1, threads));
    const pending: Promise<void>[] = [];
    for (let w = 0; w < pool.size; w++) {
      const from = Math.min(n, size * (w + 1));
      const to = Math.min(n, from + size);
      if (from < to) pending.push(pool.run(w, { kind: "checksums", from, to }));
    }
    checkPendingChecksums({ count: n, beneficiaries: data.beneficiaries, caseMasks: data.caseMasks, pending: data.checksumPending }, 0, Math.min(n, size), keccak, failures);
    await Promise.all(pending);
    return failures;
  } finally {
    await pool.close();
  }
}

export async function buildRosterTreeParallel(rows: RosterRows, keccak: Keccak256, options: ParallelOptions): Promise<RosterTree> {
  const threads = Math.max(1, Math.floor(options.threads));
  const minParallelNodes = options.minParallelNodes ?? MIN_PARALLEL_NODES;
  const n = rows.count;
  if (n === 0) throw new Error("a roster needs at least one row");
  const values = { indexes: shareBytes(rows.indexes), beneficiaries: shareBytes(rows.beneficiaries), amounts: shareBytes(rows.amounts) };
  const leaves = sharedBytes(n * 32);
  const nodes = sharedBytes((2 * n - 1) * 32);
  const pool = new WorkerPool(threads - 1, { ...values, leaves, nodes });

  /** Splits [from, to) into one slice per thread; the main thread takes the first while workers run. */
  const split = async (from: number, to: number, job: (a: number, b: number) => WorkerJob, local: (a: number, b: number) => void): Promise<void> => {
    const size = Math.ceil((to - from) / threads);
    const pending: Promise<void>[] = [];
    for (let w = 0; w < pool.size; w++) {
      const a = Math.min(to, from + size * (w + 1));
      const b = Math.min(to, a + size);
      if (a < b) pending.push(pool.run(w, job(a, b)));
    }
    local(from, Math.min(to, from + size));
    await Promise.all(pending);
  };

  try {
    await split(0, n, (a, b) => ({ kind: "leaves", from: a, to: b }), (a, b) => hashLeafRange(values, a, b, leaves, keccak));
    const treeIndex = placeSortedLeaves(leaves, n, nodes);
    // Inner nodes are [0, n-2]; depth d holds [2^d - 1, 2^(d+1) - 2]. Deepest level first.
    for (let depth = Math.floor(Math.log2(Math.max(1, n - 1))); depth >= 0; depth--) {
      const first = 2 ** depth - 1;
      const last = Math.min(2 ** (depth + 1) - 2, n - 2);
      if (first > last) continue;
      if (last - first + 1 < minParallelNodes || pool.size === 0) {
        hashInnerRange(nodes, first, last, keccak);
      } else {
        await split(first, last + 1, (a, b) => ({ kind: "inner", first: a, last: b - 1 }), (a, b) => hashInnerRange(nodes, a, b - 1, keccak));
      }
    }
    return new RosterTree({ count: n, nodes, ...values, treeIndex, byBeneficiary: rows.beneficiaryOrder });
  } finally {
    await pool.close();
  }
}
