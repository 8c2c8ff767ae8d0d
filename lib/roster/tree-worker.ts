/** Worker thread for parallel-node.ts: runs the hashing jobs it is sent, in order. */
import { parentPort, workerData } from "node:worker_threads";
import { keccak256Hasher } from "./keccak.ts";
import { hashInnerRange, hashLeafRange } from "./tree.ts";
import { checkPendingChecksums } from "./input.ts";
import type { SharedTreeData, WorkerJob } from "./parallel-node.ts";

const keccak = await keccak256Hasher();
const data = workerData as SharedTreeData;

parentPort!.on("message", ({ id, job }: { id: number; job: WorkerJob }) => {
  if (job.kind === "checksums") {
    const batch = { count: data.checksumFailures!.length, beneficiaries: data.beneficiaries, caseMasks: data.caseMasks!, pending: data.checksumPending! };
    checkPendingChecksums(batch, job.from, job.to, keccak, data.checksumFailures);
  } else if (job.kind === "leaves") hashLeafRange(data as Required<SharedTreeData>, job.from, job.to, data.leaves!, keccak);
  else if (job.kind === "inner") hashInnerRange(data.nodes!, job.first, job.last, keccak);
  parentPort!.postMessage(id);
});
