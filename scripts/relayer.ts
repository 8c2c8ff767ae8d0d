/**
 * `npm run relayer`: the gasless-claim relayer for roster programmes, as a standalone HTTP service.
 *
 *   RELAYER_PRIVATE_KEY=0x... npm run relayer -- [--rpc-url <url>] [--port 3001] [--factory 0x...]
 *
 * The key comes only from the environment (never an argument, which `ps` would show, and never a
 * NEXT_PUBLIC_* variable, which the dApp bundle would carry). See docs/RELAYER.md.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getAddress, http, isAddress, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ensureGeneratedContracts } from "../lib/chain/ensure-generated.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: RELAYER_PRIVATE_KEY=0x... npm run relayer -- [options]

Relays signed roster claims (POST /v1/claims) to the programmes of one AidRosterFactory, in batches
paid by the relayer's key. API: GET /v1/health, POST /v1/claims, GET /v1/claims/:id (docs/RELAYER.md).

Options (each also from the environment):
  --rpc-url <url>            JSON-RPC endpoint (RELAYER_RPC_URL; default http://127.0.0.1:8545)
  --port <n>                 HTTP port (RELAYER_PORT; default 3001)
  --host <addr>              interface to listen on (RELAYER_HOST; default 127.0.0.1)
  --factory <address>        AidRosterFactory (RELAYER_FACTORY; default: the chain's deployment in
                             lib/generated/contracts.ts)
  --max-batch <n>            claims per transaction (RELAYER_MAX_BATCH; default 25)
  --batch-interval-ms <n>    longest wait for a batch to fill (RELAYER_BATCH_INTERVAL_MS; default 2000)
  --rate-limit <n>           requests per beneficiary per minute, also the burst (RELAYER_RATE_LIMIT; default 10)
  --store <path|url>         where accepted claims and in-flight batches are kept across restarts
                             (RELAYER_STORE): a file for the embedded SQLite database (default
                             .relayer/claims-<chain id>-<genesis hash prefix>.sqlite), or a postgresql://
                             URL in production
  -h, --help                 this text

The key: RELAYER_PRIVATE_KEY (environment only). It pays the gas; keep only gas money on it.
Stops on SIGINT/SIGTERM after sending what is queued. Nothing accepted is lost on a crash or kill -9:
the next start resumes the queue and follows (or rebroadcasts) the batch that was in flight.
`;

function fail(message: string): never {
  console.error(`relayer: ${message}`);
  process.exit(2);
}

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) fail(`--${name}: "${value}" is not an integer >= ${min}`);
  return n;
}

async function main() {
  const env = process.env;
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        "rpc-url": { type: "string", default: env.RELAYER_RPC_URL ?? "http://127.0.0.1:8545" },
        port: { type: "string", default: env.RELAYER_PORT ?? "3001" },
        host: { type: "string", default: env.RELAYER_HOST ?? "127.0.0.1" },
        factory: { type: "string", default: env.RELAYER_FACTORY },
        "max-batch": { type: "string", default: env.RELAYER_MAX_BATCH ?? "25" },
        "batch-interval-ms": { type: "string", default: env.RELAYER_BATCH_INTERVAL_MS ?? "2000" },
        "rate-limit": { type: "string", default: env.RELAYER_RATE_LIMIT ?? "10" },
        store: { type: "string", default: env.RELAYER_STORE },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    fail(`${(err as Error).message} (the key is read from RELAYER_PRIVATE_KEY only)`);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const key = env.RELAYER_PRIVATE_KEY;
  if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) fail("set RELAYER_PRIVATE_KEY to the relayer's 0x-prefixed 32-byte private key");
  const port = positiveInt("port", values.port!, 0);
  if (port > 65535) fail(`--port: ${port} is not a port number`);
  const maxBatch = positiveInt("max-batch", values["max-batch"]!);
  const batchIntervalMs = positiveInt("batch-interval-ms", values["batch-interval-ms"]!, 0);
  const perMinute = positiveInt("rate-limit", values["rate-limit"]!);

  await ensureGeneratedContracts();
  const { deploymentOn } = await import("../lib/chain/contracts.ts");
  const { relayerClients } = await import("../lib/relayer/clients.ts");
  const { Relayer } = await import("../lib/relayer/relayer.ts");
  const { startRelayerServer } = await import("../lib/relayer/http.ts");
  const { claimStoreAt } = await import("../lib/relayer/store.ts");

  const account = privateKeyToAccount(key as `0x${string}`);
  const rpcUrl = values["rpc-url"]!;
  let clients;
  try {
    clients = await relayerClients(http(rpcUrl), account);
  } catch (err) {
    console.error(`relayer: no answer from ${rpcUrl}: ${(err as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  let factory: Address;
  if (values.factory) {
    if (!isAddress(values.factory)) fail(`--factory: "${values.factory}" is not an address`);
    factory = getAddress(values.factory);
  } else {
    const deployed = deploymentOn(clients.chainId)?.rosterFactory;
    if (!deployed) fail(`no AidRosterFactory is known for chain ${clients.chainId}: pass --factory or deploy and regenerate`);
    factory = getAddress(deployed);
  }
  // The default store is named after the chain and its genesis block: a local chain started afresh is another
  // chain (its claims mean nothing there), so it gets a new file instead of a refusal.
  let store;
  try {
    const genesis = (await clients.publicClient.getBlock({ blockNumber: 0n })).hash!;
    store = claimStoreAt(values.store || join(ROOT, ".relayer", `claims-${clients.chainId}-${genesis.slice(2, 10)}.sqlite`));
  } catch (err) {
    console.error(`relayer: no answer from ${rpcUrl}: ${(err as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  const relayer = new Relayer({ ...clients, factory, maxBatch, batchIntervalMs, rateLimit: { capacity: perMinute, perMinute }, store, log: (l) => console.log(`[relayer] ${l}`) });
  try {
    // Before listening: what a previous run accepted is queued again and its batch in flight followed.
    await relayer.start();
  } catch (err) {
    console.error(`relayer: ${(err as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  const running = await startRelayerServer(relayer, { port, host: values.host, log: (l) => console.error(`[relayer] ${l}`) });
  const health = await relayer.health();
  console.log(
    `relayer ${relayer.address} listening on ${running.url} (chain ${clients.chainId}, factory ${factory}, ` +
      `balance ${health.balanceWei} wei, max batch ${maxBatch}, interval ${batchIntervalMs} ms, store ${store.location})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[relayer] ${signal}: sending what is queued, then stopping`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await running.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`relayer failed: ${err?.stack ?? err}`);
  process.exit(1);
});
