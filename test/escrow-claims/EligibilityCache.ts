import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  identifyHousehold,
  INCOME,
  SCHOOL,
  DAY,
  now,
} from "../helpers/fixtures.ts";
import { HH1_ID, fundedProject, enrolAt, claimableFixture, perTranche, unlockAt } from "./helpers.ts";

const REASON = ethers.id("ipfs://revocation");

/** Household 1 attested for 50 days only, enrolled; time left before the first unlock. */
async function shortAttestationFixture() {
  const p = await deployProtocol();
  const { projectId, terms } = await fundedProject(p);
  const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME], 2, 50n * DAY);
  await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
  return { p, projectId, terms, hh };
}

describe("claim: the cached eligibility proof", function () {
  describe("while nothing it rests on changed", function () {
    it("pays with an empty attester list", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));
    });

    it("ignores the attester hint (it is only read when the cache is stale)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [p.outsider.address])).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });

    it("survives a renewal that lengthens an attestation", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.registry.connect(p.officials[0]).attest(hh.commitment, INCOME, hh.expiry + 100n * DAY, ethers.id("e"), 80);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.emit(
        p.escrow,
        "AidClaimed",
      );
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(hh.expiry);
    });
  });

  describe("after a revocation", function () {
    it("refuses [] with AidEscrowEligibilityUnproven and the old list with AidRegistryAttestationRevoked", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const o0 = p.officials[0].address;
      await p.registry.connect(p.reviewer).revoke(hh.commitment, INCOME, o0, REASON);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, INCOME, o0);
    });

    it("pays with a fresh valid list once a third official attests, and caches the new proof", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      const [o0, o1, o2] = p.officials;
      await p.registry.connect(o0).revoke(hh.commitment, INCOME, o0.address, REASON);
      // Before the third official attests, only one valid attestation exists: k = 2 cannot be reached.
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [o1.address, o2.address]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationMissing")
        .withArgs(hh.commitment, INCOME, o2.address);

      const o2Expiry = hh.expiry - 10n * DAY;
      await p.registry.connect(o2).attest(hh.commitment, INCOME, o2Expiry, ethers.id("re-check"), 60);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [o1.address, o2.address]))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));

      const e = await p.escrow.enrolment(projectId, hh.commitment);
      const [, epoch] = await p.registry.eligibilityEpoch(hh.commitment);
      expect(e.epoch).to.equal(epoch);
      expect(e.eligibleUntil).to.equal(o2Expiry);

      // The refreshed cache serves the next tranche without a list.
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, [])).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });

    it("goes stale even when the revoked attestation was not part of the proof", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const o2 = p.officials[2];
      await p.registry.connect(o2).attest(hh.commitment, INCOME, hh.expiry, ethers.id("extra"), 0);
      await p.registry.connect(o2).revoke(hh.commitment, INCOME, o2.address, REASON);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters)).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });

    it("refuses a household whose remaining attestations cannot reach k", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const [o0, o1, o2] = p.officials.map((o) => o.address);
      await p.registry.connect(p.reviewer).revoke(hh.commitment, INCOME, o0, REASON);
      await p.registry.connect(p.reviewer).revoke(hh.commitment, INCOME, o1, REASON);
      const claim = (list: string[]) => p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, list);
      await expect(claim([o0, o1]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, INCOME, o0);
      await expect(claim([o1, o2]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, INCOME, o1);
      await expect(claim([o0, o2]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, INCOME, o0);
      await expect(claim([o2])).to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount").withArgs(2, 1);
    });

    it("is restored by a renewal (re-attestation) of the revoked attestation", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const o0 = p.officials[0];
      await p.registry.connect(o0).revoke(hh.commitment, INCOME, o0.address, REASON);
      const [, revokedEpoch] = await p.registry.eligibilityEpoch(hh.commitment);
      await p.registry.connect(o0).attest(hh.commitment, INCOME, hh.expiry, ethers.id("renewed"), 70);
      // A renewal of a revoked attestation weakens nothing, so it does not move the epoch again.
      expect((await p.registry.eligibilityEpoch(hh.commitment))[1]).to.equal(revokedEpoch);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters)).to.emit(
        p.escrow,
        "AidClaimed",
      );
      expect((await p.escrow.enrolment(projectId, hh.commitment)).epoch).to.equal(revokedEpoch);
    });
  });

  describe("after an attestation expires", function () {
    it("pays at expiry - 1 from the cache, and from the expiry needs a fresh proof", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(shortAttestationFixture);
      const [o0, o1, o2] = p.officials;
      expect(hh.expiry).to.be.greaterThan(unlockAt(terms, 1));
      expect(hh.expiry).to.be.lessThan(unlockAt(terms, 2));

      await networkHelpers.time.setNextBlockTimestamp(hh.expiry - 1n);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.emit(
        p.escrow,
        "AidClaimed",
      );

      await networkHelpers.time.setNextBlockTimestamp(hh.expiry);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationExpired")
        .withArgs(hh.commitment, INCOME, o0.address, hh.expiry);
      await networkHelpers.mine();

      // A third official attests and the second renews: a fresh valid list pays.
      const renewed = (await now()) + 200n * DAY;
      await p.registry.connect(o2).attest(hh.commitment, INCOME, renewed, ethers.id("new visit"), 65);
      await p.registry.connect(o1).attest(hh.commitment, INCOME, renewed, ethers.id("renewal"), 65);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, [o1.address, o2.address]))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 1, perTranche(terms));
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(renewed);
    });

    it("is restored by the original attesters renewing", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(shortAttestationFixture);
      await networkHelpers.time.increaseTo(hh.expiry);
      const renewed = hh.expiry + 100n * DAY;
      for (const o of p.officials.slice(0, 2)) {
        await p.registry.connect(o).attest(hh.commitment, INCOME, renewed, ethers.id("renewal"), 70);
      }
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, hh.attesters))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 1, perTranche(terms));
    });
  });

  describe("after an official is removed", function () {
    it("is stale even if the removed official was not an attester", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const before = (await p.escrow.enrolment(projectId, hh.commitment)).epoch;
      await p.registry.removeOfficial(p.officials[2].address);
      const [, epoch] = await p.registry.eligibilityEpoch(hh.commitment);
      expect(epoch).to.not.equal(before);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters)).to.emit(
        p.escrow,
        "AidClaimed",
      );
      expect((await p.escrow.enrolment(projectId, hh.commitment)).epoch).to.equal(epoch);
    });

    it("no longer counts the removed attester's attestation; a replacement attestation does", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const [o0, o1, o2] = p.officials;
      await p.registry.removeOfficial(o0.address);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryNotOfficial")
        .withArgs(o0.address);
      await p.registry.connect(o2).attest(hh.commitment, INCOME, hh.expiry, ethers.id("replacement"), 70);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [o1.address, o2.address])).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });
  });

  describe("after a shortening renewal", function () {
    it("is stale, and the fresh proof caches the shorter expiry", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      const shorter = (await now()) + 35n * DAY; // after tranche 1 unlocks, before tranche 2
      expect(shorter).to.be.lessThan(hh.expiry);
      await p.registry.connect(p.officials[1]).attest(hh.commitment, INCOME, shorter, ethers.id("downgrade"), 40);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(shorter);

      await networkHelpers.time.setNextBlockTimestamp(shorter);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationExpired")
        .withArgs(hh.commitment, INCOME, p.officials[1].address, shorter);
    });
  });

  describe("with several conditions", function () {
    it("re-proves every condition after a revocation in one of them", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME, SCHOOL]);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      const [o0, o1, o2] = p.officials.map((o) => o.address);

      await p.registry.connect(p.reviewer).revoke(hh.commitment, SCHOOL, o0, REASON);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, SCHOOL, o0);

      await p.registry.connect(p.officials[2]).attest(hh.commitment, SCHOOL, hh.expiry, ethers.id("school"), 0);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [o0, o1, o1, o2]))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));
    });
  });
});
