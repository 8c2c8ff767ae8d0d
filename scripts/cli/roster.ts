/**
 * roster: builds and queries roster programme files.
 *
 *   node scripts/cli/roster.ts build --in households.csv --out dir/ [--decimals N] [--oz-json] [--threads N] [--quiet]
 *       Validates the whole CSV (columns: index (optional; 0..n-1, each once), beneficiary, amount, village
 *       (optional)), then writes dir/roster.tree, dir/roster.proofs, dir/roster.households.csv (the public
 *       household list: roster number, account, amount, village) and dir/summary.json and prints the root. --oz-json also
 *       writes dir/roster.oz.json, the tree in @openzeppelin/merkle-tree's dump format. --threads N
 *       hashes on N threads (default: the CPU count, up to 4, from 50,000 rows on; 1 below).
 *   node scripts/cli/roster.ts proof (--tree dir/roster.tree | --proofs dir/roster.proofs) --beneficiary 0x... [--verify]
 *       Prints one household's claim (index, beneficiary, amount, proof, root) as JSON.
 *   node scripts/cli/roster.ts verify --tree dir/roster.tree
 *       Re-hashes every leaf and node of a stored tree and prints its root.
 *
 *   node scripts/cli/roster.ts create|publish|sign-approval|approve|status|rule|cancel ...
 *       On chain: see scripts/cli/roster-programme.ts (a programme's life from creation to approval).
 *
 * Every command takes --help (the usage, exit 0). Exit codes, as for every tool of the project: 0 done,
 * 1 failure (I/O, a refused transaction), 2 bad input or bad usage (nothing is written or sent).
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import {
  LEAF_ENCODING,
  fetchProofRecord,
  RosterParser,
  buildRosterTree,
  decodeTreeFile,
  encodeOpenZeppelinDump,
  encodeProofsFile,
  encodeTreeFile,
  formatRosterError,
  fromHex,
  keccak256Hasher,
  verifyRosterTree,
} from "../../lib/roster/index.ts";
import { buildRosterTreeParallel, verifyChecksumsParallel } from "../../lib/roster/parallel-node.ts";
import { HOUSEHOLD_LIST_FILE, encodeHouseholdList } from "../../lib/roster/households.ts";
import { EXIT } from "../../lib/errors/exit-codes.ts";
import { writeFileAtomically } from "./atomic-file.ts";

/** Below this many rows a worker thread's start-up (~0.1 s) costs more than it saves. */
const PARALLEL_FROM_ROWS = 50_000;

const USAGE = `usage:
  roster build --in <households.csv> --out <dir> [--decimals N] [--oz-json] [--threads N] [--quiet]
      columns: index, beneficiary, amount. index is optional; when given, a roster of n rows is numbered
      0 to n-1, each once (a programme pays only indexes below its leaf count); without it, the row order
  roster proof (--tree <dir>/roster.tree | --proofs <dir>/roster.proofs) --beneficiary <0x...> [--verify]
  roster verify --tree <dir>/roster.tree
  roster create | publish | sign-approval | approve | status | rule | cancel ...   (on chain; roster <command> --help)`;

class UsageError extends Error {}

