/** The donation forms' amount check (lib/format/donation.ts), shared by the escrow and roster pages. */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { checkDonationAmount } from "../../lib/format/donation.ts";

describe("donation amounts (checkDonationAmount)", function () {
  it("parses amounts in token units with the token's decimals", function () {
    expect(checkDonationAmount("100", 6)).to.deep.equal({ ok: true, amount: 100_000_000n });
    expect(checkDonationAmount(" 1,000.5 ", 6)).to.deep.equal({ ok: true, amount: 1_000_500_000n });
    expect(checkDonationAmount("0.000001", 6)).to.deep.equal({ ok: true, amount: 1n });
    expect(checkDonationAmount("0.5", 18)).to.deep.equal({ ok: true, amount: 500_000_000_000_000_000n });
  });

  it("refuses what is empty, not a positive number, finer than the token's decimals, or not parseable yet", function () {
    expect(checkDonationAmount("", 6)).to.deep.equal({ ok: false, problem: "empty" });
    expect(checkDonationAmount("  ", 6)).to.deep.equal({ ok: false, problem: "empty" });
    for (const bad of ["0", "0.000"]) expect(checkDonationAmount(bad, 6), bad).to.deep.equal({ ok: false, problem: "zero" });
    for (const bad of ["-5", "abc", "1e6"]) expect(checkDonationAmount(bad, 6), bad).to.deep.equal({ ok: false, problem: "notNumber" });
    expect(checkDonationAmount("1.2.3", 6)).to.deep.equal({ ok: false, problem: "ambiguous" });
    expect(checkDonationAmount("0.0000001", 6)).to.deep.equal({ ok: false, problem: "tooManyDecimals" });
    // Decimals not read from the chain yet: nothing is guessed.
    expect(checkDonationAmount("100", undefined)).to.deep.equal({ ok: false, problem: "decimalsUnknown" });
  });

  it("reads a lone comma as the decimal mark, never as a digit separator (1,5 ETH is 1.5 ETH, not 15)", function () {
    expect(checkDonationAmount("1,5", 18)).to.deep.equal({ ok: true, amount: 1_500_000_000_000_000_000n });
    expect(checkDonationAmount("0,5", 18)).to.deep.equal({ ok: true, amount: 500_000_000_000_000_000n });
    expect(checkDonationAmount("1,234", 6)).to.deep.equal({ ok: false, problem: "ambiguous" });
  });

  it("refuses more than the balance once the balance is known", function () {
    expect(checkDonationAmount("100", 6, 100_000_000n)).to.deep.equal({ ok: true, amount: 100_000_000n });
    expect(checkDonationAmount("100.000001", 6, 100_000_000n)).to.deep.equal({ ok: false, problem: "overBalance" });
    expect(checkDonationAmount("100.000001", 6)).to.deep.equal({ ok: true, amount: 100_000_001n });
  });

  it("has a sentence for every problem the form shows, in both languages", function () {
    for (const locale of ["en", "zh-CN"]) {
      const cat = JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), "utf8"));
      for (const k of ["notNumber", "ambiguous", "zero"]) expect(cat.amount[k], `${locale} amount.${k}`).to.be.a("string").and.not.equal("");
      expect(cat.amount.tooManyDecimals, locale).to.include("{decimals}");
      expect(cat.donate.overBalance, locale).to.include("{symbol}");
      for (const k of ["given", "nothing"]) expect(cat.refund[k], `${locale} refund.${k}`).to.be.a("string");
    }
  });
});
