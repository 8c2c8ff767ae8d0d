import { expect } from "chai";
import { readFileSync } from "node:fs";
import {
  CSV_COLUMNS,
  CSV_ISSUE_CODES,
  CSV_ISSUE_PARAMS,
  resolveSubjects,
  validateAttestationCsv,
  type CsvIssue,
} from "../../lib/registry/attestation-csv.ts";

const catalogs: Record<string, any> = {
  en: JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8")),
  "zh-CN": JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8")),
};
const placeholders = (s: string) => [...s.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]);

const NOW = 1_900_000_000;
const C1 = "0x" + "11".repeat(32);
const EV = "0x" + "ee".repeat(32);
const ADDR = "0x" + "ab".repeat(20);
const HEADER = CSV_COLUMNS.join(",");
const lines = (...l: string[]) => l.join("\n") + "\n";

/** Files that between them raise every kind of issue. */
function everyIssue(): CsvIssue[] {
  const check = (text: string) => validateAttestationCsv(text, "round.csv", { now: NOW }).issues;
  return [
    ...check('a,"b\n'),
    ...check(""),
    ...check("commitment_or_address,condition,condition,expiry,evidence_hash,village"),
    ...check("condition,expiry,evidence_hash"),
    ...check(HEADER),
    ...check(
      lines(
        HEADER,
        `${C1},household.income-below-line,2031-01-01,${EV}`,
        `0x${"00".repeat(32)},household.income-below-line,2031-01-01,${EV},1`,
        `0xAbCdEf0000000000000000000000000000000000,household.income-below-line,2031-01-01,${EV},1`,
        `,household.income-below-line,2031-01-01,${EV},1`,
        `nope,household.income-below-line,2031-01-01,${EV},1`,
        `${C1},,,,1`,
        `${C1},0x12,soon,0x12,-1`,
        `${C1},0x${"99".repeat(32)},99999999999999,${EV},1`,
        `${C1},household.owns-a-yacht,2020-01-01,${EV},1`,
        `${C1},household.income-below-line,2031-01-01,${EV},1`,
        `${C1},household.income-below-line,2031-01-01,${EV},2`,
      ),
    ),
  ];
}

describe("CSV issues in the dApp", function () {
  it("raise every declared code (so the list below is the real list)", function () {
    expect([...new Set(everyIssue().map((i) => i.code))].sort()).to.deep.equal(
      CSV_ISSUE_CODES.filter((c) => c !== "unbound").sort(),
    );
  });

  it("carry exactly the parameters their code declares", async function () {
    const issues = everyIssue();
    const rows = validateAttestationCsv(lines(HEADER, `${ADDR},household.income-below-line,2031-01-01,${EV},1`), "r.csv", {
      now: NOW,
    }).rows;
    issues.push(...(await resolveSubjects(rows, "r.csv", async () => "0x" + "0".repeat(64))));
    expect(issues.map((i) => i.code)).to.include("unbound");
    for (const i of issues) {
      expect(Object.keys(i.params).sort(), `${i.code} (${i.message})`).to.deep.equal([...CSV_ISSUE_PARAMS[i.code]].sort());
      expect(i.message, i.code).to.be.a("string").and.not.equal("");
    }
  });

  it("keep the CLI's English message next to the code", function () {
    const issue = everyIssue().find((i) => i.code === "expiryPast")!;
    expect(issue.message).to.equal(`2020-01-01 is not in the future (chain time is ${new Date(NOW * 1000).toISOString()})`);
    expect(issue.params).to.deep.equal({ value: "2020-01-01", now: new Date(NOW * 1000).toISOString() });
  });

  for (const [locale, cat] of Object.entries(catalogs)) {
    it(`every code has a sentence in ${locale} that uses only its parameters`, function () {
      const missing = CSV_ISSUE_CODES.filter((c) => typeof cat.csv?.[c] !== "string" || cat.csv[c].trim() === "");
      expect(missing, `${locale} lacks csv sentences for`).to.deep.equal([]);
      for (const c of CSV_ISSUE_CODES) {
        const extra = placeholders(cat.csv[c]).filter((p) => !(CSV_ISSUE_PARAMS[c] as readonly string[]).includes(p));
        expect(extra, `${locale} csv.${c}`).to.deep.equal([]);
      }
      expect(placeholders(cat.csv.issueAt).sort()).to.deep.equal(["field", "line", "problem"]);
      expect(placeholders(cat.csv.issueAtRow).sort()).to.deep.equal(["line", "problem"]);
    });
  }
});
