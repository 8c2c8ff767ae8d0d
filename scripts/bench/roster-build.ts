/**
 * Benchmark of `roster build` against the targets (1,000,000 rows on this 2-core machine:
 * build <= 15 s and <= 1 GB peak memory, reload <= 15 s, proof lookup <= 0.1 ms), with
 * @openzeppelin/merkle-tree measured on a smaller roster and extrapolated for comparison.
 *
 *   node scripts/bench/roster-build.ts [rows] [ozRows]      defaults: 1,000,000 and 20,000
 *
 * The build and the OpenZeppelin run each happen in a child process, so their peak memory
 * (process.resourceUsage().maxRSS) is their own and not this script's. Prints a table and writes
 * bench/results/roster-build.json.
 */
import { execFileSync } from "node:child_process";
import { closeSync, createWriteStream, mkdirSync, openSync, readSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ProofsFile,
  RosterParser,
  buildRosterTree,
  decodeTreeFile,
  keccak256Hasher,
  toHex,
  verifyProof,
  verifyRosterTree,
  type Keccak256,
} from "../../lib/roster/index.ts";

const RESULTS = "bench/results/roster-build.json";
const SELF = fileURLToPath(import.meta.url);
const TARGETS = { buildSeconds: 15, peakMemoryMB: 1000, reloadSeconds: 15, proofLookupMs: 0.1 };

