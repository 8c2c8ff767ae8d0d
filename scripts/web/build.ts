/**
 * `npm run build:web`: a production build of the dApp from any state of the checkout. Compiles the
 * contracts and writes lib/generated/contracts.ts if they are missing (a fresh clone has neither),
 * runs `next build`, then fails if anything private-key-like reached the browser bundle.
 *
 *   bash scripts/setup.sh node scripts/web/build.ts
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { checkBundleSecrets } from "./check-secrets.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(join(ROOT, "artifacts", "contracts", "AidEscrow.sol", "AidEscrow.json")))
  run([join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--quiet", "--no-tests"]);
if (!existsSync(join(ROOT, "lib", "generated", "contracts.ts"))) run([join(ROOT, "scripts", "generate-contracts.ts")]);
run([join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"]);
const problems = checkBundleSecrets();
if (problems.length) {
  console.error(`Possible secrets in the browser bundle:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("build:web: no private-key-like strings in .next/static");
