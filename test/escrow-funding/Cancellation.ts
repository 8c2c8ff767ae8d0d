import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  Status,
  type Protocol,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");

async function fundedProject(p: Protocol) {
  const created = await createProject(p);
  await p.escrow.connect(p.donors[0]).donate(created.projectId, { value: 2n * ONE });
  await p.escrow.connect(p.donors[1]).donate(created.projectId, { value: ONE });
  return created;
}

describe("AidEscrow cancellation", function () {
  describe("approveCancellation", function () {
    describe("when the project's manager approves first and a reviewer second", function () {
      it("emits CancellationApproved for each and ProjectCancelled with the refund pool", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        const first = p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(first).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.manager.address, false);
        await expect(first).not.to.emit(p.escrow, "ProjectCancelled");
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);

        const second = p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(second).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.reviewer.address, true);
        await expect(second).to.emit(p.escrow, "ProjectCancelled").withArgs(projectId, 3n * ONE);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
      });
    });

    describe("when a reviewer approves first and the manager second", function () {
      it("cancels on the manager's approval", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        const first = p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(first).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.reviewer.address, true);
        await expect(first).not.to.emit(p.escrow, "ProjectCancelled");
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);

        const second = p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(second).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.manager.address, false);
        await expect(second).to.emit(p.escrow, "ProjectCancelled").withArgs(projectId, 3n * ONE);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
      });
    });

    describe("when one half approves twice", function () {
      it("rejects the manager's second approval (AidEscrowCancellationAlreadyApproved)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowCancellationAlreadyApproved")
          .withArgs(projectId, p.manager.address);
      });

      it("rejects the reviewer's second approval", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowCancellationAlreadyApproved")
          .withArgs(projectId, p.reviewer.address);
      });

      it("does not let a second reviewer stand in for the manager", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.outsider.address);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.outsider).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowCancellationAlreadyApproved")
          .withArgs(projectId, p.outsider.address);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
      });

      it("does not let a manager who is also a reviewer supply both halves", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.manager.address);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.emit(p.escrow, "CancellationApproved")
          .withArgs(projectId, p.manager.address, false);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowCancellationAlreadyApproved")
          .withArgs(projectId, p.manager.address);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
      });
    });

    describe("when the caller may not approve", function () {
      it("rejects an outsider with AidEscrowUnauthorized(caller, REVIEWER_ROLE)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await expect(p.escrow.connect(p.outsider).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p.outsider.address, await p.registry.REVIEWER_ROLE());
      });

      it("rejects a programme manager who does not manage this project", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        const other = p.outsider;
        await p.registry.grantRole(await p.registry.MANAGER_ROLE(), other.address);
        await expect(p.escrow.connect(other).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(other.address, await p.registry.REVIEWER_ROLE());
        // And the reviewer's approval alone is not enough.
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
      });

      it("rejects the project's manager once their manager role was revoked", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.registry.revokeRole(await p.registry.MANAGER_ROLE(), p.manager.address);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p.manager.address, await p.registry.REVIEWER_ROLE());
      });

      it("rejects the guardian and the admin", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        for (const s of [p.guardian, p.admin]) {
          await expect(p.escrow.connect(s).approveCancellation(projectId))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
            .withArgs(s.address, await p.registry.REVIEWER_ROLE());
        }
      });

      it("rejects an unknown project", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(5n))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
          .withArgs(5n);
      });
    });

    describe("when the project is no longer live", function () {
      it("refuses once the claim deadline passed (AidEscrowProjectNotLive(projectId, Closed))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await fundedProject(p);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
          .withArgs(projectId, Status.Closed);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Closed);
      });

      it("refuses any further approval once cancelled (actual Cancelled)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.escrow.connect(p.manager).approveCancellation(projectId);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowProjectNotLive")
          .withArgs(projectId, Status.Cancelled);
      });

      it("allows cancellation while Active (after the funding deadline, before the claim deadline)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await fundedProject(p);
        await networkHelpers.time.increaseTo(terms.fundingDeadline);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
        await p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
          .to.emit(p.escrow, "ProjectCancelled")
          .withArgs(projectId, 3n * ONE);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
      });
    });
  });

  describe("after cancellation", function () {
    async function cancelledAfterOneClaim() {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p);
      const hh = await identifyHousehold(p, p.households[0], "ID-cancel");
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      const tx = await p.escrow.connect(p.reviewer).approveCancellation(projectId);
      const cancelledAt = BigInt((await tx.getBlock())!.timestamp);
      return { p, projectId, terms, hh, tx, cancelledAt };
    }

    it("puts raised minus claimed in the refund pool", async function () {
      const { p, projectId, tx } = await cancelledAfterOneClaim();
      await expect(tx).to.emit(p.escrow, "ProjectCancelled").withArgs(projectId, 2n * ONE);
      const l = await p.escrow.projectLedger(projectId);
      expect(l.raised - l.claimed).to.equal(2n * ONE);
    });

    it("moves the claim deadline to the cancellation time and reports Cancelled", async function () {
      const { p, projectId, terms, cancelledAt } = await cancelledAfterOneClaim();
      expect(cancelledAt).to.be.lessThan(terms.claimDeadline);
      expect((await p.escrow.projectTerms(projectId)).claimDeadline).to.equal(cancelledAt);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
    });

    it("closes claims (AidEscrowClaimsClosed(projectId, cancellation time))", async function () {
      const { p, projectId, terms, hh, cancelledAt } = await cancelledAfterOneClaim();
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[1]);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowClaimsClosed")
        .withArgs(projectId, cancelledAt);
    });

    it("stays Cancelled after the original claim deadline", async function () {
      const { p, projectId, terms } = await cancelledAfterOneClaim();
      await networkHelpers.time.increaseTo(terms.claimDeadline + 1n);
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
    });

    it("opens refunds at once, before the original claim deadline", async function () {
      const { p, projectId, terms } = await cancelledAfterOneClaim();
      expect(await now()).to.be.lessThan(terms.claimDeadline);
      // donor 0 gave 2 of 3; the pool is 2.
      const expected = (2n * ONE * 2n * ONE) / (3n * ONE);
      expect(await p.escrow.refundableOf(projectId, p.donors[0].address)).to.equal(expected);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId))
        .to.emit(p.escrow, "Refunded")
        .withArgs(projectId, p.donors[0].address, expected);
    });
  });
});
