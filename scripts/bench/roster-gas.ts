/**
 * The roster part of the gas benchmark alone (`npm run bench:roster-gas`): quicker while tuning the roster
 * contracts. `npm run bench` (scripts/bench/gas.ts) measures the same operations in one run with the
 * escrow's and writes the comparison table; this writes bench/results/gas-roster.json.
 *
 *   npm run bench:roster-gas
 *   npm run bench:roster-gas:snapshot     also rewrite the committed bench/gas-roster-snapshot.json
 *   ROSTER_GAS_SNAPSHOT_CHECK=1           fail if any operation costs more than the snapshot (+0.1%)
 *
 * Gas is checked here and in gas.ts, not in the mocha tests, because the coverage run instruments the
 * contracts and inflates gas.
 */
import { EVM_TARGET } from "../../hardhat.config.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { DEPTH, ROSTER_SNAPSHOT, ROSTER_SNAPSHOT_SLACK, measureRosterGas, printRosterRows, rosterOperations } from "./roster-gas-measure.ts";
import { snapshot } from "./snapshot.ts";

const RESULTS = "bench/results/gas-roster.json";

const rows = await measureRosterGas();
printRosterRows(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync(RESULTS, JSON.stringify({ network: `hardhat (edr-simulated, ${EVM_TARGET})`, proofDepth: DEPTH, operations: rosterOperations(rows) }, null, 2) + "\n");
console.log(`\nwrote ${RESULTS}`);

const ok = snapshot({
  file: ROSTER_SNAPSHOT,
  measured: Object.fromEntries(rows.map((r) => [r.operation, r.gas])),
  updateEnv: "ROSTER_GAS_SNAPSHOT_UPDATE",
  checkEnv: "ROSTER_GAS_SNAPSHOT_CHECK",
  slack: ROSTER_SNAPSHOT_SLACK,
  updateCommand: "npm run bench:roster-gas:snapshot",
});
if (!ok) process.exit(1);
