import { expect } from "chai";
import { ethers, networkHelpers, identifyHousehold, INCOME, sortByAddress } from "../helpers/fixtures.ts";
import {
  Enrolment,
  ProjectStatus,
  HH2_ID,
  enrolledFixture,
  enrolAt,
  cancel,
  perTranche,
  trancheCount,
  unlockAt,
  exitApproval,
  recordExit,
  EXIT_TYPES,
} from "./helpers.ts";

const REASON = ethers.id("ipfs://exit-record");

/** enrolledFixture, then time moved to the end of the publicity window (before any tranche unlocks). */
async function exitableFixture() {
  const f = await enrolledFixture();
  await networkHelpers.time.increaseTo(f.windowEndsAt);
  return f;
}

/** enrolledFixture, tranche 0 claimed at its unlock time, then the household exits (k = 2 signatures). */
async function exitedAfterFirstTrancheFixture() {
  const f = await enrolledFixture();
  await networkHelpers.time.increaseTo(unlockAt(f.terms, 0));
  await f.p.escrow.connect(f.p.households[0]).claim(f.projectId, f.hh.commitment, 0, []);
  await recordExit(f.p, f.projectId, f.hh.commitment, REASON);
  return f;
}

describe("recordExit", function () {
  it("publishes ExitApproval's typehash, which the signers' shape hashes to", async function () {
    const { p } = await networkHelpers.loadFixture(enrolledFixture);
    expect(await p.escrow.EXIT_TYPEHASH()).to.equal(
      ethers.id("ExitApproval(uint256 projectId,bytes32 commitment,bytes32 reasonHash,uint40 enrolledAt,uint256 deadline)"),
    );
    expect(ethers.id(ethers.TypedDataEncoder.from(EXIT_TYPES).encodeType("ExitApproval"))).to.equal(await p.escrow.EXIT_TYPEHASH());
  });

  describe("issue 11 #2: one official can end any household's aid", function () {
    it("refuses one official alone (AidSignaturesWrongCount(k, signers, signatures))", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON, [p.officials[2]]);
      await expect(p.escrow.connect(p.officials[2]).recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesWrongCount")
        .withArgs(2, 1, 1);
    });

    it("refuses one official signing twice (AidSignaturesNotAscending)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      const o = p.officials[0];
      const a = await exitApproval(p, projectId, hh.commitment, REASON, [o, o]);
      await expect(p.escrow.connect(o).recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesNotAscending")
        .withArgs(1, o.address);
    });

    it("refuses signers out of order", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON, [p.officials[1], p.officials[0]]);
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesNotAscending")
        .withArgs(1, p.officials[0].address);
    });

    it("refuses a signer who is not a current official, removed officials included (AidSignaturesNotOfficial)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      const withOutsider = sortByAddress([p.officials[0], p.outsider]);
      let a = await exitApproval(p, projectId, hh.commitment, REASON, withOutsider);
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesNotOfficial")
        .withArgs(p.outsider.address);
      await p.registry.removeOfficial(p.officials[1].address);
      a = await exitApproval(p, projectId, hh.commitment, REASON, p.officials.slice(0, 2));
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesNotOfficial")
        .withArgs(p.officials[1].address);
    });

    it("refuses a signature over another reason or another enrolment (AidSignaturesInvalid)", async function () {
      const { p, projectId, hh, enrolledAt } = await networkHelpers.loadFixture(exitableFixture);
      let a = await exitApproval(p, projectId, hh.commitment, ethers.id("another reason"));
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
        .withArgs(p.officials[0].address);
      a = await exitApproval(p, projectId, hh.commitment, REASON, undefined, { enrolledAt: enrolledAt - 1n });
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
        .withArgs(p.officials[0].address);
    });

    it("refuses signatures whose deadline passed (AidSignaturesExpired), and accepts them one second before", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON);
      await networkHelpers.time.setNextBlockTimestamp(a.deadline);
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesExpired")
        .withArgs(a.deadline);
      const b = await exitApproval(p, projectId, hh.commitment, REASON, undefined, { deadline: a.deadline + 1n });
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, b.deadline, b.officials, b.signatures)).to.emit(
        p.escrow,
        "BeneficiaryExited",
      );
    });

    it("cannot replay an exit of an earlier enrolment after the household re-entered", async function () {
      const { p, projectId, terms, hh, windowEndsAt } = await networkHelpers.loadFixture(exitableFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON, undefined, { deadline: windowEndsAt + 60n * 86_400n });
      await p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures);
      const reentry = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(reentry.windowEndsAt);
      // The signatures named the first enrolment's time: they do not fit the new one.
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
        .withArgs(p.officials[0].address);
    });

    it("keeps a tranche that unlocked before the exit: it is paid after it", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      // Tranches 0 and 1 unlocked while the household was eligible and are unclaimed; only tranche 2 is released.
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials.slice(0, 2).map((o) => o.address), REASON, perTranche(terms));
      expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(4n);
      expect((await p.escrow.projectLedger(projectId)).committed).to.equal(2n * perTranche(terms));
      for (const t of [0, 1]) {
        await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, t, []))
          .to.emit(p.escrow, "AidClaimed")
          .withArgs(projectId, hh.commitment, p.households[0].address, t, perTranche(terms));
      }
      await networkHelpers.time.increaseTo(unlockAt(terms, 2));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 2, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(projectId, hh.commitment, 2);
    });
  });

  describe("access and state", function () {
    it("lets anyone submit: the signatures are the authority", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      await expect(recordExit(p, projectId, hh.commitment, REASON, undefined, p.households[1])).to.emit(
        p.escrow,
        "BeneficiaryExited",
      );
    });

    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(exitableFixture);
      await expect(recordExit(p, 7n, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(7n);
    });

    it("refuses a household that is not enrolled (actual None)", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(exitableFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(recordExit(p, projectId, hh2.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh2.commitment, Enrolment.Enrolled, Enrolment.None);
    });

    it("refuses a second exit (actual Exited)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Exited);
    });

    it("refuses once the project is cancelled", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      await cancel(p, projectId);
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Cancelled);
    });

    it("refuses from exactly the claim deadline", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitableFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON, undefined, { deadline: BigInt(terms.claimDeadline) + 1n });
      await networkHelpers.time.setNextBlockTimestamp(BigInt(terms.claimDeadline));
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
        .withArgs(projectId, ProjectStatus.Closed);
    });

    it("refuses during the publicity window (AidEscrowPublicityWindowOpen), accepts from its end", async function () {
      const { p, projectId, hh, windowEndsAt } = await networkHelpers.loadFixture(enrolledFixture);
      const a = await exitApproval(p, projectId, hh.commitment, REASON, undefined, { deadline: windowEndsAt + 86_400n });
      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt - 1n);
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowPublicityWindowOpen")
        .withArgs(projectId, hh.commitment, windowEndsAt);
      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt);
      await expect(p.escrow.recordExit(projectId, hh.commitment, REASON, a.deadline, a.officials, a.signatures)).to.emit(
        p.escrow,
        "BeneficiaryExited",
      );
    });
  });

  describe("when recorded", function () {
    it("releases every tranche of a household before any unlocked", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitableFixture);
      const full = perTranche(terms) * trancheCount(terms);
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "BeneficiaryExited")
        .withArgs(projectId, hh.commitment, p.officials.slice(0, 2).map((o) => o.address), REASON, full);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.committed).to.equal(0n);
      expect(ledger.enrolled).to.equal(0n);
      expect(ledger.exited).to.equal(1n);
      expect(ledger.enrolments).to.equal(1n);
      const e = await p.escrow.enrolment(projectId, hh.commitment);
      expect(e.status).to.equal(Enrolment.Exited);
      expect(e.settledMask).to.equal((1n << trancheCount(terms)) - 1n);
    });

    it("releases only the tranches not yet unlocked of a household that claimed one", async function () {
      const { p, projectId, terms } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
      const ledger = await p.escrow.projectLedger(projectId);
      // What was paid stays committed; the rest goes back to the uncommitted pool.
      expect(ledger.committed).to.equal(perTranche(terms));
      expect(ledger.claimed).to.equal(perTranche(terms));
      expect(ledger.exited).to.equal(1n);
    });

    it("does not make a revoked household eligible: a kept tranche still needs a valid proof", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await recordExit(p, projectId, hh.commitment, REASON);
      await p.registry.connect(p.officials[0]).revoke(hh.commitment, INCOME, p.officials[0].address, REASON);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
    });

    it("refuses tranches that unlock after the exit (AidEscrowTrancheSettled)", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(projectId, hh.commitment, 1);
    });

    it("refuses an objection against an exited household", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(exitableFixture);
      await recordExit(p, projectId, hh.commitment, REASON);
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

  it("keeps a tranche the exit left owed, without committing it twice", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
    await networkHelpers.time.increaseTo(unlockAt(terms, 0));
    await recordExit(p, projectId, hh.commitment, REASON); // tranche 0 unlocked, unclaimed: kept
    expect((await p.escrow.projectLedger(projectId)).committed).to.equal(perTranche(terms));
    await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
    const e = await p.escrow.enrolment(projectId, hh.commitment);
    expect(e.settledMask).to.equal(0n);
    expect((await p.escrow.projectLedger(projectId)).committed).to.equal(3n * perTranche(terms));
  });

  it("treats a tranche unlocking exactly at re-entry as past, and one unlocking a second later as owed", async function () {
    const { p, projectId, terms, hh } = await networkHelpers.loadFixture(exitedAfterFirstTrancheFixture);
    const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
    const { windowEndsAt } = await enrolAt(p, projectId, terms, hh2.commitment, hh2.attesters);
    await networkHelpers.time.increaseTo(windowEndsAt);
    await p.escrow.connect(p.households[1]).claim(projectId, hh2.commitment, 0, []);
    await recordExit(p, projectId, hh2.commitment, REASON);

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
    const { windowEndsAt } = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
    let ledger = await p.escrow.projectLedger(projectId);
    expect(ledger.enrolments).to.equal(2n);
    expect(ledger.enrolled).to.equal(1n);
    expect(ledger.exited).to.equal(1n);
    expect(ledger.claimed).to.equal(perTranche(terms));

    await networkHelpers.time.increaseTo(windowEndsAt);
    await recordExit(p, projectId, hh.commitment, REASON);
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
