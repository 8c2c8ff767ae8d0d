/**
 * lib/roster/lifecycle.ts: a built roster read back and checked, officials' approval files signed,
 * checked field by field and assembled into one approveRoot call. Runs against the in-process chain with
 * files made by the real `roster build`.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync, cpSync, appendFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as rosterCli } from "../../scripts/cli/roster.ts";
import { resolveProgrammeTerms } from "../../lib/roster/terms.ts";
import {
  RosterInputError,
  assembleApprovals,
  parseApprovalRecord,
  readRosterBuild,
  rootApprovalDigest,
  signRootApproval,
  type ApprovalRecord,
  type TypedDataSigner,
} from "../../lib/roster/lifecycle.ts";
import { ProofsFile, fromHex } from "../../lib/roster/index.ts";
import { ethers, networkHelpers, deployRoster, createProgramme, fundProgramme, sortByAddress, Status, approvals, readyProgramme, openTranche } from "./helpers.ts";

const tmp = mkdtempSync(join(tmpdir(), "precisionaid-lifecycle-"));

/** A Hardhat (ethers) signer in the shape lib/roster/lifecycle.ts signs with (viem's typed data). */
const signerOf = (s: { address: string; signTypedData: (domain: any, types: any, value: any) => Promise<string> }): TypedDataSigner => ({
  address: s.address,
  signTypedData: (td) => s.signTypedData(td.domain, { RootApproval: [...td.types.RootApproval], Roster: [...td.types.Roster] }, td.message),
});

/** Builds a roster of `accounts` with the real CLI into a fresh directory. */
async function built(accounts: string[], amount = 1_000n): Promise<string> {
  const dir = mkdtempSync(join(tmp, "build-"));
  const csv = join(dir, "households.csv");
  writeFileSync(csv, `index,beneficiary,amount\n${accounts.map((a, i) => `${i},${a},${amount}`).join("\n")}\n`);
  // --quiet still prints the root; keep it out of the test report.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let code: number;
  try {
    code = await rosterCli(["build", "--in", csv, "--out", dir, "--quiet"]);
  } finally {
    process.stdout.write = write;
  }
  expect(code).to.equal(0);
  return dir;
}

async function expectInputError(promise: Promise<unknown> | (() => unknown), file: string, field: string, reason: RegExp) {
  let caught: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a refusal").to.be.instanceOf(RosterInputError);
  const e = caught as RosterInputError;
  expect(e.file).to.equal(file);
  expect(e.field).to.equal(field);
  expect(e.message).to.match(reason);
}

async function setUp() {
  const p = await deployRoster();
  const { programme, terms, address } = await createProgramme(p, { threshold: 2 });
  const accounts = p.households.map((h) => h.address);
  const dir = await built(accounts);
  const build = await readRosterBuild(dir);
  const total = build.totalPerTranche * BigInt(terms.trancheUnlockTimes.length);
  await fundProgramme(p, programme, terms, total);
  await programme.connect(p.manager).publishRoster(build.root, build.leafCount, total, "https://aid.example/roster.proofs", build.contentHash);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const officials = sortByAddress(p.officials);
  return { p, programme, terms, address, dir, build, chainId, officials };
}

