import { expect } from "chai";
import { ethers, networkHelpers, identifyHousehold, INCOME } from "../helpers/fixtures.ts";
import {
  OFFICIAL_ROLE,
  Enrolment,
  ProjectStatus,
  HH2_ID,
  enrolledFixture,
  enrolAt,
  cancel,
  perTranche,
  trancheCount,
  unlockAt,
} from "./helpers.ts";

const REASON = ethers.id("ipfs://exit-record");

/** enrolledFixture, tranche 0 claimed at its unlock time, then the household exits. */
async function exitedAfterFirstTrancheFixture() {
  const f = await enrolledFixture();
  await networkHelpers.time.increaseTo(unlockAt(f.terms, 0));
  await f.p.escrow.connect(f.p.households[0]).claim(f.projectId, f.hh.commitment, 0, []);
  await f.p.escrow.connect(f.p.officials[2]).recordExit(f.projectId, f.hh.commitment, REASON);
  return f;
}

describe("recordExit", function () {
  describe("access and state", function () {
    it("refuses a caller who is not an official", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      for (const caller of [p.outsider, p.reviewer, p.manager, p.households[0]]) {
        await expect(p.escrow.connect(caller).recordExit(projectId, hh.commitment, REASON))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(caller.address, OFFICIAL_ROLE);
      }
    });

    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.officials[0]).recordExit(7n, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(7n);
    });

    it("refuses a household that is not enrolled (actual None)", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(enrolledFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh2.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh2.commitment, Enrolment.Enrolled, Enrolment.None);
    });

    it("refuses a second exit (actual Exited)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Exited);
    });

    it("refuses once the project is cancelled", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await cancel(p, projectId);
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Cancelled);
    });

    it("refuses from exactly the claim deadline", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.setNextBlockTimestamp(BigInt(terms.claimDeadline));
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Closed);
    });
  });

  describe("when recorded", function () {
    it("releases every tranche of a household that claimed nothing", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      const full = perTranche(terms) * trancheCount(terms);
      await expect(p.escrow.connect(p.officials[1]).recordExit(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials[1].address, REASON, full);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.committed).to.equal(0n);
      expect(ledger.enrolled).to.equal(0n);
      expect(ledger.exited).to.equal(1n);
      expect(ledger.enrolments).to.equal(1n);
      const e = await p.escrow.enrolment(projectId, hh.commitment);
      expect(e.status).to.equal(Enrolment.Exited);
      expect(e.settledMask).to.equal((1n << trancheCount(terms)) - 1n);
    });

    it("releases only the unpaid tranches of a household that claimed one", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(p.escrow.connect(p.officials[2]).recordExit(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials[2].address, REASON, 2n * perTranche(terms));
      const ledger = await p.escrow.projectLedger(projectId);
      // What was paid stays committed; the rest goes back to the uncommitted pool.
      expect(ledger.committed).to.equal(perTranche(terms));
      expect(ledger.claimed).to.equal(perTranche(terms));
      expect(ledger.exited).to.equal(1n);
    });

    it("forfeits an unlocked tranche the household had not claimed", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []);
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials[0].address, REASON, 2n * perTranche(terms));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Exited);
    });

    it("works during the publicity window too", async function () {
      const { p, projectId, terms, hh, windowEndsAt } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt - 1n);
      await expect(p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials[0].address, REASON, perTranche(terms) * trancheCount(terms));
    });

    it("rejects later claims (expected Enrolled, actual Exited)", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Exited);
    });

    it("refuses an objection against an exited household", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON);
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Exited);
    });
  });
});

