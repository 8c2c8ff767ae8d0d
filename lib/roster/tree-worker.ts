/** Worker thread for buildRosterTreeParallel: hashes the slices of leaves and inner nodes it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { keccak256Hasher } from "./keccak.ts";
import { hashInnerRange, hashLeafRange } from "./tree.ts";

const keccak = await keccak256Hasher();
const { indexes, beneficiaries, amounts, leaves, nodes } = workerData as Record<string, Uint8Array>;
const values = { indexes, beneficiaries, amounts };

parentPort!.on("message", (job: { kind: string; from: number; to: number; first: number; last: number }) => {
  if (job.kind === "leaves") hashLeafRange(values, job.from, job.to, leaves, keccak);
  else hashInnerRange(nodes, job.first, job.last, keccak);
  parentPort!.postMessage("done");
});
