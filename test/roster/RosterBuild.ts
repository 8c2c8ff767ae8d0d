/**
 * roster build: the tree must be exactly @openzeppelin/merkle-tree's StandardMerkleTree (root, node
 * layout, tree indices, proofs), and bad input must be refused line by line with nothing written.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers } from "ethers";
import {
  ProofsFile,
  RosterParser,
  buildRosterTree,
  decodeTreeFile,
  encodeProofsFile,
  encodeTreeFile,
  fetchProofRecord,
  fromHex,
  keccak256Hasher,
  toHex,
  verifyRosterTree,
  type RosterRows,
} from "../../lib/roster/index.ts";
import { sortRowsByKey } from "../../lib/roster/sort.ts";
import { buildRosterTreeParallel, verifyChecksumsParallel } from "../../lib/roster/parallel-node.ts";

const CLI = fileURLToPath(new URL("../../scripts/cli/roster.ts", import.meta.url));
const ENCODING = ["uint256", "address", "uint256"];

type Household = [index: bigint, beneficiary: string, amount: bigint];

/** Deterministic households: checksummed addresses, amounts from 1 up to beyond 2^53 and 2^128. */
function households(count: number): Household[] {
  const out: Household[] = [];
  for (let i = 0; i < count; i++) {
    const digest = ethers.keccak256(ethers.toBeHex(i + 1, 32));
    const beneficiary = ethers.getAddress(`0x${digest.slice(26)}`);
    const amount = i % 97 === 0 ? (1n << 128n) + BigInt(i) : i % 13 === 0 ? 2n ** 53n + BigInt(i) : BigInt(1 + (i % 5000)) * 1_000_000n;
    // Indexes in a scrambled order, so that row order, index order and leaf order all differ.
    out.push([BigInt((i * 7919) % count), beneficiary, amount]);
  }
  return out;
}

const toBytes32 = (v: bigint) => ethers.getBytes(ethers.toBeHex(v, 32));

function csvOf(rows: Household[], withIndex = true): string {
  const header = withIndex ? "index,beneficiary,amount" : "beneficiary,amount";
  const lines = rows.map(([index, beneficiary, amount]) => (withIndex ? `${index},${beneficiary},${amount}` : `${beneficiary},${amount}`));
  return `${header}\n${lines.join("\n")}\n`;
}

async function parse(csv: string, decimals = 0): Promise<RosterRows> {
  const parser = new RosterParser(await keccak256Hasher(), { decimals });
  // Fed in odd-sized pieces: records split across chunks must be reassembled.
  for (let i = 0; i < csv.length; i += 977) parser.push(csv.slice(i, i + 977));
  const result = parser.finish();
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.rows;
}