function formatAmount(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

async function build(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      in: { type: "string" },
      out: { type: "string" },
      decimals: { type: "string" },
      quiet: { type: "boolean" },
      "oz-json": { type: "boolean" },
      threads: { type: "string" },
    },
    strict: true,
  });
  if (values.in === undefined || values.out === undefined) throw new UsageError("build needs --in and --out");
  const decimals = values.decimals === undefined ? 0 : Number(values.decimals);
  if (!/^\d+$/.test(values.decimals ?? "0") || decimals > 77) throw new UsageError("--decimals must be an integer from 0 to 77");
  if (values.threads !== undefined && !/^[1-9]\d*$/.test(values.threads)) throw new UsageError("--threads must be a positive integer");

  const started = performance.now();
  const keccak = await keccak256Hasher();
  // Checksums are checked after reading, so that a large roster can check them on several threads.
  const parser = new RosterParser(keccak, { decimals, deferChecksums: true });
  const inputHash = createHash("sha256");
  const decoder = new TextDecoder("utf-8");
  // Streamed in 1 MiB chunks: the CSV text is never held whole, only the parsed typed arrays.
  for await (const chunk of createReadStream(values.in, { highWaterMark: 1 << 20 })) {
    inputHash.update(chunk as Buffer);
    parser.push(decoder.decode(chunk as Buffer, { stream: true }));
  }
  parser.push(decoder.decode());
  const pending = parser.pendingChecksums(); // ends the input, so the row count is final
  const threads = values.threads !== undefined ? Number(values.threads) : pending.count >= PARALLEL_FROM_ROWS ? Math.min(4, availableParallelism()) : 1;
  const checksumFailures = threads > 1 ? await verifyChecksumsParallel(pending, keccak, threads) : undefined;
  const parsed = parser.finish(checksumFailures);
  const parsedAt = performance.now();
  if (!parsed.ok) {
    for (const error of parsed.errors) process.stderr.write(`${formatRosterError(values.in, error)}\n`);
    process.stderr.write(`roster: ${parsed.errors.length} error(s) in ${values.in}; nothing was written\n`);
    return EXIT.BAD_INPUT;
  }
  const rows = parsed.rows;
  const tree = threads > 1 ? await buildRosterTreeParallel(rows, keccak, { threads }) : buildRosterTree(rows, keccak);
  const builtAt = performance.now();

  mkdirSync(values.out, { recursive: true });
  const treeFile = await writeFileAtomically(join(values.out, "roster.tree"), encodeTreeFile(tree));
  const treeAt = performance.now();
  const proofsFile = await writeFileAtomically(join(values.out, "roster.proofs"), encodeProofsFile(tree));
  const proofsAt = performance.now();
  // The public household list (villagers find a household to object to): nothing of the CSV but the
  // leaf's values and the village.
  const householdsFile = await writeFileAtomically(join(values.out, HOUSEHOLD_LIST_FILE), encodeHouseholdList(rows));
  const ozFile = values["oz-json"] ? await writeFileAtomically(join(values.out, "roster.oz.json"), encodeOpenZeppelinDump(tree)) : undefined;
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    format: "precisionaid-roster-v1",
    leafEncoding: LEAF_ENCODING,
    root: tree.root,
    rows: tree.count,
    totalAmount: rows.totalAmount.toString(),
    depth: tree.depth,
    decimals,
    indexColumn: rows.hasIndexColumn,
    threads,
    input: { file: basename(values.in), sha256: `0x${inputHash.digest("hex")}` },
    files: {
      tree: { file: "roster.tree", ...treeFile },
      proofs: { file: "roster.proofs", ...proofsFile },
      households: { file: HOUSEHOLD_LIST_FILE, villages: rows.villages !== undefined, ...householdsFile },
      ...(ozFile && { openZeppelinDump: { file: "roster.oz.json", ...ozFile } }),
    },
    buildSeconds: Number(seconds.toFixed(3)),
    // Where the time went: read + validate, hash + sort, then each file (encode, sha256, write).
    phaseSeconds: {
      readAndValidate: Number(((parsedAt - started) / 1000).toFixed(3)),
      hashTree: Number(((builtAt - parsedAt) / 1000).toFixed(3)),
      writeTreeFile: Number(((treeAt - builtAt) / 1000).toFixed(3)),
      writeProofsFile: Number(((proofsAt - treeAt) / 1000).toFixed(3)),
    },
    cpuSeconds: Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(3)),
  };
  writeFileSync(join(values.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);

  if (values.quiet) process.stdout.write(`${tree.root}\n`);
  else {
    const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
    process.stdout.write(
      [
        `root    ${tree.root}`,
        `rows    ${formatAmount(BigInt(tree.count))}`,
        `total   ${formatAmount(rows.totalAmount)} base units per tranche`,
        `depth   ${tree.depth}`,
        `time    ${seconds.toFixed(2)} s`,
        `tree    ${join(values.out, "roster.tree")} (${mb(treeFile.bytes)})`,
        `proofs  ${join(values.out, "roster.proofs")} (${mb(proofsFile.bytes)})`,
        `list    ${join(values.out, HOUSEHOLD_LIST_FILE)} (${mb(householdsFile.bytes)}${rows.villages ? ", with villages" : ", no village column"})`,
        ...(ozFile ? [`oz-json ${join(values.out, "roster.oz.json")} (${mb(ozFile.bytes)})`] : []),
        `summary ${join(values.out, "summary.json")}`,
      ].join("\n") + "\n",
    );
  }
  return EXIT.OK;
}

