import { expect } from "chai";
import { ethers, networkHelpers, INCOME, SCHOOL, DAY } from "../helpers/fixtures.ts";
import { attestedFixture, boundFixture, evidence, reason, packEpoch, viewAt, ONE_YEAR } from "./helpers.ts";

/**
 * boundFixture plus two conditions with different expiries, officials sorted ascending (o0 < o1 < o2):
 * INCOME by o0 (base + 30 days) and o1 (base + 20 days); SCHOOL by o1 (base + 40 days) and o2 (base + 10 days).
 */
async function twoConditionsFixture() {
  const p = await boundFixture();
  const [o0, o1, o2] = p.officials;
  const base = BigInt(await networkHelpers.time.latest()) + 100n;
  const e = { income0: base + 30n * DAY, income1: base + 20n * DAY, school1: base + 40n * DAY, school2: base + 10n * DAY };
  await p.registry.connect(o0).attest(p.commitment, INCOME, e.income0, evidence("i0"), 1);
  await p.registry.connect(o1).attest(p.commitment, INCOME, e.income1, evidence("i1"), 2);
  await p.registry.connect(o1).attest(p.commitment, SCHOOL, e.school1, evidence("s1"), 3);
  await p.registry.connect(o2).attest(p.commitment, SCHOOL, e.school2, evidence("s2"), 4);
  return { ...p, e, o0, o1, o2 };
}