function concat(parts: Iterable<Uint8Array>): Uint8Array {
  // Copy each part as it comes: encodeProofsFile reuses its chunk buffer between yields.
  const list: Uint8Array[] = [];
  for (const part of parts) list.push(part.slice());
  const out = new Uint8Array(list.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of list) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

type CliRun = { status: number | null; stdout: string; stderr: string };

function runCli(args: string[]): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// At most four CLI processes at once: enough to overlap Node's start-up, not enough to thrash 2 cores.
let running = 0;
const waiting: (() => void)[] = [];

async function runCliAsync(args: string[]): Promise<CliRun> {
  if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await spawnCli(args);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("roster build", function () {
  describe("the tree", function () {
    it("matches StandardMerkleTree on 3,000 rows: root, every node, every tree index and every proof", async function () {
      const values = households(3000);
      const ours = buildRosterTree(await parse(csvOf(values)), await keccak256Hasher());
      const oz = StandardMerkleTree.of(values, ENCODING);
      const dump = oz.dump();

      expect(ours.root).to.equal(oz.root);
      expect(ours.count).to.equal(3000);
      expect(dump.tree.length).to.equal(2 * 3000 - 1);
      for (let i = 0; i < dump.tree.length; i++) expect(toHex(ours.nodes, i * 32, 32)).to.equal(dump.tree[i]);
      for (let row = 0; row < values.length; row++) {
        expect(ours.treeIndex[row]).to.equal(dump.values[row].treeIndex);
        const proof = ours.proof(row);
        expect(proof).to.deep.equal(oz.getProof(row));
        expect(StandardMerkleTree.verify(oz.root, ENCODING, values[row], proof)).to.equal(true);
        expect(ours.value(row)).to.deep.equal({ index: values[row][0], beneficiary: values[row][1].toLowerCase(), amount: values[row][2] });
      }
      const longest = Math.max(...values.map((_, row) => oz.getProof(row).length));
      expect(ours.depth).to.equal(longest);
    });

    it("comes out byte for byte the same when hashed on worker threads, every level split", async function () {
      const keccak = await keccak256Hasher();
      const values = households(2500);
      const rows = await parse(csvOf(values));
      const single = buildRosterTree(rows, keccak);
      const parallel = await buildRosterTreeParallel(rows, keccak, { threads: 3, minParallelNodes: 1 });
      expect(parallel.root).to.equal(StandardMerkleTree.of(values, ENCODING).root);
      expect(Buffer.from(parallel.nodes).equals(Buffer.from(single.nodes))).to.equal(true);
      expect([...parallel.treeIndex]).to.deep.equal([...single.treeIndex]);

      expect(Buffer.from(concat(encodeProofsFile(parallel))).equals(Buffer.from(concat(encodeProofsFile(single))))).to.equal(true);
    });

    it("gives rows their position as index when the file has no index column", async function () {
      const values = households(500).map(([, beneficiary, amount], row): Household => [BigInt(row), beneficiary, amount]);
      const ours = buildRosterTree(await parse(csvOf(values, false)), await keccak256Hasher());
      expect(ours.root).to.equal(StandardMerkleTree.of(values, ENCODING).root);
    });

    for (const count of [1, 2, 3, 4, 5, 7, 8, 9]) {
      it(`matches StandardMerkleTree's layout for ${count} row(s)`, async function () {
        const values = households(count);
        const ours = buildRosterTree(await parse(csvOf(values)), await keccak256Hasher());
        const oz = StandardMerkleTree.of(values, ENCODING);
        expect(ours.root).to.equal(oz.root);
        for (let row = 0; row < count; row++) expect(ours.proof(row)).to.deep.equal(oz.getProof(row));
      });
    }

    it("scales decimal amounts by --decimals and sums the total in base units", async function () {
      const [a, b] = households(2);
      const rows = await parse(`beneficiary,amount\n${a[1]},12.5\n${b[1]},0.000001\n`, 6);
      const tree = buildRosterTree(rows, await keccak256Hasher());
      expect(tree.value(0).amount).to.equal(12_500_000n);
      expect(tree.value(1).amount).to.equal(1n);
      expect(rows.totalAmount).to.equal(12_500_001n);
      expect(tree.root).to.equal(StandardMerkleTree.of([[0n, a[1], 12_500_000n], [1n, b[1], 1n]], ENCODING).root);
    });

    it("reads quoted fields, CRLF line ends, a BOM, blank lines and columns in any order", async function () {
      const [a, b] = households(2);
      const csv = `\ufeffAmount,Notes,Beneficiary\r\n"7","village ""A"", north",${a[1]}\r\n\r\n 9 ,,"${b[1]}"\r\n`;
      const tree = buildRosterTree(await parse(csv), await keccak256Hasher());
      expect(tree.root).to.equal(StandardMerkleTree.of([[0n, a[1], 7n], [1n, b[1], 9n]], ENCODING).root);
    });
  });

  describe("sorting rows by a byte key", function () {
    function referenceOrder(bytes: Uint8Array, width: number, count: number, prefixOffset: number): number[] {
      const prefix = (row: number): number => new DataView(bytes.buffer, row * width + prefixOffset, 4).getUint32(0);
      const key = (row: number): string => toHex(bytes, row * width, width);
      return [...Array(count).keys()].sort((a, b) => prefix(a) - prefix(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a - b));
    }

    it("orders keys whose leading bytes mostly tie, and equal keys by row, like a full comparator sort", function () {
      // 20-byte keys: 4 identical leading bytes, then few distinct values, so runs of ties and equal keys abound.
      const count = 5000;
      const bytes = new Uint8Array(count * 20);
      for (let row = 0; row < count; row++) {
        bytes.fill(0x11, row * 20, row * 20 + 4);
        bytes[row * 20 + 19] = (row * 37) % 251;
        bytes[row * 20 + 10] = row % 3;
      }
      expect([...sortRowsByKey(bytes, 20, 0, 20, count)]).to.deep.equal(referenceOrder(bytes, 20, count, 0));
    });

    it("leads with the low bytes when asked, which still groups equal 32-byte integers together", function () {
      const count = 3000;
      const bytes = new Uint8Array(count * 32);
      for (let row = 0; row < count; row++) {
        bytes[row * 32 + 31] = row % 200; // equal low bytes...
        bytes[row * 32 + 3] = row % 7; // ...but different high bytes: 2^224 * (row % 7) + row % 200
      }
      expect([...sortRowsByKey(bytes, 32, 0, 32, count, 28)]).to.deep.equal(referenceOrder(bytes, 32, count, 28));
    });

    it("does not take indexes that agree in their low 32 bits for duplicates", async function () {
      const [a, b] = households(2);
      // `roster build` numbers rosters 0..n-1; the tree itself orders any uint256 index, so the rows are
      // given wide indexes after parsing.
      const rows = await parse(`index,beneficiary,amount\n0,${a[1]},1\n1,${b[1]},1\n`);
      rows.indexes.set(toBytes32(5n), 0);
      rows.indexes.set(toBytes32(2n ** 32n + 5n), 32);
      expect(buildRosterTree(rows, await keccak256Hasher()).value(1).index).to.equal(2n ** 32n + 5n);
    });
  });

  describe("the stored files", function () {
    it("reload to the same tree, re-hash cleanly and serve the same proofs as StandardMerkleTree", async function () {
      const keccak = await keccak256Hasher();
      const values = households(1500);
      const built = buildRosterTree(await parse(csvOf(values)), keccak);
      const oz = StandardMerkleTree.of(values, ENCODING);

      const reloaded = decodeTreeFile(concat(encodeTreeFile(built)));
      expect(reloaded.root).to.equal(oz.root);
      expect(verifyRosterTree(reloaded, keccak)).to.equal(undefined);
      const proofs = new ProofsFile(concat(encodeProofsFile(built, 100)));
      expect(proofs.root).to.equal(oz.root);
      for (let row = 0; row < values.length; row += 7) {
        const address = fromHex(values[row][1].toLowerCase(), 20);
        expect(reloaded.proof(reloaded.findBeneficiary(address))).to.deep.equal(oz.getProof(row));
        expect(proofs.find(address)).to.deep.equal({
          index: values[row][0],
          beneficiary: values[row][1].toLowerCase(),
          amount: values[row][2],
          proof: oz.getProof(row),
        });
      }
      expect(reloaded.findBeneficiary(new Uint8Array(20).fill(0xee))).to.equal(-1);
      expect(proofs.find(new Uint8Array(20).fill(0xee))).to.equal(undefined);
    });

    it("serve one household's proof from three small range reads, as a browser would fetch it", async function () {
      const keccak = await keccak256Hasher();
      const values = households(4000);
      const file = concat(encodeProofsFile(buildRosterTree(await parse(csvOf(values)), keccak)));
      const oz = StandardMerkleTree.of(values, ENCODING);
      const reads: number[] = [];
      const read = async (offset: number, length: number): Promise<Uint8Array> => {
        reads.push(length);
        return file.slice(offset, offset + length);
      };
      for (const row of [0, 1234, 3999]) {
        reads.length = 0;
        const record = await fetchProofRecord(read, fromHex(values[row][1].toLowerCase(), 20));
        expect(record).to.deep.equal({ root: oz.root, index: values[row][0], beneficiary: values[row][1].toLowerCase(), amount: values[row][2], proof: oz.getProof(row) });
        expect(reads.length).to.equal(3);
        expect(reads.reduce((a, b) => a + b, 0)).to.be.below(file.length / 50);
      }
      expect(await fetchProofRecord(read, new Uint8Array(20).fill(0xee))).to.equal(undefined);
    });

    it("detect a tampered amount when re-hashed", async function () {
      const keccak = await keccak256Hasher();
      const bytes = concat(encodeTreeFile(buildRosterTree(await parse(csvOf(households(64))), keccak)));
      const tree = decodeTreeFile(bytes);
      tree.amounts[31] ^= 1; // row 0's amount, lowest byte
      expect(verifyRosterTree(tree, keccak)).to.equal("row 0: leaf does not match its values");
    });

    it("refuse a file that is not a roster tree", function () {
      expect(() => decodeTreeFile(new TextEncoder().encode("index,beneficiary,amount\n".repeat(4)))).to.throw("bad magic");
    });
  });

  describe("the command line", function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(join(tmpdir(), "roster-test-"));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    function write(name: string, text: string): string {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    }

    it("writes the tree, the proofs and a summary whose root is StandardMerkleTree's, and exits 0", function () {
      const values = households(300);
      const input = write("households.csv", csvOf(values));
      const out = join(dir, "out");
      const run = runCli(["build", "--in", input, "--out", out, "--oz-json"]);
      expect(run.stderr).to.equal("");
      expect(run.status).to.equal(0);
      const oz = StandardMerkleTree.of(values, ENCODING);
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
      expect(summary).to.include({ root: oz.root, rows: 300, depth: 9, indexColumn: true });
      expect(summary.totalAmount).to.equal(values.reduce((sum, [, , amount]) => sum + amount, 0n).toString());
      expect(run.stdout).to.contain(`root    ${oz.root}`);
      expect(readdirSync(out).sort()).to.deep.equal(["roster.households.csv", "roster.oz.json", "roster.proofs", "roster.tree", "summary.json"]);

      // The OpenZeppelin dump loads into the library itself, which re-checks every node and leaf.
      const loaded = StandardMerkleTree.load(JSON.parse(readFileSync(join(out, "roster.oz.json"), "utf8")));
      loaded.validate();
      expect(loaded.root).to.equal(oz.root);
      expect(loaded.getProof(7)).to.deep.equal(oz.getProof(7));

      const row = 123;
      for (const source of [["--tree", join(out, "roster.tree"), "--verify"], ["--proofs", join(out, "roster.proofs")]]) {
        const lookup = runCli(["proof", ...source, "--beneficiary", values[row][1]]);
        expect(lookup.status).to.equal(0);
        const claim = JSON.parse(lookup.stdout);
        expect(claim).to.include({ root: oz.root, index: values[row][0].toString(), amount: values[row][2].toString() });
        expect(claim.proof).to.deep.equal(oz.getProof(row));
      }
      const verify = runCli(["verify", "--tree", join(out, "roster.tree")]);
      expect([verify.status, verify.stdout.trim()]).to.deep.equal([0, oz.root]);
    });

    it("builds the same files on two threads as on one", function () {
      const input = write("households.csv", csvOf(households(2000)));
      for (const threads of ["1", "2"]) {
        expect(runCli(["build", "--in", input, "--out", join(dir, threads), "--threads", threads]).status).to.equal(0);
      }
      for (const file of ["roster.tree", "roster.proofs"]) {
        expect(readFileSync(join(dir, "2", file)).equals(readFileSync(join(dir, "1", file))), file).to.equal(true);
      }
    });

    it("exits 2 for a beneficiary that is not on the roster", function () {
      const input = write("households.csv", csvOf(households(3)));
      const out = join(dir, "out");
      expect(runCli(["build", "--in", input, "--out", out]).status).to.equal(0);
      const lookup = runCli(["proof", "--proofs", join(out, "roster.proofs"), "--beneficiary", `0x${"ee".repeat(20)}`]);
      expect(lookup.status).to.equal(2);
      expect(lookup.stderr).to.contain("is not on the roster");
    });

    const [a, b, c] = households(3).map(([, beneficiary]) => beneficiary);
    // A checksummed address with the case of one letter flipped: the typo EIP-55 exists to catch.
    const flipAt = [...a].findIndex((ch, i) => i > 1 && /[a-fA-F]/.test(ch));
    const badChecksum = a.slice(0, flipAt) + (a[flipAt] === a[flipAt].toUpperCase() ? a[flipAt].toLowerCase() : a[flipAt].toUpperCase()) + a.slice(flipAt + 1);

    const invalid: { name: string; csv: string; errors: string[]; args?: string[] }[] = [
      { name: "an address that is not hex", csv: `beneficiary,amount\n0x${"zz".repeat(20)},5\n`, errors: [`2:beneficiary: not an address (bad hex digit "z"): "0x${"zz".repeat(20)}"`] },
      { name: "an address of the wrong length", csv: `beneficiary,amount\n${a.slice(0, 40)},5\n`, errors: [`2:beneficiary: not an address (expected 0x followed by 40 hex digits): "${a.slice(0, 40)}"`] },
      { name: "a mixed-case address with a bad checksum", csv: `beneficiary,amount\n${badChecksum},5\n`, errors: [`2:beneficiary: bad address checksum: ${badChecksum}`] },
      { name: "the zero address", csv: `beneficiary,amount\n0x${"0".repeat(40)},5\n`, errors: ["2:beneficiary: zero address"] },
      { name: "a missing address", csv: `beneficiary,amount\n,5\n`, errors: ["2:beneficiary: missing address"] },
      {
        name: "a duplicate beneficiary (also when only the case differs)",
        csv: `beneficiary,amount\n${a},5\n${b},6\n${a.toLowerCase()},7\n${a},8\n`,
        errors: [`4:beneficiary: duplicate beneficiary ${a.toLowerCase()} (first at line 2)`, `5:beneficiary: duplicate beneficiary ${a.toLowerCase()} (first at line 2)`],
      },
      {
        name: "a duplicate index",
        csv: `index,beneficiary,amount\n1,${a},5\n0001,${b},6\n2,${c},7\n`,
        errors: ["3:index: duplicate index 1 (first at line 2)"],
      },
      {
        name: "a 1-based roster: the programme pays only indexes below its leaf count",
        csv: `index,beneficiary,amount\n1,${a},5\n2,${b},6\n3,${c},7\n`,
        errors: ["4:index: index 3 is out of range: a roster of 3 row(s) is numbered 0 to 2 (the programme pays only indexes below its leaf count; number households from 0, or leave the index column out)"],
      },
      {
        name: "an ID-keyed roster (indexes far beyond the row count)",
        csv: `index,beneficiary,amount\n0,${a},5\n522634001,${b},6\n${2n ** 40n},${c},7\n`,
        errors: [
          "3:index: index 522634001 is out of range: a roster of 3 row(s) is numbered 0 to 2 (the programme pays only indexes below its leaf count; number households from 0, or leave the index column out)",
          `4:index: index ${2n ** 40n} is out of range: a roster of 3 row(s) is numbered 0 to 2 (the programme pays only indexes below its leaf count; number households from 0, or leave the index column out)`,
        ],
      },
      { name: "an index that is not an integer", csv: `index,beneficiary,amount\n-1,${a},5\n1.5,${b},5\n`, errors: ['2:index: not a non-negative integer: "-1"', '3:index: not a non-negative integer: "1.5"'] },
      { name: "an index beyond uint256", csv: `index,beneficiary,amount\n${2n ** 256n},${a},5\n`, errors: ["2:index: index exceeds 2^256-1"] },
      { name: "a non-integer amount", csv: `beneficiary,amount\n${a},1.5\n`, errors: ["2:amount: not an integer: 1.5 (amounts are in base units; pass --decimals N for decimal amounts)"] },
      { name: "a negative amount", csv: `beneficiary,amount\n${a},-3\n`, errors: ["2:amount: negative amount: -3"] },
      { name: "a zero amount", csv: `beneficiary,amount\n${a},000\n${b},0.00\n`, args: ["--decimals", "2"], errors: ["2:amount: amount is zero", "3:amount: amount is zero"] },
      { name: "an amount that is not a number", csv: `beneficiary,amount\n${a},1e18\n${b},\n`, errors: ['2:amount: not a number: "1e18"', "3:amount: missing amount"] },
      {
        name: "an amount with a comma, which could be a decimal mark or a thousands separator",
        csv: `beneficiary,amount\n${a},"1,5"\n${b},"1,000"\n`,
        args: ["--decimals", "2"],
        errors: [
          '2:amount: not a number: "1,5" (write amounts with a decimal point and no thousands separators, e.g. 1234.5)',
          '3:amount: not a number: "1,000" (write amounts with a decimal point and no thousands separators, e.g. 1234.5)',
        ],
      },
      { name: "more decimals than --decimals", csv: `beneficiary,amount\n${a},1.234\n`, args: ["--decimals", "2"], errors: ["2:amount: more than 2 decimal places: 1.234"] },
      { name: "an amount beyond uint256", csv: `beneficiary,amount\n${a},${2n ** 256n}\n`, errors: [`2:amount: amount exceeds 2^256-1: ${2n ** 256n}`] },
      { name: "a missing column", csv: `index,beneficiary\n0,${a}\n`, errors: ['1:amount: missing column "amount" (header: index,beneficiary)'] },
      { name: "a repeated column", csv: `beneficiary,amount,amount\n${a},1,2\n`, errors: ['1:amount: column "amount" appears more than once'] },
      { name: "an empty file", csv: "", errors: ["1:header: empty file: expected a header line"] },
      { name: "a file of blank lines", csv: "\n \r\n\n", errors: ["3:header: empty file: expected a header line"] },
      { name: "a header without rows", csv: "beneficiary,amount\n", errors: ["1:row: no rows after the header"] },
      { name: "a row with the wrong number of fields", csv: `beneficiary,amount\n${a},5,extra\n${b}\n`, errors: ["2:row: expected 2 fields, found 3", "3:row: expected 2 fields, found 1"] },
      {
        name: "a line too long to be a household",
        csv: `beneficiary,amount\n${"9".repeat(70_000)}\n${a},5\n${"x".repeat(70_000)}`,
        errors: ["2:row: line longer than 65536 characters", "4:row: line longer than 65536 characters"],
      },
      { name: "a broken quoted field", csv: `beneficiary,amount\n"${a},5\n`, errors: ["2:row: unterminated quoted field"] },
      {
        name: "several problems at once, all reported in line order",
        csv: `index,beneficiary,amount\nx,${a},0\n1,${badChecksum},-1\n1,${c},5\n`,
        errors: [
          '2:index: not a non-negative integer: "x"',
          "2:amount: amount is zero",
          `3:beneficiary: bad address checksum: ${badChecksum}`,
          "3:amount: negative amount: -1",
        ],
      },
    ];

    describe("with invalid input", function () {
      // Every bad file runs through the real CLI; they run concurrently up front to keep the suite fast.
      const caseDir = mkdtempSync(join(tmpdir(), "roster-invalid-"));
      const runs = new Map<string, Promise<CliRun>>();
      before(function () {
        invalid.forEach(({ name, csv, args = [] }, i) => {
          const input = join(caseDir, `case-${i}.csv`);
          writeFileSync(input, csv);
          runs.set(name, runCliAsync(["build", "--in", input, "--out", join(caseDir, `out-${i}`), ...args]));
        });
      });
      after(function () {
        rmSync(caseDir, { recursive: true, force: true });
      });

      invalid.forEach(({ name, errors }, i) => {
        it(`refuses ${name} with file:line:field, exit code 2 and nothing written`, async function () {
          const input = join(caseDir, `case-${i}.csv`);
          const run = await runs.get(name)!;
          expect(run.status).to.equal(2);
          const lines = run.stderr.trim().split("\n");
          expect(lines.slice(0, -1)).to.deep.equal(errors.map((error) => `${input}:${error}`));
          expect(lines.at(-1)).to.equal(`roster: ${errors.length} error(s) in ${input}; nothing was written`);
          expect(run.stdout).to.equal("");
          expect(existsSync(join(caseDir, `out-${i}`))).to.equal(false);
        });
      });
    });

    it("finds the same errors whether checksums are checked inline, deferred or on worker threads", async function () {
      const keccak = await keccak256Hasher();
      // Every invalid case, plus a big file with bad checksums far apart so each thread finds some.
      const big = households(3000).map(([index, beneficiary, amount], row) => [index, row % 1000 === 999 ? badChecksum : beneficiary, amount] as Household);
      const inputs = [...invalid.map(({ csv, args }) => ({ csv, decimals: args ? Number(args[1]) : 0 })), { csv: csvOf(big), decimals: 0 }];
      for (const { csv, decimals } of inputs) {
        const inline = new RosterParser(keccak, { decimals });
        const deferred = new RosterParser(keccak, { decimals, deferChecksums: true });
        const threaded = new RosterParser(keccak, { decimals, deferChecksums: true });
        for (const parser of [inline, deferred, threaded]) parser.push(csv);
        const expected = inline.finish();
        expect(expected.ok).to.equal(false);
        expect(deferred.finish()).to.deep.equal(expected);
        expect(threaded.finish(await verifyChecksumsParallel(threaded.pendingChecksums(), keccak, 3))).to.deep.equal(expected);
      }
    });

    it("leaves an existing output folder untouched when the input is bad", function () {
      const out = join(dir, "out");
      mkdirSync(out);
      writeFileSync(join(out, "summary.json"), "previous build");
      const input = write("households.csv", `beneficiary,amount\n${a},-1\n`);
      expect(runCli(["build", "--in", input, "--out", out]).status).to.equal(2);
      expect(readdirSync(out)).to.deep.equal(["summary.json"]);
      expect(readFileSync(join(out, "summary.json"), "utf8")).to.equal("previous build");
    });

    it("prints the usage and exits 0 for --help, alone or after a command", function () {
      for (const args of [["--help"], ["-h"], ["build", "--help"], ["proof", "--help"], ["verify", "-h"]]) {
        const run = runCli(args);
        expect(run.status, args.join(" ")).to.equal(0);
        expect(run.stdout, args.join(" ")).to.contain("usage:");
        expect(run.stdout).to.contain("roster build --in <households.csv> --out <dir>");
      }
    });

    it("exits 2 (bad input, nothing written) with the usage for a missing option, an unknown option or an unknown command", function () {
      for (const args of [["build", "--in", "x.csv"], ["build", "--in", "x.csv", "--out", "o", "--colour"], ["frobnicate"], ["build", "--in", "x.csv", "--out", "o", "--decimals", "two"], ["build", "--in", "x.csv", "--out", "o", "--threads", "0"]]) {
        const run = runCli(args);
        expect(run.status, args.join(" ")).to.equal(2);
        expect(run.stderr).to.contain("usage:");
      }
    });

    it("exits 1 when the input file cannot be read", function () {
      const run = runCli(["build", "--in", join(dir, "missing.csv"), "--out", join(dir, "out")]);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.contain("ENOENT");
      expect(existsSync(join(dir, "out"))).to.equal(false);
    });
  });
});
