/**
 * Issue 12 #5: roster programmes keep a household's aid through a lost phone, an exit or an upheld finding after
 * claims open. k current officials re-bind one leaf's remaining tranches to a new account, or withhold them, after
 * a delay in which anyone may object; withheld money goes back to donors at the end; each leaf-tranche is paid at
 * most once, to the leaf's account or its approved successor.
 */
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { Signer } from "ethers";
import {
  ethers,
  networkHelpers,
  now,
  DAY,
  deployRoster,
  readyProgramme,
  openTranche,
  signedClaim,
  leafChange,
  sortByAddress,
  Kind,
  ChangeStatus,
  Status,
  createProgramme,
} from "./helpers.ts";

const CASE = ethers.id("ipfs://lost-phone-report");
const WINDOW = 7n * DAY; // the default programme's publicity window, longer than LEAF_CHANGE_MIN_DELAY

/** A ready programme with claims open at tranche 0's unlock, a new phone for household 0, and k = 2 officials. */
async function openFixture() {
  const p = await deployRoster();
  const ready = await readyProgramme(p);
  await openTranche(ready.terms, ready.claimsOpenAt, 0);
  const newPhone = new ethers.Wallet(ethers.id("household-0-new-phone"), ethers.provider);
  await networkHelpers.setBalance(newPhone.address, ethers.parseEther("1"));
  return { p, ...ready, newPhone, signers: p.officials.slice(0, 2) };
}

type Fixture = Awaited<ReturnType<typeof openFixture>>;

/** Requests a change of leaf `i` signed by the fixture's two officials; returns the transaction and request. */
async function request(f: Fixture, i: number, kind: number, newAccount = ethers.ZeroAddress, signers = f.signers) {
  const c = await leafChange(f.programme, f.roster, i, { kind, newAccount, reasonHash: CASE }, signers);
  return { c, tx: f.programme.connect(f.p.outsider).requestLeafChange(c.request, c.officials, c.signatures) };
}

/** The leaf's amount per tranche, claimed by `who` through the ordinary entry point (with the leaf's proof). */
function claimAs(f: Fixture, who: Signer, i: number, tranche: bigint, proof = f.roster.proof(i)) {
  return f.programme.connect(who).claim(f.roster.leaves[i].index, tranche, f.roster.leaves[i].amount, proof);
}

