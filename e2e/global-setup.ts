/**
 * Starts the whole stack the browser tests drive, the way users do: `npm start` (scripts/devnet.ts) on
 * its own ports: fresh chain, Ignition deploy, demo seed, regenerated lib/generated/contracts.ts, and the
 * dApp's production build served by `next start`. The devnet runs in its own process group;
 * global-teardown.ts stops it, and it stops every process it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { E2E_RPC_PORT, E2E_RPC_URL, E2E_WEB_PORT, E2E_WEB_URL } from "./env.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const PIDS_FILE = join(ROOT, "test-results", ".e2e-pids.json");

function start(label: string, args: string[], env: NodeJS.ProcessEnv, ready: (line: string) => boolean, timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const timer = setTimeout(() => reject(new Error(`${label} not ready after ${timeoutMs / 1000} s:\n${log.slice(-3000)}`)), timeoutMs);
    const onData = (buf: Buffer) => {
      log += buf.toString();
      if (process.env.E2E_VERBOSE) process.stdout.write(`[${label}] ${buf}`);
      if (ready(log)) {
        clearTimeout(timer);
        resolvePromise(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}) before it was ready:\n${log.slice(-3000)}`));
    });
  });
}

export default async function globalSetup() {
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  const pids: number[] = [];
  const save = () => writeFileSync(PIDS_FILE, JSON.stringify(pids));
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_PUBLIC_RPC_URL: E2E_RPC_URL };

  // Exactly `npm start`, on other ports: chain on E2E_RPC_PORT, the dApp (a production build in
  // .next-<port>/, redone only when its sources change) on E2E_WEB_PORT. "devnet ready" comes last.
  const devnet = await start(
    "devnet",
    ["scripts/devnet.ts", "--port", String(E2E_RPC_PORT), "--web-port", String(E2E_WEB_PORT)],
    { ...env, PRECISIONAID_QUIET_WEB_BUILD: "1" },
    (l) => l.includes("devnet ready"),
    600_000,
  );
  pids.push(devnet.pid!);
  save();
  // First request compiles nothing (production), but warm the server so the first test's timings are fair.
  await fetch(E2E_WEB_URL).catch(() => undefined);
}
