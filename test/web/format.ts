import { expect } from "chai";
import { id } from "ethers";
import { bytes32ToText, parseMetadata, pseudonym, shortHex, textToBytes32 } from "../../lib/format/text.ts";
import { conditionId as conditionIdOf } from "../../lib/registry/conditions.ts";
import { formatAmount, formatTokenAmount, parseAmount, readAmount, percent } from "../../lib/format/amount.ts";
import { formatTime } from "../../lib/format/time.ts";
import { projectStatusName } from "../../lib/escrow/status.ts";

describe("web formatting", function () {
  describe("formatAmount", function () {
    it("cuts trailing zeros and groups thousands for the locale", function () {
      expect(formatAmount(1_234_500_000n, 6, "en")).to.equal("1,234.5");
      expect(formatAmount(10n ** 18n, 18, "en")).to.equal("1");
      expect(formatAmount(0n, 18, "en")).to.equal("0");
    });
    it("keeps at most four decimals and marks amounts too small to show", function () {
      expect(formatAmount(123_456_789n, 8, "en")).to.equal("1.2345");
      expect(formatAmount(1n, 18, "en")).to.equal("<0.0001");
    });
    it("uses the locale's decimal separator", function () {
      expect(formatAmount(1_500_000n, 6, "de")).to.equal("1,5");
    });
  });

  describe("parseAmount", function () {
    it("reads positive decimals within the token's precision", function () {
      expect(parseAmount("0.5", 18)).to.equal(5n * 10n ** 17n);
      expect(parseAmount("1,000.25", 6)).to.equal(1_000_250_000n);
    });
    it("refuses zero, negatives, text and too many decimals", function () {
      for (const bad of ["0", "-1", "abc", "", "1.1234567", "1e3"]) expect(parseAmount(bad, 6), bad).to.equal(undefined);
    });
  });

  describe("readAmount: an amount means what the person meant, or is refused", function () {
    const eth = (s: string) => readAmount(s, 18);
    const units = (whole: string) => BigInt(whole) * 10n ** 18n;
    it("reads a lone comma between digits as the decimal mark (1,5 is 1.5, not 15)", function () {
      expect(eth("1,5")).to.deep.equal({ ok: true, value: 15n * 10n ** 17n });
      expect(eth("0,5")).to.deep.equal({ ok: true, value: 5n * 10n ** 17n });
      expect(eth("12,25")).to.deep.equal({ ok: true, value: 1225n * 10n ** 16n });
      // A comma that cannot be a thousands separator: four digits before it, or a leading zero.
      expect(eth("1234,567")).to.deep.equal({ ok: true, value: 1_234_567n * 10n ** 15n });
      expect(eth("0,500")).to.deep.equal({ ok: true, value: 5n * 10n ** 17n });
    });
    it("accepts thousands separators only in well-formed groups before the point", function () {
      expect(eth("1,234.5")).to.deep.equal({ ok: true, value: 12_345n * 10n ** 17n });
      expect(eth("1,234,567")).to.deep.equal({ ok: true, value: units("1234567") });
      expect(eth("12,345,678.9")).to.deep.equal({ ok: true, value: 123_456_789n * 10n ** 17n });
    });
    it("refuses what could be read two ways", function () {
      for (const s of ["1,234", "12,345", "999,000", "1.234,5", "1,23,456", "1,2345,678", "1.234.567", "1,234,56", "1,,5", "1,5,"]) {
        expect(eth(s), s).to.deep.equal({ ok: false, problem: "ambiguous" });
      }
    });
    it("reads full-width digits and marks from a Chinese keyboard", function () {
      expect(eth("１，５")).to.deep.equal({ ok: true, value: 15n * 10n ** 17n });
      expect(eth("２．５")).to.deep.equal({ ok: true, value: 25n * 10n ** 17n });
    });
    it("names each other refusal", function () {
      expect(eth("")).to.deep.equal({ ok: false, problem: "empty" });
      expect(eth("0,0")).to.deep.equal({ ok: false, problem: "zero" });
      for (const s of ["abc", "-1", "1e3", "1 234", ".5", "1.", "+1"]) expect(eth(s), s).to.deep.equal({ ok: false, problem: "notNumber" });
      expect(readAmount("1,1234567", 6)).to.deep.equal({ ok: false, problem: "tooManyDecimals" });
    });
  });

  it("formatTokenAmount says the amount with its token, as confirmations do", function () {
    expect(formatTokenAmount(1_500_000_000_000_000_000n, { decimals: 18, symbol: "ETH" }, "en")).to.equal("1.5 ETH");
    expect(formatTokenAmount(2_000_000_000n, { decimals: 6, symbol: "tUSD" }, "zh-CN")).to.equal("2,000 tUSD");
  });

  it("percent is 0 for an empty whole and has one decimal", function () {
    expect(percent(1n, 0n)).to.equal(0);
    expect(percent(1n, 3n)).to.equal(33.3);
  });

  it("shortHex keeps the head and the tail", function () {
    expect(shortHex("0x1234567890abcdef1234")).to.equal("0x1234…1234");
    expect(shortHex("0x12")).to.equal("0x12");
  });

  it("bytes32 labels round-trip and refuse more than 31 bytes", function () {
    const b = textToBytes32("cn-gz-leishan-dx");
    expect(b).to.have.length(66);
    expect(bytes32ToText(b)).to.equal("cn-gz-leishan-dx");
    expect(() => textToBytes32("x".repeat(32))).to.throw(RangeError);
  });

  it("condition ids are keccak256 of the name, as ethers' id() computes them", function () {
    expect(conditionIdOf("household.income-below-line")).to.equal(id("household.income-below-line"));
  });

  it("formatTime shows UTC and a dash for zero", function () {
    expect(formatTime(0)).to.equal("—");
    expect(formatTime(1_767_225_600, "en", false)).to.equal("Jan 1, 2026");
    expect(formatTime(1_767_225_600, "zh-CN", false)).to.equal("2026年1月1日");
  });

  it("pseudonyms are stable, short and differ between households", function () {
    const a = pseudonym("0x" + "11".repeat(32));
    expect(a).to.match(/^[A-Z2-9]{2}-[A-Z2-9]{2}$/);
    expect(pseudonym("0x" + "11".repeat(32))).to.equal(a);
    expect(pseudonym("0x" + "22".repeat(32))).to.not.equal(a);
  });

  it("project statuses are named from the enum, None for unknown values", function () {
    expect(projectStatusName(3)).to.equal("Cancelled");
    expect(projectStatusName(9)).to.equal("None");
  });

  it("parseMetadata reads the JSON data: URIs the devnet writes, and nothing else", function () {
    const uri = `data:application/json,${encodeURIComponent(JSON.stringify({ title: "Danxi 学校" }))}`;
    expect(parseMetadata(uri)?.title).to.equal("Danxi 学校");
    expect(parseMetadata("ipfs://x")).to.equal(undefined);
    expect(parseMetadata("data:application/json,%7Bbroken")).to.equal(undefined);
  });
});