function parseAddressArgument(text: string | undefined): Uint8Array {
  if (text === undefined) throw new UsageError("proof needs --beneficiary");
  try {
    return fromHex(text.toLowerCase(), 20);
  } catch {
    throw new UsageError(`--beneficiary is not an address: ${text}`);
  }
}

async function proof(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { tree: { type: "string" }, proofs: { type: "string" }, beneficiary: { type: "string" }, verify: { type: "boolean" } },
    strict: true,
  });
  const address = parseAddressArgument(values.beneficiary);
  if ((values.tree === undefined) === (values.proofs === undefined)) throw new UsageError("proof needs one of --tree or --proofs");
  const keccak = await keccak256Hasher();
  let claim;
  if (values.tree !== undefined) {
    const tree = decodeTreeFile(readFileSync(values.tree));
    if (values.verify) {
      const problem = verifyRosterTree(tree, keccak);
      if (problem !== undefined) throw new Error(`${values.tree}: ${problem}`);
    }
    const row = tree.findBeneficiary(address);
    if (row >= 0) claim = { root: tree.root, ...tree.value(row), leaf: tree.leaf(row), proof: tree.proof(row) };
  } else {
    // Read only what a browser would fetch with range requests: header, fan-out entries, one bucket.
    const fd = openSync(values.proofs!, "r");
    try {
      claim = await fetchProofRecord(async (offset, length) => {
        const bytes = new Uint8Array(length);
        if (readSync(fd, bytes, 0, length, offset) !== length) throw new Error(`${values.proofs}: truncated proofs file`);
        return bytes;
      }, address);
    } finally {
      closeSync(fd);
    }
  }
  if (claim === undefined) {
    process.stderr.write(`roster: ${values.beneficiary} is not on the roster\n`);
    return EXIT.BAD_INPUT;
  }
  const json = JSON.stringify(claim, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2);
  process.stdout.write(`${json}\n`);
  return EXIT.OK;
}

async function verify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { tree: { type: "string" } }, strict: true });
  if (values.tree === undefined) throw new UsageError("verify needs --tree");
  const tree = decodeTreeFile(readFileSync(values.tree));
  const problem = verifyRosterTree(tree, await keccak256Hasher());
  if (problem !== undefined) {
    process.stderr.write(`${values.tree}: ${problem}\n`);
    return EXIT.BAD_INPUT;
  }
  process.stdout.write(`${tree.root}\n`);
  return EXIT.OK;
}

/** Commands that talk to a chain live in roster-programme.ts, loaded only when used. */
const CHAIN_COMMANDS = new Set(["create", "publish", "sign-approval", "approve", "status", "rule", "cancel"]);

async function chainCommand(command: string, rest: string[]): Promise<number> {
  const { runChainCommand } = await import("./roster-programme.ts");
  const { CliError, loadLib } = await import("./common.ts");
  try {
    return await runChainCommand(command as never, rest);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`roster: ${error.message}\n`);
      return error.exitCode;
    }
    // A contract's refusal, decoded to its sentence.
    const { explainError } = await loadLib();
    process.stderr.write(`roster: ${explainError(error)}\n`);
    return EXIT.FAILURE;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && CHAIN_COMMANDS.has(command)) return chainCommand(command, rest);
  // --help for the tool or for build/proof/verify: the usage on stdout, exit 0.
  if (command === undefined ? false : command === "--help" || command === "-h" || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  try {
    if (command === "build") return await build(rest);
    if (command === "proof") return await proof(rest);
    if (command === "verify") return await verify(rest);
    throw new UsageError(command === undefined ? "missing command" : `unknown command ${command}`);
  } catch (error) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: string }).code ?? "";
    if (error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`roster: ${(error as Error).message}\n${USAGE}\n`);
      return EXIT.BAD_INPUT;
    }
    process.stderr.write(`roster: ${(error as Error).message}\n`);
    return EXIT.FAILURE;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
