/**
 * A roster's public household list (issue 9, item 4): the optional `village` column of the officials'
 * CSV (refused when it looks like personal data), `roster.households.csv` written by `roster build` in
 * roster-number order, its parser and search, and the server's pages of it: each row checked against the
 * published proofs file and the root, a list that names a wrong amount shown as unverified, a missing or
 * broken list said so, and a leaf's proof read back for a reviewer's ruling. Real files in a real folder,
 * served the way the dApp serves them.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, keccak256, toHex as viemHex, type Address, type Hex } from "viem";
import { RosterParser, buildRosterTree, encodeProofsFile, keccak256Hasher } from "../../lib/roster/index.ts";
import {
  HOUSEHOLD_LIST_FILE,
  HOUSEHOLD_LIST_HEADER,
  HouseholdListError,
  encodeHouseholdList,
  listVillages,
  parseHouseholdList,
  queryHouseholdList,
  rosterPseudonym,
} from "../../lib/roster/households.ts";
import { foldProof, rosterLeaf } from "../../lib/roster/leaf.ts";
import { PUBLISHED_FILES, serveRosterFile, siblingUri } from "../../lib/server/rosterFiles.ts";
import { accountRecord, householdPage, leafWithProof } from "../../lib/server/rosterHouseholds.ts";
import { personalDataIn } from "../../lib/format/personal-data.ts";

const CLI = fileURLToPath(new URL("../../scripts/cli/roster.ts", import.meta.url));
const VILLAGES = ["Danxi village", "Wudong village", "Langde village, upper"];
const account = (i: number) => getAddress(`0x${keccak256(viemHex(i + 1, { size: 32 })).slice(26)}`);

/** A CSV with indexes in scrambled order, a name column (never published) and a village column. */
function csv(count: number): string {
  const lines = ["index,beneficiary,amount,name,village"];
  for (let i = 0; i < count; i++) {
    const index = (i * 7) % count;
    const village = VILLAGES[index % VILLAGES.length];
    lines.push(`${index},${account(index)},${1_000_000 * (1 + (index % 3))},Wang ${index},${village.includes(",") ? `"${village}"` : village}`);
  }
  return `${lines.join("\n")}\n`;
}

async function parse(text: string) {
  const parser = new RosterParser(await keccak256Hasher());
  parser.push(text);
  return parser.finish();
}