describe("AidRegistry verifyConditions", function () {
  describe("when every condition holds", function () {
    it("returns the attestations' expiry and the current epoch", async function () {
      const { registry, commitment, attesters, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const [eligibleUntil, epoch] = await registry.verifyConditions(commitment, [INCOME], 2, attesters);
      expect(eligibleUntil).to.equal(expiry);
      expect(epoch).to.equal(packEpoch(0n, 0n));
    });

    it("returns the earliest expiry across all conditions and attesters", async function () {
      const { registry, commitment, e, o0, o1, o2 } = await networkHelpers.loadFixture(twoConditionsFixture);
      const [eligibleUntil] = await registry.verifyConditions(
        commitment,
        [INCOME, SCHOOL],
        2,
        [o0.address, o1.address, o1.address, o2.address],
      );
      expect(eligibleUntil).to.equal(e.school2);
      // Listing the conditions the other way round with their groups gives the same answer.
      const [swapped] = await registry.verifyConditions(
        commitment,
        [SCHOOL, INCOME],
        2,
        [o1.address, o2.address, o0.address, o1.address],
      );
      expect(swapped).to.equal(e.school2);
      // One condition alone: its own minimum.
      const [incomeOnly] = await registry.verifyConditions(commitment, [INCOME], 2, [o0.address, o1.address]);
      expect(incomeOnly).to.equal(e.income1);
    });

    it("with a threshold of one uses only the listed attester", async function () {
      const { registry, commitment, e, o0, o1, o2 } = await networkHelpers.loadFixture(twoConditionsFixture);
      const [a] = await registry.verifyConditions(commitment, [INCOME], 1, [o0.address]);
      expect(a).to.equal(e.income0);
      const [b] = await registry.verifyConditions(commitment, [INCOME, SCHOOL], 1, [o1.address, o2.address]);
      expect(b).to.equal(e.school2);
      const [c] = await registry.verifyConditions(commitment, [INCOME, SCHOOL], 1, [o0.address, o1.address]);
      expect(c).to.equal(e.income0);
    });

    it("restarts the ascending order at each condition's group", async function () {
      const { registry, commitment, e, o0, o1 } = await networkHelpers.loadFixture(twoConditionsFixture);
      await registry.connect(o0).attest(commitment, SCHOOL, e.school1, evidence("s0"), 0);
      const [eligibleUntil] = await registry.verifyConditions(
        commitment,
        [INCOME, SCHOOL],
        2,
        [o0.address, o1.address, o0.address, o1.address],
      );
      expect(eligibleUntil).to.equal(e.income1);
    });

    it("still holds at expiry - 1 and fails at expiry (half-open)", async function () {
      const { registry, officials, commitment, attesters, expiry } = await networkHelpers.loadFixture(attestedFixture);
      await viewAt(expiry - 1n);
      const [eligibleUntil] = await registry.verifyConditions(commitment, [INCOME], 2, attesters);
      expect(eligibleUntil).to.equal(expiry);
      await viewAt(expiry);
      await expect(registry.verifyConditions(commitment, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationExpired")
        .withArgs(commitment, INCOME, officials[0].address, expiry);
    });
  });

  describe("when the attester list has the wrong length", function () {
    it("reverts with the expected and actual counts", async function () {
      const { registry, commitment, attesters, officials } = await networkHelpers.loadFixture(attestedFixture);
      const cases: [string[], number, string[], bigint][] = [
        [[INCOME], 2, attesters.slice(0, 1), 2n],
        [[INCOME], 2, [...attesters, officials[2].address], 2n],
        [[INCOME, SCHOOL], 2, attesters, 4n],
        [[INCOME], 1, attesters, 1n],
        [[INCOME], 0, attesters, 0n],
      ];
      for (const [conditions, k, list, expected] of cases) {
        await expect(registry.verifyConditions(commitment, conditions, k, list))
          .to.be.revertedWithCustomError(registry, "AidRegistryWrongAttesterCount")
          .withArgs(expected, list.length);
      }
    });

    it("refuses an empty proof: a zero threshold or no conditions", async function () {
      const { registry, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await expect(registry.verifyConditions(commitment, [INCOME], 0, []))
        .to.be.revertedWithCustomError(registry, "AidRegistryWrongAttesterCount")
        .withArgs(0, 0);
      await expect(registry.verifyConditions(commitment, [], 2, []))
        .to.be.revertedWithCustomError(registry, "AidRegistryWrongAttesterCount")
        .withArgs(0, 0);
    });
  });

  describe("when the attesters of a condition are not strictly ascending", function () {
    it("reverts on descending order, naming the attester out of place", async function () {
      const { registry, commitment, attesters } = await networkHelpers.loadFixture(attestedFixture);
      const [low, high] = attesters;
      await expect(registry.verifyConditions(commitment, [INCOME], 2, [high, low]))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, low);
    });

    it("reverts on the same attester listed twice", async function () {
      const { registry, commitment, attesters } = await networkHelpers.loadFixture(attestedFixture);
      await expect(registry.verifyConditions(commitment, [INCOME], 2, [attesters[0], attesters[0]]))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, attesters[0]);
    });

    it("reverts on the zero address", async function () {
      const { registry, commitment, attesters } = await networkHelpers.loadFixture(attestedFixture);
      await expect(registry.verifyConditions(commitment, [INCOME], 2, [ethers.ZeroAddress, attesters[1]]))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, ethers.ZeroAddress);
    });

    it("names the condition whose group is out of order", async function () {
      const { registry, commitment, o0, o1, o2 } = await networkHelpers.loadFixture(twoConditionsFixture);
      await expect(
        registry.verifyConditions(commitment, [INCOME, SCHOOL], 2, [o0.address, o1.address, o2.address, o1.address]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestersNotAscending")
        .withArgs(SCHOOL, o1.address);
    });
  });

  describe("when an attester does not count", function () {
    it("reverts for an account that was never an official", async function () {
      const { registry, commitment, attesters, outsider, reviewer } =
        await networkHelpers.loadFixture(attestedFixture);
      for (const who of [outsider.address, reviewer.address]) {
        const list = [attesters[0], who].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        await expect(registry.verifyConditions(commitment, [INCOME], 2, list))
          .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
          .withArgs(who);
      }
    });

    it("reverts for a removed official, even with a valid attestation", async function () {
      const { registry, admin, officials, commitment, attesters } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(admin).removeOfficial(officials[1].address);
      await expect(registry.verifyConditions(commitment, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[1].address);
      // With one attester still enough, the proof holds and carries the new removal epoch.
      const [eligibleUntil, epoch] = await registry.verifyConditions(commitment, [INCOME], 1, [attesters[0]]);
      expect(eligibleUntil).to.equal((await registry.attestation(commitment, INCOME, attesters[0])).expiry);
      expect(epoch).to.equal(packEpoch(0n, 1n));
    });

    it("reverts for an official who did not attest that condition", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await expect(
        registry.verifyConditions(commitment, [INCOME], 2, [officials[0].address, officials[2].address]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(commitment, INCOME, officials[2].address);
      await expect(
        registry.verifyConditions(commitment, [SCHOOL], 2, [officials[0].address, officials[1].address]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(commitment, SCHOOL, officials[0].address);
    });

    it("reverts for an attestation about another commitment", async function () {
      const { registry, attesters } = await networkHelpers.loadFixture(attestedFixture);
      const stranger = ethers.id("another household");
      await expect(registry.verifyConditions(stranger, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(stranger, INCOME, attesters[0]);
    });

    it("reverts for a revoked attestation", async function () {
      const { registry, reviewer, commitment, attesters } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(reviewer).revoke(commitment, INCOME, attesters[1], reason("exit"));
      await expect(registry.verifyConditions(commitment, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, attesters[1]);
    });

    it("reverts for the attester whose attestation expired first", async function () {
      const { registry, commitment, e, o0, o1, o2 } = await networkHelpers.loadFixture(twoConditionsFixture);
      const list = [o0.address, o1.address, o1.address, o2.address];
      await viewAt(e.school2 - 1n);
      const [eligibleUntil] = await registry.verifyConditions(commitment, [INCOME, SCHOOL], 2, list);
      expect(eligibleUntil).to.equal(e.school2);
      await viewAt(e.school2);
      await expect(registry.verifyConditions(commitment, [INCOME, SCHOOL], 2, list))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationExpired")
        .withArgs(commitment, SCHOOL, o2.address, e.school2);
      // INCOME alone still holds until its own earliest expiry.
      const [incomeUntil] = await registry.verifyConditions(commitment, [INCOME], 2, [o0.address, o1.address]);
      expect(incomeUntil).to.equal(e.income1);
    });

    it("checks the groups in the order given: a wrong grouping fails on the first condition", async function () {
      const { registry, commitment, o0, o1, o2 } = await networkHelpers.loadFixture(twoConditionsFixture);
      // SCHOOL's attesters listed under INCOME: o2 never attested INCOME.
      await expect(
        registry.verifyConditions(commitment, [INCOME, SCHOOL], 2, [o1.address, o2.address, o0.address, o1.address]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(commitment, INCOME, o2.address);
    });
  });

  it("is unaffected by a renewal that lengthens an attestation, apart from the new expiry", async function () {
    const { registry, officials, commitment, attesters, expiry } = await networkHelpers.loadFixture(attestedFixture);
    await registry.connect(officials[0]).attest(commitment, INCOME, expiry + ONE_YEAR, evidence("renew"), 0);
    await registry.connect(officials[1]).attest(commitment, INCOME, expiry + DAY, evidence("renew"), 0);
    const [eligibleUntil, epoch] = await registry.verifyConditions(commitment, [INCOME], 2, attesters);
    expect(eligibleUntil).to.equal(expiry + DAY);
    expect(epoch).to.equal(packEpoch(0n, 0n));
  });
});
