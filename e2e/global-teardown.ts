import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const PIDS_FILE = join(resolve(import.meta.dirname, ".."), "test-results", ".e2e-pids.json");

/** Stops the process groups global-setup started (devnet with its hardhat node, next start), and only those. */
export default async function globalTeardown() {
  if (!existsSync(PIDS_FILE)) return;
  const pids: number[] = JSON.parse(readFileSync(PIDS_FILE, "utf8"));
  for (const pid of pids.reverse()) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
  await new Promise((r) => setTimeout(r, 1500));
  for (const pid of pids) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* stopped cleanly */
    }
  }
  rmSync(PIDS_FILE, { force: true });
}
