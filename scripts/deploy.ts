/**
 * Deploys PrecisionAid (and its roster factory) through its Ignition modules to a network from hardhat.config.ts, with the settings
 * from ignition/parameters/<network>.json, then regenerates lib/generated/contracts.ts so every client
 * sees the new addresses. This is `hardhat ignition deploy` plus the regeneration every deploy needs.
 *
 *   npm run deploy -- --network sepolia
 *   npm run deploy -- --network localhost --rpc-url http://127.0.0.1:8546   (a node started separately)
 *
 * Secrets (SEPOLIA_RPC_URL, BASE_SEPOLIA_RPC_URL, DEPLOYER_PRIVATE_KEY) come from configVariable: set
 * them with `npx hardhat keystore set <NAME>` or as environment variables.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getAddress } from "viem";
import { ROOT, generateContracts, readDeployments } from "../lib/chain/codegen.ts";

const HELP = `Usage: npm run deploy -- --network <name> [options]

Options:
  --network <name>        network from hardhat.config.ts (default localhost)
  --rpc-url <url>         override the network's URL (e.g. a local node on another port)
  --parameters <file>     Ignition parameters (default ignition/parameters/<network>.json)
  --deployment-id <id>    Ignition deployment id (default chain-<chainId>; only chain-<id> folders reach clients)
  --with-stablecoin       also deploy the open-mint TestStablecoin (refused unless chain 31337)
  --out <file>            where to write the generated module (default lib/generated/contracts.ts)
  -h, --help              this text
`;

const { values: o } = parseArgs({
  options: {
    network: { type: "string", default: "localhost" },
    "rpc-url": { type: "string" },
    parameters: { type: "string" },
    "deployment-id": { type: "string" },
    "with-stablecoin": { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (o.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const parameters = o.parameters ?? join(ROOT, "ignition", "parameters", `${o.network}.json`);
if (!existsSync(parameters)) {
  console.error(`no parameters file ${parameters}: every setting must come from one (see ignition/parameters/)`);
  process.exit(2);
}

const { network } = await import("hardhat");
const connection = await network.create({
  network: o.network!,
  ...(o["rpc-url"] ? { override: { url: o["rpc-url"] } } : {}),
});
try {
  const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  if (o["with-stablecoin"] && chainId !== 31337) {
    // Anyone can mint it: on a shared chain it would be a fake dollar with our name on it.
    console.error(`refusing to deploy TestStablecoin to chain ${chainId}: it is for local chains only`);
    process.exit(2);
  }
  const deploymentId = o["deployment-id"] ?? `chain-${chainId}`;
  const { default: PrecisionAidModule } = await import("../ignition/modules/PrecisionAid.ts");
  await connection.ignition.deploy(PrecisionAidModule, { parameters, deploymentId, displayUi: true });
  // Roster programmes (issue 5): the factory, on the registry and escrow just deployed (same deployment id,
  // so Ignition reuses them rather than deploying copies).
  const { default: PrecisionAidRosterModule } = await import("../ignition/modules/PrecisionAidRoster.ts");
  await connection.ignition.deploy(PrecisionAidRosterModule, { parameters, deploymentId, displayUi: true });
  if (o["with-stablecoin"]) {
    const { default: LocalStablecoinModule } = await import("../ignition/modules/LocalStablecoin.ts");
    await connection.ignition.deploy(LocalStablecoinModule, { deploymentId });
  }
  const dir = join(ROOT, "ignition", "deployments", deploymentId);
  // The addresses as Ignition recorded them, the same record the generated module is made from.
  const recorded = readDeployments([{ dir, chainId }])[0]?.contracts ?? {};
  const addresses: Record<string, string> = {};
  for (const name of ["AidRegistry", "AidEscrow", "AidRosterFactory", ...(o["with-stablecoin"] ? (["TestStablecoin"] as const) : [])] as const) {
    const c = recorded[name];
    if (!c) throw new Error(`${dir}: Ignition recorded no ${name}`);
    addresses[name] = getAddress(c.address);
  }
  generateContracts({
    outPath: o.out,
    // A custom deployment id is read too when writing to a custom --out (rehearsals, tests).
    sources: o.out ? [{ dir, chainId }] : undefined,
  });
  console.log(JSON.stringify({ chainId, deploymentId, deploymentDir: dir, addresses, generated: o.out ?? "lib/generated/contracts.ts" }, null, 2));
} finally {
  await connection.close();
}
