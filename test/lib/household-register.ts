/**
 * The households file and the register without the CLI (lib/registry/household-csv.ts,
 * household-register.ts): every kind of refusal with its file, line, field and parameters (and a check
 * that no kind goes untested), the register read back exactly as written, every hand edit caught, and how
 * a file is merged into a register.
 */
import { expect } from "chai";
import { getAddress, keccak256, toHex, type Hex } from "viem";
import { TABLE_ISSUE_PARAMS, type CsvIssue } from "../../lib/format/csv-table.ts";
import { commitHousehold, residentIdCheckCharacter } from "../../lib/registry/household.ts";
import { HOUSEHOLD_CSV_ISSUE_PARAMS, validateHouseholdCsv, type HouseholdCsvIssueCode } from "../../lib/registry/household-csv.ts";
import { PUBLIC_LIST_COLUMNS, encodePublicList, encodeRegister, parseRegister, planRegistration, type RegisterEntry } from "../../lib/registry/household-register.ts";

const NOW = new Date("2026-06-15T00:00:00Z");
const FILE = "village.csv";
const ric = (i: number) => {
  const first17 = `522699${1950 + i}0${(i % 9) + 1}1${i % 10}${String(100 + i).padStart(3, "0")}`;
  return first17 + residentIdCheckCharacter(first17);
};
const account = (i: number) => getAddress(`0x${keccak256(toHex(`account ${i}`)).slice(26)}`);
const row = (i: number) => `DX-${i},${ric(i)},${account(i)}`;
const HEADER = "reference,id_number,account";
const file = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";
const validate = (text: string) => validateHouseholdCsv(text, FILE, { now: NOW });
const where = (issues: CsvIssue[]) => issues.map((i) => `${i.file}:${i.line}:${i.field}:${i.code}`);

describe("households file (lib/registry/household-csv.ts)", function () {
  it("reads good rows, normalised, with their lines", function () {
    const { rows, issues } = validate(`id_kind,ACCOUNT,reference,id_number\n,${account(1)},丹溪-001, ${ric(1).toLowerCase()} \nlocal,${account(2).toLowerCase()},DX 2,ls-0002\n`);
    expect(issues).to.deep.equal([]);
    expect(rows).to.deep.equal([
      { line: 2, reference: "丹溪-001", idKind: "cn-ric", idNumber: ric(1), account: account(1) },
      { line: 3, reference: "DX 2", idKind: "local", idNumber: "LS-0002", account: account(2) },
    ]);
  });

  describe("refuses, by file, line and field, with the parameters of its sentence", function () {
    const produced = new Set<string>();
    const cases: [string, string, string[], Record<string, unknown>[]?][] = [
      ["a quote that is never closed (on the line where it opened)", file(`DX-1,"${ric(1)},${account(1)}`, row(2), row(3)), [`${FILE}:2:-:invalidCsv`], [{ detail: 'a quote (") opened on this line is never closed' }]],
      ["an empty file", "", [`${FILE}:1:-:empty`], [{ columns: "reference,id_number,account,id_kind" }]],
      ["a header and no rows", `${HEADER}\n`, [`${FILE}:1:-:noRows`]],
      ["a column twice", `${HEADER},account\n${row(1)},${account(1)}\n`, [`${FILE}:1:account:duplicateColumn`]],
      ["an unknown column and a missing one", `reference,id_number,name\nDX-1,${ric(1)},Wang\n`, [`${FILE}:1:name:unknownColumn`, `${FILE}:1:account:missingColumn`]],
      ["a row with a field too few", file(row(1), `DX-2,${ric(2)}`), [`${FILE}:3:-:fieldCount`], [{ got: 2, want: 3 }]],
      ["an empty reference, ID number and account", file(`,,`), [`${FILE}:2:reference:missing`, `${FILE}:2:id_number:missing`, `${FILE}:2:account:missing`]],
      ["a reference a spreadsheet would run as a formula", file(`=HYPERLINK(1),${ric(1)},${account(1)}`), [`${FILE}:2:reference:referenceInvalid`], [{ value: "=HYPERLINK(1)", max: 64 }]],
      ["a reference longer than 64", file(`D${"X".repeat(64)},${ric(1)},${account(1)}`), [`${FILE}:2:reference:referenceInvalid`]],
      ["the same reference twice", file(row(1), `DX-1,${ric(2)},${account(2)}`), [`${FILE}:3:reference:duplicateReference`], [{ first: 2 }]],
      ["an unknown ID kind", `${HEADER},id_kind\n${row(1)},passport\n`, [`${FILE}:2:id_kind:idKindUnknown`], [{ value: "passport", kinds: "cn-ric, local" }]],
      ["a wrong check character", file(`DX-1,${ric(1).slice(0, 17)}${ric(1)[17] === "0" ? "1" : "0"},${account(1)}`), [`${FILE}:2:id_number:idInvalid`], [{ problem: "checkCharacter" }]],
      ["a malformed local reference", `${HEADER},id_kind\nDX-1,LS_1,${account(1)},local\n`, [`${FILE}:2:id_number:idInvalid`], [{ problem: "localFormat" }]],
      ["the same person twice, typed differently", file(row(1), `DX-2, ${ric(1).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} ,${account(2)}`), [`${FILE}:3:id_number:duplicateId`], [{ first: 2 }]],
      ["an account that is not an address", file(`DX-1,${ric(1)},0x1234`), [`${FILE}:2:account:accountInvalid`], [{ value: "0x1234" }]],
      ["an account with a wrong checksum", file(`DX-1,${ric(1)},${account(1).slice(0, 2)}${[...account(1).slice(2)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("")}`), [`${FILE}:2:account:accountChecksum`]],
      ["the zero address", file(`DX-1,${ric(1)},0x${"0".repeat(40)}`), [`${FILE}:2:account:accountZero`]],
      ["the same account twice, in another case", file(row(1), `DX-2,${ric(2)},${account(1).toLowerCase()}`), [`${FILE}:3:account:duplicateAccount`], [{ first: 2 }]],
    ];
    for (const [name, text, expected, params] of cases) {
      it(name, function () {
        const { rows, issues } = validate(text);
        expect(where(issues), JSON.stringify(issues, null, 1)).to.deep.equal(expected);
        for (const [i, issue] of issues.entries()) {
          produced.add(issue.code);
          // Exactly the parameters its sentence declares, and an English message for the CLI.
          expect(Object.keys(issue.params).sort(), issue.code).to.deep.equal([...HOUSEHOLD_CSV_ISSUE_PARAMS[issue.code as HouseholdCsvIssueCode]].sort());
          if (params?.[i]) expect(issue.params).to.deep.include(params[i]);
          expect(issue.message).to.be.a("string").and.not.equal("");
        }
        // A refused row is never among the rows to register.
        for (const r of rows) expect(expected.some((e) => e.startsWith(`${FILE}:${r.line}:`)), `line ${r.line}`).to.equal(false);
      });
    }

    it("leaves no kind of problem untested", function () {
      expect([...produced].sort()).to.deep.equal(Object.keys(HOUSEHOLD_CSV_ISSUE_PARAMS).sort());
      expect(Object.keys(HOUSEHOLD_CSV_ISSUE_PARAMS)).to.include.members(Object.keys(TABLE_ISSUE_PARAMS));
    });
  });

  it("reports every problem of a file at once, in line order", function () {
    const { issues } = validate(file(`DX-1,${ric(1)},0x12`, row(2), `DX-3,${ric(2)},${account(2)}`, `,${ric(4)},${account(4)}`));
    expect(where(issues)).to.deep.equal([`${FILE}:2:account:accountInvalid`, `${FILE}:4:id_number:duplicateId`, `${FILE}:4:account:duplicateAccount`, `${FILE}:5:reference:missing`]);
  });
});

