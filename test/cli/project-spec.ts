import { expect } from "chai";
import { ZeroAddress, encodeBytes32String, id, parseEther } from "ethers";
import { resolveTerms, validateProjectSpec } from "../../lib/escrow/project-spec.ts";

const goodCreate = () => ({
  action: "create",
  terms: {
    token: "ETH",
    category: "education",
    region: "cn-gz-leishan-ld",
    metadataURI: "ipfs://x",
    conditions: ["household.income-below-line", "household.child-in-school"],
    threshold: 2,
    amountPerTranche: "1.5",
    trancheUnlockTimes: ["+10d", "2030-01-01", 1900000000],
    maxBeneficiaries: 10,
    fundingDeadline: "+5d",
    claimDeadline: 1950000000,
    publicityWindow: "7d",
  },
});

describe("project spec validation (lib/escrow/project-spec.ts)", function () {
  describe("a valid create spec", function () {
    it("resolves to createProject terms relative to chain time", function () {
      const { spec, errors } = validateProjectSpec(goodCreate());
      expect(errors).to.deep.equal([]);
      if (spec?.action !== "create") throw new Error("expected a create spec");
      const now = 1_800_000_000;
      const terms = resolveTerms(spec.terms, { now, decimals: 18 });
      expect(terms).to.deep.equal({
        token: ZeroAddress,
        category: encodeBytes32String("education"),
        region: encodeBytes32String("cn-gz-leishan-ld"),
        metadataURI: "ipfs://x",
        conditions: [id("household.income-below-line"), id("household.child-in-school")],
        threshold: 2,
        amountPerTranche: parseEther("1.5"),
        trancheUnlockTimes: [now + 10 * 86400, 1893456000, 1900000000],
        maxBeneficiaries: 10,
        fundingDeadline: now + 5 * 86400,
        claimDeadline: 1950000000,
        publicityWindow: 7 * 86400,
      });
    });
  });

  describe("an invalid spec", function () {
    it("reports each error at its JSON path", function () {
      const bad = goodCreate() as any;
      bad.terms.threshold = 0;
      bad.terms.amountPerTranche = 1.5;
      bad.terms.trancheUnlockTimes[1] = "next week";
      delete bad.terms.region;
      bad.terms.colour = "red";
      const { spec, errors } = validateProjectSpec(bad);
      expect(spec).to.equal(undefined);
      expect(errors.map((e) => e.path).sort()).to.deep.equal(
        ["/terms/amountPerTranche", "/terms/colour", "/terms/region", "/terms/threshold", "/terms/trancheUnlockTimes/1"].sort(),
      );
      expect(errors.find((e) => e.path === "/terms/region")!.message).to.equal("is required");
    });

    it("refuses an amount with a comma, which could be read two ways, with the format it wants", function () {
      const message = 'must be a decimal string with a point and no thousands separators, like "1.5" or "1500"';
      const bad = goodCreate() as any;
      bad.terms.amountPerTranche = "1,5";
      expect(validateProjectSpec(bad).errors).to.deep.equal([{ path: "/terms/amountPerTranche", message }]);
      for (const amount of ["1,5", "1,000", "1.000,5"]) {
        expect(validateProjectSpec({ action: "fund", projectId: 1, amount }).errors, amount).to.deep.equal([{ path: "/amount", message }]);
      }
    });

    it("reports an unknown condition by its index", function () {
      const bad = goodCreate();
      bad.terms.conditions[1] = "household.owns-a-yacht";
      expect(validateProjectSpec(bad).errors).to.deep.equal([{ path: "/terms/conditions/1", message: 'unknown condition "household.owns-a-yacht"' }]);
    });

    it("checks fund and cancel specs by their own shape", function () {
      expect(validateProjectSpec({ action: "fund", projectId: 0 }).errors).to.deep.equal([
        { path: "/amount", message: "is required" },
        { path: "/projectId", message: "must be >= 1" },
      ]);
      expect(validateProjectSpec({ action: "cancel", projectId: 3, amount: "1" }).errors).to.deep.equal([
        { path: "/amount", message: "is not allowed here" },
      ]);
      expect(validateProjectSpec({ action: "pay-everyone" }).errors).to.deep.equal([
        { path: "/action", message: "must be one of create, fund, cancel" },
      ]);
    });
  });
});