describe("re-entry after an exit", function () {
  it("commits only the tranches that have not unlocked yet", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    const t = unlockAt(terms, 0) + 100n;
    await networkHelpers.time.setNextBlockTimestamp(t);
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
      .to.emit(p.escrow, "BeneficiaryEnrolled")
      .withArgs(
        projectId,
        hh.commitment,
        p.officials[0].address,
        2n * perTranche(terms),
        t + BigInt(terms.publicityWindow),
        hh.attesters,
      );
    const e = await p.escrow.enrolment(projectId, hh.commitment);
    expect(e.status).to.equal(Enrolment.Enrolled);
    expect(e.settledMask).to.equal(1n);
    expect(e.enrolledAt).to.equal(t);
    // claimed tranche 0 (1) + newly committed tranches 1 and 2 (2)
    expect((await p.escrow.projectLedger(projectId)).committed).to.equal(3n * perTranche(terms));
  });

  it("treats a tranche unlocking exactly at re-entry as past, and one unlocking a second later as owed", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
    await p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters);
    await p.escrow.connect(p.officials[0]).recordExit(projectId, hh2.commitment, REASON);

    await networkHelpers.time.setNextBlockTimestamp(unlockAt(terms, 1) - 1n);
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters))
      .to.emit(p.escrow, "BeneficiaryEnrolled")
      .withArgs(
        projectId,
        hh2.commitment,
        p.officials[0].address,
        2n * perTranche(terms),
        unlockAt(terms, 1) - 1n + BigInt(terms.publicityWindow),
        hh2.attesters,
      );
    expect((await p.escrow.enrolment(projectId, hh2.commitment)).settledMask).to.equal(1n);

    await networkHelpers.time.setNextBlockTimestamp(unlockAt(terms, 1));
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
      .to.emit(p.escrow, "BeneficiaryEnrolled")
      .withArgs(
        projectId,
        hh.commitment,
        p.officials[0].address,
        perTranche(terms),
        unlockAt(terms, 1) + BigInt(terms.publicityWindow),
        hh.attesters,
      );
    expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(3n);
  });

  it("pays the owed tranche after the new window and refuses the ones before re-entry", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    const { windowEndsAt } = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters, unlockAt(terms, 1) - 1n);
    // Tranche 1 has unlocked but the new publicity window is still open.
    await networkHelpers.time.setNextBlockTimestamp(windowEndsAt - 1n);
    await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowPublicityWindowOpen")
      .withArgs(projectId, hh.commitment, windowEndsAt);
    await networkHelpers.time.setNextBlockTimestamp(windowEndsAt);
    await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
      .to.emit(p.escrow, "AidClaimed")
      .withArgs(projectId, hh.commitment, p.households[0].address, 1, perTranche(terms));
    await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
      .withArgs(projectId, hh.commitment, 0);
    expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(3n);
  });

  it("refuses a re-entry when every tranche has unlocked (AidEscrowNoTranchesLeft)", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    await networkHelpers.time.setNextBlockTimestamp(unlockAt(terms, 2));
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowNoTranchesLeft")
      .withArgs(projectId, hh.commitment);
  });

  it("keeps the history: enrolments count both, exited counts the exit", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
    let ledger = await p.escrow.projectLedger(projectId);
    expect(ledger.enrolments).to.equal(2n);
    expect(ledger.enrolled).to.equal(1n);
    expect(ledger.exited).to.equal(1n);
    expect(ledger.claimed).to.equal(perTranche(terms));

    await p.escrow.connect(p.officials[0]).recordExit(projectId, hh.commitment, REASON);
    ledger = await p.escrow.projectLedger(projectId);
    expect(ledger.enrolments).to.equal(2n);
    expect(ledger.enrolled).to.equal(0n);
    expect(ledger.exited).to.equal(2n);
    expect(ledger.committed).to.equal(perTranche(terms));
  });

  it("requires a valid proof again (a revoked household cannot re-enter)", async function () {
    const { p, projectId, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    const o0 = p.officials[0].address;
    await p.registry.connect(p.officials[0]).revoke(hh.commitment, INCOME, o0, REASON);
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
      .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestationRevoked")
      .withArgs(hh.commitment, INCOME, o0);
  });
});
