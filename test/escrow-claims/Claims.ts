import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  commitmentOf,
  DAY,
} from "../helpers/fixtures.ts";
import {
  Enrolment,
  ProjectStatus,
  HH1_ID,
  HH2_ID,
  fund,
  fundedProject,
  enrolAt,
  cancel,
  enrolledFixture,
  claimableFixture,
  perTranche,
  trancheCount,
  unlockAt,
} from "./helpers.ts";

describe("claim", function () {
  describe("who may claim", function () {
    it("refuses anyone but the bound account (AidEscrowNotBeneficiary(commitment, caller))", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      for (const caller of [p.outsider, p.officials[0], p.reviewer, p.donors[0]]) {
        await expect(p.escrow.connect(caller).claim(projectId, hh.commitment, 0, []))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
          .withArgs(hh.commitment, caller.address);
      }
    });

    it("refuses another household's bound account", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(p.escrow.connect(p.households[1]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
        .withArgs(hh.commitment, p.households[1].address);
    });

    it("refuses a commitment that has no bound account", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(claimableFixture);
      const unbound = commitmentOf("520101199404044567", "salt-x");
      await expect(p.escrow.connect(p.households[1]).claim(projectId, unbound, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
        .withArgs(unbound, p.households[1].address);
    });

    it("refuses a bound household that is not enrolled in the project (actual None)", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(claimableFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(p.escrow.connect(p.households[1]).claim(projectId, hh2.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh2.commitment, Enrolment.Enrolled, Enrolment.None);
    });

    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(claimableFixture);
      await expect(p.escrow.connect(p.households[0]).claim(123n, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(123n);
    });
  });

  describe("timing", function () {
    it("refuses while the publicity window is open, up to windowEndsAt - 1, and pays at windowEndsAt", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p, { publicityWindow: Number(15n * DAY) });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID);
      const { windowEndsAt } = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
      expect(windowEndsAt).to.be.greaterThan(unlockAt(terms, 0));

      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowPublicityWindowOpen")
        .withArgs(projectId, hh.commitment, windowEndsAt);

      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt - 1n);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowPublicityWindowOpen")
        .withArgs(projectId, hh.commitment, windowEndsAt);

      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));
    });

    it("refuses a tranche at unlockTime - 1 (AidEscrowTrancheLocked) and pays it at unlockTime", async function () {
      const { p, projectId, terms, hh, windowEndsAt } = await networkHelpers.loadFixture(enrolledFixture);
      const unlock = unlockAt(terms, 0);
      expect(windowEndsAt).to.be.lessThan(unlock);
      await networkHelpers.time.setNextBlockTimestamp(unlock - 1n);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheLocked")
        .withArgs(projectId, 0, unlock);
      await networkHelpers.time.setNextBlockTimestamp(unlock);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));
    });

    it("keeps later tranches locked until their own unlock time", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      for (const i of [1, 2]) {
        await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, i, []))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheLocked")
          .withArgs(projectId, i, unlockAt(terms, i));
      }
    });

    it("pays at claimDeadline - 1 and refuses from claimDeadline (AidEscrowClaimsClosed)", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      const deadline = BigInt(terms.claimDeadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 2, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 2, perTranche(terms));
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowClaimsClosed")
        .withArgs(projectId, deadline);
      await networkHelpers.mine(); // the refused claim mined nothing; mine the block at the deadline
      expect(await p.escrow.projectStatus(projectId)).to.equal(ProjectStatus.Closed);
    });

    it("refuses after cancellation with the cancellation time as the deadline", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      const cancelledAt = await cancel(p, projectId);
      expect(cancelledAt).to.be.lessThan(BigInt(terms.claimDeadline));
      expect(await p.escrow.projectStatus(projectId)).to.equal(ProjectStatus.Cancelled);
      expect((await p.escrow.projectTerms(projectId)).claimDeadline).to.equal(cancelledAt);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowClaimsClosed")
        .withArgs(projectId, cancelledAt);
    });
  });

  describe("tranches", function () {
    it("refuses an unknown tranche (AidEscrowUnknownTranche(projectId, index, count))", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      for (const i of [3, 11, 255]) {
        await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, i, []))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownTranche")
          .withArgs(projectId, i, trancheCount(terms));
      }
    });

    it("refuses the same tranche twice (AidEscrowTrancheSettled)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(projectId, hh.commitment, 0);
    });

    it("pays every tranche once, in any order, and marks each settled", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 2));
      for (const [i, mask] of [
        [2, 4n],
        [0, 5n],
        [1, 7n],
      ] as const) {
        await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, i, []);
        expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(mask);
      }
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.claimed).to.equal(3n * perTranche(terms));
      expect(ledger.committed).to.equal(3n * perTranche(terms));
    });
  });

  describe("payment", function () {
    it("emits AidClaimed and moves the ETH from the escrow to the household", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      const amount = perTranche(terms);
      const tx = p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(tx)
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, amount);
      await expect(tx).to.changeEtherBalances(ethers, [p.households[0], p.escrow], [amount, -amount]);
    });

    it("updates projectLedger.claimed and keeps the escrow balance equal to raised - claimed", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.claimed).to.equal(2n * perTranche(terms));
      expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(ledger.raised - ledger.claimed);
    });

    it("pays the project's ERC-20 for a TestStablecoin project", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const amount = 25_000_000n; // 25 tUSD (6 decimals)
      const { projectId, terms } = await createProject(p, {
        token: await p.stablecoin.getAddress(),
        amountPerTranche: amount,
      });
      await fund(p, projectId, terms, 1n);
      const hh = await identifyHousehold(p, p.households[0], HH1_ID);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));

      const tx = p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(tx)
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, amount);
      await expect(tx).to.changeTokenBalances(ethers, p.stablecoin, [p.households[0], p.escrow], [amount, -amount]);
      await expect(tx).to.changeEtherBalance(ethers, p.escrow, 0n);
      expect((await p.escrow.projectLedger(projectId)).claimed).to.equal(amount);
    });

    it("keeps two households' payments apart", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0) + 7n * DAY);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(p.escrow.connect(p.households[1]).claim(projectId, hh2.commitment, 0, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh2.commitment, p.households[1].address, 0, perTranche(terms));
      expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(1n);
      expect((await p.escrow.enrolment(projectId, hh2.commitment)).settledMask).to.equal(1n);
      expect((await p.escrow.projectLedger(projectId)).claimed).to.equal(2n * perTranche(terms));
    });

    it("is stopped while paused and resumes after unpause", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.be.revertedWithCustomError(
        p.escrow,
        "AidPauseActive",
      );
      await p.escrow.connect(p.guardian).unpause();
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });
  });
});
