/**
 * `npm run coverage`: runs every test (Solidity and TypeScript) with Hardhat's coverage and fails
 * unless every line and every statement of contracts/ is covered. Test-only contracts (contracts/mocks/)
 * are excluded: they exist to be misbehaving counterparts, not product code.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const result = spawnSync("npx", ["hardhat", "test", "--coverage"], { encoding: "utf8", maxBuffer: 1 << 28 });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
if (result.status !== 0) {
  console.error(`coverage: the test run failed (exit ${result.status})`);
  process.exit(result.status ?? 1);
}

const isProduct = (file: string) => file.startsWith("contracts/") && !file.startsWith("contracts/mocks/");

// Lines: from lcov, exact per line.
const uncoveredLines = new Map<string, number[]>();
let file = "";
for (const line of readFileSync("coverage/lcov.info", "utf8").split("\n")) {
  if (line.startsWith("SF:")) file = line.slice(3);
  const da = /^DA:(\d+),(\d+)/.exec(line);
  if (da && isProduct(file) && da[2] === "0") {
    uncoveredLines.set(file, [...(uncoveredLines.get(file) ?? []), Number(da[1])]);
  }
}

// Statements: lcov carries no statement records here, so read Hardhat's printed table.
const plain = result.stdout.replace(/\x1b\[[0-9;]*m/g, "");
const statementGaps: string[] = [];
let seen = 0;
for (const m of plain.matchAll(/║\s*(contracts\/\S+\.sol)\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│/g)) {
  if (!isProduct(m[1])) continue;
  seen++;
  if (Number(m[3]) < 100) statementGaps.push(`${m[1]}: ${m[3]}% of statements`);
}

if (seen === 0) {
  console.error("coverage: no product contract found in the coverage report");
  process.exit(1);
}
if (uncoveredLines.size || statementGaps.length) {
  for (const [f, lines] of uncoveredLines) console.error(`coverage: ${f} lines not covered: ${lines.sort((a, b) => a - b).join(", ")}`);
  for (const gap of statementGaps) console.error(`coverage: ${gap}`);
  process.exit(1);
}
console.log(`coverage: 100% of lines and statements in ${seen} product contracts`);
