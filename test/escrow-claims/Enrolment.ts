import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  commitmentOf,
  INCOME,
  SCHOOL,
  DAY,
  now,
} from "../helpers/fixtures.ts";
import {
  OFFICIAL_ROLE,
  Enrolment,
  ProjectStatus,
  HH1_ID,
  HH2_ID,
  fund,
  fundedProject,
  enrolAt,
  cancel,
  perTranche,
  trancheCount,
  enrolledFixture,
  atNextSecond,
  recordExit,
} from "./helpers.ts";

/** A funded ETH project (two households' worth) and household 1 identified, not yet enrolled. */
async function identifiedFixture() {
  const p = await deployProtocol();
  const { projectId, terms } = await fundedProject(p);
  const hh = await identifyHousehold(p, p.households[0], HH1_ID);
  return { p, projectId, terms, hh };
}

/** A funded project requiring INCOME and SCHOOL (k = 2) and household 1 attested for both by the first two officials. */
async function multiConditionFixture() {
  const p = await deployProtocol();
  const { projectId, terms } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
  const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME, SCHOOL]);
  return { p, projectId, terms, hh };
}

describe("enrol", function () {
  describe("access", function () {
    it("refuses a caller who is not an official, naming keccak256(\"official\")", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      await expect(p.escrow.connect(p.outsider).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
        .withArgs(p.outsider.address, OFFICIAL_ROLE);
    });

    it("refuses a programme manager or a reviewer who is not an official", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      for (const caller of [p.manager, p.reviewer]) {
        await expect(p.escrow.connect(caller).enrol(projectId, hh.commitment, hh.attesters))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(caller.address, OFFICIAL_ROLE);
      }
    });

    it("refuses an official once removed", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const removed = p.officials[2];
      await p.registry.removeOfficial(removed.address);
      await expect(p.escrow.connect(removed).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
        .withArgs(removed.address, OFFICIAL_ROLE);
    });

    it("lets any official enrol, not only an attester", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const t = await atNextSecond();
      await expect(p.escrow.connect(p.officials[2]).enrol(projectId, hh.commitment, hh.attesters))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          p.officials[2].address,
          3n * ethers.parseEther("1"),
          t + BigInt(terms.publicityWindow),
          hh.attesters,
        );
    });
  });

  describe("project state", function () {
    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(identifiedFixture);
      await expect(p.escrow.connect(p.officials[0]).enrol(99n, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(99n);
    });

    it("accepts enrolments while the project is funding and while it is active", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      expect(await p.escrow.projectStatus(projectId)).to.equal(ProjectStatus.Funding);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);

      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await networkHelpers.time.increaseTo(BigInt(terms.fundingDeadline));
      expect(await p.escrow.projectStatus(projectId)).to.equal(ProjectStatus.Active);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters)).to.emit(
        p.escrow,
        "BeneficiaryEnrolled",
      );
      expect((await p.escrow.projectLedger(projectId)).enrolled).to.equal(2n);
    });

    it("refuses a cancelled project with AidEscrowProjectNotLive(Cancelled)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      await cancel(p, projectId);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Cancelled);
    });

    it("refuses a closed project from exactly the claim deadline", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      await networkHelpers.time.setNextBlockTimestamp(BigInt(terms.claimDeadline));
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Closed);
    });

    it("issue 11 #11: refuses an enrolment whose publicity window would end at or after the claim deadline", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      const deadline = BigInt(terms.claimDeadline);
      const window = BigInt(terms.publicityWindow);
      // The window would end exactly at the deadline: the money committed could never be paid.
      await networkHelpers.time.setNextBlockTimestamp(deadline - window);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWindowPastDeadline")
        .withArgs(projectId, deadline, deadline);
      expect((await p.escrow.projectLedger(projectId)).committed).to.equal(0n);
      // One second earlier the window ends before the deadline, and the household can still claim.
      await networkHelpers.time.setNextBlockTimestamp(deadline - window - 1n);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters)).to.emit(
        p.escrow,
        "BeneficiaryEnrolled",
      );
    });
  });

  describe("identity and status", function () {
    it("refuses a commitment with no bound account, even when attested", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(identifiedFixture);
      const unbound = commitmentOf("520101199303033456", "salt-unbound");
      const expiry = (await now()) + 365n * DAY;
      for (const o of p.officials.slice(0, 2)) {
        await p.registry.connect(o).attest(unbound, INCOME, expiry, ethers.id("evidence"), 0);
      }
      await expect(
        p.escrow.connect(p.officials[0]).enrol(projectId, unbound, [p.officials[0].address, p.officials[1].address]),
      )
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowIdentityNotBound")
        .withArgs(unbound);
    });

    it("refuses a household already enrolled (AidEscrowCannotEnrol with Enrolled)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.officials[1]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowCannotEnrol")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled);
    });

    it("refuses a household under objection (AidEscrowCannotEnrol with Objected)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, ethers.id("reason"));
      await expect(p.escrow.connect(p.officials[1]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowCannotEnrol")
        .withArgs(projectId, hh.commitment, Enrolment.Objected);
    });

    it("allows the same household in two different projects", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      const second = await fundedProject(p);
      expect(second.projectId).to.not.equal(projectId);
      await p.escrow.connect(p.officials[0]).enrol(second.projectId, hh.commitment, hh.attesters);
      expect((await p.escrow.enrolment(second.projectId, hh.commitment)).status).to.equal(Enrolment.Enrolled);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Enrolled);
    });
  });

  describe("capacity and money", function () {
    it("refuses an enrolment beyond maxBeneficiaries, and accepts one after an exit frees a place", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p, { maxBeneficiaries: 1 });
      const hh1 = await identifyHousehold(p, p.households[0], HH1_ID);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh1.commitment, hh1.attesters);

      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowCapacityReached")
        .withArgs(projectId, 1);

      await networkHelpers.time.increaseTo((await p.escrow.enrolment(projectId, hh1.commitment)).windowEndsAt);
      await recordExit(p, projectId, hh1.commitment, ethers.id("left poverty"));
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters)).to.emit(
        p.escrow,
        "BeneficiaryEnrolled",
      );
    });

    it("refuses to commit more than is uncommitted (AidEscrowOverCommitment(needed, available))", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await createProject(p);
      const full = perTranche(terms) * trancheCount(terms);
      const hh1 = await identifyHousehold(p, p.households[0], HH1_ID);

      // Nothing donated yet.
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh1.commitment, hh1.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowOverCommitment")
        .withArgs(projectId, full, 0n);

      // One wei short of one household.
      await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: full - 1n });
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh1.commitment, hh1.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowOverCommitment")
        .withArgs(projectId, full, full - 1n);

      // Exactly one household.
      await p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: 1n });
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh1.commitment, hh1.attesters);

      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowOverCommitment")
        .withArgs(projectId, full, 0n);
    });

    it("commits in the project's ERC-20 for a stablecoin project", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await createProject(p, {
        token: await p.stablecoin.getAddress(),
        amountPerTranche: 50_000_000n,
      });
      await fund(p, projectId, terms, 1n);
      const hh = await identifyHousehold(p, p.households[0], HH1_ID);
      const t = await atNextSecond();
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          p.officials[0].address,
          150_000_000n,
          t + BigInt(terms.publicityWindow),
          hh.attesters,
        );
      expect((await p.escrow.projectLedger(projectId)).committed).to.equal(150_000_000n);
    });
  });

  describe("eligibility errors from the registry", function () {
    it("bubbles up AidRegistryWrongAttesterCount for too few, too many or no attesters", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const [o0, o1, o2] = p.officials.map((o) => o.address);
      const enrol = (list: string[]) => p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, list);
      await expect(enrol([o0])).to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount").withArgs(2, 1);
      await expect(enrol([o0, o1, o2]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount")
        .withArgs(2, 3);
      await expect(enrol([])).to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount").withArgs(2, 0);
    });

    it("bubbles up AidRegistryAttestationMissing for an official who did not attest", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const [o0, , o2] = p.officials.map((o) => o.address);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o0, o2]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationMissing")
        .withArgs(hh.commitment, INCOME, o2);
    });

    it("bubbles up AidRegistryAttestersNotAscending for an unsorted list", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const [o0, o1] = p.officials.map((o) => o.address);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o1, o0]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, o0);
    });

    it("bubbles up AidRegistryAttestationRevoked for a revoked attestation", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const o0 = p.officials[0].address;
      await p.registry.connect(p.reviewer).revoke(hh.commitment, INCOME, o0, ethers.id("wrong income"));
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
        .withArgs(hh.commitment, INCOME, o0);
    });

    it("bubbles up AidRegistryAttestationExpired from exactly the expiry, and enrols one second before", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME], 2, 20n * DAY);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID, [INCOME], 2, 20n * DAY);
      await networkHelpers.time.setNextBlockTimestamp(hh.expiry - 1n);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(hh.expiry);
      await networkHelpers.time.setNextBlockTimestamp(hh2.expiry);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationExpired")
        .withArgs(hh2.commitment, INCOME, p.officials[0].address, hh2.expiry);
    });

    it("bubbles up AidRegistryNotOfficial for an attester who is not an official", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const list = [p.officials[0].address, p.outsider.address].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, list))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryNotOfficial")
        .withArgs(p.outsider.address);
    });

    it("leaves nothing behind when enrolment fails", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [p.officials[0].address]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount")
        .withArgs(2, 1);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.committed).to.equal(0n);
      expect(ledger.enrolments).to.equal(0n);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.None);
    });
  });

  describe("when it succeeds", function () {
    it("emits BeneficiaryEnrolled with the amount, the window end and the attesters", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const t = (await now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await expect(p.escrow.connect(p.officials[1]).enrol(projectId, hh.commitment, hh.attesters))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          p.officials[1].address,
          perTranche(terms) * trancheCount(terms),
          t + BigInt(terms.publicityWindow),
          hh.attesters,
        );
    });

    it("records the enrolment: status, empty settled mask, times and the cached proof", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const { enrolledAt, windowEndsAt } = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
      const e = await p.escrow.enrolment(projectId, hh.commitment);
      const [, epoch] = await p.registry.eligibilityEpoch(hh.commitment);
      expect(e.status).to.equal(Enrolment.Enrolled);
      expect(e.settledMask).to.equal(0n);
      expect(e.enrolledAt).to.equal(enrolledAt);
      expect(e.windowEndsAt).to.equal(windowEndsAt);
      expect(e.eligibleUntil).to.equal(hh.expiry);
      expect(e.epoch).to.equal(epoch);
    });

    it("caches the earliest expiry among the attestations used", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const shorter = hh.expiry - 30n * DAY;
      await p.registry.connect(p.officials[1]).attest(hh.commitment, INCOME, shorter, ethers.id("short"), 0);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(shorter);
    });

    it("updates the ledger: committed, enrolled and enrolments", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(identifiedFixture);
      const full = perTranche(terms) * trancheCount(terms);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      let ledger = await p.escrow.projectLedger(projectId);
      expect([ledger.committed, ledger.enrolled, ledger.enrolments]).to.deep.equal([full, 1n, 1n]);

      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters);
      ledger = await p.escrow.projectLedger(projectId);
      expect([ledger.committed, ledger.enrolled, ledger.enrolments]).to.deep.equal([2n * full, 2n, 2n]);
      expect(ledger.claimed).to.equal(0n);
      expect(ledger.raised).to.equal(2n * full);
    });
  });

  describe("with several conditions", function () {
    it("enrols with the attesters grouped per condition and emits the whole list", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(multiConditionFixture);
      const [o0, o1] = p.officials.map((o) => o.address);
      expect(hh.attesters).to.deep.equal([o0, o1, o0, o1]);
      const t = await atNextSecond();
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          o0,
          perTranche(terms) * trancheCount(terms),
          t + BigInt(terms.publicityWindow),
          [o0, o1, o0, o1],
        );
    });

    it("accepts different officials for different conditions", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const [s0, s1, s2] = p.officials;
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME]);
      const schoolExpiry = hh.expiry - 100n * DAY;
      for (const o of [s1, s2]) await p.registry.connect(o).attest(hh.commitment, SCHOOL, schoolExpiry, ethers.id("s"), 0);
      const list = [s0.address, s1.address, s1.address, s2.address];
      const t = await atNextSecond();
      await expect(p.escrow.connect(s0).enrol(projectId, hh.commitment, list))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          s0.address,
          perTranche(terms) * trancheCount(terms),
          t + BigInt(terms.publicityWindow),
          list,
        );
      // The cache holds the earliest expiry over both conditions.
      expect((await p.escrow.enrolment(projectId, hh.commitment)).eligibleUntil).to.equal(schoolExpiry);
    });

    it("refuses when one condition is not attested (AidRegistryAttestationMissing names the condition)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME]);
      const [o0, o1] = p.officials.map((o) => o.address);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o0, o1, o0, o1]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationMissing")
        .withArgs(hh.commitment, SCHOOL, o0);
    });

    it("refuses a list sized for one condition (AidRegistryWrongAttesterCount(4, 2))", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(multiConditionFixture);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters.slice(0, 2)))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryWrongAttesterCount")
        .withArgs(4, 2);
    });

    it("refuses a group that is not ascending within its condition", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(multiConditionFixture);
      const [o0, o1] = p.officials.map((o) => o.address);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o0, o1, o1, o0]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(SCHOOL, o0);
    });
  });
});
