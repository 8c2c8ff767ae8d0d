/**
 * Helpers for the tests that drive the real programs: a devnet (scripts/devnet.ts) on a free port,
 * and the CLIs as child processes, exactly as a user runs them.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { freePort } from "../../../scripts/devnet/node.ts";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export { freePort };

export interface Devnet {
  process: ChildProcess;
  port: number;
  rpcUrl: string;
  output: () => string;
  /** Direct children (the hardhat node) seen while it ran. */
  childPids: number[];
}

/** Starts scripts/devnet.ts on a free port and resolves once it prints its ready line. */
export async function startDevnet(timeoutMs = 90_000): Promise<Devnet> {
  const port = await freePort();
  const relayerPort = await freePort();
  // Its own process group, like a terminal's foreground job, so Ctrl-C can be sent to the whole group.
  const child = spawn(process.execPath, [join(ROOT, "scripts", "devnet.ts"), "--port", String(port), "--no-web", "--relayer-port", String(relayerPort)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`devnet not ready after ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes("PrecisionAid devnet ready")) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`devnet exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { process: child, port, rpcUrl: `http://127.0.0.1:${port}`, output: () => out, childPids: childrenOf(child.pid!) };
}

export function childrenOf(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopDevnet(d: Devnet): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (d.process.exitCode !== null) return { code: d.process.exitCode, signal: null };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    d.process.once("exit", (code, signal) => res({ code, signal })),
  );
  // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
  process.kill(-d.process.pid!, "SIGINT");
  return exited;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/cli/<name>.ts with args and waits for it. */
export function runCli(name: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts", "cli", `${name}.ts`), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => res({ code, stdout, stderr }));
  });
}

/** Starts a CLI and SIGKILLs it as soon as `marker` appears on stdout: a crash mid-run. */
export function runCliUntil(name: string, args: string[], marker: string): Promise<CliRun & { killed: boolean }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts", "cli", `${name}.ts`), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!killed && stdout.includes(marker)) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => res({ code, stdout, stderr, killed }));
  });
}