describe("roster lifecycle (lib/roster/lifecycle.ts)", function () {
  describe("readRosterBuild", function () {
    it("reads what roster build wrote, with the proofs file's sha256 as the content hash", async function () {
      const dir = await built([ethers.Wallet.createRandom().address, ethers.Wallet.createRandom().address]);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      const build = await readRosterBuild(dir);
      expect(build.root).to.equal(summary.root);
      expect(build.leafCount).to.equal(2);
      expect(build.totalPerTranche).to.equal(2_000n);
      expect(build.contentHash).to.equal(ethers.sha256(readFileSync(join(dir, "roster.proofs"))));
      expect(build.contentHash).to.equal(summary.files.proofs.sha256);
    });

    it("refuses a proofs file changed after the build, naming the file", async function () {
      const dir = await built([ethers.Wallet.createRandom().address]);
      appendFileSync(join(dir, "roster.proofs"), Buffer.from([0]));
      await expectInputError(readRosterBuild(dir), join(dir, "roster.proofs"), "(contents)", /the file changed after it was built/);
    });

    it("names the field of a broken summary, and a missing summary", async function () {
      const dir = await built([ethers.Wallet.createRandom().address]);
      const summaryPath = join(dir, "summary.json");
      const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
      for (const [field, value, reason] of [
        ["root", "0x1234", /32-byte hex/],
        ["rows", 0, /whole number/],
        ["totalAmount", "12.5", /decimal integer/],
        ["format", "v0", /precisionaid-roster-v1/],
      ] as const) {
        const broken = join(mkdtempSync(join(tmp, "broken-")), "x");
        cpSync(dir, broken, { recursive: true });
        writeFileSync(join(broken, "summary.json"), JSON.stringify({ ...summary, [field]: value }));
        await expectInputError(readRosterBuild(broken), join(broken, "summary.json"), field, reason);
      }
      const empty = mkdtempSync(join(tmp, "empty-"));
      await expectInputError(readRosterBuild(empty), join(empty, "summary.json"), "(file)", /not found/);
    });
  });

  describe("numbering: the tool and the contract agree (issue 11, item 10)", function () {
    it("refuses a 1-based roster by line and field, writing nothing; a 0..n-1 roster's last household claims, and index n is refused", async function () {
      const p = await deployRoster();
      const accounts = p.households.map((h) => h.address);
      // What a county's spreadsheet might hold: households numbered from 1.
      const dir = mkdtempSync(join(tmp, "one-based-"));
      const csv = join(dir, "households.csv");
      writeFileSync(csv, `index,beneficiary,amount\n${accounts.map((a, i) => `${i + 1},${a},1000`).join("\n")}\n`);
      const out = join(dir, "out");
      const errors: string[] = [];
      const write = process.stderr.write;
      process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
      let code: number;
      try {
        code = await rosterCli(["build", "--in", csv, "--out", out, "--quiet"]);
      } finally {
        process.stderr.write = write;
      }
      expect(code).to.equal(2);
      const n = accounts.length;
      expect(errors.join("")).to.contain(`${csv}:${n + 1}:index: index ${n} is out of range: a roster of ${n} row(s) is numbered 0 to ${n - 1}`);
      expect(existsSync(out)).to.equal(false);

      // Numbered 0..n-1, the roster the tool writes is the one the programme pays in full.
      const { programme, terms } = await createProgramme(p, { threshold: 2 });
      const build = await readRosterBuild(await built(accounts));
      const total = build.totalPerTranche * BigInt(terms.trancheUnlockTimes.length);
      await fundProgramme(p, programme, terms, total);
      await programme.connect(p.manager).publishRoster(build.root, build.leafCount, total, "https://aid.example/roster.proofs", build.contentHash);
      expect(build.leafCount).to.equal(n);
      const { addresses, signatures, deadline } = await approvals(programme, sortByAddress(p.officials).slice(0, 2));
      await programme.connect(p.outsider).approveRoot(addresses, signatures, deadline);
      const claimsOpenAt = (await programme.roster()).claimsOpenAt;
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0] > claimsOpenAt ? terms.trancheUnlockTimes[0] : claimsOpenAt);
      const proofs = new ProofsFile(new Uint8Array(readFileSync(build.proofsPath)));
      const last = p.households[n - 1];
      const record = proofs.find(fromHex(last.address.toLowerCase(), 20))!;
      expect(record.index).to.equal(BigInt(n - 1));
      await expect(programme.connect(last).claim(record.index, 0n, record.amount, record.proof))
        .to.emit(programme, "Claimed")
        .withArgs(last.address, BigInt(n - 1), 0n, record.amount);
      // The 1-based file the tool refused, had another tool built it: approved and frozen, and its last
      // household could never claim.
      const oneBased = await readyProgramme(p, {}, accounts.map((account, i) => ({ index: BigInt(i + 1), account, amount: 1_000n })));
      await openTranche(oneBased.terms, oneBased.claimsOpenAt, 0);
      await expect(oneBased.programme.connect(last).claim(BigInt(n), 0n, 1_000n, oneBased.roster.proof(n - 1)))
        .to.be.revertedWithCustomError(oneBased.programme, "AidRosterIndexOutOfRange")
        .withArgs(BigInt(n), n);
    });
  });

  describe("approval files", function () {
    it("k officials' files, given in any order, approve the root in one transaction", async function () {
      const s = await networkHelpers.loadFixture(setUp);
      const roster = await s.programme.roster();
      // Signed in descending order on purpose: assembly sorts them as the contract wants.
      const files = [];
      const deadline = BigInt(await networkHelpers.time.latest()) + 86_400n;
      for (const official of [...s.officials.slice(0, 2)].reverse()) {
        const record = await signRootApproval(signerOf(official), s.chainId, s.address, roster, deadline);
        expect(record.official).to.equal(official.address);
        expect(record.version).to.equal("1");
        expect(record.contentHash).to.equal(s.build.contentHash);
        expect(record.deadline).to.equal(String(deadline));
        const file = join(tmp, `${official.address}.json`);
        writeFileSync(file, JSON.stringify(record));
        files.push({ file, record: parseApprovalRecord(readFileSync(file, "utf8"), file) });
      }
      const noCode = async () => false;
      const now = BigInt(await networkHelpers.time.latest());
      const assembled = await assembleApprovals(files, { chainId: s.chainId, programme: s.address, roster, threshold: 2, now }, noCode);
      expect(assembled.officials).to.deep.equal(s.officials.slice(0, 2).map((o) => o.address));
      expect(assembled.deadline).to.equal(deadline);
      // lib/roster signs RootApproval(Roster roster, uint256 deadline), as the contract verifies (issue 11 #12):
      // the signatures lib assembled are the ones the test helpers make, and the contract accepts them.
      const current = await approvals(s.programme, s.officials.slice(0, 2), deadline);
      expect(current.addresses).to.deep.equal(assembled.officials);
      expect(assembled.signatures).to.deep.equal(current.signatures);
      await expect(s.programme.connect(s.p.outsider).approveRoot(assembled.officials, assembled.signatures, assembled.deadline))
        .to.emit(s.programme, "RootApproved")
        .withArgs(1, roster.root, assembled.officials, (await networkHelpers.time.latest()) + 1 + Number((await s.programme.terms()).publicityWindow));
      expect(await s.programme.status()).to.equal(Status.Funding);
      const digest = rootApprovalDigest(s.chainId, s.address, roster, deadline);
      expect(ethers.recoverAddress(digest, assembled.signatures[0])).to.equal(assembled.officials[0]);
    });

    it("refuses each mismatch with the file and field, before anything is sent", async function () {
      const s = await networkHelpers.loadFixture(setUp);
      const roster = await s.programme.roster();
      const now = BigInt(await networkHelpers.time.latest());
      const expected = { chainId: s.chainId, programme: s.address, roster, threshold: 2, now };
      const noCode = async () => false;
      const good: ApprovalRecord[] = [];
      for (const o of s.officials.slice(0, 2)) good.push(await signRootApproval(signerOf(o), s.chainId, s.address, roster, now + 86_400n));
      const as = (records: ApprovalRecord[]) => records.map((record, i) => ({ file: `approval-${i}.json`, record }));

      await expectInputError(assembleApprovals(as([good[0]]), expected, noCode), "approval-0.json", "(count)", /exactly 2 approvals, 1 given/);
      await expectInputError(assembleApprovals(as([good[0], good[0]]), expected, noCode), "approval-1.json", "official", /distinct officials/);
      await expectInputError(assembleApprovals(as([good[0], { ...good[1], version: "2" }]), expected, noCode), "approval-1.json", "version", /another roster/);
      await expectInputError(
        assembleApprovals(as([good[0], { ...good[1], programme: s.p.outsider.address }]), expected, noCode),
        "approval-1.json",
        "programme",
        /another roster or programme/,
      );
      await expectInputError(assembleApprovals(as([{ ...good[0], chainId: "1" }, good[1]]), expected, noCode), "approval-0.json", "chainId", /another/);
      // The k files must name one deadline, and it must still be ahead of the chain's time (issue 11 #12).
      await expectInputError(
        assembleApprovals(as([good[0], { ...good[1], deadline: String(now + 2n * 86_400n) }]), expected, noCode),
        "approval-1.json",
        "deadline",
        /must sign the same deadline/,
      );
      const expired = { ...expected, now: now + 86_400n };
      await expectInputError(assembleApprovals(as(good), expired, noCode), "approval-0.json", "deadline", /passed at .* must sign again/);
      // A signature by someone else than the named official.
      const forged = { ...good[1], signature: good[0].signature };
      await expectInputError(assembleApprovals(as([good[0], forged]), expected, noCode), "approval-1.json", "signature", /not by the official/);
      await expectInputError(assembleApprovals(as([good[0], { ...good[1], signature: "0x1234" }]), expected, noCode), "approval-1.json", "signature", /not a valid signature/);
      // A contract wallet's signature is left to the contract (ERC-1271), so it passes assembly.
      const { officials } = await assembleApprovals(as([good[0], forged]), expected, async (a) => a === forged.official);
      expect(officials).to.have.length(2);
      // Nothing was sent: the roster is still unapproved.
      expect((await s.programme.roster()).claimsOpenAt).to.equal(0n);
    });

    it("parses approval files field by field", function () {
      const base = {
        format: "precisionaid-root-approval-v2",
        chainId: "31337",
        programme: ethers.ZeroAddress,
        official: ethers.ZeroAddress,
        root: ethers.ZeroHash,
        version: "1",
        leafCount: "2",
        rosterTotal: "10",
        contentHash: ethers.ZeroHash,
        deadline: "1900000000",
        signature: "0x12",
      };
      expect(parseApprovalRecord(JSON.stringify(base), "a.json").version).to.equal("1");
      expect(parseApprovalRecord(JSON.stringify(base), "a.json").deadline).to.equal("1900000000");
      // A file signed before approvals carried a deadline is refused with what to do.
      expect(() => parseApprovalRecord(JSON.stringify({ ...base, format: "precisionaid-root-approval-v1" }), "a.json")).to.throw(
        RosterInputError,
        /^a\.json: format: is a version 1 approval, signed before root approvals carried a deadline; sign again/,
      );
      expect(() => parseApprovalRecord("{", "a.json")).to.throw(RosterInputError, /a\.json: \(file\): not JSON/);
      for (const [field, value] of [
        ["format", "x"],
        ["programme", "0x12"],
        ["official", 5],
        ["root", "0x00"],
        ["contentHash", "nope"],
        ["version", "-1"],
        ["rosterTotal", 1],
        ["deadline", "soon"],
        ["signature", "zz"],
      ] as const) {
        expect(() => parseApprovalRecord(JSON.stringify({ ...base, [field]: value }), "a.json")).to.throw(RosterInputError, new RegExp(`^a\\.json: ${field.replace(/[()]/g, "\\$&")}: `));
      }
    });
  });

  describe("programme terms files (roster create)", function () {
    const good = {
      token: "ETH",
      category: "school-meals",
      region: "cn-gz-leishan",
      metadataURI: "https://aid.example/programme.json",
      trancheUnlockTimes: ["+8d", "2027-03-01", 1_900_000_000],
      fundingDeadline: "+5d",
      claimDeadline: "+200d",
      publicityWindow: "7d",
      threshold: 3,
    };

    it("resolves times against the chain's clock and labels to bytes32", function () {
      const t = resolveProgrammeTerms("terms.json", good, { now: 1_000_000 });
      expect(t.token).to.equal(ethers.ZeroAddress);
      expect(t.category).to.equal(ethers.encodeBytes32String("school-meals"));
      expect(t.trancheUnlockTimes).to.deep.equal([1_000_000 + 8 * 86_400, Date.parse("2027-03-01T00:00:00Z") / 1000, 1_900_000_000]);
      expect(t.fundingDeadline).to.equal(1_000_000 + 5 * 86_400);
      expect(t.publicityWindow).to.equal(7 * 86_400);
      expect(resolveProgrammeTerms("terms.json", { ...good, token: "tUSD" }, { now: 0, stablecoin: ethers.ZeroAddress.replace(/0$/, "1") }).token).to.match(/1$/);
    });

    it("names the field of every bad value", function () {
      for (const [field, value, reported] of [
        ["token", "DOGE", "token"],
        ["token", "tUSD", "token"],
        ["category", "", "category"],
        ["region", "x".repeat(32), "region"],
        ["metadataURI", "", "metadataURI"],
        ["trancheUnlockTimes", [], "trancheUnlockTimes"],
        ["trancheUnlockTimes", ["+8d", "soon"], "trancheUnlockTimes[1]"],
        ["fundingDeadline", -5, "fundingDeadline"],
        ["publicityWindow", "a week", "publicityWindow"],
        ["threshold", 0, "threshold"],
      ] as const) {
        expect(() => resolveProgrammeTerms("terms.json", { ...good, [field]: value }, { now: 0 }), field).to.throw(
          RosterInputError,
          new RegExp(`^terms\\.json: ${reported.replace(/[[\]]/g, "\\$&")}: `),
        );
      }
    });
  });
});