describe("the household register (lib/registry/household-register.ts)", function () {
  const salt = (i: number) => `0x${(i + 1).toString(16).padStart(2, "0").repeat(32)}` as Hex;
  const entry = (i: number): RegisterEntry => {
    const id = { idKind: "cn-ric" as const, idNumber: ric(i) };
    return { reference: `DX-${i}`, ...id, salt: salt(i), commitment: commitHousehold(id, salt(i)), account: account(i), registeredAt: "2026-06-01", line: 0 };
  };
  const ENTRIES = [entry(1), entry(2), entry(3)];
  const TEXT = encodeRegister(ENTRIES);
  /** The register's text with line `n` (1-based) passed through `edit`. */
  const edited = (n: number, edit: (line: string) => string) => TEXT.split("\n").map((l, i) => (i === n - 1 ? edit(l) : l)).join("\n");
  const FIRST_ROW = TEXT.split("\n").findIndex((l) => l.startsWith("DX-1,")) + 1;

  it("reads back exactly what it wrote, each entry with its line", function () {
    const { entries, issues } = parseRegister(TEXT, "register.csv");
    expect(issues).to.deep.equal([]);
    expect(entries).to.deep.equal(ENTRIES.map((e, i) => ({ ...e, line: FIRST_ROW + i })));
    expect(parseRegister(encodeRegister([]), "register.csv")).to.deep.equal({ entries: [], issues: [] });
  });

  it("writes a public list of commitments and accounts only, sorted by commitment", function () {
    const list = encodePublicList(ENTRIES);
    const rows = list.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(rows[0]).to.equal(PUBLIC_LIST_COLUMNS.join(","));
    expect(rows.slice(1)).to.deep.equal(ENTRIES.map((e) => `${e.commitment},${e.account}`).sort());
    for (const e of ENTRIES) expect(list).to.not.contain(e.idNumber).and.not.contain(e.salt.slice(2)).and.not.contain(e.reference);
  });

  describe("refuses a register that was edited or damaged, by line and field", function () {
    const cases: [string, string, string][] = [
      ["a file that is not a register", TEXT.split("\n").slice(1).join("\n"), "1:-:notARegister"],
      ["a row without its reference", edited(FIRST_ROW, (l) => l.replace("DX-1,", ",")), `${FIRST_ROW}:reference:missing`],
      ["a reference no office could have typed", edited(FIRST_ROW, (l) => l.replace("DX-1,", "=DX,")), `${FIRST_ROW}:reference:referenceInvalid`],
      ["an ID number with a typo", edited(FIRST_ROW, (l) => l.replace(ric(1), ric(1).slice(0, 16) + (ric(1)[16] === "9" ? "8" : "9") + ric(1)[17])), `${FIRST_ROW}:id_number:idInvalid`],
      ["an ID number not in normalised form", edited(FIRST_ROW, (l) => l.replace(ric(1), `\uFF15${ric(1).slice(1)}`)), `${FIRST_ROW}:id_number:idNotNormalised`],
      ["a zero salt", edited(FIRST_ROW, (l) => l.replace(salt(1), `0x${"0".repeat(64)}`)), `${FIRST_ROW}:salt:saltInvalid`],
      ["a salt that no longer gives the commitment", edited(FIRST_ROW, (l) => l.replace(salt(1), salt(9))), `${FIRST_ROW}:commitment:commitmentMismatch`],
      ["an account that is not one", edited(FIRST_ROW, (l) => l.replace(account(1), "0xabc")), `${FIRST_ROW}:account:accountInvalid`],
      ["a date that is not one", edited(FIRST_ROW, (l) => l.replace("2026-06-01", "2026-13-45")), `${FIRST_ROW}:registered_at:dateInvalid`],
      ["a household twice", `${TEXT}${TEXT.split("\n")[FIRST_ROW - 1]}\n`, `${FIRST_ROW + 3}:reference:duplicate`],
    ];
    for (const [name, text, expected] of cases) {
      it(name, function () {
        const { issues, entries } = parseRegister(text, "register.csv");
        expect(issues.map((i) => `${i.line}:${i.field}:${i.code}`), JSON.stringify(issues, null, 1)).to.include(expected);
        expect(issues.every((i) => i.file === "register.csv")).to.equal(true);
        if (expected !== "1:-:notARegister") expect(entries.map((e) => e.line)).to.not.include(Number(expected.split(":")[0]));
      });
    }
  });

  describe("merging a checked file into the register", function () {
    const rowOf = (e: RegisterEntry, line: number, change: Partial<RegisterEntry> = {}) => ({ line, reference: e.reference, idKind: e.idKind, idNumber: e.idNumber, account: e.account, ...change });
    const options = { file: FILE, registerFile: "register.csv", today: "2026-06-15", salt: () => salt(42) };
    const register = ENTRIES.map((e, i) => ({ ...e, line: FIRST_ROW + i }));

    it("keeps registered households as they are and adds new ones with fresh salts, after them", function () {
      const fresh = { line: 3, reference: "DX-7", idKind: "cn-ric" as const, idNumber: ric(7), account: account(7) };
      const plan = planRegistration(register, [rowOf(register[1], 2), fresh], options);
      expect(plan.issues).to.deep.equal([]);
      expect(plan.unchanged).to.deep.equal([register[1]]);
      const added = { reference: "DX-7", idKind: "cn-ric", idNumber: ric(7), salt: salt(42), commitment: commitHousehold(fresh, salt(42)), account: account(7), registeredAt: "2026-06-15", line: 0 };
      expect(plan.added).to.deep.equal([added]);
      expect(plan.entries).to.deep.equal([...register, added]);
    });

    it("refuses every row that contradicts the register, saying where the other household is", function () {
      const plan = planRegistration(
        register,
        [
          rowOf(register[0], 2, { reference: "DX-99" }),
          rowOf(register[1], 3, { account: account(99) }),
          { line: 4, reference: register[2].reference, idKind: "cn-ric", idNumber: ric(8), account: account(8) },
          { line: 5, reference: "DX-9", idKind: "cn-ric", idNumber: ric(9), account: register[0].account },
        ],
        options,
      );
      expect(plan.issues.map((i) => `${i.file}:${i.line}:${i.field}:${i.code}`)).to.deep.equal([
        `${FILE}:2:reference:conflictReference`,
        `${FILE}:3:account:conflictAccount`,
        `${FILE}:4:reference:referenceTaken`,
        `${FILE}:5:account:accountTaken`,
      ]);
      expect(plan.issues.map((i) => i.params.registerLine)).to.deep.equal([FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2, FIRST_ROW]);
      expect(plan.issues[0].message).to.contain(`registered as "DX-1" (register.csv line ${FIRST_ROW})`).and.not.contain(ric(1));
      expect(plan.added).to.deep.equal([]);
    });
  });
});
