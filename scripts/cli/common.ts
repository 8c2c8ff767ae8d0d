/**
 * What every PrecisionAid command-line tool shares: connecting (a Hardhat network by name, or a bare RPC
 * URL), choosing the sending account, tables or JSON, progress bars and exit codes.
 *
 * Exit codes: 0 done; 1 a failure (a refused transaction, books that do not balance, no node);
 * 2 bad input (arguments, files), in which case nothing was sent.
 */
import { type Provider, type Signer, JsonRpcProvider, Wallet, getAddress, isAddress } from "ethers";
import cliProgress from "cli-progress";
import { readFileSync } from "node:fs";
import type { Deployment } from "../../lib/chain/contracts.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";

export const EXIT = { OK: 0, FAILURE: 1, BAD_INPUT: 2 } as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.FAILURE) {
    super(message);
    this.exitCode = exitCode;
  }
}

export const badInput = (message: string) => new CliError(message, EXIT.BAD_INPUT);

export const CONNECTION_HELP = `Connection:
  --network <name>    a network from hardhat.config.ts (default: localhost)
  --rpc-url <url>     talk to this JSON-RPC endpoint instead (no Hardhat config needed)
  --from <account>    sending account: an address or an index into the node's/network's accounts
                      (default 0). With --rpc-url, PRECISIONAID_PRIVATE_KEY (env) signs instead.
  --json              print machine-readable JSON instead of tables
  -h, --help          this text`;

