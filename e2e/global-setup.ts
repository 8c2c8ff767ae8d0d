/**
 * Starts the whole stack the browser tests drive: scripts/devnet.ts on its own port (fresh chain,
 * Ignition deploy, demo seed, regenerated lib/generated/contracts.ts), then a production build of the
 * dApp pointed at that node (`next build` into .next-e2e/, redone only when the dApp's sources change;
 * scripts/devnet/web.ts), then `next start`. Each child runs in its own process group; global-teardown.ts stops exactly those.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureWebBuild, startWeb } from "../scripts/devnet/web.ts";
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

  const devnet = await start("devnet", ["scripts/devnet.ts", "--port", String(E2E_RPC_PORT), "--no-web"], env, (l) => l.includes("devnet ready"), 240_000);
  pids.push(devnet.pid!);
  save();

  // Its own build folder (the RPC URL is baked in), rebuilt only when the dApp's sources change.
  const web = { distDir: ".next-e2e", env, log: (l: string) => console.log(`[e2e] ${l}`), verbose: !!process.env.E2E_VERBOSE };
  ensureWebBuild(web);
  const server = await startWeb({ ...web, port: E2E_WEB_PORT, detached: true });
  pids.push(server.pid!);
  save();
  // First request compiles nothing (production), but warm the server so the first test's timings are fair.
  await fetch(E2E_WEB_URL).catch(() => undefined);
}
