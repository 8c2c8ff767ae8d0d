/**
 * The code generator behind scripts/generate-contracts.ts. Writes lib/generated/contracts.ts: the ABIs (`as const`) of the contracts every client talks to, and
 * their addresses and deployment blocks keyed by chain id, read from Ignition's deployment folders.
 *
 *   bash scripts/setup.sh node scripts/generate-contracts.ts
 *
 * Runs after every deploy (scripts/devnet.ts calls it) and whenever a consumer finds the module missing
 * (lib/chain/ensure-generated.ts). It reads only files (artifacts/, ignition/deployments/), so it needs no node.
 * Deliberately free of imports of the generated module, so it can run before that module exists.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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
/** The generated file of one contract's ABI: lib/generated/<aidEscrow>.ts. */
export const abiModule = (name: ContractName) => name[0].toLowerCase() + name.slice(1);

/** A chain's deployment the generator left out, and why. */
export interface StaleDeployment {
  chainId: number;
  dir: string;
  reasons: string[];
}

/**
 * Whether a deployment was made from the code this build has: each deployed contract's ABI as Ignition
 * recorded it (<dir>/artifacts/<future>.json) must be the build's, and the roster factory (whose
 * bytecode carries the programmes it creates) must be byte-for-byte the build's, since the programme's
 * ABI exists only in the build. Returns why not, or nothing.
 */
export function staleReasons(dir: string, chain: ChainDeployment, root = ROOT): string[] {
  const reasons: string[] = [];
  const addresses: Record<string, string> = JSON.parse(readFileSync(join(dir, "deployed_addresses.json"), "utf8"));
  for (const futureId of Object.keys(addresses)) {
    const name = contractNameOf(futureId);
    if (!name || !chain.contracts[name]) continue;
    const recordedFile = join(dir, "artifacts", `${futureId}.json`);
    if (!existsSync(recordedFile)) {
      reasons.push(`${name}: Ignition kept no artifact (${recordedFile})`);
      continue;
    }
    const recorded = JSON.parse(readFileSync(recordedFile, "utf8"));
    const built = JSON.parse(readFileSync(join(root, CONTRACTS[name]), "utf8"));
    if (JSON.stringify(recorded.abi) !== JSON.stringify(built.abi)) reasons.push(`${name}: deployed with another ABI than the build's`);
    else if (name === "AidRosterFactory" && recorded.bytecode !== built.bytecode) {
      reasons.push("AidRosterFactory: deployed from other sources than the build's, so the AidRosterProgramme ABI of this build may not be its programmes'");
    }
  }
  return reasons;
}

export interface GenerateOptions {
  root?: string;
  /** Where to write the module that re-exports everything (default lib/generated/contracts.ts); one file per contract goes beside it. */
  outPath?: string;
  /** Deployment folders to read (default: every ignition/deployments/chain-<id>/). */
  sources?: DeploymentSource[];
}

const HEADER = [
  "// Generated by lib/chain/codegen.ts: do not edit.",
  "// Regenerate: `bash scripts/setup.sh node scripts/generate-contracts.ts` (every deploy and `npm start` do it).",
  "// Sources: the build's artifacts/ and Ignition's ignition/deployments/chain-<id>/ (addresses, blocks, and the",
  "// ABIs it deployed: a chain deployed from other code than the build's is left out, see staleDeployments).",
  "",
];

/** The generated files by name: one per contract ABI, the deployments, every error, and the barrel. */
export function renderModules(o: GenerateOptions = {}): { files: Map<string, string>; chains: ChainDeployment[]; stale: StaleDeployment[] } {
  const root = o.root ?? ROOT;
  const sources = o.sources ?? defaultSources(root);
  const chains: ChainDeployment[] = [];
  const stale: StaleDeployment[] = [];
  for (const source of sources) {
    const [chain] = readDeployments([source]);
    if (!chain) continue;
    const reasons = staleReasons(source.dir, chain, root);
    if (reasons.length) stale.push({ chainId: chain.chainId, dir: relative(root, source.dir), reasons });
    else chains.push(chain);
  }
  const files = new Map<string, string>();
  const names = Object.keys(CONTRACTS) as ContractName[];
  const errors = new Map<string, unknown>();
  for (const name of names) {
    const abi = readAbi(name, root) as { type: string; name?: string; inputs?: { type: string }[] }[];
    files.set(`${abiModule(name)}.ts`, [...HEADER, `export const ${abiConst(name)} = ${JSON.stringify(abi, null, 2)} as const;`, ""].join("\n"));
    for (const item of abi) if (item.type === "error") errors.set(`${item.name}(${(item.inputs ?? []).map((i) => i.type).join(",")})`, item);
  }
  files.set(
    "errors.ts",
    [
      ...HEADER,
      "/** Every custom error of every contract, once each (by signature): what the error decoder needs, without the rest of the ABIs. */",
      `export const contractErrorsAbi = ${JSON.stringify([...errors.values()], null, 2)} as const;`,
      "",
    ].join("\n"),
  );
  const deployments: Record<number, ChainDeployment> = {};
  for (const c of chains) deployments[c.chainId] = c;
  files.set(
    "deployments.ts",
    [
      ...HEADER,
      "/** Addresses and the first block to read logs from, keyed by chain id. */",
      `export const deployments = ${JSON.stringify(deployments, null, 2)} as const;`,
      "",
      "export type DeployedChainId = keyof typeof deployments;",
      "",
      "/** Deployments left out because they were made from other code than this build's (redeploy, or build that code). */",
      `export const staleDeployments = ${JSON.stringify(stale, null, 2)} as const;`,
      "",
    ].join("\n"),
  );
  // Everything in one self-contained module, for Node code and anything that imports it afresh (a test
  // re-importing it after a deploy sees the new deployments); a page imports only the modules it uses.
  const body = (text: string) => text.slice(HEADER.join("\n").length);
  files.set(
    "contracts.ts",
    [
      ...HEADER,
      "// Everything at once, for Node code; a page imports only the contracts it uses (lib/generated/<contract>.ts).",
      ...names.map((n) => body(files.get(`${abiModule(n)}.ts`)!)),
      body(files.get("errors.ts")!),
      body(files.get("deployments.ts")!),
    ].join("\n"),
  );
  return { files, chains, stale };
}

/** Writes the modules; returns the chain ids they cover. Says which deployments were left out, and why. */
export function generateContracts(o: GenerateOptions = {}): number[] {
  const root = o.root ?? ROOT;
  const path = o.outPath ?? join(root, "lib", "generated", "contracts.ts");
  const sources = o.sources ?? defaultSources(root);
  const { files, chains, stale } = renderModules({ ...o, root, sources });
  mkdirSync(dirname(path), { recursive: true });
  for (const [name, text] of files) writeFileSync(name === "contracts.ts" ? path : join(dirname(path), name), text);
  for (const s of stale) console.warn(`warning: left chain ${s.chainId} (${s.dir}) out of the generated module: ${s.reasons.join("; ")}`);
  return chains.map((c) => c.chainId);
}

/** Compiles when an artifact is missing (a fresh clone), so the module can always be generated. */
export function ensureArtifacts(root = ROOT): void {
  if (Object.values(CONTRACTS).every((f) => existsSync(join(root, f)))) return;
  execFileSync(process.execPath, [join(root, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--quiet", "--no-tests"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
