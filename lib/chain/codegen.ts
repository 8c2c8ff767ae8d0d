/**
 * The code generator behind scripts/generate-contracts.ts. Writes lib/generated/contracts.ts: the ABIs (`as const`) of the contracts every client talks to, and
 * their addresses and deployment blocks keyed by chain id, read from Ignition's deployment folders.
 *
 *   bash scripts/setup.sh node scripts/generate-contracts.ts
 *
 * Runs after every deploy (scripts/devnet.ts calls it) and whenever a consumer finds the module missing
 * (lib/ensure-generated.ts). It reads only files (artifacts/, ignition/deployments/), so it needs no node.
 * Deliberately free of imports of the generated module, so it can run before that module exists.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is lib/chain/codegen.ts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const GENERATED_PATH = join(ROOT, "lib", "generated", "contracts.ts");

/** Contracts clients need, and where Hardhat puts their artifacts. */
const CONTRACTS = {
  AidRegistry: "artifacts/contracts/AidRegistry.sol/AidRegistry.json",
  AidEscrow: "artifacts/contracts/AidEscrow.sol/AidEscrow.json",
  TestStablecoin: "artifacts/contracts/mocks/TestStablecoin.sol/TestStablecoin.json",
  AidRosterFactory: "artifacts/contracts/AidRosterFactory.sol/AidRosterFactory.json",
  // No fixed address: the factory creates one programme contract per roster programme.
  AidRosterProgramme: "artifacts/contracts/AidRosterProgramme.sol/AidRosterProgramme.json",
} as const;
type ContractName = keyof typeof CONTRACTS;

/** Human names of the chains we deploy to, so the module can say which is which. */
const CHAIN_NAMES: Record<number, string> = {
  31337: "localhost",
  11155111: "sepolia",
  84532: "baseSepolia",
  421614: "arbitrumSepolia",
};

export interface ChainDeployment {
  chainId: number;
  name: string;
  deploymentBlock: number;
  contracts: Partial<Record<ContractName, { address: string; blockNumber: number }>>;
}

/** Reads an Ignition future id ("Module#Contract") back to our contract name. */
function contractNameOf(futureId: string): ContractName | undefined {
  const name = futureId.split("#").pop() as string;
  return name in CONTRACTS ? (name as ContractName) : undefined;
}

/**
 * The block each future was deployed in. Ignition's journal records every confirmed transaction with
 * its receipt; the deploy's future id ties it to the address in deployed_addresses.json.
 */
function deploymentBlocks(dir: string): Map<string, number> {
  const blocks = new Map<string, number>();
  const journal = join(dir, "journal.jsonl");
  if (!existsSync(journal)) return blocks;
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line);
    if (entry.type === "TRANSACTION_CONFIRM" && entry.receipt?.blockNumber !== undefined) {
      blocks.set(entry.futureId, Number(entry.receipt.blockNumber));
    }
  }
  return blocks;
}

/** A deployment folder and the chain it is on. */
export interface DeploymentSource {
  dir: string;
  chainId: number;
}

/** The client-facing deployments: ignition/deployments/chain-<id>/ (Ignition's default deployment ids). */
export function defaultSources(root = ROOT): DeploymentSource[] {
  const base = join(root, "ignition", "deployments");
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort()
    .map((entry) => ({ entry, match: /^chain-(\d+)$/.exec(entry) }))
    .filter((e) => e.match) // custom deployment ids (tests, rehearsals) are not client-facing
    .map((e) => ({ dir: join(base, e.entry), chainId: Number(e.match![1]) }));
}

export function readDeployments(sources: DeploymentSource[] = defaultSources()): ChainDeployment[] {
  const out: ChainDeployment[] = [];
  for (const { dir, chainId } of sources) {
    const addressesFile = join(dir, "deployed_addresses.json");
    if (!existsSync(addressesFile)) continue;
    const addresses: Record<string, string> = JSON.parse(readFileSync(addressesFile, "utf8"));
    const blocks = deploymentBlocks(dir);
    const contracts: ChainDeployment["contracts"] = {};
    for (const [futureId, address] of Object.entries(addresses)) {
      const name = contractNameOf(futureId);
      if (!name) continue;
      const blockNumber = blocks.get(futureId);
      if (blockNumber === undefined) throw new Error(`${dir}: no confirmed deploy of ${futureId} in journal.jsonl`);
      contracts[name] = { address, blockNumber };
    }
    const numbers = Object.values(contracts).map((c) => c.blockNumber);
    if (numbers.length === 0) continue;
    out.push({ chainId, name: CHAIN_NAMES[chainId] ?? `chain-${chainId}`, deploymentBlock: Math.min(...numbers), contracts });
  }
  return out;
}

export function readAbi(name: ContractName, root = ROOT): unknown[] {
  const file = join(root, CONTRACTS[name]);
  if (!existsSync(file)) throw new Error(`${CONTRACTS[name]} is missing: run \`bash scripts/setup.sh npx hardhat build\` first`);
  return JSON.parse(readFileSync(file, "utf8")).abi;
}

const abiConst = (name: ContractName) => name[0].toLowerCase() + name.slice(1) + "Abi";

export interface GenerateOptions {
  root?: string;
  /** Where to write (default lib/generated/contracts.ts). */
  outPath?: string;
  /** Deployment folders to read (default: every ignition/deployments/chain-<id>/). */
  sources?: DeploymentSource[];
}

export function renderModule(o: GenerateOptions = {}): string {
  const root = o.root ?? ROOT;
  const chains = readDeployments(o.sources ?? defaultSources(root));
  const lines = [
    "// autogenerated by scripts/generate-contracts.ts, do not edit.",
    "// Regenerate: `bash scripts/setup.sh node scripts/generate-contracts.ts` (every deploy and `npm start` do it).",
    "// Sources: artifacts/ (ABIs) and ignition/deployments/chain-<id>/ (addresses, deployment blocks).",
    "",
  ];
  for (const name of Object.keys(CONTRACTS) as ContractName[]) {
    lines.push(`export const ${abiConst(name)} = ${JSON.stringify(readAbi(name, root), null, 2)} as const;`, "");
  }
  const deployments: Record<number, Omit<ChainDeployment, "chainId"> & { chainId: number }> = {};
  for (const c of chains) deployments[c.chainId] = c;
  lines.push(
    "/** Addresses and the first block to read logs from, keyed by chain id. */",
    `export const deployments = ${JSON.stringify(deployments, null, 2)} as const;`,
    "",
    "export type DeployedChainId = keyof typeof deployments;",
    "",
  );
  return lines.join("\n");
}

/** Writes the module; returns the chain ids it covers. */
export function generateContracts(o: GenerateOptions = {}): number[] {
  const root = o.root ?? ROOT;
  const path = o.outPath ?? join(root, "lib", "generated", "contracts.ts");
  const sources = o.sources ?? defaultSources(root);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderModule({ ...o, root, sources }));
  return readDeployments(sources).map((c) => c.chainId);
}

/** Compiles when an artifact is missing (a fresh clone), so the module can always be generated. */
export function ensureArtifacts(root = ROOT): void {
  if (Object.values(CONTRACTS).every((f) => existsSync(join(root, f)))) return;
  execFileSync(process.execPath, [join(root, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--quiet", "--no-tests"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