export const CONNECTION_OPTIONS = {
  network: { type: "string", default: "localhost" },
  "rpc-url": { type: "string" },
  from: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export interface Connection {
  provider: Provider;
  chainId: number;
  /** Resolves the sending account lazily: read-only tools never ask for one. */
  signer: () => Promise<Signer>;
  close: () => Promise<void>;
  describe: string;
}

async function pickSigner(candidates: () => Promise<Signer[]>, from: string | undefined, provider: Provider): Promise<Signer> {
  const list = await candidates();
  if (from === undefined || /^\d+$/.test(from)) {
    const i = Number(from ?? 0);
    if (!list[i]) throw badInput(`--from ${from}: there are only ${list.length} accounts`);
    return list[i];
  }
  if (!isAddress(from)) throw badInput(`--from "${from}" is neither an index nor an address`);
  for (const s of list) if ((await s.getAddress()) === getAddress(from)) return s;
  if (provider instanceof JsonRpcProvider) return provider.getSigner(getAddress(from));
  throw badInput(`--from ${from} is not one of the available accounts`);
}

export async function connect(o: { network?: string; "rpc-url"?: string; from?: string }): Promise<Connection> {
  let provider: Provider;
  let signers: () => Promise<Signer[]>;
  let close = async () => {};
  let describe: string;
  if (o["rpc-url"]) {
    const rpc = new JsonRpcProvider(o["rpc-url"], undefined, { pollingInterval: 100 });
    provider = rpc;
    const key = process.env.PRECISIONAID_PRIVATE_KEY;
    signers = async () =>
      key ? [new Wallet(key, rpc)] : Promise.all((await rpc.listAccounts()).map((a) => rpc.getSigner(a.address)));
    close = async () => rpc.destroy();
    describe = o["rpc-url"];
  } else {
    // Hardhat's network config, so secrets come from configVariable / the keystore as for deploys.
    const { network } = await import("hardhat");
    const conn = await network.create({ network: o.network ?? "localhost" });
    provider = conn.ethers.provider;
    signers = () => conn.ethers.getSigners();
    close = () => conn.close();
    describe = `network ${o.network ?? "localhost"}`;
  }
  let chainId: number;
  try {
    chainId = Number((await provider.getNetwork()).chainId);
  } catch (err) {
    await close().catch(() => {});
    throw new CliError(`Cannot reach ${describe}: is the node running (npm start)? (${(err as Error).message.split("\n")[0]})`);
  }
  return { provider, chainId, signer: () => pickSigner(signers, o.from, provider), close, describe };
}

/**
 * The deployment for the connected chain, refusing a chain where the recorded escrow has no code (a
 * restarted devnet, or a module generated for another chain instance): reading an empty address would
 * "balance" trivially and mislead.
 */
export async function deploymentOf(conn: Connection, file?: string) {
  const lib = await loadLib();
  const d = file ? readDeploymentFile(file, conn.chainId) : lib.requireDeployment(conn.chainId);
  const checked: [string, string][] = [["AidRegistry", d.registry], ["AidEscrow", d.escrow]];
  if (d.contracts.AidRosterFactory) checked.push(["AidRosterFactory", d.contracts.AidRosterFactory.address]);
  for (const [name, address] of checked) {
    if ((await conn.provider.getCode(address)) === "0x") {
      throw new CliError(
        `${name} has no code at ${address} on chain ${conn.chainId} (${conn.describe}): the chain was restarted or never ` +
          "deployed to. Run `npm start` (local) or `npm run deploy`, which also regenerates lib/generated/contracts.ts.",
      );
    }
  }
  return d;
}

/**
 * A deployment described by a JSON file in the ChainDeployment shape of scripts/generate-contracts.ts
 * ({ chainId, name, deploymentBlock, contracts: { AidRegistry: { address, blockNumber }, ... } }): how the
 * tools reach a deployment that lib/generated/contracts.ts does not list (a benchmark's own, a rehearsal).
 * Every problem is reported with the file and the field.
 */
export function readDeploymentFile(file: string, chainId: number): Deployment & { registry: string; escrow: string } {
  let json: any;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw badInput(`${file}: ${(err as Error).message}`);
  }
  const fail = (field: string, message: string) => badInput(`${file}: ${field}: ${message}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw fail("(root)", "expected an object");
  if (!Number.isInteger(json.chainId)) throw fail("chainId", "expected an integer");
  if (json.chainId !== chainId) throw fail("chainId", `the file is for chain ${json.chainId}, the node is chain ${chainId}`);
  if (!Number.isInteger(json.deploymentBlock) || json.deploymentBlock < 0) throw fail("deploymentBlock", "expected an integer >= 0");
  if (typeof json.contracts !== "object" || json.contracts === null) throw fail("contracts", "expected an object");
  const contracts: Deployment["contracts"] = {};
  for (const name of ["AidRegistry", "AidEscrow", "TestStablecoin", "AidRosterFactory"] as const) {
    const c = json.contracts[name];
    if (c === undefined) {
      if (name === "AidRegistry" || name === "AidEscrow") throw fail(`contracts.${name}`, "required");
      continue;
    }
    if (typeof c?.address !== "string" || !isAddress(c.address)) throw fail(`contracts.${name}.address`, "expected a 0x address");
    if (!Number.isInteger(c.blockNumber) || c.blockNumber < 0) throw fail(`contracts.${name}.blockNumber`, "expected an integer >= 0");
    contracts[name] = { address: getAddress(c.address), blockNumber: c.blockNumber };
  }
  return {
    chainId,
    name: typeof json.name === "string" ? json.name : `chain-${chainId}`,
    deploymentBlock: json.deploymentBlock,
    contracts,
    registry: contracts.AidRegistry!.address,
    escrow: contracts.AidEscrow!.address,
  };
}

/** The generated module is build output; make sure it exists before importing anything that uses it. */
export async function loadLib() {
  await ensureGeneratedContracts();
  const contracts = await import("../../lib/chain/contracts.ts");
  const errors = await import("../../lib/errors/sentences.ts");
  return { ...contracts, ...errors };
}

export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return "(none)";
  const cols = columns ?? Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? "")));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** A progress bar on stderr; silent when stderr is not a terminal (CI, tests, pipes) or with --json. */
export function progress(label: string, enabled: boolean) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const on = enabled && Boolean(process.stderr.isTTY);
  return {
    /** True when the bar owns the terminal line: callers then keep per-item lines to themselves. */
    active: on,
    start: (total: number) => on && bar.start(total, 0),
    update: (value: number, total?: number) => {
      if (!on) return;
      if (total !== undefined) bar.setTotal(total);
      bar.update(value);
    },
    stop: () => on && bar.stop(),
  };
}

/** Runs a tool's main, turning errors into sentences and exit codes. */
export async function runCli(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`error: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    const { explainError } = await loadLib();
    console.error(`error: ${explainError(err)}`);
    process.exitCode = EXIT.FAILURE;
  }
}

/** JSON.stringify that writes bigints as decimal strings. */
export const toJson = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
