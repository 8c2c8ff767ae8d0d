/** Worker thread for parallel-node.ts: runs the hashing and proof-encoding jobs it is sent, in order. */
import { parentPort, workerData } from "node:worker_threads";
import { keccak256Hasher } from "./keccak.ts";
import { RosterTree, hashInnerRange, hashLeafRange } from "./tree.ts";
import { encodeProofRecords } from "./files.ts";
import { checkPendingChecksums } from "./input.ts";
import type { SharedTreeData, WorkerJob } from "./parallel-node.ts";

const keccak = await keccak256Hasher();
const data = workerData as SharedTreeData;
let tree: RosterTree | undefined;

parentPort!.on("message", ({ id, job }: { id: number; job: WorkerJob }) => {
  if (job.kind === "checksums") {
    const batch = { count: data.checksumFailures!.length, beneficiaries: data.beneficiaries, caseMasks: data.caseMasks!, pending: data.checksumPending! };
    checkPendingChecksums(batch, job.from, job.to, keccak, data.checksumFailures);
  } else if (job.kind === "leaves") hashLeafRange(data as Required<SharedTreeData>, job.from, job.to, data.leaves!, keccak);
  else if (job.kind === "inner") hashInnerRange(data.nodes!, job.first, job.last, keccak);
  else {
    tree ??= new RosterTree({
      count: data.treeIndex!.length,
      nodes: data.nodes!,
      indexes: data.indexes!,
      beneficiaries: data.beneficiaries,
      amounts: data.amounts!,
      treeIndex: data.treeIndex!,
      byBeneficiary: data.byBeneficiary!,
    });
    encodeProofRecords(tree, job.first, job.count, job.out);
  }
  parentPort!.postMessage(id);
});
