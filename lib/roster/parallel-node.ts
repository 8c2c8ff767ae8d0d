/**
 * Node-only: the same tree as buildRosterTree, with the hashing split across worker threads.
 *
 * Hashing is ~3 million keccak calls for a million rows and is embarrassingly parallel: leaves are
 * independent, and so are the inner nodes of one depth. The rows and nodes live in SharedArrayBuffers
 * so the workers write their hashes in place; the sort and the layout stay on the main thread. The
 * result is byte-for-byte the single-threaded tree (the test suite checks both against OpenZeppelin).
 */
import { Worker } from "node:worker_threads";
import type { Keccak256 } from "./keccak.ts";
import type { RosterRows } from "./input.ts";
import { RosterTree, hashInnerRange, hashLeafRange, placeSortedLeaves } from "./tree.ts";

/** Below this many nodes in a level, messaging a worker costs more than hashing on the spot. */
const MIN_PARALLEL_NODES = 8192;

export interface ParallelOptions {
  /** Threads in all, the main one included (so 2 = one worker). */
  threads: number;
  /** Levels smaller than this are hashed on the main thread (tests set 1 to exercise every split). */
  minParallelNodes?: number;
}

type Job = { kind: "leaves"; from: number; to: number } | { kind: "inner"; first: number; last: number };

function shared(bytes: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(bytes));
}

function sharedCopy(source: Uint8Array): Uint8Array {
  const copy = shared(source.length);
  copy.set(source);
  return copy;
}

export async function buildRosterTreeParallel(rows: RosterRows, keccak: Keccak256, options: ParallelOptions): Promise<RosterTree> {
  const threads = Math.max(1, Math.floor(options.threads));
  const minParallelNodes = options.minParallelNodes ?? MIN_PARALLEL_NODES;
  const n = rows.count;
  if (n === 0) throw new Error("a roster needs at least one row");
  const values = { indexes: sharedCopy(rows.indexes), beneficiaries: sharedCopy(rows.beneficiaries), amounts: sharedCopy(rows.amounts) };
  const leaves = shared(n * 32);
  const nodes = shared((2 * n - 1) * 32);

  const workers: Worker[] = [];
  for (let i = 1; i < threads; i++) {
    workers.push(
      new Worker(new URL("./tree-worker.ts", import.meta.url), {
        workerData: { indexes: values.indexes, beneficiaries: values.beneficiaries, amounts: values.amounts, leaves, nodes },
      }),
    );
  }
  const run = (worker: Worker, job: Job): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      worker.once("error", onError);
      worker.once("message", () => {
        worker.off("error", onError);
        resolve();
      });
      worker.postMessage(job);
    });
  /** Splits [from, to) into one slice per thread; the main thread takes the first while workers run. */
  const split = async (from: number, to: number, job: (a: number, b: number) => Job, local: (a: number, b: number) => void): Promise<void> => {
    const size = Math.ceil((to - from) / threads);
    const pending = workers.map((worker, w) => {
      const a = Math.min(to, from + size * (w + 1));
      const b = Math.min(to, a + size);
      return a < b ? run(worker, job(a, b)) : Promise.resolve();
    });
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
      if (last - first + 1 < minParallelNodes || workers.length === 0) {
        hashInnerRange(nodes, first, last, keccak);
      } else {
        await split(first, last + 1, (a, b) => ({ kind: "inner", first: a, last: b - 1 }), (a, b) => hashInnerRange(nodes, a, b - 1, keccak));
      }
    }
    return new RosterTree({ count: n, nodes, ...values, treeIndex, byBeneficiary: rows.beneficiaryOrder });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
