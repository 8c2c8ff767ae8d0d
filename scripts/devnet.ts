/**
 * `npm start`: the whole PrecisionAid system on one machine.
 *
 *   bash scripts/setup.sh node scripts/devnet.ts [--port 8545] [--scenario demo/scenario.json] [--no-seed]
 *
 * Compiles if needed, starts `hardhat node` on 127.0.0.1 (chain 31337), deploys through the Ignition
 * modules with ignition/parameters/localhost.json, deploys the test stablecoin (local only), seeds the
 * demo story, regenerates lib/generated/contracts.ts, starts the claim relayer (scripts/relayer.ts, dev
 * key #20 funded on start, key only in its environment), prints the URLs and the dev accounts, then keeps the chain
 * up until Ctrl-C, which stops every process it started.
 *
 * State is RESET on every start: the node keeps the chain in memory, so the local deployment folder
 * (ignition/deployments/chain-31337) is deleted first and everything is deployed and seeded again.
 * Addresses come out the same every time (same deployer, same nonces).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bytesToHex, getAddress, type Abi } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { ROOT, generateContracts, readAbi, readDeployments } from "../lib/chain/codegen.ts";
import { ObjectionTextStore, objectionsDir } from "../lib/objections/store.ts";
import { devChain } from "./devnet/chain.ts";
import { type Scenario, seedScenario } from "./devnet/seed.ts";
import { ensureWebBuild, startWeb } from "./devnet/web.ts";
import { DEV_MNEMONIC, HARDHAT_CLI, RELAYER_ACCOUNT_INDEX, fundDevRelayer, portIsFree, startHardhatNode, startRelayerProcess, stopChild } from "./devnet/node.ts";

const HELP = `Usage: npm start [-- --port <port>] [--web-port <port>] [--scenario <file>] [--no-seed] [--no-web] [--no-relayer]

Starts a local Hardhat node (chain 31337) on 127.0.0.1, deploys PrecisionAid, seeds the demo, serves
the dApp (a production build, redone only when its sources change) and keeps running until Ctrl-C.
State is reset on every start.

Options:
  --port <n>         RPC port (default 8545, or PRECISIONAID_DEVNET_PORT)
  --scenario <file>  demo story to seed (default demo/scenario.json)
  --no-seed          deploy only
  --web-port <n>     dApp port (default 3000)
  --no-web           do not build or serve the dApp
  --relayer-port <n> claim relayer port (default: the dApp port + 1)
  --no-relayer       do not start the claim relayer (it pays from dev key #20, funded on start)
  -h, --help         this text
`;

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PRECISIONAID_DEVNET_PORT ?? "8545" },
    scenario: { type: "string", default: "demo/scenario.json" },
    "no-seed": { type: "boolean", default: false },
    "web-port": { type: "string", default: "3000" },
    "no-web": { type: "boolean", default: false },
    "relayer-port": { type: "string" },
    "no-relayer": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`--port: "${args.port}" is not a port number`);
  process.exit(2);
}
const webPort = Number(args["web-port"]);
if (!Number.isInteger(webPort) || webPort <= 0 || webPort > 65535 || webPort === port) {
  console.error(`--web-port: "${args["web-port"]}" is not a free port number other than the RPC port`);
  process.exit(2);
}
const relayerPort = args["relayer-port"] === undefined ? webPort + 1 : Number(args["relayer-port"]);
if (!Number.isInteger(relayerPort) || relayerPort <= 0 || relayerPort > 65535 || relayerPort === port || relayerPort === webPort) {
  console.error(`--relayer-port: "${args["relayer-port"] ?? relayerPort}" is not a port number other than the RPC and dApp ports`);
  process.exit(2);
}
const rpcUrl = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];
// Colour only on a terminal: redirected logs stay plain text.
const say = (line: string) => console.log(process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[2m[devnet]\x1b[0m ${line}` : `[devnet] ${line}`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping every process started by the devnet");
  await Promise.all(children.map((child) => stopChild(child)));
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

function run(cmd: string, argv: string[], label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    children.push(child);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code})`))));
  });
}

async function main() {
  // From the moment the command was typed (scripts/setup.sh records it), so fetching Node and installing
  // dependencies count too; a direct `node scripts/devnet.ts` counts from here.
  const started = Number(process.env.PRECISIONAID_STARTED_AT) || Date.now();
  say("compiling (skipped when nothing changed)");
  await run(process.execPath, [HARDHAT_CLI, "build", "--quiet", "--no-tests"], "hardhat build");

  if (!(await portIsFree(port))) {
    console.error(`Port ${port} on 127.0.0.1 is in use: is another devnet running? Stop it or pass --port.`);
    return stop(1);
  }
  // The chain starts empty, so Ignition's record of the previous local deployment is stale.
  rmSync(join(ROOT, "ignition", "deployments", "chain-31337"), { recursive: true, force: true });
  mkdirSync(join(ROOT, ".devnet"), { recursive: true });

  say(`starting hardhat node on ${rpcUrl}`);
  // Per-port files, so a test devnet on another port never clobbers the files of the one on 8545.
  const suffix = port === 8545 ? "" : `-${port}`;
  let node: ChildProcess | undefined;
  const { chainId } = await startHardhatNode({
    port,
    logFile: join(ROOT, ".devnet", `node${suffix}.log`),
    onSpawn: (child) => {
      node = child;
      children.push(child);
    },
  });
  node!.on("exit", (code, signal) => {
    // Ctrl-C in a terminal signals the whole process group, so the node may exit before our own SIGINT
    // handler has run: give it a moment before calling the exit unexpected.
    setTimeout(() => {
      if (stopping) return;
      console.error(`hardhat node stopped unexpectedly (${signal ?? code}); see .devnet/ for the node log`);
      void stop(1);
    }, 250);
  });

  say("deploying through ignition/modules/PrecisionAid.ts and PrecisionAidRoster.ts with ignition/parameters/localhost.json");
  const { network } = await import("hardhat");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  const { default: PrecisionAidModule } = await import("../ignition/modules/PrecisionAid.ts");
  const { default: LocalStablecoinModule } = await import("../ignition/modules/LocalStablecoin.ts");
  const core = await connection.ignition.deploy(PrecisionAidModule, {
    parameters: join(ROOT, "ignition", "parameters", "localhost.json"),
  });
  await connection.ignition.deploy(LocalStablecoinModule);
  // After the stablecoin, so the addresses of the escrow-era contracts stay what they always were. The
  // roster module reuses PrecisionAid's registry and escrow from the same deployment: only the factory is new.
  const { default: PrecisionAidRosterModule } = await import("../ignition/modules/PrecisionAidRoster.ts");
  await connection.ignition.deploy(PrecisionAidRosterModule, {
    parameters: join(ROOT, "ignition", "parameters", "localhost.json"),
  });
  await connection.close();
  // The addresses as Ignition recorded them (ignition/deployments/chain-31337), which the generated module reads too.
  const deployed = readDeployments().find((d) => d.chainId === chainId)?.contracts;
  if (!deployed?.AidRegistry || !deployed.AidEscrow || !deployed.TestStablecoin || !deployed.AidRosterFactory) throw new Error("Ignition recorded no complete chain-31337 deployment");
  const contracts = {
    registry: getAddress(deployed.AidRegistry.address),
    escrow: getAddress(deployed.AidEscrow.address),
    stablecoin: getAddress(deployed.TestStablecoin.address),
    rosterFactory: getAddress(deployed.AidRosterFactory.address),
  };
  // The admin timelock (ignition/modules/PrecisionAid.ts) is deployed on the devnet too, though the local
  // parameters name account #0 as the direct admin: recorded so the delayed path can be tried here.
  const timelock = getAddress(await core.timelock.getAddress());

  generateContracts();
  say("wrote lib/generated/contracts.ts");

  // Objection reasons (app/api/objections): kept across restarts of the devnet; they are named by their
  // hash, so a text from an earlier chain can only ever be shown for the same hash.
  const objectionsFolder = objectionsDir({ ...process.env, NEXT_PUBLIC_RPC_URL: rpcUrl }, ROOT);
  let seeded: Awaited<ReturnType<typeof seedScenario>> | undefined;
  if (!args["no-seed"]) {
    const scenario: Scenario = JSON.parse(readFileSync(join(ROOT, args.scenario!), "utf8"));
    say(`seeding "${scenario.title}" from ${args.scenario}`);
    seeded = await seedScenario(
      await devChain(rpcUrl),
      contracts,
      {
        registry: readAbi("AidRegistry") as Abi,
        escrow: readAbi("AidEscrow") as Abi,
        stablecoin: readAbi("TestStablecoin") as Abi,
        rosterFactory: readAbi("AidRosterFactory") as Abi,
        rosterProgramme: readAbi("AidRosterProgramme") as Abi,
      },
      scenario,
      (line) => say(`  ${line}`),
      // Roster files go where the dApp serves them from (app/api/roster-files), and their on-chain URIs
      // name the dApp this devnet serves, so any client can fetch them.
      { rosterDir: join(ROOT, ".devnet", `rosters${suffix}`), rosterBaseUrl: `http://127.0.0.1:${webPort}/api/roster-files` },
      // The seeded objections' reasons go where the dApp's objection service keeps its texts.
      new ObjectionTextStore(objectionsFolder),
    );
  }

  // The dev mnemonic's keys (m/44'/60'/0'/0/i), as the node derives its accounts.
  const devKey = (i: number) => {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
    return { address: account.address, privateKey: bytesToHex(account.getHdKey().privateKey!) };
  };
  let relayerUrl: string | undefined;
  if (!args["no-relayer"]) {
    if (!(await portIsFree(relayerPort))) {
      console.error(`Port ${relayerPort} (the relayer's) on 127.0.0.1 is in use: free it, or pass --relayer-port or --no-relayer.`);
      return stop(1);
    }
    say(`starting the claim relayer on port ${relayerPort} (dev key #${RELAYER_ACCOUNT_INDEX})`);
    await fundDevRelayer(rpcUrl, devKey(RELAYER_ACCOUNT_INDEX).address);
    const relayerStore = join(ROOT, ".devnet", `relayer${suffix}.sqlite`);
    for (const f of [relayerStore, `${relayerStore}-wal`, `${relayerStore}-shm`]) rmSync(f, { force: true });
    const relayer = await startRelayerProcess({
      rpcUrl,
      port: relayerPort,
      factory: contracts.rosterFactory,
      // Only in the relayer's own environment: never on a command line, never in the dApp's.
      privateKey: devKey(RELAYER_ACCOUNT_INDEX).privateKey,
      // Its store belongs to this chain, which is new on every start: so is the store.
      args: ["--store", relayerStore],
      logFile: join(ROOT, ".devnet", `relayer${suffix}.log`),
    });
    children.push(relayer.process);
    relayer.process.on("exit", (code, signal) => {
      if (!stopping) console.error(`the relayer stopped (${signal ?? code}); see .devnet/relayer${suffix}.log. The chain and dApp keep running.`);
    });
    relayerUrl = relayer.url;
  }
  writeFileSync(
    join(ROOT, ".devnet", `state${suffix}.json`),
    JSON.stringify({ rpcUrl, chainId, contracts: { ...contracts, timelock }, ...(relayerUrl ? { relayerUrl } : {}), ...(seeded ?? {}) }, null, 2),
  );

  const serveWeb = existsSync(join(ROOT, "app")) && !args["no-web"];
  const webUrl = `http://127.0.0.1:${webPort}`;
  if (serveWeb) {
    if (!(await portIsFree(webPort))) {
      console.error(`Port ${webPort} on 127.0.0.1 is in use: stop what uses it or pass --web-port.`);
      return stop(1);
    }
    // The RPC URL is baked into the build, so each devnet port has its own build folder.
    const distDir = port === 8545 ? ".next" : `.next-${port}`;
    // RELAYER_URL is server-side only: the dApp's route handler proxies /api/relayer/* to it.
    const web = { distDir, env: { ...process.env, NEXT_PUBLIC_RPC_URL: rpcUrl, OBJECTIONS_DIR: objectionsFolder, ...(relayerUrl ? { RELAYER_URL: relayerUrl } : {}) }, log: say, verbose: !process.env.PRECISIONAID_QUIET_WEB_BUILD };
    if (ensureWebBuild(web) === "reused") say("dApp build is up to date (sources and RPC URL unchanged)");
    say(`starting the dApp on ${webUrl}`);
    children.push(await startWeb({ ...web, port: webPort }));
  }
  const lines = [
    "",
    `RPC URL:    ${rpcUrl}   (chain id ${chainId})`,
    serveWeb
      ? `dApp URL:   ${webUrl}   (on this chain, "Connect wallet" also offers the dev accounts by role)`
      : "dApp URL:   (not served: --no-web)",
    relayerUrl
      ? `Relayer:    ${relayerUrl}   (gasless roster claims, pays from dev key #${RELAYER_ACCOUNT_INDEX} ${devKey(RELAYER_ACCOUNT_INDEX).address})`
      : "Relayer:    (not started: --no-relayer)",
    `Contracts:  AidRegistry ${contracts.registry}  AidEscrow ${contracts.escrow}  TestStablecoin (tUSD) ${contracts.stablecoin}`,
    `            AidRosterFactory ${contracts.rosterFactory}  AdminTimelock ${timelock}`,
  ];
  if (seeded) {
    lines.push("", "Projects:");
    for (const [key, p] of Object.entries(seeded.projects)) lines.push(`  #${p.projectId}  ${p.title.padEnd(28)} ${p.token.padEnd(5)} (${key})`);
    if (Object.keys(seeded.rosters).length) lines.push("", "Roster programmes:");
    for (const [key, r] of Object.entries(seeded.rosters)) {
      lines.push(`  ${r.programme}  ${r.title.padEnd(40)} ${r.token.padEnd(5)} ${String(r.leafCount).padStart(4)} households  (${key}; ${serveWeb ? `${webUrl}/roster/${r.programme}` : r.uri})`);
    }
    lines.push("", "Dev accounts (well-known Hardhat keys: local use only):");
    lines.push(`  ${"#".padEnd(3)} ${"role".padEnd(12)} ${"address".padEnd(42)}  ${"private key".padEnd(66)}  who`);
    for (const a of seeded.accounts) {
      lines.push(`  ${String(a.index).padEnd(3)} ${a.role.padEnd(12)} ${a.address}  ${devKey(a.index).privateKey}  ${a.label}`);
    }
    lines.push(
      "",
      "Import into a wallet: add a custom network (RPC URL above, chain id 31337, currency ETH), then",
      "\"Import account\" and paste a private key from the table. Reset the account's activity after each",
      "restart: the chain starts over and the wallet's cached nonces would be wrong.",
    );
  }
  lines.push("", `PrecisionAid devnet ready on ${rpcUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops it; state resets on the next start.`);
  console.log(lines.join("\n"));
}

main().catch((err) => {
  console.error(`devnet failed: ${err?.stack ?? err}`);
  void stop(1);
});
