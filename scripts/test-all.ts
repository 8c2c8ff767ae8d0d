/**
 * `npm test`: every check the project has, in order, failing on the first error, ending with one
 * summary line "N passed, N failed" that counts every test of every runner.
 *
 * Steps: solhint (0 warnings) -> compile -> typed ABI module -> type check -> import rules -> Solidity tests (unit, fuzz,
 * invariant; the `ci` profile under CI=true) -> TypeScript tests -> browser end-to-end tests -> gas
 * snapshot checks.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

type Step = {
  name: string;
  cmd: string[];
  counts?: boolean;
  env?: Record<string, string>;
  /** Returns why the step cannot run here, or undefined. */
  requires?: () => string | undefined;
};

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ci = process.env.CI === "true";
const steps: Step[] = [
  { name: "lint (solhint, 0 warnings)", cmd: ["npx", "solhint", "--max-warnings", "0", "contracts/**/*.sol"] },
  { name: "compile", cmd: ["npx", "hardhat", "build"] },
  // The typed ABI module is build output; the type check and the tools need it.
  { name: "generate typed contracts module", cmd: ["node", "scripts/generate-contracts.ts"] },
  { name: "type check", cmd: ["npx", "tsc", "--noEmit"] },
  // Imports run one way (app -> components -> hooks -> lib, scripts -> lib) and viem is the one client
  // library: .dependency-cruiser.cjs says how, and any violation fails here.
  { name: "import rules (dependency-cruiser)", cmd: ["npx", "depcruise", "app", "components", "hooks", "lib", "scripts", "proxy.ts", "--config", ".dependency-cruiser.cjs"] },
  {
    name: `Solidity tests${ci ? " (ci profile)" : ""}`,
    cmd: ["npx", "hardhat", "test", "solidity", "--no-compile", ...(ci ? ["--test-profile", "ci"] : [])],
    counts: true,
  },
  { name: "TypeScript tests", cmd: ["npx", "hardhat", "test", "mocha", "--no-compile"], counts: true },
  // Real Chromium against a real node and the production Next server (e2e/global-setup.ts).
  {
    name: "browser end-to-end tests (Chromium)",
    cmd: ["npx", "playwright", "test"],
    counts: true,
    requires: () =>
      existsSync(chromium)
        ? undefined
        : `no Chromium at ${chromium}. Install Debian's: apt-get install chromium fonts-wqy-microhei ` +
          "(.ci/run does), or point CHROMIUM_PATH at one.",
  },
  // One run measures the escrow and the roster (with the anchors) and checks both snapshots.
  {
    name: "gas snapshot checks (escrow and roster)",
    cmd: ["npx", "hardhat", "run", "scripts/bench/gas.ts", "--no-compile"],
    env: { GAS_SNAPSHOT_CHECK: "1", ROSTER_GAS_SNAPSHOT_CHECK: "1" },
  },
];

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
// Colour only on a terminal: CI logs and files stay plain text.
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (s: string) => (colour ? `\x1b[1m${s}\x1b[0m` : s);

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd[0], step.cmd.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...step.env },
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => {
      output += d;
      process.stderr.write(d);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const step of steps) {
  console.log(`\n${bold(`▶ ${step.name}`)}  (${step.cmd.join(" ")})`);
  const missing = step.requires?.();
  if (missing) {
    console.error(`\n✖ ${step.name} cannot run: ${missing}`);
    console.log(`${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(1);
  }
  const { code, output } = await run(step);
  if (step.counts) {
    const text = stripAnsi(output);
    for (const m of text.matchAll(/^\s*(\d+) passing/gm)) passed += Number(m[1]);
    for (const m of text.matchAll(/^\s*(\d+) failing/gm)) failed += Number(m[1]);
  }
  if (code !== 0) {
    console.error(`\n✖ ${step.name} failed (exit ${code}); stopping.`);
    if (failed === 0) failed = 1; // a failing step that printed no count still fails the summary
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(code);
  }
}
console.log(`\nAll steps green in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
