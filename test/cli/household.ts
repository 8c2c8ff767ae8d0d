/**
 * `npm run household` as a county office runs it (scripts/cli/household.ts as a child process, offline):
 * a register of 200 households, every kind of bad row refused by line and field with nothing written, the
 * idempotent re-run, the private file's mode, conflicting rows, a damaged register, the lock, the cards
 * (every QR decoded with jsQR from the drawn symbol, back to the register's values), checking a card at the
 * door, and the commands that wait for the hardened registry.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, keccak256, toHex } from "viem";
import { ROOT } from "./helpers/live.ts";
import { residentIdCheckCharacter } from "../../lib/registry/household.ts";
import { parseRegister, type RegisterEntry } from "../../lib/registry/household-register.ts";
import { parseCardPayload } from "../../lib/registry/household-card.ts";
import { decodeCards } from "../helpers/household-cards.ts";

const CLI = join(ROOT, "scripts", "cli", "household.ts");
const tmp = mkdtempSync(join(tmpdir(), "precisionaid-household-"));

function household(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", input, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Household i of the synthetic county: a valid resident ID number, a distinct account. */
function row(i: number) {
  const first17 = `522699${1940 + (i % 60)}${String((i % 12) + 1).padStart(2, "0")}${String((i % 28) + 1).padStart(2, "0")}${String(100 + (i % 900)).padStart(3, "0")}`;
  return {
    reference: `DX-${String(i + 1).padStart(4, "0")}`,
    idNumber: first17 + residentIdCheckCharacter(first17),
    account: getAddress(`0x${keccak256(toHex(`household ${i}`)).slice(26)}`),
  };
}
const ROWS = Array.from({ length: 200 }, (_, i) => row(i));
const HEADER = "reference,id_number,account";
const csv = (lines: string[]) => [HEADER, ...lines].join("\n") + "\n";
const line = (r: { reference: string; idNumber: string; account: string }) => `${r.reference},${r.idNumber},${r.account}`;
const FILE_200 = join(tmp, "households.csv");
writeFileSync(FILE_200, csv(ROWS.map(line)));

const readEntries = (dir: string): RegisterEntry[] => {
  const { entries, issues } = parseRegister(readFileSync(join(dir, "register.csv"), "utf8"), "register.csv");
  expect(issues).to.deep.equal([]);
  return entries;
};

