/**
 * The trust-hardening scenarios (issue 11) that apply to roster programmes: two-person cancellation from two
 * accounts with expiring, withdrawable halves (#3), claim deadlines moved by pauses (#7), cheap bulk dismissal and
 * no re-raising of a dismissed objection (#8), refusals that carry their values (#14), and the shared money shell's
 * permit donations (one policy with escrow projects).
 */
import { expect } from "chai";
import { PERMIT_TYPES } from "../../lib/chain/permit.ts";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  ethers,
  networkHelpers,
  now,
  DAY,
  deployRoster,
  createProgramme,
  readyProgramme,
  openTranche,
  Objection,
  Status,
  type RosterProtocol,
} from "./helpers.ts";

const LIFETIME = 7n * DAY;
const MAX_PAUSE = 14n * DAY;
const REASON = ethers.id("not a resident of this county");

describe("AidRosterProgramme: trust hardening (issue 11)", function () {
  describe("#3: a manager who also holds the reviewer role cancels alone", function () {
    it("refuses the second half from the same account after it renounced the manager role", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.manager.address);
      await programme.connect(p.manager).approveCancellation();
      await p.registry.connect(p.manager).renounceRole(await p.registry.MANAGER_ROLE(), p.manager.address);
      await expect(programme.connect(p.manager).approveCancellation())
        .to.emit(programme, "CancellationApproved")
        .withArgs(p.manager.address, true, anyValue)
        .and.not.to.emit(programme, "ProgrammeCancelled");
      expect(await programme.status()).to.equal(Status.Funding);
      await expect(programme.connect(p.manager).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidCancellationAlreadyApproved")
        .withArgs(p.manager.address, anyValue);
    });

    it("refuses a second reviewer standing in for the manager (AidCancellationHalfTaken)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      await p.registry.grantRole(await p.registry.REVIEWER_ROLE(), p.outsider.address);
      await programme.connect(p.reviewer).approveCancellation();
      await expect(programme.connect(p.outsider).approveCancellation())
        .to.be.revertedWithCustomError(programme, "AidCancellationHalfTaken")
        .withArgs(p.reviewer.address, true);
    });

    it("lets a half expire after 7 days, and be withdrawn before (CancellationWithdrawn)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      await programme.connect(p.manager).approveCancellation();
      const { approvedAt } = await programme.cancellationApproval();
      await networkHelpers.time.setNextBlockTimestamp(approvedAt + LIFETIME);
      await expect(programme.connect(p.reviewer).approveCancellation())
        .to.emit(programme, "CancellationApproved")
        .withArgs(p.reviewer.address, true, approvedAt + 2n * LIFETIME)
        .and.not.to.emit(programme, "ProgrammeCancelled");
      await expect(programme.connect(p.manager).withdrawCancellation())
        .to.be.revertedWithCustomError(programme, "AidCancellationNotApproved")
        .withArgs(p.manager.address);
      await expect(programme.connect(p.reviewer).withdrawCancellation())
        .to.emit(programme, "CancellationWithdrawn")
        .withArgs(p.reviewer.address);
      expect((await programme.cancellationApproval()).approver).to.equal(ethers.ZeroAddress);
      await expect(programme.connect(p.manager).approveCancellation()).not.to.emit(programme, "ProgrammeCancelled");
    });
  });

  describe("#7: a pause lets households' clocks run out", function () {
    it("moves the claim deadline later by the time paused, so a tranche is still paid after the agreed one", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 2);
      const t = terms.claimDeadline - 3n * DAY;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await programme.connect(p.guardian).pause();
      await networkHelpers.time.setNextBlockTimestamp(t + 6n * DAY);
      await programme.connect(p.guardian).unpause();
      expect(await programme.claimDeadline()).to.equal(terms.claimDeadline + 6n * DAY);
      expect((await programme.terms()).claimDeadline).to.equal(terms.claimDeadline);
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 6n * DAY - 1n);
      await expect(programme.connect(p.households[0]).claim(0n, 2n, roster.leaves[0].amount, roster.proof(0))).to.emit(
        programme,
        "Claimed",
      );
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 6n * DAY);
      await expect(programme.connect(p.households[1]).claim(1n, 2n, roster.leaves[1].amount, roster.proof(1)))
        .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
        .withArgs(terms.claimDeadline + 6n * DAY);
      await networkHelpers.mine();
      expect(await programme.status()).to.equal(Status.Closed);
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded");
    });

    it("keeps the programme open through a pause that lapsed by itself, then closes MAX_PAUSE late", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms } = await readyProgramme(p);
      const t = terms.claimDeadline - DAY;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await programme.connect(p.guardian).pause();
      await networkHelpers.time.increaseTo(t + MAX_PAUSE + DAY - 2n);
      expect(await programme.paused()).to.equal(false);
      expect(await programme.status()).to.equal(Status.Active);
      await networkHelpers.time.setNextBlockTimestamp(t + MAX_PAUSE + DAY - 1n);
      await expect(programme.connect(p.donors[0]).refund())
        .to.be.revertedWithCustomError(programme, "AidRosterRefundsNotOpen")
        .withArgs(Status.Active);
      await networkHelpers.time.increaseTo(t + MAX_PAUSE + DAY);
      expect(await programme.status()).to.equal(Status.Closed);
      expect(await programme.claimDeadline()).to.equal(terms.claimDeadline + MAX_PAUSE);
    });

    it("keeps refusing claims while paused with AidPauseActive(pausedAt, lapsesAt)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      await programme.connect(p.guardian).pause();
      const { pausedAt } = await programme.pauseClock();
      await expect(programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0)))
        .to.be.revertedWithCustomError(programme, "AidPauseActive")
        .withArgs(pausedAt, pausedAt + MAX_PAUSE);
    });
  });

  describe("#8: free objections hold everyone", function () {
    async function massObjected(p: RosterProtocol) {
      const ready = await readyProgramme(p);
      for (const i of [0n, 1n, 2n, 3n]) await ready.programme.connect(p.outsider).object(i, REASON);
      return ready;
    }

    it("lets a reviewer dismiss all of one objector's objections in one transaction", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await massObjected(p);
      const list = [0n, 1n, 2n, 3n, 3n, 4n];
      expect(await programme.connect(p.reviewer).dismissObjections.staticCall(list)).to.equal(4n);
      const tx = programme.connect(p.reviewer).dismissObjections(list);
      for (const i of [0n, 1n, 2n, 3n]) {
        await expect(tx).to.emit(programme, "ObjectionRuled").withArgs(1n, i, p.reviewer.address, false, 0n);
      }
      for (const i of [0n, 1n, 2n, 3n]) expect(await programme.objectionStatus(1, i)).to.equal(Objection.None);
      await openTranche(terms, claimsOpenAt, 0);
      await expect(programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0))).to.emit(
        programme,
        "Claimed",
      );
    });

    it("refuses a batch dismissal by anyone but a reviewer", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await massObjected(p);
      await expect(programme.connect(p.outsider).dismissObjections([0n]))
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, await p.registry.REVIEWER_ROLE());
    });

    it("refuses the same objection again in the same window (AidRosterObjectionAlreadyDismissed), not new evidence", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await massObjected(p);
      await programme.connect(p.reviewer).dismissObjections([0n]);
      await expect(programme.connect(p.donors[1]).object(0n, REASON))
        .to.be.revertedWithCustomError(programme, "AidRosterObjectionAlreadyDismissed")
        .withArgs(0n, REASON);
      const evidence = ethers.id("ipfs://new-evidence");
      await expect(programme.connect(p.donors[1]).object(0n, evidence))
        .to.emit(programme, "ObjectionRaised")
        .withArgs(1n, 0n, p.donors[1].address, evidence);
    });
  });

  describe("permit donations (one money shell with escrow projects)", function () {
    async function tokenProgramme(p: RosterProtocol) {
      const { programme, terms } = await createProgramme(p, { token: await p.stablecoin.getAddress() });
      await p.stablecoin.mint(p.donors[0].address, 100n);
      const deadline = (await now()) + DAY;
      return { programme, terms, deadline };
    }

    async function permit(p: RosterProtocol, owner = p.donors[0], spender: string, value: bigint, deadline: bigint) {
      const d = await p.stablecoin.eip712Domain();
      const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
      const types = { Permit: [...PERMIT_TYPES.Permit] };
      const message = { owner: owner.address, spender, value, nonce: await p.stablecoin.nonces(owner.address), deadline };
      return ethers.Signature.from(await owner.signTypedData(domain, types, message));
    }

    it("donates without a prior approve, and falls back to the allowance when the permit was front-run", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, deadline } = await tokenProgramme(p);
      const address = await programme.getAddress();
      let sig = await permit(p, p.donors[0], address, 40n, deadline);
      await expect(programme.connect(p.donors[0]).donateWithPermit(40n, deadline, sig.v, sig.r, sig.s))
        .to.emit(programme, "Donated")
        .withArgs(p.donors[0].address, 40n, 40n);
      sig = await permit(p, p.donors[0], address, 30n, deadline);
      await p.stablecoin.connect(p.outsider).permit(p.donors[0].address, address, 30n, deadline, sig.v, sig.r, sig.s);
      await expect(programme.connect(p.donors[0]).donateWithPermit(30n, deadline, sig.v, sig.r, sig.s))
        .to.emit(programme, "Donated")
        .withArgs(p.donors[0].address, 30n, 70n);
      expect((await programme.ledger()).donors).to.equal(1n);
    });

    it("refuses a failed permit without allowance (AidMoneyInsufficientAllowance), an ETH programme, zero and a closed one", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, deadline } = await tokenProgramme(p);
      const sig = await permit(p, p.donors[1], await programme.getAddress(), 40n, deadline);
      await expect(programme.connect(p.donors[0]).donateWithPermit(40n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(programme, "AidMoneyInsufficientAllowance")
        .withArgs(await p.stablecoin.getAddress(), 0n, 40n);
      await expect(programme.connect(p.donors[0]).donateWithPermit(0n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(programme, "AidRosterZeroAmount")
        .withArgs(p.donors[0].address);
      const eth = await createProgramme(p);
      await expect(eth.programme.connect(p.donors[0]).donateWithPermit(1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(eth.programme, "AidRosterWrongToken")
        .withArgs(ethers.ZeroAddress);
      await networkHelpers.time.increaseTo(terms.fundingDeadline);
      await expect(programme.connect(p.donors[0]).donateWithPermit(1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(programme, "AidRosterNotFunding")
        .withArgs(Status.Active);
      await programme.connect(p.guardian).pause();
      await expect(programme.connect(p.donors[0]).donateWithPermit(1n, deadline, sig.v, sig.r, sig.s)).to.be.revertedWithCustomError(
        programme,
        "AidPauseActive",
      );
    });
  });
});
