/**
 * Starting a local `hardhat node` and the processes around it: shared by `npm start` (scripts/devnet.ts),
 * the scale bench (scripts/bench/scale.ts) and the tests that need a real node over HTTP.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../../lib/chain/codegen.ts";

export const HARDHAT_CLI = join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
/** Hardhat's well-known dev mnemonic: its keys are public, never send real funds to them. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/**
 * The dev key that pays the local relayer's gas (its key goes only into the relayer's environment). Index
 * 20 of the dev mnemonic: just past the node's 20 unlocked accounts, which the demo gives to people, so
 * no wallet user ever shares the relayer's transaction nonces. The node does not fund it: see
 * fundDevRelayer.
 */
export const RELAYER_ACCOUNT_INDEX = 20;
/** What fundDevRelayer gives the local relayer: enough gas money for any demo or benchmark. */
export const DEV_RELAYER_BALANCE = 10n ** 21n; // 1,000 ETH

/** Funds the local relayer's key on a Hardhat node (hardhat_setBalance; local chains only). */
export async function fundDevRelayer(rpcUrl: string, address: string): Promise<void> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hardhat_setBalance", params: [address, `0x${DEV_RELAYER_BALANCE.toString(16)}`] }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`could not fund the local relayer ${address}: ${body.error.message}`);
}

export function portIsFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(p, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the chain id once `url` answers eth_chainId; fails early if `node` exits. */
export async function waitForRpc(url: string, node: ChildProcess, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited early (code ${node.exitCode}); see its log`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return Number((await res.json()).result);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
}

export interface LocalNode {
  process: ChildProcess;
  rpcUrl: string;
  chainId: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
  stop: () => Promise<void>;
}

/** Stops a child we started: SIGTERM, SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts `hardhat node` on 127.0.0.1:`port` (chain 31337), logging to `logFile`, and waits for it to answer. */
export async function startHardhatNode(o: { port: number; logFile: string; onSpawn?: (child: ChildProcess) => void }): Promise<LocalNode> {
  const rpcUrl = `http://127.0.0.1:${o.port}`;
  const log = createWriteStream(o.logFile);
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(o.port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  o.onSpawn?.(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const chainId = await waitForRpc(rpcUrl, child);
  return { process: child, rpcUrl, chainId, stop: () => stopChild(child) };
}

/**
 * Starts scripts/relayer.ts as a child with the key only in its environment, and resolves with its URL
 * once it prints that it listens.
 */
export function startRelayerProcess(o: {
  rpcUrl: string;
  port: number;
  factory: string;
  privateKey: string;
  args?: string[];
  logFile?: string;
}): Promise<{ process: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "scripts", "relayer.ts"), "--rpc-url", o.rpcUrl, "--port", String(o.port), "--factory", o.factory, ...(o.args ?? [])],
    { cwd: ROOT, env: { ...process.env, RELAYER_PRIVATE_KEY: o.privateKey }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = o.logFile ? createWriteStream(o.logFile) : undefined;
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relayer did not start in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      log?.write(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ process: child, url: m[1], output: () => out });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the relayer exited with ${code}:\n${out}`));
    });
  });
}
