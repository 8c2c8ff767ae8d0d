import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  DAY,
  Status,
  type Protocol,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");
/** AidCancellation.APPROVAL_LIFETIME: a half-approval waits this long for the other half. */
const LIFETIME = 7n * DAY;

async function fundedProject(p: Protocol) {
  const created = await createProject(p);
  await p.escrow.connect(p.donors[0]).donate(created.projectId, 1, { value: 2n * ONE });
  await p.escrow.connect(p.donors[1]).donate(created.projectId, 1, { value: ONE });
  return created;
}

describe("AidEscrow cancellation", function () {
  describe("approveCancellation", function () {
    describe("when the project's manager approves first and a reviewer second", function () {
      it("emits CancellationApproved for each and ProjectCancelled with the refund pool", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        const at = (await now()) + 1n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        const first = p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(first)
          .to.emit(p.escrow, "CancellationApproved")
          .withArgs(projectId, p.manager.address, false, at + LIFETIME);
        await expect(first).not.to.emit(p.escrow, "ProjectCancelled");
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
        const half = await p.escrow.cancellationApproval(projectId);
        expect([half.approver, half.approvedAt, half.asReviewer]).to.deep.equal([p.manager.address, at, false]);

        const second = p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(second).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.reviewer.address, true, 0n);
        await expect(second).to.emit(p.escrow, "ProjectCancelled").withArgs(projectId, 3n * ONE);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
      });
    });

    describe("when a reviewer approves first and the manager second", function () {
      it("cancels on the manager's approval", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        const first = p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(first).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.reviewer.address, true, anyValue);
        await expect(first).not.to.emit(p.escrow, "ProjectCancelled");
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);

        const second = p.escrow.connect(p.manager).approveCancellation(projectId);
        await expect(second).to.emit(p.escrow, "CancellationApproved").withArgs(projectId, p.manager.address, false, 0n);
        await expect(second).to.emit(p.escrow, "ProjectCancelled").withArgs(projectId, 3n * ONE);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Cancelled);
      });
    });

    describe("when one half approves twice", function () {
      it("rejects the manager's second approval (AidCancellationAlreadyApproved(approver, expiresAt))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.escrow.connect(p.manager).approveCancellation(projectId);
        const { approvedAt } = await p.escrow.cancellationApproval(projectId);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidCancellationAlreadyApproved")
          .withArgs(p.manager.address, approvedAt + LIFETIME);
      });

      it("rejects the reviewer's second approval", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        const { approvedAt } = await p.escrow.cancellationApproval(projectId);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidCancellationAlreadyApproved")
          .withArgs(p.reviewer.address, approvedAt + LIFETIME);
      });

      it("does not let a second reviewer stand in for the manager", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.outsider.address);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.outsider).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidCancellationHalfTaken")
          .withArgs(p.reviewer.address, true);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
      });

      it("does not let a manager who is also a reviewer supply both halves", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await fundedProject(p);
        await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.manager.address);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.emit(p.escrow, "CancellationApproved")
          .withArgs(projectId, p.manager.address, false, anyValue);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidCancellationAlreadyApproved")
          .withArgs(p.manager.address, anyValue);
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

  describe("issue 11 #3: a manager who also holds the reviewer role cancels alone", function () {
    it("refuses the second half from the same account after it renounced the manager role", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.manager.address);
      await p.escrow.connect(p.manager).approveCancellation(projectId); // as manager
      await p.registry.connect(p.manager).renounceRole(await p.registry.MANAGER_ROLE(), p.manager.address);
      // Now only a reviewer: its manager half lapsed with the role, so this is a new first half, not a pair.
      await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
        .to.emit(p.escrow, "CancellationApproved")
        .withArgs(projectId, p.manager.address, true, anyValue)
        .and.not.to.emit(p.escrow, "ProjectCancelled");
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
      // And it cannot pair with itself either way.
      await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
        .to.be.revertedWithCustomError(p.escrow, "AidCancellationAlreadyApproved")
        .withArgs(p.manager.address, anyValue);
    });

    it("needs two different accounts: the manager's half and another account's reviewer half", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId)).to.emit(p.escrow, "ProjectCancelled");
    });

    it("drops a first half whose reviewer lost the role before the second came", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.reviewer).approveCancellation(projectId);
      await p.registry.revokeRole(await p.registry.REVIEWER_ROLE(), p.reviewer.address);
      await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
        .to.emit(p.escrow, "CancellationApproved")
        .withArgs(projectId, p.manager.address, false, anyValue)
        .and.not.to.emit(p.escrow, "ProjectCancelled");
    });
  });

  describe("half-approvals expire and can be withdrawn (issue 11 #3)", function () {
    it("a manager's approval from more than 7 days ago no longer lets one reviewer cancel", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      const { approvedAt } = await p.escrow.cancellationApproval(projectId);
      await networkHelpers.time.setNextBlockTimestamp(approvedAt + LIFETIME);
      await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId))
        .to.emit(p.escrow, "CancellationApproved")
        .withArgs(projectId, p.reviewer.address, true, approvedAt + 2n * LIFETIME)
        .and.not.to.emit(p.escrow, "ProjectCancelled");
      expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
    });

    it("still pairs one second before it expires", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      const { approvedAt } = await p.escrow.cancellationApproval(projectId);
      await networkHelpers.time.setNextBlockTimestamp(approvedAt + LIFETIME - 1n);
      await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId)).to.emit(p.escrow, "ProjectCancelled");
    });

    it("shows no half once it expired", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      await networkHelpers.time.increase(LIFETIME);
      const half = await p.escrow.cancellationApproval(projectId);
      expect(half.approver).to.equal(ethers.ZeroAddress);
    });

    it("lets the approver withdraw it (CancellationWithdrawn), after which one more half does not cancel", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      await expect(p.escrow.connect(p.manager).withdrawCancellation(projectId))
        .to.emit(p.escrow, "CancellationWithdrawn")
        .withArgs(projectId, p.manager.address);
      expect((await p.escrow.cancellationApproval(projectId)).approver).to.equal(ethers.ZeroAddress);
      await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId)).not.to.emit(p.escrow, "ProjectCancelled");
    });

    it("refuses a withdrawal by anyone but the approver, or of an expired half (AidCancellationNotApproved)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      await expect(p.escrow.connect(p.manager).withdrawCancellation(projectId))
        .to.be.revertedWithCustomError(p.escrow, "AidCancellationNotApproved")
        .withArgs(p.manager.address);
      await p.escrow.connect(p.manager).approveCancellation(projectId);
      await expect(p.escrow.connect(p.reviewer).withdrawCancellation(projectId))
        .to.be.revertedWithCustomError(p.escrow, "AidCancellationNotApproved")
        .withArgs(p.reviewer.address);
      await networkHelpers.time.increase(LIFETIME);
      await expect(p.escrow.connect(p.manager).withdrawCancellation(projectId))
        .to.be.revertedWithCustomError(p.escrow, "AidCancellationNotApproved")
        .withArgs(p.manager.address);
      await expect(p.escrow.connect(p.manager).withdrawCancellation(9n))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(9n);
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