describe("a roster's public household list", function () {
  describe("the village column", function () {
    it("is optional, and kept per row when present", async function () {
      const without = await parse(`beneficiary,amount\n${account(0)},5\n`);
      expect(without.ok && without.rows.villages).to.equal(undefined);
      const withVillage = await parse(`beneficiary,amount,village\n${account(0)},5,Danxi village\n${account(1)},6,\n`);
      expect(withVillage.ok && withVillage.rows.villages).to.deep.equal(["Danxi village", ""]);
    });

    it("refuses personal data, control characters and over-long names, by line and field, with every other error", async function () {
      const result = await parse(
        [
          "beneficiary,amount,village",
          `${account(0)},5,Call 13812345678`,
          `${account(1)},5,ID 52263419900101001X`,
          `${account(2)},5,${"v".repeat(65)}`,
          `${account(3)},0,Danxi village`,
          `${account(4)},5,Danxi village`,
          `${account(5)},5,Dan\u0007xi`,
        ].join("\n"),
      );
      expect(result.ok).to.equal(false);
      const errors = !result.ok ? result.errors.map((e) => `${e.line}:${e.field}`) : [];
      expect(errors).to.deep.equal(["2:village", "3:village", "4:village", "5:amount", "7:village"]);
      expect(!result.ok && result.errors[0].message).to.match(/personal data \(phone\)/);
      expect(personalDataIn("Danxi village")).to.equal(undefined);
    });
  });

  describe("roster.households.csv", function () {
    it("lists every row in roster-number order, quotes what needs quoting, and reads back the same", async function () {
      const parsed = await parse(csv(40));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const text = [...encodeHouseholdList(parsed.rows, 7)].join("");
      const lines = text.trim().split("\n");
      expect(lines[0]).to.equal(HOUSEHOLD_LIST_HEADER);
      expect(lines).to.have.length(41);
      expect(lines[1]).to.equal(`0,${account(0).toLowerCase()},1000000,Danxi village`);
      expect(lines[3]).to.equal(`2,${account(2).toLowerCase()},3000000,"Langde village, upper"`);
      expect(text).not.to.contain("Wang"); // the name column is never published
      const rows = parseHouseholdList(text);
      expect(rows.map((r) => r.index)).to.deep.equal(Array.from({ length: 40 }, (_, i) => BigInt(i)));
      expect(rows[2]).to.deep.equal({ index: 2n, beneficiary: account(2).toLowerCase(), amount: 3_000_000n, village: "Langde village, upper" });
    });

    it("refuses a list that does not read as one, naming the line", function () {
      expect(() => parseHouseholdList("")).to.throw(HouseholdListError, /empty/);
      expect(() => parseHouseholdList("index,account\n")).to.throw(HouseholdListError, /line 1: expected the header/);
      expect(() => parseHouseholdList(`${HOUSEHOLD_LIST_HEADER}\n0,0x12,5,x\n`)).to.throw(HouseholdListError, /line 2/);
    });

    it("is written by `roster build`, and the summary names it", function () {
      const dir = mkdtempSync(join(tmpdir(), "household-list-"));
      try {
        writeFileSync(join(dir, "in.csv"), csv(25));
        const run = spawnSync(process.execPath, [CLI, "build", "--in", join(dir, "in.csv"), "--out", join(dir, "out")], { encoding: "utf8" });
        expect(run.stderr).to.equal("");
        expect(run.status).to.equal(0);
        expect(run.stdout).to.match(/list {4}.*roster\.households\.csv .*with villages/);
        const rows = parseHouseholdList(readFileSync(join(dir, "out", HOUSEHOLD_LIST_FILE), "utf8"));
        expect(rows).to.have.length(25);
        const summary = JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8"));
        expect(summary.files.households).to.include({ file: HOUSEHOLD_LIST_FILE, villages: true });
        // A village with a phone number stops the build: nothing is written.
        writeFileSync(join(dir, "bad.csv"), `beneficiary,amount,village\n${account(0)},5,Danxi 0855-1234567\n`);
        const bad = spawnSync(process.execPath, [CLI, "build", "--in", join(dir, "bad.csv"), "--out", join(dir, "bad-out")], { encoding: "utf8" });
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.contain(`${join(dir, "bad.csv")}:2:village: village looks like personal data (phone)`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("searching it", function () {
    const rows = Array.from({ length: 45 }, (_, i) => ({ index: BigInt(i), beneficiary: account(i).toLowerCase(), amount: 5n, village: VILLAGES[i % 3] }));

    it("finds a household by roster number, pseudonym, account or village, and filters by village", function () {
      expect(queryHouseholdList(rows, { q: "12" }).rows.map((r) => r.index)).to.deep.equal([12n]);
      expect(queryHouseholdList(rows, { q: "#12" }).rows.map((r) => r.index)).to.deep.equal([12n]);
      const name = rosterPseudonym(rows[30].beneficiary);
      for (const q of [name, name.toLowerCase(), name.replace("-", ""), `Household ${name}`]) expect(queryHouseholdList(rows, { q }).rows.map((r) => r.index), q).to.include(30n);
      expect(queryHouseholdList(rows, { q: rows[7].beneficiary.slice(0, 12) }).rows.map((r) => r.index)).to.include(7n);
      expect(queryHouseholdList(rows, { q: "wudong" }).total).to.equal(15);
      expect(queryHouseholdList(rows, { village: "Danxi village" }).total).to.equal(15);
      expect(queryHouseholdList(rows, { village: "Danxi village", q: "3" }).rows.map((r) => r.index)).to.deep.equal([3n]);
      expect(queryHouseholdList(rows, { q: "no such place" }).total).to.equal(0);
    });

    it("pages the matches and keeps the page in range", function () {
      const first = queryHouseholdList(rows, { pageSize: 20 });
      expect([first.total, first.page, first.rows.length, first.rows[0].index]).to.deep.equal([45, 0, 20, 0n]);
      const last = queryHouseholdList(rows, { pageSize: 20, page: 2 });
      expect([last.page, last.rows.length, last.rows[0].index]).to.deep.equal([2, 5, 40n]);
      expect(queryHouseholdList(rows, { pageSize: 20, page: 99 }).page).to.equal(2);
      expect(listVillages(rows)).to.deep.equal(VILLAGES.map((village) => ({ village, households: 15 })).sort((a, b) => a.village.localeCompare(b.village)));
    });
  });

  describe("the server's pages of it", function () {
    let dir: string;
    let root: Hex;
    const uri = "/api/roster-files/fuel-v1/roster.proofs";
    const p = () => ({ uri, contentHash: "0x01" as Hex, root, version: 1, objections: [{ version: 1, index: 4n, objector: account(99), reasonHash: "0x02" as Hex, at: 1, transactionHash: "0x03" as Hex }] });

    before(async function () {
      dir = mkdtempSync(join(tmpdir(), "household-pages-"));
      const parsed = await parse(csv(60));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const keccak = await keccak256Hasher();
      const tree = buildRosterTree(parsed.rows, keccak);
      root = tree.root as Hex;
      mkdirSync(join(dir, "fuel-v1"));
      writeFileSync(join(dir, "fuel-v1", "roster.proofs"), Buffer.concat([...encodeProofsFile(tree)].map((b) => Buffer.from(b))));
      writeFileSync(join(dir, "fuel-v1", HOUSEHOLD_LIST_FILE), [...encodeHouseholdList(parsed.rows)].join(""));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it("serves one page of checked rows with villages, pseudonyms and objection states", async function () {
      const page = await householdPage(p(), { village: "Wudong village" }, "http://127.0.0.1:3000", dir);
      if (!page.available) throw new Error(page.reason);
      expect([page.total, page.pages, page.rows.length]).to.deep.equal([20, 1, 20]);
      expect(page.rows.every((r) => r.verified && r.village === "Wudong village")).to.equal(true);
      expect(page.rows[0]).to.deep.include({ index: "1", beneficiary: account(1).toLowerCase(), amount: "2000000", pseudonym: rosterPseudonym(account(1)) });
      expect(page.rows.find((r) => r.index === "4")?.objection).to.equal("Pending");
      expect(page.villages.map((v) => v.households)).to.deep.equal([20, 20, 20]);
    });

    it("marks a row the proofs file does not prove (a wrong amount in the list) as unverified", async function () {
      const listPath = join(dir, "fuel-v1", HOUSEHOLD_LIST_FILE);
      const good = readFileSync(listPath, "utf8");
      try {
        writeFileSync(listPath, good.replace(`\n5,${account(5).toLowerCase()},3000000,`, `\n5,${account(5).toLowerCase()},9000000,`));
        const page = await householdPage({ ...p(), contentHash: "0x04" }, { q: "5" }, "http://127.0.0.1:3000", dir);
        expect(page.available && page.rows.map((r) => [r.index, r.verified])).to.deep.equal([["5", false]]);
      } finally {
        writeFileSync(listPath, good);
      }
    });

    it("says when there is no list, or it cannot be read", async function () {
      expect(await householdPage({ ...p(), uri: "/api/roster-files/elsewhere/roster.proofs" }, {}, "http://x", dir)).to.deep.equal({ available: false, reason: "notPublished" });
      expect(await householdPage({ ...p(), version: 0 }, {}, "http://x", dir)).to.deep.equal({ available: false, reason: "noRoster" });
      mkdirSync(join(dir, "broken-v1"), { recursive: true });
      writeFileSync(join(dir, "broken-v1", HOUSEHOLD_LIST_FILE), "not,a,list\n");
      expect(await householdPage({ ...p(), uri: "/api/roster-files/broken-v1/roster.proofs" }, {}, "http://x", dir)).to.deep.equal({ available: false, reason: "unreadable" });
    });

    it("reads a leaf with its proof for a ruling, and an account's own record, both proven under the root", async function () {
      const leaf = await leafWithProof(p(), 7n, "http://x", dir);
      expect(leaf).to.deep.include({ index: 7n, account: account(7).toLowerCase() as Address, amount: 2_000_000n, village: "Wudong village" });
      expect(foldProof(rosterLeaf(7n, account(7), 2_000_000n), leaf!.proof)).to.equal(root);
      expect(await leafWithProof(p(), 600n, "http://x", dir)).to.equal(undefined);
      expect(await leafWithProof({ ...p(), root: `0x${"00".repeat(32)}` }, 7n, "http://x", dir)).to.equal(undefined);
      const mine = await accountRecord(p(), account(9), "http://x", dir);
      expect(mine).to.deep.include({ state: "found", index: 9n, amount: 1_000_000n });
      expect(await accountRecord(p(), account(1234), "http://x", dir)).to.deep.equal({ state: "notOnRoster" });
      expect(await accountRecord({ ...p(), root: `0x${"11".repeat(32)}` }, account(9), "http://x", dir)).to.deep.equal({ state: "mismatch" });
    });

    it("is served beside the proofs (never the officials' CSV), and found as the proofs file's sibling", async function () {
      expect(PUBLISHED_FILES.has(HOUSEHOLD_LIST_FILE)).to.equal(true);
      writeFileSync(join(dir, "fuel-v1", "households.csv"), "index,beneficiary,amount,name\n");
      const list = await serveRosterFile(dir, ["fuel-v1", HOUSEHOLD_LIST_FILE], new Request("http://x/", { headers: { range: "bytes=0-31" } }));
      expect(list.status).to.equal(206);
      expect(list.headers.get("content-type")).to.equal("text/csv; charset=utf-8");
      expect((await serveRosterFile(dir, ["fuel-v1", "households.csv"], new Request("http://x/"))).status).to.equal(404);
      expect(siblingUri("https://cdn.example/r/v1/roster.proofs?x=1", HOUSEHOLD_LIST_FILE)).to.equal("https://cdn.example/r/v1/roster.households.csv");
      expect(siblingUri("ipfs://bafy/v1/roster.proofs", HOUSEHOLD_LIST_FILE)).to.equal("ipfs://bafy/v1/roster.households.csv");
      expect(siblingUri("ipfs://bafy", HOUSEHOLD_LIST_FILE)).to.equal(undefined);
    });
  });
});
