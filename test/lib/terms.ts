/**
 * The escrow's one terms validator (lib/escrow/terms.ts checkProjectTerms): the rules of
 * AidEscrow.createProject on resolved terms, which the create-project form (validateTerms, test/web/logic.ts)
 * and the project CLI (test/cli/live.ts) both apply before anything is sent.
 */
import { expect } from "chai";
import { checkProjectTerms } from "../../lib/escrow/terms.ts";

const limits = { now: 1_000, maxConditions: 8, maxThreshold: 5, maxTranches: 12 };
const good = {
  conditions: ["0x01", "0x02"],
  threshold: 2,
  amountPerTranche: 10n,
  maxBeneficiaries: 40,
  fundingDeadline: 2_000,
  claimDeadline: 9_000,
  trancheUnlockTimes: [3_000, 4_000],
  publicityWindow: 86_400,
};

describe("project terms rules (lib/escrow/terms.ts)", function () {
  it("accepts terms the escrow accepts", function () {
    expect(checkProjectTerms(good, limits)).to.deep.equal([]);
  });

  it("names the field and the rule of every refusal", function () {
    const broken = checkProjectTerms(
      {
        conditions: [],
        threshold: 6,
        amountPerTranche: 0n,
        maxBeneficiaries: 0,
        fundingDeadline: 1_000,
        claimDeadline: 900,
        trancheUnlockTimes: [500, 400],
        publicityWindow: 0,
      },
      limits,
      { decimals: 6 },
    );
    expect(broken.map((p) => `${p.field}:${p.key}`)).to.deep.equal([
      "conditions:conditionCount",
      "threshold:threshold",
      "amountPerTranche:amount",
      "maxBeneficiaries:maxBeneficiaries",
      "fundingDeadline:fundingPast",
      "claimDeadline:claimBeforeFunding",
      "trancheUnlockTimes:unlockOrder",
      "publicityWindow:window",
    ]);
    expect(broken.find((p) => p.field === "amountPerTranche")!.values).to.deep.equal({ decimals: 6 });
    expect(broken.find((p) => p.key === "unlockOrder")!.values).to.deep.equal({ n: 2 });
  });

  it("refuses an unlock at or after the claim deadline and too many tranches, and skips what is unread", function () {
    expect(checkProjectTerms({ ...good, trancheUnlockTimes: [3_000, 9_000] }, limits)).to.deep.equal([{ field: "trancheUnlockTimes", key: "unlockAfterClaim", values: { n: 2 } }]);
    expect(checkProjectTerms({ ...good, trancheUnlockTimes: Array.from({ length: 13 }, (_, i) => 3_000 + i) }, limits)[0]).to.deep.equal({
      field: "trancheUnlockTimes",
      key: "trancheCount",
      values: { max: 12 },
    });
    expect(checkProjectTerms({ trancheUnlockTimes: [undefined, 3_000] }, limits)).to.deep.equal([]);
  });
});
