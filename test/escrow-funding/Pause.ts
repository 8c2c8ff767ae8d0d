import { expect } from "chai";
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
  type Protocol,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");

/** An ETH project funded with 3 ETH, one household enrolled (its publicity window still open). */
async function enrolledProject(p: Protocol) {
  const { projectId, terms } = await createProject(p);
  await p.escrow.connect(p.donors[0]).donate(projectId, { value: 3n * ONE });
  const hh = await identifyHousehold(p, p.households[0], "ID-pause");
  await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
  return { projectId, terms, hh };
}

describe("AidEscrow pause", function () {
  describe("pause and unpause", function () {
    it("lets the guardian pause (Paused event) and unpause (Unpaused event)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.guardian).pause()).to.emit(p.escrow, "Paused").withArgs(p.guardian.address);
      expect(await p.escrow.paused()).to.equal(true);
      await expect(p.escrow.connect(p.guardian).unpause()).to.emit(p.escrow, "Unpaused").withArgs(p.guardian.address);
      expect(await p.escrow.paused()).to.equal(false);
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

    it("refuses to pause twice (EnforcedPause) or unpause when running (ExpectedPause)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.guardian).unpause()).to.be.revertedWithCustomError(p.escrow, "ExpectedPause");
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.guardian).pause()).to.be.revertedWithCustomError(p.escrow, "EnforcedPause");
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

  describe("while paused", function () {
    it("rejects ETH donations with EnforcedPause", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p);
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.donors[0]).donate(projectId, { value: ONE })).to.be.revertedWithCustomError(
        p.escrow,
        "EnforcedPause",
      );
    });

    it("rejects token and permit donations with EnforcedPause", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p, { token: await p.stablecoin.getAddress(), amountPerTranche: 1n });
      await fundStable(p, p.donors[0], 100n);
      const deadline = (await now()) + DAY;
      const sig = await signPermit(p.stablecoin, p.donors[0], await p.escrow.getAddress(), 100n, deadline);
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 100n)).to.be.revertedWithCustomError(
        p.escrow,
        "EnforcedPause",
      );
      await expect(
        p.escrow.connect(p.donors[0]).donateWithPermit(projectId, 100n, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(p.escrow, "EnforcedPause");
    });

    it("rejects enrolments with EnforcedPause", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await createProject(p);
      await p.escrow.connect(p.donors[0]).donate(projectId, { value: 3n * ONE });
      const hh = await identifyHousehold(p, p.households[0], "ID-paused-enrol");
      await p.escrow.connect(p.guardian).pause();
      await expect(
        p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters),
      ).to.be.revertedWithCustomError(p.escrow, "EnforcedPause");
    });

    it("rejects claims and signed claims with EnforcedPause", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms, hh } = await enrolledProject(p);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      await p.escrow.connect(p.guardian).pause();
      await expect(
        p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []),
      ).to.be.revertedWithCustomError(p.escrow, "EnforcedPause");
      const request = {
        projectId,
        commitment: hh.commitment,
        trancheIndex: 0,
        recipient: p.households[0].address,
        amount: terms.amountPerTranche,
        nonce: 0n,
        deadline: (await now()) + DAY,
      };
      await expect(p.escrow.connect(p.outsider).claimBySig(request, "0x", [])).to.be.revertedWithCustomError(
        p.escrow,
        "EnforcedPause",
      );
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
      await expect(p.escrow.connect(p.donors[1]).donate(projectId, { value: ONE }))
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
