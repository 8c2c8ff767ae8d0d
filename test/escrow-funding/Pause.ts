import { expect } from "chai";
import { recordExit, exitApproval } from "../escrow-claims/helpers.ts";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  DAY,
  fundStable,
  signPermit,
  Status,
  type Protocol,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");
/** IAidPausable.MAX_PAUSE: a pause ends by itself after this long. */
const MAX_PAUSE = 14n * DAY;

/** Pauses at an exact time; returns it. */
async function pauseAt(p: Protocol, at?: bigint) {
  const t = at ?? (await now()) + 1n;
  await networkHelpers.time.setNextBlockTimestamp(t);
  await p.escrow.connect(p.guardian).pause();
  return t;
}

/** An ETH project funded with 3 ETH, one household enrolled (its publicity window still open). */
async function enrolledProject(p: Protocol) {
  const { projectId, terms } = await createProject(p);
  await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 3n * ONE });
  const hh = await identifyHousehold(p, p.households[0], "ID-pause");
  await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
  return { projectId, terms, hh };
}

describe("AidEscrow pause", function () {
  describe("pause and unpause", function () {
    it("lets the guardian pause (Paused(guardian, lapsesAt)) and unpause (Unpaused(guardian, pausedFor))", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const t = (await now()) + 1n;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await expect(p.escrow.connect(p.guardian).pause()).to.emit(p.escrow, "Paused").withArgs(p.guardian.address, t + MAX_PAUSE);
      expect(await p.escrow.paused()).to.equal(true);
      await networkHelpers.time.setNextBlockTimestamp(t + 3600n);
      await expect(p.escrow.connect(p.guardian).unpause()).to.emit(p.escrow, "Unpaused").withArgs(p.guardian.address, 3600n);
      expect(await p.escrow.paused()).to.equal(false);
      const clock = await p.escrow.pauseClock();
      expect([clock.pausedAt, clock.pausedTotal, clock.lastEndedAt, clock.lastLength]).to.deep.equal([0n, 3600n, t + 3600n, 3600n]);
    });

    for (const who of ["admin", "manager", "reviewer", "outsider"] as const) {
      it(`rejects the ${who} with AidEscrowUnauthorized(caller, GUARDIAN_ROLE)`, async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const role = await p.registry.GUARDIAN_ROLE();
        await expect(p.escrow.connect(p[who]).pause())
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p[who].address, role);
        await p.escrow.connect(p.guardian).pause();
        await expect(p.escrow.connect(p[who]).unpause())
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p[who].address, role);
        expect(await p.escrow.paused()).to.equal(true);
      });
    }

    it("rejects the officials too", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.officials[0]).pause())
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
        .withArgs(p.officials[0].address, await p.registry.GUARDIAN_ROLE());
    });

    it("refuses to pause twice (AidPauseActive) or unpause when running (AidPauseNotActive)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.guardian).unpause()).to.be.revertedWithCustomError(p.escrow, "AidPauseNotActive").withArgs(0n);
      const t = await pauseAt(p);
      await expect(p.escrow.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
    });

    it("stops a guardian whose role was revoked", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const role = await p.registry.GUARDIAN_ROLE();
      await p.registry.revokeRole(role, p.guardian.address);
      await expect(p.escrow.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
        .withArgs(p.guardian.address, role);
    });
  });

  describe("a pause is bounded (issue 11 #7)", function () {
    it("ends by itself after MAX_PAUSE: paused at lapsesAt - 1, running at lapsesAt", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const t = await pauseAt(p);
      await networkHelpers.time.increaseTo(t + MAX_PAUSE - 1n);
      expect(await p.escrow.paused()).to.equal(true);
      await networkHelpers.time.increaseTo(t + MAX_PAUSE);
      expect(await p.escrow.paused()).to.equal(false);
      const clock = await p.escrow.pauseClock();
      expect([clock.pausedAt, clock.pausedTotal, clock.lastEndedAt, clock.lastLength]).to.deep.equal([0n, MAX_PAUSE, t + MAX_PAUSE, MAX_PAUSE]);
      await expect(p.escrow.connect(p.guardian).unpause())
        .to.be.revertedWithCustomError(p.escrow, "AidPauseNotActive")
        .withArgs(t + MAX_PAUSE);
    });

    it("cannot be chained: the next pause waits as long as the last one lasted (AidPauseCoolingDown)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const t = await pauseAt(p);
      await networkHelpers.time.setNextBlockTimestamp(t + 2n * DAY);
      await p.escrow.connect(p.guardian).unpause();
      await networkHelpers.time.setNextBlockTimestamp(t + 4n * DAY - 1n);
      await expect(p.escrow.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(p.escrow, "AidPauseCoolingDown")
        .withArgs(t + 2n * DAY, t + 4n * DAY);
      await networkHelpers.time.setNextBlockTimestamp(t + 4n * DAY);
      await expect(p.escrow.connect(p.guardian).pause()).to.emit(p.escrow, "Paused");
    });

    it("after a pause that lapsed, waits MAX_PAUSE more", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const t = await pauseAt(p);
      await networkHelpers.time.setNextBlockTimestamp(t + MAX_PAUSE);
      await expect(p.escrow.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(p.escrow, "AidPauseCoolingDown")
        .withArgs(t + MAX_PAUSE, t + 2n * MAX_PAUSE);
    });
  });

  describe("issue 11 #7: a pause lets households' clocks run out", function () {
    it("moves the claim deadline later by the time paused, so a tranche is still paid after the agreed deadline", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms, hh } = await enrolledProject(p);
      // The household waits for the last days of the claim period; the guardian pauses for ten of them.
      const t = await pauseAt(p, terms.claimDeadline - 5n * DAY);
      await networkHelpers.time.setNextBlockTimestamp(t + 10n * DAY);
      await p.escrow.connect(p.guardian).unpause();
      expect(await p.escrow.claimDeadline(projectId)).to.equal(terms.claimDeadline + 10n * DAY);
      expect((await p.escrow.projectTerms(projectId)).claimDeadline).to.equal(terms.claimDeadline);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
      // Five days past the agreed deadline, the household still has the five days the pause took.
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 10n * DAY - 1n);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 2, [])).to.changeEtherBalance(
        ethers,
        p.households[0],
        terms.amountPerTranche,
      );
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 10n * DAY);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowClaimsClosed")
        .withArgs(projectId, terms.claimDeadline + 10n * DAY);
      await networkHelpers.mine();
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Closed);
    });

    it("never lets a project close during a pause (its deadline moves with the clock)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await enrolledProject(p);
      const t = await pauseAt(p, terms.claimDeadline - DAY);
      await networkHelpers.time.increaseTo(t + 5n * DAY);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
      expect(await p.escrow.claimDeadline(projectId)).to.equal(terms.claimDeadline + 5n * DAY);
      // The pause lapses after MAX_PAUSE: the deadline then stays MAX_PAUSE later and runs again.
      await networkHelpers.time.increaseTo(t + MAX_PAUSE + DAY - 1n);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
      await networkHelpers.time.increaseTo(t + MAX_PAUSE + DAY);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Closed);
      expect(await p.escrow.claimDeadline(projectId)).to.equal(terms.claimDeadline + MAX_PAUSE);
    });

    it("does not move a project's deadline by pauses before its terms were set", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const t = await pauseAt(p);
      await networkHelpers.time.setNextBlockTimestamp(t + DAY);
      await p.escrow.connect(p.guardian).unpause();
      const { projectId, terms } = await createProject(p);
      expect(await p.escrow.claimDeadline(projectId)).to.equal(terms.claimDeadline);
    });

    it("keeps refunds closed until the moved deadline, and opens them at it", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await enrolledProject(p);
      const t = await pauseAt(p, terms.claimDeadline - DAY);
      await networkHelpers.time.setNextBlockTimestamp(t + 2n * DAY);
      await p.escrow.connect(p.guardian).unpause();
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 2n * DAY - 1n);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
        .withArgs(projectId, Status.Closed, Status.Active);
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 2n * DAY);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId)).to.emit(p.escrow, "Refunded");
    });
  });

  describe("while paused", function () {
    it("rejects ETH donations with AidPauseActive(pausedAt, lapsesAt)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p);
      const t = await pauseAt(p);
      await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
    });

    it("rejects token and permit donations with AidPauseActive", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p, { token: await p.stablecoin.getAddress(), amountPerTranche: 1n });
      await fundStable(p, p.donors[0], 100n);
      const deadline = (await now()) + DAY;
      const sig = await signPermit(p.stablecoin, p.donors[0], await p.escrow.getAddress(), 100n, deadline);
      const t = await pauseAt(p);
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 100n, 1))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
      await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, 100n, 1, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
    });

    it("rejects enrolments with AidPauseActive", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p);
      await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 3n * ONE });
      const hh = await identifyHousehold(p, p.households[0], "ID-paused-enrol");
      const t = await pauseAt(p);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
    });

    it("rejects claims, signed claims and relayer batches with AidPauseActive", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms, hh } = await enrolledProject(p);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      const t = await pauseAt(p);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
      const request = {
        projectId,
        commitment: hh.commitment,
        trancheIndex: 0,
        recipient: p.households[0].address,
        amount: terms.amountPerTranche,
        nonce: 0n,
        deadline: (await now()) + DAY,
      };
      await expect(p.escrow.connect(p.outsider).claimBySig(request, "0x", []))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
      await expect(p.escrow.connect(p.outsider).claimBatch([{ request, signature: "0x", attesters: [] }]))
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
    });

    it("rejects exits with AidPauseActive (issue 11 #2: exits respect the pause)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms, hh } = await enrolledProject(p);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      const approval = await exitApproval(p, projectId, hh.commitment, ethers.id("left poverty"));
      const t = await pauseAt(p);
      await expect(
        p.escrow
          .connect(p.outsider)
          .recordExit(projectId, hh.commitment, ethers.id("left poverty"), approval.deadline, approval.officials, approval.signatures),
      )
        .to.be.revertedWithCustomError(p.escrow, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
      await networkHelpers.time.increase(DAY);
      await p.escrow.connect(p.guardian).unpause();
      await expect(recordExit(p, projectId, hh.commitment, ethers.id("left poverty"))).to.emit(p.escrow, "BeneficiaryExited");
    });

    it("still accepts objections during the publicity window", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, hh } = await enrolledProject(p);
      await p.escrow.connect(p.guardian).pause();
      const reason = ethers.id("not poor");
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, reason))
        .to.emit(p.escrow, "ObjectionRaised")
        .withArgs(projectId, hh.commitment, p.outsider.address, reason);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(2n);
    });

    it("still lets manager and reviewer cancel, and donors take refunds", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await enrolledProject(p);
      await p.escrow.connect(p.guardian).pause();
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
        .to.emit(p.escrow, "ProjectCancelled")
        .withArgs(projectId, 3n * ONE);
      expect(await p.escrow.claimDeadline(projectId)).to.equal((await p.escrow.projectTerms(projectId)).claimDeadline);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId)).to.changeEtherBalances(
        ethers,
        [p.donors[0], p.escrow],
        [3n * ONE, -3n * ONE],
      );
    });
  });

  describe("after unpause", function () {
    it("takes donations and pays claims again", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms, hh } = await enrolledProject(p);
      await p.escrow.connect(p.guardian).pause();
      await p.escrow.connect(p.guardian).unpause();
      await expect(p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: ONE }))
        .to.emit(p.escrow, "Donated")
        .withArgs(projectId, p.donors[1].address, ONE, 4n * ONE);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.changeEtherBalance(
        ethers,
        p.households[0],
        terms.amountPerTranche,
      );
    });
  });
});
