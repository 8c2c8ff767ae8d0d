import { expect } from "chai";
import { id } from "ethers";
import { formatIssue, validateAttestationCsv } from "../../lib/registry/attestation-csv.ts";

const NOW = 1_800_000_000; // 2027-01-15
const HEADER = "commitment_or_address,condition,expiry,evidence_hash,score";
const C1 = id("household-1");
const C2 = id("household-2");
const EV = id("evidence");
const ADDR = "0xBcd4042DE499D14e55001CcbB24a551F3b954096";
const csv = (...lines: string[]) => lines.join("\n") + "\n";
const check = (text: string, extraConditions?: string[]) => validateAttestationCsv(text, "round.csv", { now: NOW, extraConditions });

describe("attestation CSV validation (lib/registry/attestation-csv.ts)", function () {
  describe("a good file", function () {
    it("reads names, ids, ISO dates, unix seconds and optional scores", function () {
      const { rows, issues } = check(
        csv(
          HEADER,
          `${C1},household.income-below-line,2030-01-01,${EV},72`,
          `${ADDR},${id("household.child-in-school")},1900000000,${EV},`,
          `${C2},household.income-below-line,2030-01-01T08:00:00+08:00,${EV},0`,
        ),
      );
      expect(issues).to.deep.equal([]);
      expect(rows.map((r) => [r.line, r.subjectKind, r.conditionName, r.expiry, r.score])).to.deep.equal([
        [2, "commitment", "household.income-below-line", 1893456000, 72],
        [3, "address", "household.child-in-school", 1900000000, 0],
        [4, "commitment", "household.income-below-line", 1893456000, 0],
      ]);
      expect(rows[0].conditionId).to.equal(id("household.income-below-line"));
      expect(rows[0].commitment).to.equal(C1);
    });
  });

  describe("a bad file", function () {
    it("reports a missing column at the header line and reads no rows", function () {
      const { rows, issues } = check(csv("commitment_or_address,condition,evidence_hash,score", `${C1},household.income-below-line,${EV},1`));
      expect(rows).to.deep.equal([]);
      expect(issues.map(formatIssue)).to.deep.equal(["round.csv:1:expiry: required column is missing"]);
    });

    it("reports a malformed address and a wrong checksum with their lines", function () {
      const { issues } = check(
        csv(
          HEADER,
          `0xBcd4042DE499D14e55001CcbB24a551F3b95409,household.income-below-line,2030-01-01,${EV},1`,
          `0xbcd4042DE499D14e55001CcbB24a551F3b954096,household.income-below-line,2030-01-01,${EV},1`,
        ),
      );
      expect(issues.map((i) => [i.line, i.field])).to.deep.equal([
        [2, "commitment_or_address"],
        [3, "commitment_or_address"],
      ]);
      expect(issues[1].message).to.contain("checksum");
    });

    it("reports a duplicate row, pointing at the first one", function () {
      const { issues } = check(
        csv(HEADER, `${C1},household.income-below-line,2030-01-01,${EV},1`, `${C1.toUpperCase().replace("0X", "0x")},household.income-below-line,2031-01-01,${EV},2`),
      );
      expect(issues.map(formatIssue)).to.deep.equal([
        "round.csv:3:commitment_or_address: duplicate of line 2 (same household and condition)",
      ]);
    });

    it("reports an unknown condition name and an unknown condition id", function () {
      const { issues } = check(
        csv(HEADER, `${C1},household.owns-a-yacht,2030-01-01,${EV},1`, `${C2},${id("nope")},2030-01-01,${EV},1`),
      );
      expect(issues.map((i) => [i.line, i.field])).to.deep.equal([
        [2, "condition"],
        [3, "condition"],
      ]);
      expect(issues[0].message).to.equal('unknown condition "household.owns-a-yacht"');
    });

    it("accepts a condition outside the catalogue only when explicitly allowed", function () {
      const text = csv(HEADER, `${C1},village.custom-rule,2030-01-01,${EV},1`);
      expect(check(text).issues).to.have.length(1);
      expect(check(text, ["village.custom-rule"]).issues).to.deep.equal([]);
    });

    it("reports an expiry in the past, and one equal to now (half-open: valid while now < expiry)", function () {
      const { issues } = check(
        csv(HEADER, `${C1},household.income-below-line,2020-01-01,${EV},1`, `${C2},household.income-below-line,${NOW},${EV},1`, `${id("x")},household.income-below-line,${NOW + 1},${EV},1`),
      );
      expect(issues.map((i) => [i.line, i.field])).to.deep.equal([
        [2, "expiry"],
        [3, "expiry"],
      ]);
    });

    it("reports every problem of every row in one pass", function () {
      const { rows, issues } = check(
        csv(HEADER, `nonsense,,tomorrow,0x12,70000`, `${C1},household.income-below-line,2030-01-01,${EV},1`, `${C2},household.income-below-line`),
      );
      expect(issues.map((i) => `${i.line}:${i.field}`)).to.deep.equal([
        "2:commitment_or_address",
        "2:condition",
        "2:expiry",
        "2:evidence_hash",
        "2:score",
        "4:-",
      ]);
      expect(rows.map((r) => r.line)).to.deep.equal([3]);
    });

    it("reports an unknown column and an empty file", function () {
      expect(check(csv(`${HEADER},village`)).issues.map(formatIssue)).to.deep.equal([
        "round.csv:1:village: unknown column (expected: commitment_or_address, condition, expiry, evidence_hash, score)",
      ]);
      expect(check("").issues.map((i) => i.line)).to.deep.equal([1]);
    });
  });
});
