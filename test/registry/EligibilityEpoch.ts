import { expect } from "chai";
import { networkHelpers, commitmentOf, INCOME, SCHOOL, DAY, now } from "../helpers/fixtures.ts";
import { attestedFixture, evidence, reason, packEpoch, ONE_YEAR, bind, profileOf } from "./helpers.ts";

/** attestedFixture plus a second household (households[1]) with INCOME attested by officials[0]. */
async function twoHouseholdsFixture() {
  const p = await attestedFixture();
  const other = commitmentOf("520101199202021111", "salt-b");
  await bind(p, other, p.households[1].address);
  await p.registry.connect(p.officials[0]).attest(other, INCOME, p.expiry, evidence("other"), 0);
  return { ...p, other };
}

describe("AidRegistry eligibilityEpoch", function () {
  it("starts at zero with the bound account", async function () {
    const { registry, households, commitment } = await networkHelpers.loadFixture(attestedFixture);
    const [account, epoch] = await registry.eligibilityEpoch(commitment);
    expect(account).to.equal(households[0].address);
    expect(epoch).to.equal(packEpoch(0n, 0n));
  });

  describe("changes", function () {
    it("on every revocation, only for the commitment concerned", async function () {
      const { registry, officials, reviewer, commitment, other } = await networkHelpers.loadFixture(twoHouseholdsFixture);
      await registry.connect(officials[0]).revoke(commitment, INCOME, officials[0].address, reason("1"));
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(1n, 0n));
      expect((await registry.identity(commitment)).revocationEpoch).to.equal(1n);
      await registry.connect(reviewer).revoke(commitment, INCOME, officials[1].address, reason("2"));
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(2n, 0n));
      expect((await registry.eligibilityEpoch(other))[1]).to.equal(packEpoch(0n, 0n));
    });

    it("on a renewal that shortens a live attestation", async function () {
      const { registry, officials, commitment, other, expiry } = await networkHelpers.loadFixture(twoHouseholdsFixture);
      await registry.connect(officials[1]).attest(commitment, INCOME, expiry - 1n, evidence("shorter"), 70);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(1n, 0n));
      expect((await registry.eligibilityEpoch(other))[1]).to.equal(packEpoch(0n, 0n));
    });

    it("on any official's removal, for every commitment", async function () {
      const { registry, admin, officials, commitment, other } = await networkHelpers.loadFixture(twoHouseholdsFixture);
      // officials[2] attested nothing, and still every cached proof is invalidated.
      await registry.connect(admin).removeOfficial(officials[2].address);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 1n));
      expect((await registry.eligibilityEpoch(other))[1]).to.equal(packEpoch(0n, 1n));
    });

    it("on an executed re-bind, only for the commitment concerned", async function () {
      const { registry, officials, households, commitment, other, spare } = await networkHelpers.loadFixture(twoHouseholdsFixture);
      await registry.connect(officials[0]).requestRebind(commitment, spare[0].address);
      await registry.connect(officials[1]).approveRebind(commitment, 1);
      // Requests and approvals alone do not move it: a cached proof still pays the current account.
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 0n));
      await networkHelpers.time.increase(3n * DAY);
      await registry.executeRebind(commitment);
      expect(await registry.eligibilityEpoch(commitment)).to.deep.equal([spare[0].address, packEpoch(1n, 0n)]);
      expect(await registry.eligibilityEpoch(other)).to.deep.equal([households[1].address, packEpoch(0n, 0n)]);
    });

    it("keeps both halves apart when revocations and removals combine", async function () {
      const { registry, admin, officials, commitment, other } = await networkHelpers.loadFixture(twoHouseholdsFixture);
      await registry.connect(officials[0]).revoke(commitment, INCOME, officials[0].address, reason("1"));
      await registry.connect(admin).removeOfficial(officials[2].address);
      await registry.connect(admin).removeOfficial(officials[1].address);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(1n, 2n));
      expect((await registry.eligibilityEpoch(other))[1]).to.equal(packEpoch(0n, 2n));
    });
  });

  describe("does not change", function () {
    it("on a renewal that lengthens or keeps the expiry", async function () {
      const { registry, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(officials[0]).attest(commitment, INCOME, expiry + DAY, evidence("longer"), 70);
      await registry.connect(officials[1]).attest(commitment, INCOME, expiry, evidence("same"), 71);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 0n));
    });

    it("on a new attestation", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(attestedFixture);
      const soon = (await now()) + DAY;
      await registry.connect(officials[2]).attest(commitment, INCOME, soon, evidence("third"), 0);
      await registry.connect(officials[0]).attest(commitment, SCHOOL, soon, evidence("school"), 0);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 0n));
    });

    it("on re-attesting a revoked attestation, even with an earlier expiry", async function () {
      const { registry, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(o).revoke(commitment, INCOME, o.address, reason("r"));
      await registry.connect(o).attest(commitment, INCOME, expiry - DAY, evidence("back"), 0);
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(1n, 0n));
    });

    it("on appointing an official", async function () {
      const { registry, admin, officials, commitment, spare } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(admin).addOfficial(spare[0].address, profileOf("Spare"));
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 0n));
      await registry.connect(admin).removeOfficial(officials[2].address);
      await registry.connect(admin).addOfficial(officials[2].address, profileOf("Back"));
      expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(0n, 1n));
    });
  });

  it("is the epoch verifyConditions reports", async function () {
    const { registry, admin, officials, reviewer, commitment, attesters } =
      await networkHelpers.loadFixture(attestedFixture);
    const longer = (await now()) + 2n * ONE_YEAR;
    await registry.connect(officials[2]).attest(commitment, INCOME, longer, evidence("x"), 0);
    await registry.connect(reviewer).revoke(commitment, INCOME, officials[2].address, reason("x"));
    await registry.connect(admin).removeOfficial(officials[2].address);
    const [, epoch] = await registry.eligibilityEpoch(commitment);
    expect(epoch).to.equal(packEpoch(1n, 1n));
    const [, proven] = await registry.verifyConditions(commitment, [INCOME], 2, attesters);
    expect(proven).to.equal(epoch);
  });
});