describe("household CLI (scripts/cli/household.ts)", function () {
  this.timeout(120_000);
  const register = join(tmp, "register");
  let first: RegisterEntry[];

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("prints its usage with --help or -h, exit 0, saying which files are private", function () {
    const r = household(["--help"]);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal("");
    for (const text of ["register --in", "cards --register", "check-card", "PRIVATE", "PUBLIC", "mode 0600", "Exit codes"]) expect(r.stdout).to.contain(text);
    // Every command's --help is the same text, and reads no file.
    for (const args of [["-h"], ["help"], ["register", "--help"], ["cards", "-h"], ["check-card", "--help"]]) {
      const each = household(args);
      expect(each.code, args.join(" ")).to.equal(0);
      expect(each.stdout, args.join(" ")).to.equal(r.stdout);
    }
  });

  describe("usage errors exit 2 with the reason, like every tool of the project", function () {
    const cases: [string, string[], string][] = [
      ["no command", [], "missing command"],
      ["an unknown command", ["enrol"], 'unknown command "enrol"'],
      ["a command of a later version", ["bind", "--list", "x.csv"], 'unknown command "bind"'],
      ["an unknown option", ["cards", "--register", "r", "--out", "c.html", "--colour"], "--colour"],
      ["an option without its value", ["cards", "--register"], "--register"],
      ["cards without --out", ["cards", "--register", "r"], "cards needs --out"],
      ["a bad --per-file", ["cards", "--register", "r", "--out", "c.html", "--per-file", "0"], "--per-file must be a positive integer"],
    ];
    for (const [name, args, words] of cases) {
      it(`refuses ${name}`, function () {
        const r = household(args);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(/^error: /).and.contain(words);
        expect(r.stdout).to.equal("");
      });
    }
  });

  describe("register", function () {
    it("registers 200 households: a private register (0600), a public list with no personal data", function () {
      const r = household(["register", "--in", FILE_200, "--out", register, "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const summary = JSON.parse(r.stdout);
      expect(summary).to.deep.include({ ok: true, rows: 200, added: 200, alreadyRegistered: 0, households: 200 });
      first = readEntries(register);
      expect(first.map((e) => [e.reference, e.idNumber, e.account])).to.deep.equal(ROWS.map((x) => [x.reference, x.idNumber, x.account]));
      expect(new Set(first.map((e) => e.salt)).size).to.equal(200);
      expect(statSync(join(register, "register.csv")).mode & 0o777).to.equal(0o600);
      expect(statSync(register).mode & 0o777).to.equal(0o700);

      const publicList = readFileSync(join(register, "commitments.csv"), "utf8");
      expect(publicList).to.match(/^# PrecisionAid household commitments/);
      expect(publicList).to.contain("PUBLIC: no personal data");
      const listed = publicList.split("\n").filter((l) => l.startsWith("0x"));
      expect(listed).to.deep.equal(first.map((e) => `${e.commitment},${e.account}`).sort());
      for (const e of first) {
        expect(publicList).to.not.contain(e.idNumber);
        expect(publicList).to.not.contain(e.salt.slice(2));
        expect(publicList).to.not.contain(e.reference);
        // Nothing printed carries an ID number or a salt either.
        expect(r.stdout + r.stderr).to.not.contain(e.idNumber);
        expect(r.stdout + r.stderr).to.not.contain(e.salt.slice(2));
      }
      const header = readFileSync(join(register, "register.csv"), "utf8").split("\n").slice(0, 6).join("\n");
      expect(header).to.contain("PRIVATE").and.contain("never").and.contain("0600");
      expect(readFileSync(join(register, ".gitignore"), "utf8")).to.contain("*\n!.gitignore\n!commitments.csv");
    });

    it("changes nothing when run again with the same file: every household keeps its salt", function () {
      const before = readFileSync(join(register, "register.csv"));
      const r = household(["register", "--in", FILE_200, "--out", register, "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.include({ added: 0, alreadyRegistered: 200, households: 200 });
      expect(readFileSync(join(register, "register.csv")).equals(before)).to.equal(true);
    });

    it("adds new households and keeps the others' salts, whatever the order or form of the rows", function () {
      const extra = Array.from({ length: 5 }, (_, i) => row(200 + i));
      // The old rows reversed, one ID number typed full-width with a small x, and five new ones.
      const old = [...ROWS].reverse().map((x, i) => (i === 0 ? { ...x, idNumber: ` ${x.idNumber.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} ` } : x));
      const file = join(tmp, "more.csv");
      writeFileSync(file, csv([...old, ...extra].map(line)));
      const r = household(["register", "--in", file, "--out", register, "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.include({ rows: 205, added: 5, alreadyRegistered: 200, households: 205 });
      const now = readEntries(register);
      expect(now.slice(0, 200)).to.deep.equal(first);
      expect(now.slice(200).map((e) => e.reference)).to.deep.equal(extra.map((x) => x.reference));
      expect(statSync(join(register, "register.csv")).mode & 0o777).to.equal(0o600);
      first = now;
    });

    it("refuses rows that contradict the register, by line and field, and writes nothing", function () {
      const before = readFileSync(join(register, "register.csv"));
      const file = join(tmp, "conflicts.csv");
      writeFileSync(
        file,
        csv([
          line({ ...ROWS[0], reference: "DX-9000" }), // line 2: a registered ID number under another reference
          line({ ...ROWS[1], account: row(500).account }), // line 3: a registered household at another account
          line({ ...row(501), reference: ROWS[2].reference }), // line 4: a new household taking a registered reference
          line({ ...row(502), account: ROWS[3].account }), // line 5: a new household taking a registered account
          line(row(503)), // line 6: fine, but nothing may be written
        ]),
      );
      const r = household(["register", "--in", file, "--out", register]);
      expect(r.code).to.equal(2);
      const problems = r.stderr.split("\n").filter((l) => l.startsWith(file));
      expect(problems.map((l) => l.slice(file.length + 1).split(": ")[0])).to.deep.equal(["2:reference", "3:account", "4:reference", "5:account"]);
      expect(problems[0]).to.contain(`registered as "${ROWS[0].reference}"`).and.contain("register.csv line 8");
      expect(problems[1]).to.contain("changes only by a re-bind");
      expect(r.stderr).to.contain("nothing was written");
      expect(r.stderr).to.not.contain(ROWS[0].idNumber);
      expect(readFileSync(join(register, "register.csv")).equals(before)).to.equal(true);
    });

    it("narrows a register someone made readable back to 0600, with a warning", function () {
      chmodSync(join(register, "register.csv"), 0o644);
      const r = household(["register", "--in", FILE_200, "--out", register]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.contain("had mode 0644").and.contain("0600 again");
      expect(statSync(join(register, "register.csv")).mode & 0o777).to.equal(0o600);
    });

    it("refuses a damaged or hand-edited register by line and field, and writes nothing", function () {
      const damaged = join(tmp, "damaged");
      mkdirSync(damaged);
      const text = readFileSync(join(register, "register.csv"), "utf8").split("\n");
      // Line 10 (the 3rd household): one digit of its salt changed; line 12: its salt zeroed.
      text[9] = text[9].replace(/,0x([0-9a-f])/, (_m, d: string) => `,0x${d === "0" ? "1" : "0"}`);
      text[11] = text[11].replace(/,0x[0-9a-f]{64},/, `,0x${"0".repeat(64)},`);
      writeFileSync(join(damaged, "register.csv"), text.join("\n"), { mode: 0o600 });
      const before = readFileSync(join(damaged, "register.csv"));
      const r = household(["register", "--in", FILE_200, "--out", damaged]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(`${join(damaged, "register.csv")}:10:commitment: does not match the ID number and salt`);
      expect(r.stderr).to.contain(`${join(damaged, "register.csv")}:12:salt: expected 0x + 64 hex digits`);
      expect(r.stderr).to.contain("2 problem(s)");
      expect(readFileSync(join(damaged, "register.csv")).equals(before)).to.equal(true);
      expect(existsSync(join(damaged, "commitments.csv"))).to.equal(false);
    });

    it("waits for no one: a live writer's lock refuses the run (exit 1), a dead writer's lock is taken over", function () {
      writeFileSync(join(register, ".lock"), String(process.pid));
      const busy = household(["register", "--in", FILE_200, "--out", register]);
      expect(busy.code).to.equal(1);
      expect(busy.stderr).to.contain(`another household command (process ${process.pid})`);
      const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
      writeFileSync(join(register, ".lock"), String(gone));
      const r = household(["register", "--in", FILE_200, "--out", register]);
      expect(r.code, r.stderr).to.equal(0);
      expect(existsSync(join(register, ".lock"))).to.equal(false);
    });

    describe("a bad file writes nothing, and names the line and field of each problem", function () {
      /** The 200-household file with line `at` (2 = the first row) replaced by `bad`. */
      const withRow = (at: number, bad: string) => {
        const lines = ROWS.map(line);
        lines[at - 2] = bad;
        return csv(lines);
      };
      const cases: [string, string, string, string][] = [
        // name, file text, expected "line:field", a word of the message
        ["a missing column", ["reference,id_number", ...ROWS.map((x) => `${x.reference},${x.idNumber}`)].join("\n") + "\n", "1:account", "required column is missing"],
        ["an unknown column", csv(ROWS.map((x) => `${line(x)},Wang`)).replace(HEADER, `${HEADER},name`), "1:name", "unknown column"],
        ["a malformed ID number", withRow(57, `${ROWS[55].reference},52269919X001011234,${ROWS[55].account}`), "57:id_number", "17 digits"],
        ["a wrong check character", withRow(90, `${ROWS[88].reference},${ROWS[88].idNumber.slice(0, 17)}${ROWS[88].idNumber[17] === "0" ? "1" : "0"},${ROWS[88].account}`), "90:id_number", "check character"],
        ["an impossible birth date", withRow(120, `${ROWS[118].reference},${((f) => f + residentIdCheckCharacter(f))("52269919830230123")},${ROWS[118].account}`), "120:id_number", "birth date"],
        ["a first-generation ID number", withRow(33, `${ROWS[31].reference},522699830417123,${ROWS[31].account}`), "33:id_number", "first-generation"],
        ["a duplicate ID number (typed differently)", withRow(150, `${ROWS[148].reference}, ${ROWS[10].idNumber.toLowerCase().replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))},${ROWS[148].account}`), "150:id_number", "duplicate of line 12"],
        ["a duplicate account (other case)", withRow(180, `${ROWS[178].reference},${ROWS[178].idNumber},${ROWS[20].account.toLowerCase()}`), "180:account", "duplicate of line 22"],
        ["a duplicate reference", withRow(45, `${ROWS[0].reference},${ROWS[43].idNumber},${ROWS[43].account}`), "45:reference", "duplicate of line 2"],
        ["a malformed address", withRow(64, `${ROWS[62].reference},${ROWS[62].idNumber},${ROWS[62].account.slice(0, 41)}`), "64:account", "not an address"],
        ["a wrong address checksum", withRow(77, `${ROWS[75].reference},${ROWS[75].idNumber},0x${swapCase(ROWS[75].account.slice(2))}`), "77:account", "checksum"],
        ["a missing reference", withRow(101, `,${ROWS[99].idNumber},${ROWS[99].account}`), "101:reference", "missing"],
        ["an unknown ID kind", [`${HEADER},id_kind`, ...ROWS.map((x, i) => `${line(x)},${i === 8 ? "passport" : ""}`)].join("\n") + "\n", "10:id_kind", "unknown ID kind"],
        ["a row with a field too many", withRow(140, `${line(ROWS[138])},extra`), "140:-", "has 4 fields"],
        ["an empty file", "", "1:-", "the file is empty"],
        ["a header and no rows", `${HEADER}\n`, "1:-", "no rows"],
        ["text that is not CSV", withRow(66, `${ROWS[64].reference},"${ROWS[64].idNumber},${ROWS[64].account}`), "66:-", "not valid CSV"],
        ["the zero address", withRow(99, `${ROWS[97].reference},${ROWS[97].idNumber},0x${"0".repeat(40)}`), "99:account", "zero address"],
        ["a reference a spreadsheet would run as a formula", withRow(12, `=1+1,${ROWS[10].idNumber},${ROWS[10].account}`), "12:reference", "start with a letter or digit"],
      ];
      for (const [name, text, where, words] of cases) {
        it(`refuses ${name}`, function () {
          const dir = join(tmp, `bad-${name.replace(/\W+/g, "-")}`);
          const file = join(tmp, `bad-${name.replace(/\W+/g, "-")}.csv`);
          writeFileSync(file, text);
          const r = household(["register", "--in", file, "--out", dir]);
          expect(r.code, r.stdout + r.stderr).to.equal(2);
          const problems = r.stderr.split("\n").filter((l) => l.startsWith(`${file}:`));
          expect(problems, r.stderr).to.have.length(1);
          expect(problems[0]).to.contain(`${file}:${where}: `).and.contain(words);
          expect(r.stderr).to.contain("1 problem(s)").and.contain("nothing was written");
          expect(existsSync(dir), "the register folder was created").to.equal(false);
        });
      }

      it("reports every problem of a file at once, in line order, as JSON too", function () {
        const lines = ROWS.map(line);
        lines[3] = `${ROWS[3].reference},${ROWS[3].idNumber.slice(0, 17)}${ROWS[3].idNumber[17] === "0" ? "1" : "0"},${ROWS[3].account}`;
        lines[9] = `${ROWS[9].reference},${ROWS[9].idNumber},0x1234`;
        lines[5] = `${ROWS[5].reference},${ROWS[2].idNumber},${ROWS[5].account}`;
        const file = join(tmp, "many.csv");
        writeFileSync(file, csv(lines));
        const r = household(["register", "--in", file, "--out", join(tmp, "never"), "--json"]);
        expect(r.code).to.equal(2);
        const out = JSON.parse(r.stdout);
        expect(out.ok).to.equal(false);
        expect(out.issues.map((i: { line: number; field: string; code: string }) => [i.line, i.field, i.code])).to.deep.equal([
          [5, "id_number", "idInvalid"],
          [7, "id_number", "duplicateId"],
          [11, "account", "accountInvalid"],
        ]);
        expect(existsSync(join(tmp, "never"))).to.equal(false);
      });

      it("refuses bad arguments with exit 2: a missing option, an unknown one, an unreadable file", function () {
        expect(household(["register", "--in", FILE_200]).code).to.equal(2);
        const unknown = household(["register", "--in", FILE_200, "--out", join(tmp, "x"), "--salt", "1"]);
        expect(unknown.code).to.equal(2);
        expect(unknown.stderr).to.contain("--salt");
        const missing = household(["register", "--in", join(tmp, "no-such.csv"), "--out", join(tmp, "x")]);
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.contain("ENOENT");
        expect(existsSync(join(tmp, "x"))).to.equal(false);
      });
    });

    it("fails with the system's words (exit 1) when the register folder cannot be made, and leaves nothing", function () {
      const blocker = join(tmp, "a-file");
      writeFileSync(blocker, "not a folder\n");
      const r = household(["register", "--in", FILE_200, "--out", join(blocker, "register")]);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/^error: (ENOTDIR|EEXIST)\b/).and.contain(join(blocker, "register"));
      expect(readFileSync(blocker, "utf8")).to.equal("not a folder\n");
    });

    it("--dry-run shows what would be added and writes nothing", function () {
      const dir = join(tmp, "dry");
      const r = household(["register", "--in", FILE_200, "--out", dir, "--dry-run"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain("dry run: nothing was written");
      expect(r.stdout).to.match(/200\s+200\s+0\s+200/);
      expect(existsSync(dir)).to.equal(false);
    });
  });

  describe("cards", function () {
    it("draws one card per household whose QR decodes to the register's kind, salt and commitment", function () {
      const out = join(tmp, "cards", "cards.html");
      const r = household(["cards", "--register", register, "--out", out, "--issuer", "雷山县 Leishan county", "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.include({ ok: true, cards: first.length });
      expect(statSync(out).mode & 0o777).to.equal(0o600);
      const html = readFileSync(out, "utf8");
      expect(html).to.match(/^<!doctype html>\n<!-- PRIVATE: every card below carries its household's secret salt/);
      expect(html).to.contain("default-src 'none'");
      expect(html).to.contain("家庭帮扶卡").and.contain("Household aid card").and.contain("雷山县 Leishan county");
      expect(html).to.contain("请妥善保管此卡。手机丢失时，请带上此卡和身份证到任何一个办理点。");
      expect(html).to.contain("Keep this card. If you lose your phone, bring it and your ID card to any office.");
      expect(html).to.not.contain(first[0].idNumber);

      const decoded = decodeCards(html);
      expect(decoded).to.have.length(first.length);
      for (const [i, card] of decoded.entries()) {
        const e = first[i];
        expect([card.reference, card.commitment]).to.deep.equal([e.reference, e.commitment]);
        expect(card.text, `card ${e.reference} did not decode`).to.be.a("string");
        expect(parseCardPayload(card.text!)).to.deep.equal({ ok: true, card: { idKind: e.idKind, salt: e.salt, commitment: e.commitment } });
        expect(card.version).to.equal(8);
      }
    });

    it("prints chosen households again, and splits a large batch over numbered files", function () {
      const again = join(tmp, "again.html");
      const picked = household(["cards", "--register", register, "--out", again, "--reference", first[7].reference, "--reference", first[3].reference]);
      expect(picked.code, picked.stderr).to.equal(0);
      expect(decodeCards(readFileSync(again, "utf8")).map((c) => c.reference)).to.deep.equal([first[7].reference, first[3].reference]);

      const dir = join(tmp, "split");
      const split = household(["cards", "--register", register, "--out", join(dir, "village.html"), "--per-file", "80", "--json"]);
      expect(split.code, split.stderr).to.equal(0);
      expect(readdirSync(dir).sort()).to.deep.equal(["village-001.html", "village-002.html", "village-003.html"]);
      const counts = ["village-001.html", "village-002.html", "village-003.html"].map((f) => decodeCards(readFileSync(join(dir, f), "utf8")).length);
      expect(counts).to.deep.equal([80, 80, first.length - 160]);
      expect(JSON.parse(split.stdout).files.map((f: { cards: number }) => f.cards)).to.deep.equal(counts);
    });

    it("writes all the files of a batch or none: a file that cannot be written takes the others away (exit 1)", function () {
      const dir = join(tmp, "half");
      // The second file's name is taken by a folder, so it cannot be written.
      mkdirSync(join(dir, "village-002.html"), { recursive: true });
      const r = household(["cards", "--register", register, "--out", join(dir, "village.html"), "--per-file", "80"]);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/^error: E[A-Z]+\b/).and.contain("village-002.html");
      expect(readdirSync(dir)).to.deep.equal(["village-002.html"]);
    });

    it("refuses an unknown reference or a folder with no register (exit 2)", function () {
      const unknown = household(["cards", "--register", register, "--out", join(tmp, "no.html"), "--reference", "DX-9999"]);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.contain("DX-9999");
      expect(household(["cards", "--register", join(tmp, "nowhere"), "--out", join(tmp, "no.html")]).code).to.equal(2);
      expect(existsSync(join(tmp, "no.html"))).to.equal(false);
    });
  });

  describe("check-card", function () {
    it("says whether the ID number typed at the door belongs to the scanned card (exit 0 / 1), read from standard input", function () {
      const [card] = decodeCards(readFileSync(join(tmp, "cards", "cards.html"), "utf8"));
      const ok = household(["check-card"], `${card.text}\n${first[0].idNumber.toLowerCase()}\n`);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.contain(`matches the card: household commitment ${first[0].commitment}`);
      const other = household(["check-card", "--json"], `${card.text}\n${first[1].idNumber}\n`);
      expect(other.code).to.equal(1);
      expect(JSON.parse(other.stdout)).to.deep.include({ ok: true, matches: false, commitment: first[0].commitment });
      const typo = household(["check-card", "--qr", card.text!], `${first[0].idNumber.slice(0, 17)}${first[0].idNumber[17] === "1" ? "2" : "1"}\n`);
      expect(typo.code).to.equal(2);
      expect(typo.stderr).to.contain("check character");
      const notACard = household(["check-card", "--qr", "hello", "--id-number", first[0].idNumber]);
      expect(notACard.code).to.equal(2);
      expect(notACard.stderr).to.contain("not a PrecisionAid household card");
    });
  });
});

/** An EIP-55 address with every letter's case swapped: still mixed case, so its checksum is checked, and wrong. */
function swapCase(s: string) {
  const swapped = [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
  if (swapped.toLowerCase() === swapped || swapped.toUpperCase() === swapped) throw new Error("pick an address with letters of both cases");
  return swapped;
}
