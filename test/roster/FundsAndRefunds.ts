import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployRoster,
  createProgramme,
  readyProgramme,
  openTranche,
  Status,
  now,
  DAY,
} from "./helpers.ts";

/** IAidPausable.MAX_PAUSE. */
const MAX_PAUSE = 14n * DAY;

describe("AidRosterProgramme: donations, cancellation, refunds and pause", function () {
  describe("donate", function () {
    it("records ETH donations per donor and in total, and emits Donated", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      await expect(programme.connect(p.donors[0]).donate({ value: 5n }))
        .to.emit(programme, "Donated")
        .withArgs(p.donors[0].address, 5n, 5n);
      await programme.connect(p.donors[0]).donate({ value: 3n });
      await expect(programme.connect(p.donors[1]).donate({ value: 2n }))
        .to.emit(programme, "Donated")
        .withArgs(p.donors[1].address, 2n, 10n);
      expect(await programme.contributionOf(p.donors[0].address)).to.equal(8n);
      const ledger = await programme.ledger();
      expect(ledger.raised).to.equal(10n);
      expect(ledger.held).to.equal(10n);
      expect(ledger.donors).to.equal(2n);
    });

    it("records ERC-20 donations by balance change", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p, { token: await p.stablecoin.getAddress() });
      await p.stablecoin.mint(p.donors[0].address, 1_000n);
      await p.stablecoin.connect(p.donors[0]).approve(await programme.getAddress(), 1_000n);
      await expect(programme.connect(p.donors[0]).donateToken(1_000n))
        .to.emit(programme, "Donated")
        .withArgs(p.donors[0].address, 1_000n, 1_000n);
      expect((await programme.ledger()).held).to.equal(1_000n);
    });

    it("refuses a fee-on-transfer token's shortfall", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const fee = await ethers.deployContract("FeeOnTransferToken");
      const feeAddress = await fee.getAddress();
      await p.escrow.setTokenAllowed(feeAddress, true);
      const { programme } = await createProgramme(p, { token: feeAddress });
      await fee.mint(p.donors[0].address, 1_000_000n);
      await fee.connect(p.donors[0]).approve(await programme.getAddress(), 1_000_000n);
      await expect(programme.connect(p.donors[0]).donateToken(1_000_000n))
        .to.be.revertedWithCustomError(programme, "AidMoneyTransferShortfall")
        .withArgs(feeAddress, 1_000_000n, (received: bigint) => received < 1_000_000n);
    });

    it("works with a token that returns nothing, and refuses one that returns false (SafeERC20)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const noReturn = await ethers.deployContract("NoReturnToken");
      const returnsFalse = await ethers.deployContract("ReturnsFalseToken");
      for (const t of [noReturn, returnsFalse]) await p.escrow.setTokenAllowed(await t.getAddress(), true);
      const a = await createProgramme(p, { token: await noReturn.getAddress() });
      await noReturn.mint(p.donors[0].address, 100n);
      await noReturn.connect(p.donors[0]).approve(a.address, 100n);
      await expect(a.programme.connect(p.donors[0]).donateToken(100n)).to.emit(a.programme, "Donated").withArgs(p.donors[0].address, 100n, 100n);
      const b = await createProgramme(p, { token: await returnsFalse.getAddress() });
      await returnsFalse.mint(p.donors[0].address, 100n);
      await returnsFalse.connect(p.donors[0]).approve(b.address, 100n);
      await returnsFalse.setFailing(true);
      await expect(b.programme.connect(p.donors[0]).donateToken(100n))
        .to.be.revertedWithCustomError(b.programme, "SafeERC20FailedOperation")
        .withArgs(await returnsFalse.getAddress());
    });

    it("refuses the wrong token path, zero, and money after the funding deadline (t-1 accepted, t and t+1 refused)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const eth = await createProgramme(p);
      const token = await createProgramme(p, { token: await p.stablecoin.getAddress() });
      await expect(eth.programme.connect(p.donors[0]).donateToken(1n))
        .to.be.revertedWithCustomError(eth.programme, "AidRosterWrongToken")
        .withArgs(ethers.ZeroAddress);
      await expect(token.programme.connect(p.donors[0]).donate({ value: 1n }))
        .to.be.revertedWithCustomError(token.programme, "AidRosterWrongToken")
        .withArgs(ethers.ZeroAddress);
      await expect(eth.programme.connect(p.donors[0]).donate({ value: 0n }))
        .to.be.revertedWithCustomError(eth.programme, "AidRosterZeroAmount")
        .withArgs(p.donors[0].address);
      await networkHelpers.time.setNextBlockTimestamp(eth.terms.fundingDeadline - 1n);
      await expect(eth.programme.connect(p.donors[0]).donate({ value: 1n })).to.emit(eth.programme, "Donated");
      await networkHelpers.time.setNextBlockTimestamp(eth.terms.fundingDeadline);
      await expect(eth.programme.connect(p.donors[0]).donate({ value: 1n }))
        .to.be.revertedWithCustomError(eth.programme, "AidRosterNotFunding")
        .withArgs(Status.Active);
      await networkHelpers.time.setNextBlockTimestamp(eth.terms.fundingDeadline + 1n);
      await expect(eth.programme.connect(p.donors[1]).donate({ value: 1n }))
        .to.be.revertedWithCustomError(eth.programme, "AidRosterNotFunding")
        .withArgs(Status.Active);
    });

    it("refuses donations while paused", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      await programme.connect(p.guardian).pause();
      await expect(programme.connect(p.donors[0]).donate({ value: 1n })).to.be.revertedWithCustomError(programme, "AidPauseActive");
    });
  });

  describe("pause and unpause", function () {
    it("only the guardian, never twice in a row, with events", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      const guardianRole = await p.registry.GUARDIAN_ROLE();
      await expect(programme.connect(p.outsider).pause())
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, guardianRole);
      await expect(programme.connect(p.guardian).unpause()).to.be.revertedWithCustomError(programme, "AidPauseNotActive").withArgs(0n);
      const t = (await now()) + 1n;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await expect(programme.connect(p.guardian).pause()).to.emit(programme, "Paused").withArgs(p.guardian.address, t + MAX_PAUSE);
      expect(await programme.paused()).to.equal(true);
      expect((await programme.gate(ethers.ZeroHash)).pausedAt).to.equal(t);
      await expect(programme.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(programme, "AidPauseActive")
        .withArgs(t, t + MAX_PAUSE);
      await expect(programme.connect(p.outsider).unpause())
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, guardianRole);
      await networkHelpers.time.setNextBlockTimestamp(t + 100n);
      await expect(programme.connect(p.guardian).unpause()).to.emit(programme, "Unpaused").withArgs(p.guardian.address, 100n);
      expect(await programme.paused()).to.equal(false);
      expect((await programme.gate(ethers.ZeroHash)).pausedAt).to.equal(0n);
      // The next pause waits as long as the last one lasted.
      await networkHelpers.time.setNextBlockTimestamp(t + 199n);
      await expect(programme.connect(p.guardian).pause())
        .to.be.revertedWithCustomError(programme, "AidPauseCoolingDown")
        .withArgs(t + 100n, t + 200n);
    });
  });

  describe("approveCancellation", function () {
    it("needs the manager and a reviewer; then claims close and refunds open", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      const first = (await now()) + 1n;
      await networkHelpers.time.setNextBlockTimestamp(first);
      await expect(programme.connect(p.manager).approveCancellation())
        .to.emit(programme, "CancellationApproved")
        .withArgs(p.manager.address, false, first + 7n * DAY);
      const half = await programme.cancellationApproval();
      expect([half.approver, half.approvedAt, half.asReviewer]).to.deep.equal([p.manager.address, first, false]);
      expect(await programme.status()).to.not.equal(Status.Cancelled);
      const tx = programme.connect(p.reviewer).approveCancellation();
      await expect(tx).to.emit(programme, "CancellationApproved").withArgs(p.reviewer.address, true, 0n);
      const at = BigInt(await networkHelpers.time.latest());
      await expect(tx).to.emit(programme, "ProgrammeCancelled").withArgs(at);
      expect(await programme.status()).to.equal(Status.Cancelled);
    });

    it("refuses outsiders, a second approval by the same side, a manager whose role was revoked, and a dead programme", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms } = await readyProgramme(p);
      const reviewerRole = await p.registry.REVIEWER_ROLE();
      await expect(programme.connect(p.outsider).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, reviewerRole);
      await programme.connect(p.reviewer).approveCancellation();
      const { approvedAt } = await programme.cancellationApproval();
      await expect(programme.connect(p.reviewer).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidCancellationAlreadyApproved")
        .withArgs(p.reviewer.address, approvedAt + 7n * DAY);
      await p.registry.revokeRole(await p.registry.MANAGER_ROLE(), p.manager.address);
      await expect(programme.connect(p.manager).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.manager.address, reviewerRole);
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      await expect(programme.connect(p.reviewer).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidRosterNotLive")
        .withArgs(Status.Closed);
    });
  });

  describe("refund", function () {
    it("is refused before cancellation or the claim deadline (t-1), and opens at t", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms } = await readyProgramme(p);
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline - 1n);
      await expect(programme.connect(p.donors[0]).refund())
        .to.be.revertedWithCustomError(programme, "AidRosterRefundsNotOpen")
        .withArgs(Status.Active);
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline);
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded");
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 1n);
      await expect(programme.connect(p.donors[0]).refund())
        .to.be.revertedWithCustomError(programme, "AidRosterNothingToRefund")
        .withArgs(p.donors[0].address);
    });

    it("pays what was not claimed back pro rata to three 1-wei donors, none getting more than it gave", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      for (const d of p.donors) await programme.connect(d).donate({ value: 1n });
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      expect(await programme.refundableOf(p.donors[0].address)).to.equal(1n);
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[0].address, 1n);
      await expect(programme.connect(p.donors[1]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[1].address, 1n);
      await expect(programme.connect(p.donors[2]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[2].address, 1n);
      const ledger = await programme.ledger();
      expect(ledger.refunded).to.equal(3n);
      expect(ledger.held).to.equal(0n);
      expect(ledger.refundedDonors).to.equal(3n);
    });

    it("caps each refund at the contribution when money arrived outside donations (forced ETH stays held)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      const ONE = 10n ** 18n;
      await programme.connect(p.donors[0]).donate({ value: ONE });
      await programme.connect(p.donors[1]).donate({ value: ONE });
      // ETH forced in (a selfdestruct or a coinbase payment): the programme's balance exceeds its books.
      const address = await programme.getAddress();
      await networkHelpers.setBalance(address, 3n * ONE);
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      // Uncapped, each share would be 1.5 ETH.
      expect(await programme.refundableOf(p.donors[0].address)).to.equal(ONE);
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[0].address, ONE);
      await expect(programme.connect(p.donors[1]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[1].address, ONE);
      expect(await ethers.provider.getBalance(address)).to.equal(ONE);
    });

    it("splits the unclaimed rest by contribution and conserves raised = claimed + refunded + held", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      // readyProgramme funded the roster total from donor 0; donor 1 adds a third of it.
      await programme.connect(p.donors[1]).donate({ value: roster.rosterTotal / 3n + 1n });
      await openTranche(terms, claimsOpenAt, 0);
      const claimed = roster.leaves[0].amount;
      await programme.connect(p.households[0]).claim(0n, 0n, claimed, roster.proof(0));
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      const before = await programme.ledger();
      const pool = before.held;
      const share0 = (roster.rosterTotal * pool) / before.raised;
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[0].address, share0);
      const after = await programme.ledger();
      expect(after.refundPool).to.equal(pool);
      expect(after.raised).to.equal(claimed + after.refunded + after.held);
      expect(await programme.refundableOf(p.donors[0].address)).to.equal(0n);
      await expect(programme.connect(p.donors[0]).refund())
        .to.be.revertedWithCustomError(programme, "AidRosterNothingToRefund")
        .withArgs(p.donors[0].address);
    });

    it("works while paused", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await readyProgramme(p);
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      await programme.connect(p.guardian).pause();
      await expect(programme.connect(p.donors[0]).refund()).to.changeEtherBalance(ethers, p.donors[0], roster.rosterTotal);
    });

    it("refuses a reentrant donor's second refund", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      const attacker = await ethers.deployContract("RosterReentrantBeneficiary", [await programme.getAddress()]);
      await attacker.donate({ value: 10n });
      await programme.connect(p.donors[0]).donate({ value: 10n });
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      await expect(attacker.refund(true)).to.changeEtherBalance(ethers, await attacker.getAddress(), 10n);
      expect(await attacker.reentryError()).to.equal(programme.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []));
      expect(await programme.refundableOf(p.donors[0].address)).to.equal(10n);
    });
  });
});