describe("AidRosterProgramme: leaf changes after claims open (issue 12 #5)", function () {
  describe("a lost phone: re-bind", function () {
    it("holds the leaf's remaining tranches at once, then pays them to the new account after the delay", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, newPhone } = f;
      const at = (await now()) + 1n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      const { tx } = await request(f, 0, Kind.Rebind, newPhone.address);
      await expect(tx)
        .to.emit(programme, "LeafChangeRequested")
        .withArgs(1n, 0n, Kind.Rebind, newPhone.address, f.signers.map((s) => s.address), CASE, at + WINDOW, 0n);
      const record = await programme.leafRecord(0n);
      expect(record.payee).to.equal(p.households[0].address);
      expect(record.movedMask).to.equal(0b111n);
      expect(record.newPayee).to.equal(newPhone.address);
      expect(record.status).to.equal(ChangeStatus.Pending);
      expect(record.changes).to.equal(1n);
      expect(record.amount).to.equal(roster.leaves[0].amount);
      expect(await programme.isSettled(0n, 0n)).to.equal(true);

      // The old phone is stopped at once (it may be in other hands); the new one waits for the delay.
      await expect(claimAs(f, p.households[0], 0, 0n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafChangePending")
        .withArgs(0n, at + WINDOW);
      await networkHelpers.time.increaseTo(at + WINDOW);
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.emit(programme, "Claimed")
        .withArgs(newPhone.address, 0n, 0n, roster.leaves[0].amount);
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
        .withArgs(0n, 0n);
      await expect(claimAs(f, p.households[0], 0, 0n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafRebound")
        .withArgs(0n, newPhone.address);
      expect((await programme.leafRecord(0n)).payee).to.equal(newPhone.address);
    });

    it("moves only what was not paid: a tranche the old phone received stays paid", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, newPhone } = f;
      await claimAs(f, p.households[0], 0, 0n);
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      expect((await programme.leafRecord(0n)).movedMask).to.equal(0b110n);
      await networkHelpers.time.increase(WINDOW);
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
        .withArgs(0n, 0n);
    });

    it("pays the new account through a relayer too, signed by the new account, without the leaf's proof", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, terms, newPhone } = f;
      const { tx } = await request(f, 0, Kind.Rebind, newPhone.address);
      await tx;
      await openTranche(terms, f.claimsOpenAt, 2);
      const signed = await signedClaim(programme, roster, 0, 2n, newPhone, { account: newPhone.address });
      await expect(programme.connect(p.relayer).claimBatch([{ ...signed, proof: [] }]))
        .to.emit(programme, "Claimed")
        .withArgs(newPhone.address, 0n, 2n, roster.leaves[0].amount);
      const wrongAmount = await signedClaim(programme, roster, 0, 1n, newPhone, { account: newPhone.address, amount: 1n });
      await expect(programme.connect(p.relayer).claimBySig({ ...wrongAmount, proof: [] }))
        .to.be.revertedWithCustomError(programme, "AidRosterWrongAmount")
        .withArgs(0n, roster.leaves[0].amount, 1n);
    });

    it("holds the new account to the programme's own checks: a locked or unknown tranche, and the claim deadline", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { programme, terms, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await networkHelpers.time.increase(WINDOW);
      await expect(claimAs(f, newPhone, 0, 1n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterTrancheLocked")
        .withArgs(1n, terms.trancheUnlockTimes[1]);
      await expect(claimAs(f, newPhone, 0, 3n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterUnknownTranche")
        .withArgs(3n, 3n);
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
        .withArgs(terms.claimDeadline);
    });

    it("stops the new account's claims when the programme is cancelled, as every claim", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await networkHelpers.time.increase(WINDOW);
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      const cancelledAt = await now();
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
        .withArgs(cancelledAt);
    });

    it("refuses a stranger without the leaf's proof (AidRosterInvalidProof), before and after the re-bind", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, newPhone } = f;
      await expect(claimAs(f, newPhone, 0, 0n, [])).to.be.revertedWithCustomError(programme, "AidRosterInvalidProof");
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await expect(claimAs(f, newPhone, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(0n, newPhone.address, anyValue);
      await networkHelpers.time.increase(WINDOW);
      await expect(claimAs(f, p.outsider, 0, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(0n, p.outsider.address, anyValue);
    });

    it("re-binds a re-bound leaf again (a second lost phone): only the latest successor is paid", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, terms, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await networkHelpers.time.increase(WINDOW);
      await claimAs(f, newPhone, 0, 0n, []);
      const third = p.donors[2];
      // The old signatures carried nonce 0: they cannot be replayed for another change.
      const stale = await leafChange(programme, roster, 0, { kind: Kind.Rebind, newAccount: third.address, reasonHash: CASE }, f.signers, {
        nonce: 0n,
      });
      await expect(programme.requestLeafChange(stale.request, stale.officials, stale.signatures))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(stale.officials[0]);
      await (await request(f, 0, Kind.Rebind, third.address)).tx;
      await networkHelpers.time.increase(WINDOW);
      await openTranche(terms, f.claimsOpenAt, 1);
      await expect(claimAs(f, newPhone, 0, 1n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(0n, newPhone.address, anyValue);
      await expect(claimAs(f, third, 0, 1n, [])).to.emit(programme, "Claimed").withArgs(third.address, 0n, 1n, roster.leaves[0].amount);
      expect((await programme.leafRecord(0n)).paidMask).to.equal(0b011n);
    });

    it("leaves every other leaf's claims as they were", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await expect(claimAs(f, p.households[1], 1, 0n))
        .to.emit(programme, "Claimed")
        .withArgs(p.households[1].address, 1n, 0n, roster.leaves[1].amount);
      expect((await programme.leafRecord(1n)).payee).to.equal(ethers.ZeroAddress);
    });
  });

  describe("an exit: withhold what has not unlocked", function () {
    it("keeps the unlocked tranche owed to the household, withholds the rest, and gives it back to donors at the end", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, terms } = f;
      const amount = roster.leaves[0].amount;
      const totalBefore = (await programme.roster()).rosterTotal;
      const at = (await now()) + 1n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      await expect((await request(f, 0, Kind.Exit)).tx)
        .to.emit(programme, "LeafChangeRequested")
        .withArgs(1n, 0n, Kind.Exit, ethers.ZeroAddress, anyValue, CASE, at + WINDOW, 2n * amount);
      expect((await programme.roster()).rosterTotal).to.equal(totalBefore - 2n * amount);
      expect((await programme.leafRecord(0n)).withholding).to.equal(0b110n);
      // Tranche 0 unlocked while the household was eligible: still paid, during the delay and after.
      await expect(claimAs(f, p.households[0], 0, 0n)).to.emit(programme, "Claimed").withArgs(p.households[0].address, 0n, 0n, amount);
      await openTranche(terms, f.claimsOpenAt, 1);
      await expect(claimAs(f, p.households[0], 0, 1n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafWithheld")
        .withArgs(0n, 1n);
      // At the end the withheld tranches are part of what donors get back.
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      const held = (await programme.ledger()).held;
      expect(held).to.be.at.least(2n * amount);
      await expect(programme.connect(p.donors[0]).refund()).to.emit(programme, "Refunded").withArgs(p.donors[0].address, held);
    });

    it("pays the kept tranche through a relayer too, signed by the household with the leaf's proof", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster } = f;
      await (await request(f, 0, Kind.Exit)).tx;
      const signed = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      await expect(programme.connect(p.relayer).claimBySig(signed))
        .to.emit(programme, "Claimed")
        .withArgs(p.households[0].address, 0n, 0n, roster.leaves[0].amount);
      await expect(programme.connect(p.relayer).claimBySig(signed))
        .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
        .withArgs(0n, 0n);
    });

    it("stops a tranche that unlocks during the delay, since the household exited before it", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, terms } = f;
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[1] - 2n);
      await (await request(f, 0, Kind.Exit)).tx;
      expect((await programme.leafRecord(0n)).withholding).to.equal(0b110n);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[1]);
      const { effectiveAt } = await programme.leafRecord(0n);
      await expect(claimAs(f, p.households[0], 0, 1n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafChangePending")
        .withArgs(0n, effectiveAt);
    });
  });

  describe("an upheld finding: exclude", function () {
    it("withholds every unpaid tranche, unlocked ones included", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster } = f;
      await expect((await request(f, 0, Kind.Exclude)).tx)
        .to.emit(programme, "LeafChangeRequested")
        .withArgs(1n, 0n, Kind.Exclude, ethers.ZeroAddress, anyValue, CASE, anyValue, 3n * roster.leaves[0].amount);
      const { effectiveAt } = await programme.leafRecord(0n);
      await expect(claimAs(f, p.households[0], 0, 0n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafChangePending")
        .withArgs(0n, effectiveAt);
      await networkHelpers.time.increaseTo(effectiveAt);
      await expect(claimAs(f, p.households[0], 0, 0n))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafWithheld")
        .withArgs(0n, 0n);
      const record = await programme.leafRecord(0n);
      expect(record.status).to.equal(ChangeStatus.Pending); // shown as stored; its time has come
    });
  });

  describe("objections to a change", function () {
    it("an upheld objection voids the change: the household is paid as before and the total restored", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster } = f;
      const totalBefore = (await programme.roster()).rosterTotal;
      await (await request(f, 0, Kind.Exclude)).tx;
      await expect(programme.connect(p.households[0]).objectToLeafChange(0n, CASE))
        .to.emit(programme, "LeafChangeObjected")
        .withArgs(1n, 0n, p.households[0].address, CASE);
      expect((await programme.leafRecord(0n)).status).to.equal(ChangeStatus.Objected);
      await expect(programme.connect(p.reviewer).ruleOnLeafChange(0n, true))
        .to.emit(programme, "LeafChangeRuled")
        .withArgs(1n, 0n, p.reviewer.address, true, 3n * roster.leaves[0].amount);
      expect((await programme.roster()).rosterTotal).to.equal(totalBefore);
      await expect(claimAs(f, p.households[0], 0, 0n)).to.emit(programme, "Claimed").withArgs(p.households[0].address, 0n, 0n, anyValue);
    });

    it("holds the change past its time until a reviewer rules; a dismissal lets it take effect at once", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await programme.connect(p.outsider).objectToLeafChange(0n, CASE);
      await networkHelpers.time.increase(WINDOW + DAY);
      await expect(claimAs(f, newPhone, 0, 0n, [])).to.be.revertedWithCustomError(programme, "AidRosterInvalidProof");
      await expect(programme.connect(p.reviewer).ruleOnLeafChange(0n, false))
        .to.emit(programme, "LeafChangeRuled")
        .withArgs(1n, 0n, p.reviewer.address, false, 0n);
      await expect(claimAs(f, newPhone, 0, 0n, [])).to.emit(programme, "Claimed").withArgs(newPhone.address, 0n, 0n, roster.leaves[0].amount);
    });

    it("refuses the same objection again after a dismissal, and any objection once the change took effect", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await programme.connect(p.outsider).objectToLeafChange(0n, CASE);
      await expect(programme.connect(p.outsider).objectToLeafChange(0n, CASE))
        .to.be.revertedWithCustomError(programme, "AidRosterNoPendingLeafChange")
        .withArgs(0n, 2);
      await programme.connect(p.reviewer).ruleOnLeafChange(0n, false);
      await expect(programme.connect(p.donors[0]).objectToLeafChange(0n, CASE))
        .to.be.revertedWithCustomError(programme, "AidRosterObjectionAlreadyDismissed")
        .withArgs(0n, CASE);
      await networkHelpers.time.increase(WINDOW);
      await expect(programme.connect(p.donors[0]).objectToLeafChange(0n, ethers.id("new evidence")))
        .to.be.revertedWithCustomError(programme, "AidRosterNoPendingLeafChange")
        .withArgs(0n, 1);
    });

    it("rules only as a reviewer, and only on an objected change", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, newPhone } = f;
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      await expect(programme.connect(p.reviewer).ruleOnLeafChange(0n, true))
        .to.be.revertedWithCustomError(programme, "AidRosterNoPendingLeafChange")
        .withArgs(0n, 1);
      await expect(programme.connect(p.outsider).ruleOnLeafChange(0n, true))
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, await p.registry.REVIEWER_ROLE());
    });
  });

  describe("requestLeafChange refuses", function () {
    it("fewer than k officials, a non-official, an expired or replayed approval", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, newPhone } = f;
      const change = { kind: Kind.Rebind, newAccount: newPhone.address, reasonHash: CASE };
      const one = await leafChange(programme, roster, 0, change, [p.officials[0]]);
      await expect(programme.requestLeafChange(one.request, one.officials, one.signatures))
        .to.be.revertedWithCustomError(programme, "AidSignaturesWrongCount")
        .withArgs(2n, 1n, 1n);
      const stranger = await leafChange(programme, roster, 0, change, sortByAddress([p.officials[0], p.outsider]));
      await expect(programme.requestLeafChange(stranger.request, stranger.officials, stranger.signatures))
        .to.be.revertedWithCustomError(programme, "AidSignaturesNotOfficial")
        .withArgs(p.outsider.address);
      const late = await leafChange(programme, roster, 0, { ...change, deadline: (await now()) + 10n }, f.signers);
      await networkHelpers.time.setNextBlockTimestamp(late.request.deadline);
      await expect(programme.requestLeafChange(late.request, late.officials, late.signatures))
        .to.be.revertedWithCustomError(programme, "AidSignaturesExpired")
        .withArgs(late.request.deadline);
      const forged = await leafChange(programme, roster, 0, change, f.signers);
      await expect(programme.requestLeafChange({ ...forged.request, newAccount: p.outsider.address }, forged.officials, forged.signatures))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(forged.officials[0]);
    });

    it("accepts a Safe-style official (ERC-1271), as root approvals do", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, newPhone } = f;
      const wallet = await ethers.deployContract("ContractWallet", [p.officials[2].address]);
      const walletAddress = await wallet.getAddress();
      await p.registry.addOfficial(walletAddress, { name: "Safe official", office: "County office", jurisdiction: "cn-gz" });
      const signers = sortByAddress([
        { address: walletAddress, signer: p.officials[2] },
        { address: p.officials[0].address, signer: p.officials[0] },
      ]);
      const c = await leafChange(programme, roster, 0, { kind: Kind.Rebind, newAccount: newPhone.address, reasonHash: CASE }, signers.map((s) => s.signer));
      await expect(programme.requestLeafChange(c.request, signers.map((s) => s.address), c.signatures)).to.emit(
        programme,
        "LeafChangeRequested",
      );
    });

    it("before claims open (AidRosterLeafChangeTooEarly), or with no roster (AidRosterNoRoster)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster, claimsOpenAt } = await readyProgramme(p);
      const c = await leafChange(programme, roster, 0, { kind: Kind.Exit, newAccount: ethers.ZeroAddress, reasonHash: CASE }, p.officials.slice(0, 2));
      await expect(programme.requestLeafChange(c.request, c.officials, c.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafChangeTooEarly")
        .withArgs(claimsOpenAt);
      const { programme: empty } = await createProgramme(p);
      await expect(empty.requestLeafChange(c.request, c.officials, c.signatures))
        .to.be.revertedWithCustomError(empty, "AidRosterNoRoster")
        .withArgs(await empty.getAddress());
    });

    it("a leaf that is not the roster's, beyond the count, or held or excluded by an objection", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster, terms, claimsOpenAt } = await readyProgramme(p);
      await programme.connect(p.outsider).object(1n, CASE);
      await programme.connect(p.outsider).object(2n, CASE);
      await programme
        .connect(p.reviewer)
        .ruleOnObjection(2n, true, roster.leaves[2].account, roster.leaves[2].amount, roster.proof(2));
      await openTranche(terms, claimsOpenAt, 0);
      const exit = { kind: Kind.Exit, newAccount: ethers.ZeroAddress, reasonHash: CASE };
      const held = await leafChange(programme, roster, 1, exit, p.officials.slice(0, 2));
      await expect(programme.requestLeafChange(held.request, held.officials, held.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafHeld")
        .withArgs(1n);
      const excluded = await leafChange(programme, roster, 2, exit, p.officials.slice(0, 2));
      await expect(programme.requestLeafChange(excluded.request, excluded.officials, excluded.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafExcluded")
        .withArgs(2n);
      const good = await leafChange(programme, roster, 0, exit, p.officials.slice(0, 2));
      await expect(programme.requestLeafChange({ ...good.request, amount: 1n }, good.officials, good.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(0n, roster.leaves[0].account, anyValue);
      await expect(programme.requestLeafChange({ ...good.request, index: 99n }, good.officials, good.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterIndexOutOfRange")
        .withArgs(99n, 6n);
    });

    it("a re-bind without a new account, an exit naming one, and a second change while one is pending", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { programme, roster, newPhone } = f;
      const noAccount = await leafChange(programme, roster, 0, { kind: Kind.Rebind, newAccount: ethers.ZeroAddress, reasonHash: CASE }, f.signers);
      await expect(programme.requestLeafChange(noAccount.request, noAccount.officials, noAccount.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidLeafChange")
        .withArgs(Kind.Rebind, ethers.ZeroAddress);
      const exitTo = await leafChange(programme, roster, 0, { kind: Kind.Exit, newAccount: newPhone.address, reasonHash: CASE }, f.signers);
      await expect(programme.requestLeafChange(exitTo.request, exitTo.officials, exitTo.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidLeafChange")
        .withArgs(Kind.Exit, newPhone.address);
      await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
      const { effectiveAt } = await programme.leafRecord(0n);
      const second = await leafChange(programme, roster, 0, { kind: Kind.Exit, newAccount: ethers.ZeroAddress, reasonHash: CASE }, f.signers);
      await expect(programme.requestLeafChange(second.request, second.officials, second.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafChangePending")
        .withArgs(0n, effectiveAt);
    });

    it("a change that could not take effect before the claim deadline, while paused, and once cancelled", async function () {
      const f = await networkHelpers.loadFixture(openFixture);
      const { p, programme, roster, terms } = f;
      const exit = { kind: Kind.Exit, newAccount: ethers.ZeroAddress, reasonHash: CASE };
      const late = await leafChange(programme, roster, 0, { ...exit, deadline: terms.claimDeadline }, f.signers);
      await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline - WINDOW);
      await expect(programme.requestLeafChange(late.request, late.officials, late.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterWindowPastDeadline")
        .withArgs(terms.claimDeadline, terms.claimDeadline);
      await programme.connect(p.guardian).pause();
      await expect(programme.requestLeafChange(late.request, late.officials, late.signatures)).to.be.revertedWithCustomError(
        programme,
        "AidPauseActive",
      );
      await programme.connect(p.guardian).unpause();
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      await expect(programme.requestLeafChange(late.request, late.officials, late.signatures))
        .to.be.revertedWithCustomError(programme, "AidRosterNotLive")
        .withArgs(Status.Cancelled);
    });
  });

  it("is paid at most once per tranche whoever claims: old account, successor, direct or relayed", async function () {
    const f = await networkHelpers.loadFixture(openFixture);
    const { p, programme, roster, terms, newPhone } = f;
    await claimAs(f, p.households[0], 0, 0n);
    await (await request(f, 0, Kind.Rebind, newPhone.address)).tx;
    await networkHelpers.time.increase(WINDOW);
    await openTranche(terms, f.claimsOpenAt, 2);
    const before = await ethers.provider.getBalance(await programme.getAddress());
    const attempts = [
      () => claimAs(f, p.households[0], 0, 0n),
      () => claimAs(f, newPhone, 0, 0n, []),
      () => claimAs(f, newPhone, 0, 1n, []),
      () => claimAs(f, newPhone, 0, 1n, []),
      () => claimAs(f, p.households[0], 0, 2n),
      () => claimAs(f, newPhone, 0, 2n, []),
    ];
    let paid = 0;
    for (const attempt of attempts) {
      try {
        await (await attempt()).wait();
        ++paid;
      } catch {
        // refused
      }
    }
    expect(paid).to.equal(2); // tranches 1 and 2, to the successor; tranche 0 was paid before the re-bind
    expect(before - (await ethers.provider.getBalance(await programme.getAddress()))).to.equal(2n * roster.leaves[0].amount);
  });
});
