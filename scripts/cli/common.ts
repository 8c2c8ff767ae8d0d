/**
 * What every PrecisionAid command-line tool shares: connecting (a Hardhat network by name, or a bare RPC
 * URL), choosing the sending account, tables or JSON, progress bars and exit codes.
 *
 * Exit codes: 0 done; 1 a failure (a refused transaction, books that do not balance, no node);
 * 2 bad input (arguments, files), in which case nothing was sent.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  getAddress,
  http,
  isAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type EIP1193Provider,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import cliProgress from "cli-progress";
import { readFileSync } from "node:fs";
import { deploymentFrom, type Deployment } from "../../lib/chain/deployment-record.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";
import { EXIT } from "../../lib/errors/exit-codes.ts";

export { EXIT };

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

/** A wallet client with its sending account (a local key, or an account the node or network signs for). */
export type Wallet = WalletClient<Transport, Chain, Account>;

export interface Connection {
  /** Reads (viem), over the RPC URL or Hardhat's own EIP-1193 provider for the network. */
  client: PublicClient<Transport, Chain>;
  chainId: number;
  /** Resolves the sending account lazily: read-only tools never ask for one. */
  wallet: () => Promise<Wallet>;
  close: () => Promise<void>;
  describe: string;
}

/** Which account sends: --from as an index into `accounts`, or an address among them. */
async function pickAccount(accounts: (Account | Address)[], from: string | undefined, anyAddress: boolean): Promise<Account | Address> {
  if (from === undefined || /^\d+$/.test(from)) {
    const i = Number(from ?? 0);
    if (!accounts[i]) throw badInput(`--from ${from}: there are only ${accounts.length} accounts`);
    return accounts[i];
  }
  if (!isAddress(from)) throw badInput(`--from "${from}" is neither an index nor an address`);
  const want = getAddress(from);
  for (const a of accounts) if (getAddress(typeof a === "string" ? a : a.address) === want) return a;
  // A bare node signs for any account it holds unlocked, listed or not; it refuses the rest itself.
  if (anyAddress) return want;
  throw badInput(`--from ${from} is not one of the available accounts`);
}

export async function connect(o: { network?: string; "rpc-url"?: string; from?: string }): Promise<Connection> {
  let transport: Transport;
  let localKey: string | undefined;
  let close = async () => {};
  let describe: string;
  if (o["rpc-url"]) {
    transport = http(o["rpc-url"], { retryCount: 0 });
    localKey = process.env.PRECISIONAID_PRIVATE_KEY;
    describe = o["rpc-url"];
  } else {
    // Hardhat's network config, so secrets come from configVariable / the keystore as for deploys: its
    // EIP-1193 provider signs for the network's configured accounts.
    const { network } = await import("hardhat");
    const conn = await network.create({ network: o.network ?? "localhost" });
    transport = custom(conn.provider as unknown as EIP1193Provider, { retryCount: 0 });
    close = () => conn.close();
    describe = `network ${o.network ?? "localhost"}`;
  }
  let chainId: number;
  try {
    const probe = createPublicClient({ transport });
    chainId = await probe.getChainId();
  } catch (err) {
    await close().catch(() => {});
    throw new CliError(`Cannot reach ${describe}: is the node running (npm start)? (${((err as { shortMessage?: string }).shortMessage ?? (err as Error).message).split("\n")[0]})`);
  }
  const chain = defineChain({ id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [o["rpc-url"] ?? ""] } } });
  const client = createPublicClient({ chain, transport, pollingInterval: 100 });
  const wallet = async (): Promise<Wallet> => {
    const accounts: (Account | Address)[] = localKey ? [privateKeyToAccount(localKey as `0x${string}`)] : ((await client.request({ method: "eth_accounts" } as never)) as string[]).map((a) => getAddress(a));
    const account = await pickAccount(accounts, o.from, Boolean(o["rpc-url"]) && !localKey);
    return createWalletClient({ chain, transport, account, pollingInterval: 100 }) as Wallet;
  };
  return { client, chainId, wallet, close, describe };
}

export interface WriteCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

/**
 * The CLIs' one write path: simulate first (a refusal costs nothing and is decoded before anything is
 * signed), send, wait for the receipt; a reverted transaction is a failure (exit 1).
 */
export async function send(conn: Connection, call: WriteCall, wallet?: Wallet): Promise<TransactionReceipt> {
  const w = wallet ?? (await conn.wallet());
  const { request } = await conn.client.simulateContract({ ...call, account: w.account } as never);
  const hash = await w.writeContract(request as never);
  const receipt = await conn.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CliError(`${call.functionName} failed in transaction ${hash}`);
  return receipt;
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
    if ((await conn.client.getCode({ address: address as Address })) === undefined) {
      throw new CliError(
        `${name} has no code at ${address} on chain ${conn.chainId} (${conn.describe}): the chain was restarted or never ` +
          "deployed to. Run `npm start` (local) or `npm run deploy`, which also regenerates lib/generated/contracts.ts.",
      );
    }
  }
  return d;
}

/**
 * A deployment described by a JSON file in the shape the generated module records (lib/chain/codegen.ts)
 * ({ chainId, name, deploymentBlock, contracts: { AidRegistry: { address, blockNumber }, ... } }): how the
 * tools reach a deployment that lib/generated/contracts.ts does not list (a benchmark's own, a rehearsal).
 * Every problem is reported with the file and the field.
 */
export function readDeploymentFile(file: string, chainId: number): Deployment {
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
  return deploymentFrom(chainId, { name: typeof json.name === "string" ? json.name : undefined, deploymentBlock: json.deploymentBlock, contracts })!;
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