/** EIP-55 checksummed hex of a 20-byte address, so the benchmark also pays for checksum validation. */
function checksummed(address: Uint8Array, keccak: Keccak256): string {
  const lower = toHex(address).slice(2);
  const hash = keccak.hash(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = i & 1 ? hash[i >> 1] & 15 : hash[i >> 1] >> 4;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

/** A deterministic synthetic roster: index, checksummed beneficiary, amount (1..5,000 units of 6 decimals). */
async function writeSyntheticCsv(path: string, rows: number, keccak: Keccak256): Promise<void> {
  const out = createWriteStream(path);
  const seed = new Uint8Array(32);
  let batch = "index,beneficiary,amount\n";
  for (let row = 0; row < rows; row++) {
    new DataView(seed.buffer).setUint32(0, row);
    const digest = keccak.hash(seed);
    const amount = (1 + (digest[20] * 256 + digest[21]) % 5000) * 1_000_000;
    batch += `${row},${checksummed(digest.subarray(0, 20), keccak)},${amount}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch = "";
    }
  }
  out.end(batch);
  await new Promise<void>((resolve) => out.on("finish", () => resolve()));
}

/** The first `rows` data rows of a CSV (with its header), without reading a million-row file whole. */
function headOfCsv(path: string, rows: number): string {
  const buffer = Buffer.alloc(Math.min(statSync(path).size, 256 * (rows + 1)));
  const fd = openSync(path, "r");
  readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  return buffer.toString("utf8").split("\n").slice(0, rows + 1).join("\n") + "\n";
}

/**
 * Peak resident memory of this process in MB. VmHWM, not resourceUsage().maxRSS: on Linux a child's
 * maxRSS starts from its parent's size at fork time (it survives exec), so the benchmark's own
 * memory would leak into the build's figure; VmHWM belongs to the fresh address space after exec.
 */
function peakMemoryKB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS;
}

/** Runs this script in child mode and returns its wall time, its peak memory in MB and its output. */
function runChild(args: string[]): { seconds: number; peakMemoryMB: number; stdout: string } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [SELF, "--child", ...args], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
  const seconds = (performance.now() - started) / 1000;
  const marker = stdout.lastIndexOf("MAXRSS_KB=");
  const peakMemoryMB = Number(stdout.slice(marker + 10).trim()) / 1024;
  return { seconds, peakMemoryMB, stdout: stdout.slice(0, marker) };
}

/** Child mode: run one job, then print this process's peak RSS. */
async function child(kind: string, args: string[]): Promise<void> {
  if (kind === "build") {
    const { main } = await import("../cli/roster.ts");
    const code = await main(["build", ...args, "--quiet"]);
    if (code !== 0) process.exit(code);
  } else if (kind === "openzeppelin") {
    const [csv, limit] = args;
    const { StandardMerkleTree } = await import("@openzeppelin/merkle-tree");
    const lines = headOfCsv(csv, Number(limit)).trim().split("\n").slice(1);
    const values = lines.map((line) => line.split(",")).map(([index, beneficiary, amount]) => [index, beneficiary, amount]);
    const tree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
    // The library's own storage format: what a roster tool built on it would write.
    const dumped = JSON.stringify(tree.dump());
    process.stdout.write(`${tree.root} ${dumped.length}\n`);
  }
  process.stdout.write(`MAXRSS_KB=${peakMemoryKB()}\n`);
}

function timeIt<T>(run: () => T): { seconds: number; value: T } {
  const started = performance.now();
  const value = run();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function benchmark(rows: number, ozRows: number): Promise<void> {
  const keccak = await keccak256Hasher();
  const dir = mkdtempSync(join(tmpdir(), "roster-bench-"));
  try {
    const csv = join(dir, "households.csv");
    process.stderr.write(`generating ${rows.toLocaleString("en")} rows in ${csv}...\n`);
    await writeSyntheticCsv(csv, rows, keccak);
    const csvMB = statSync(csv).size / 1e6;

    process.stderr.write("building (child process)...\n");
    const load = loadavg()[0];
    // Twice, keeping the faster: other processes on a shared 2-core machine make single runs noisy.
    const runs = [1, 2].map((run) => runChild(["build", "--in", csv, "--out", join(dir, `out-${run}`)]));
    const best = runs[0].seconds <= runs[1].seconds ? 0 : 1;
    const build = runs[best];
    const out = join(dir, `out-${best + 1}`);
    const root = build.stdout.trim();
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));

    // Reload: read the tree file and open it; then, separately, re-hash everything in it.
    const reload = timeIt(() => decodeTreeFile(readFileSync(join(out, "roster.tree"))));
    const tree = reload.value;
    if (tree.root !== root) throw new Error("reloaded root differs from the built one");
    const reverify = timeIt(() => verifyRosterTree(tree, keccak));
    if (reverify.value !== undefined) throw new Error(`stored tree does not verify: ${reverify.value}`);
    const proofsLoad = timeIt(() => new ProofsFile(readFileSync(join(out, "roster.proofs"))));
    const proofs = proofsLoad.value;

    // Proof lookups by beneficiary address, as the relayer or the dApp's API would do them.
    const lookups = 20_000;
    const targets: Uint8Array[] = [];
    for (let i = 0; i < lookups; i++) {
      const row = Math.floor((i * 2654435761) % rows);
      targets.push(tree.beneficiaries.slice(row * 20, row * 20 + 20));
    }
    const proofBuffer = new Uint8Array(32 * tree.depth);
    const treeLookup = timeIt(() => {
      let total = 0;
      for (const address of targets) total += tree.proofInto(tree.findBeneficiary(address), proofBuffer);
      return total;
    });
    const hexLookup = timeIt(() => {
      let total = 0;
      for (const address of targets) total += tree.proof(tree.findBeneficiary(address)).length;
      return total;
    });
    const fileLookup = timeIt(() => {
      let total = 0;
      for (const address of targets) total += proofs.find(address)!.proof.length;
      return total;
    });
    // A sample of proofs must fold up to the root, or the timings above mean nothing.
    const rootBytes = tree.nodes.slice(0, 32);
    for (let i = 0; i < 100; i++) {
      const row = tree.findBeneficiary(targets[i]);
      const length = tree.proofInto(row, proofBuffer);
      const leaf = tree.nodes.slice(tree.treeIndex[row] * 32, tree.treeIndex[row] * 32 + 32);
      if (!verifyProof(leaf, proofBuffer, length, rootBytes, keccak)) throw new Error(`proof for row ${row} does not verify`);
    }

    // OpenZeppelin's StandardMerkleTree on the first ozRows rows, checked against our root for the same rows.
    const oz = runChild(["openzeppelin", csv, String(ozRows)]);
    const [ozRoot, ozDumpChars] = oz.stdout.trim().split(" ");
    const subset = new RosterParser(keccak);
    subset.push(headOfCsv(csv, ozRows));
    const subsetParsed = subset.finish();
    if (!subsetParsed.ok) throw new Error("subset does not parse");
    const ourSubsetRoot = buildRosterTree(subsetParsed.rows, keccak).root;
    if (ourSubsetRoot !== ozRoot) throw new Error(`root mismatch on ${ozRows} rows: ours ${ourSubsetRoot}, OpenZeppelin ${ozRoot}`);
    // Extrapolation from two sizes: the slope between ozRows/2 and ozRows, so Node's start-up time and
    // base memory are not multiplied along with the per-row cost.
    const ozHalf = runChild(["openzeppelin", csv, String(ozRows / 2)]);
    const perRowSeconds = (oz.seconds - ozHalf.seconds) / (ozRows / 2);
    const perRowMB = (oz.peakMemoryMB - ozHalf.peakMemoryMB) / (ozRows / 2);
    const ozExtrapolatedSeconds = oz.seconds + perRowSeconds * (rows - ozRows);
    const ozExtrapolatedMB = oz.peakMemoryMB + perRowMB * (rows - ozRows);

    const result = {
      rows,
      machine: { cpus: 2, loadAverage1m: Number(load.toFixed(2)), node: process.version },
      input: { csvMB: Number(csvMB.toFixed(1)) },
      root,
      depth: summary.depth,
      build: {
        seconds: Number(build.seconds.toFixed(2)),
        secondsEachRun: runs.map((run) => Number(run.seconds.toFixed(2))),
        secondsInsideTool: summary.buildSeconds,
        threads: summary.threads,
        // CPU time of the build (all threads): what the wall clock would be on an idle machine with one
        // thread; the wall clock above also counts time other processes held the 2 cores.
        cpuSeconds: summary.cpuSeconds,
        phaseSeconds: summary.phaseSeconds,
        peakMemoryMB: Math.round(Math.max(...runs.map((run) => run.peakMemoryMB))),
        treeFileMB: Number((summary.files.tree.bytes / 1e6).toFixed(1)),
        proofsFileMB: Number((summary.files.proofs.bytes / 1e6).toFixed(1)),
      },
      reload: {
        treeFileSeconds: Number(reload.seconds.toFixed(3)),
        treeFileWithFullRehashSeconds: Number((reload.seconds + reverify.seconds).toFixed(3)),
        proofsFileSeconds: Number(proofsLoad.seconds.toFixed(3)),
      },
      proofLookupMs: {
        treeBinary: Number(((treeLookup.seconds * 1000) / lookups).toFixed(5)),
        treeHex: Number(((hexLookup.seconds * 1000) / lookups).toFixed(5)),
        proofsFile: Number(((fileLookup.seconds * 1000) / lookups).toFixed(5)),
      },
      openzeppelin: {
        measuredRows: [ozRows / 2, ozRows],
        measuredSeconds: [Number(ozHalf.seconds.toFixed(2)), Number(oz.seconds.toFixed(2))],
        measuredPeakMemoryMB: [Math.round(ozHalf.peakMemoryMB), Math.round(oz.peakMemoryMB)],
        dumpJsonMB: Number((Number(ozDumpChars) / 1e6).toFixed(1)),
        rootMatchesOurs: true,
        extrapolatedLinearlyTo: rows,
        extrapolatedSeconds: Math.round(ozExtrapolatedSeconds),
        extrapolatedPeakMemoryMB: Math.round(ozExtrapolatedMB),
        note: "EXTRAPOLATED, not measured: linear in the rows, with the per-row slope measured between the two sizes. Peak memory at small sizes includes garbage V8 has not collected yet, so the memory figure is an upper bound (the issue measured ~2.7 GB at 1M).",
      },
      targets: TARGETS,
      meetsTargets: {
        buildTime: build.seconds <= TARGETS.buildSeconds,
        buildMemory: Math.max(...runs.map((run) => run.peakMemoryMB)) <= TARGETS.peakMemoryMB,
        reload: reload.seconds <= TARGETS.reloadSeconds,
        proofLookup: (treeLookup.seconds * 1000) / lookups <= TARGETS.proofLookupMs && (fileLookup.seconds * 1000) / lookups <= TARGETS.proofLookupMs,
      },
    };

    const line = (what: string, measured: string, target: string, ok?: boolean): string =>
      `${what.padEnd(44)} ${measured.padStart(14)}   ${target.padEnd(10)} ${ok === undefined ? "" : ok ? "ok" : "MISSED"}`;
    const table = [
      `roster build, ${rows.toLocaleString("en")} rows (load average ${load.toFixed(2)} on 2 cores)`,
      line("measure", "measured", "target"),
      line(`build, wall clock, best of 2 (${summary.threads} thread(s))`, `${build.seconds.toFixed(2)} s`, "<= 15 s", result.meetsTargets.buildTime),
      line("  each run", runs.map((run) => `${run.seconds.toFixed(2)} s`).join(", "), ""),
      line("build, CPU time (all threads)", `${summary.cpuSeconds.toFixed(2)} s`, "<= 15 s", summary.cpuSeconds <= TARGETS.buildSeconds),
      line(
        "  phases: validate / hash / tree file / proofs",
        `${Object.values(summary.phaseSeconds as Record<string, number>).map((x) => x.toFixed(1)).join(" / ")} s`,
        "",
      ),
      line("build, peak memory (VmHWM, worst run)", `${result.build.peakMemoryMB} MB`, "<= 1000 MB", result.meetsTargets.buildMemory),
      line("reload tree file", `${reload.seconds.toFixed(3)} s`, "<= 15 s", result.meetsTargets.reload),
      line("reload tree file + re-hash every node", `${(reload.seconds + reverify.seconds).toFixed(2)} s`, "<= 15 s", reload.seconds + reverify.seconds <= 15),
      line("open proofs file", `${proofsLoad.seconds.toFixed(3)} s`, ""),
      line("proof lookup, tree (binary)", `${result.proofLookupMs.treeBinary} ms`, "<= 0.1 ms", result.proofLookupMs.treeBinary <= 0.1),
      line("proof lookup, tree (hex strings)", `${result.proofLookupMs.treeHex} ms`, "<= 0.1 ms", result.proofLookupMs.treeHex <= 0.1),
      line("proof lookup, proofs file", `${result.proofLookupMs.proofsFile} ms`, "<= 0.1 ms", result.proofLookupMs.proofsFile <= 0.1),
      line("files: tree / proofs", `${result.build.treeFileMB} / ${result.build.proofsFileMB} MB`, ""),
      line(`OpenZeppelin, measured on ${(ozRows / 2).toLocaleString("en")} / ${ozRows.toLocaleString("en")} rows`, `${ozHalf.seconds.toFixed(2)} / ${oz.seconds.toFixed(2)} s`, ""),
      line(`OpenZeppelin, peak memory, same sizes`, `${Math.round(ozHalf.peakMemoryMB)} / ${Math.round(oz.peakMemoryMB)} MB`, ""),
      line(`OpenZeppelin, EXTRAPOLATED to ${rows.toLocaleString("en")} rows`, `${Math.round(ozExtrapolatedSeconds)} s`, ""),
      line(`OpenZeppelin peak memory, EXTRAPOLATED`, `${Math.round(ozExtrapolatedMB)} MB`, ""),
      `root ${root} (same root as OpenZeppelin on the first ${ozRows.toLocaleString("en")} rows: checked)`,
    ];
    process.stdout.write(`${table.join("\n")}\n`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`wrote ${RESULTS}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv.slice(4));
else await benchmark(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 20_000));
