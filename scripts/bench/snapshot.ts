/**
 * Committed gas snapshots (bench/gas-snapshot.json, bench/gas-roster-snapshot.json): rewritten when the
 * update variable is 1, checked when the check variable is 1 (npm test), so a regression shows in review.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export interface SnapshotOptions {
  file: string;
  measured: Record<string, number>;
  /** e.g. GAS_SNAPSHOT_UPDATE: when "1", the snapshot is rewritten. */
  updateEnv: string;
  /** e.g. GAS_SNAPSHOT_CHECK: when "1", any operation above the snapshot (plus slack) fails. */
  checkEnv: string;
  /** Relative slack, e.g. 0.001: signatures change calldata's zero bytes from run to run. */
  slack?: number;
  /** The command that rewrites the snapshot, for the error message. */
  updateCommand: string;
}

/** Returns false when the check failed (the caller exits 1); prints what it did either way. */
export function snapshot(o: SnapshotOptions): boolean {
  if (process.env[o.updateEnv] === "1") {
    writeFileSync(o.file, JSON.stringify(o.measured, null, 2) + "\n");
    console.log(`wrote ${o.file}`);
    return true;
  }
  if (process.env[o.checkEnv] !== "1") return true;
  if (!existsSync(o.file)) {
    console.error(`${o.file} is missing: run \`${o.updateCommand}\` and commit it.`);
    return false;
  }
  const committed: Record<string, number> = JSON.parse(readFileSync(o.file, "utf8"));
  const slack = 1 + (o.slack ?? 0);
  const regressions = Object.entries(o.measured).filter(([op, used]) => committed[op] === undefined || used > committed[op] * slack);
  const missing = Object.keys(committed).filter((op) => o.measured[op] === undefined);
  for (const [op, used] of regressions) console.error(`gas regression: "${op}" costs ${used}, ${o.file} says ${committed[op] ?? "(not in snapshot)"}`);
  for (const op of missing) console.error(`${o.file} lists "${op}" but the benchmark no longer measures it`);
  if (regressions.length || missing.length) {
    console.error(`If the change is intended, run \`${o.updateCommand}\` and commit ${o.file}.`);
    return false;
  }
  console.log(`gas snapshot check: ${Object.keys(o.measured).length} operations, none costs more than ${o.file}`);
  return true;
}
