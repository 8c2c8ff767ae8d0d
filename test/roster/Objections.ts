import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployRoster,
  createProgramme,
  readyProgramme,
  buildRoster,
  defaultLeaves,
  fundProgramme,
  publish,
  approveNow,
  openTranche,
  Objection,
} from "./helpers.ts";

const REASON = ethers.id("not a resident of this county");

describe("AidRosterProgramme: objections during the publicity window", function () {
  describe("object", function () {
    it("holds the leaf, records a pending objection and emits ObjectionRaised", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      await expect(programme.connect(p.outsider).object(1n, REASON))
        .to.emit(programme, "ObjectionRaised")
        .withArgs(1n, 1n, p.outsider.address, REASON);
      expect(await programme.objectionStatus(1, 1n)).to.equal(Objection.Pending);
      for (const t of [0n, 1n, 2n]) expect(await programme.isSettled(1n, t)).to.equal(true);
      expect(await programme.isSettled(0n, 0n)).to.equal(false);
    });

    it("a pending objection holds the leaf's claims after the window", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await programme.connect(p.outsider).object(1n, REASON);
      await openTranche(terms, claimsOpenAt, 0);
      await expect(programme.connect(p.households[1]).claim(1n, 0n, roster.leaves[1].amount, roster.proof(1)))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafHeld")
        .withArgs(1n);
    });

    it("is accepted at t-1 and refused at t and t+1, the window's end", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, claimsOpenAt } = await readyProgramme(p);
      await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt - 1n);
      await expect(programme.object(0n, REASON)).to.emit(programme, "ObjectionRaised");
      await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt);
      await expect(programme.object(1n, REASON))
        .to.be.revertedWithCustomError(programme, "AidRosterPublicityWindowClosed")
        .withArgs(claimsOpenAt);
      await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt + 1n);
      await expect(programme.object(2n, REASON))
        .to.be.revertedWithCustomError(programme, "AidRosterPublicityWindowClosed")
        .withArgs(claimsOpenAt);
    });

    it("refuses before a roster, before approval, beyond the leaf count and twice", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms } = await createProgramme(p);
      await expect(programme.object(0n, REASON))
        .to.be.revertedWithCustomError(programme, "AidRosterNoRoster")
        .withArgs(await programme.getAddress());
      const roster = buildRoster(defaultLeaves(p), 3n);
      await fundProgramme(p, programme, terms, roster.rosterTotal);
      await publish(programme, p.manager, roster);
      await expect(programme.object(0n, REASON)).to.be.revertedWithCustomError(programme, "AidRosterRootNotApproved").withArgs(1n);
      const ready = await readyProgramme(p);
      await expect(ready.programme.object(6n, REASON))
        .to.be.revertedWithCustomError(ready.programme, "AidRosterIndexOutOfRange")
        .withArgs(6n, 6n);
      await ready.programme.object(2n, REASON);
      await expect(ready.programme.object(2n, REASON))
        .to.be.revertedWithCustomError(ready.programme, "AidRosterAlreadyObjected")
        .withArgs(2n, Objection.Pending);
    });

    it("still works while paused (a pause must not silence objectors)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await readyProgramme(p);
      await programme.connect(p.guardian).pause();
      await expect(programme.object(0n, REASON)).to.emit(programme, "ObjectionRaised");
    });
  });

  describe("ruleOnObjection", function () {
    it("upheld: excludes the leaf, releases its amount from the roster total", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await programme.object(1n, REASON);
      const leaf = roster.leaves[1];
      const released = leaf.amount * 3n;
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, true, leaf.account, leaf.amount, roster.proof(1)))
        .to.emit(programme, "ObjectionRuled")
        .withArgs(1n, 1n, p.reviewer.address, true, released);
      expect(await programme.objectionStatus(1, 1n)).to.equal(Objection.Upheld);
      expect((await programme.roster()).rosterTotal).to.equal(roster.rosterTotal - released);
      await openTranche(terms, claimsOpenAt, 0);
      await expect(programme.connect(p.households[1]).claim(1n, 0n, leaf.amount, roster.proof(1)))
        .to.be.revertedWithCustomError(programme, "AidRosterLeafExcluded")
        .withArgs(1n);
      await expect(programme.object(1n, REASON)).to.be.revertedWithCustomError(programme, "AidRosterPublicityWindowClosed");
    });

    it("an upheld leaf cannot be objected to again while the window is open", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await readyProgramme(p);
      await programme.object(1n, REASON);
      const leaf = roster.leaves[1];
      await programme.connect(p.reviewer).ruleOnObjection(1n, true, leaf.account, leaf.amount, roster.proof(1));
      await expect(programme.object(1n, REASON))
        .to.be.revertedWithCustomError(programme, "AidRosterAlreadyObjected")
        .withArgs(1n, Objection.Upheld);
    });

    it("dismissed: releases the hold so the leaf can be claimed after the window", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await programme.object(1n, REASON);
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, false, ethers.ZeroAddress, 0n, []))
        .to.emit(programme, "ObjectionRuled")
        .withArgs(1n, 1n, p.reviewer.address, false, 0n);
      expect(await programme.objectionStatus(1, 1n)).to.equal(Objection.None);
      expect((await programme.roster()).rosterTotal).to.equal(roster.rosterTotal);
      await openTranche(terms, claimsOpenAt, 0);
      await expect(programme.connect(p.households[1]).claim(1n, 0n, roster.leaves[1].amount, roster.proof(1))).to.emit(
        programme,
        "Claimed",
      );
    });

    it("refuses a non-reviewer, no pending objection, and an upheld leaf without its proof", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await readyProgramme(p);
      await expect(programme.connect(p.outsider).ruleOnObjection(1n, false, ethers.ZeroAddress, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterUnauthorized")
        .withArgs(p.outsider.address, await p.registry.REVIEWER_ROLE());
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, false, ethers.ZeroAddress, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterNoPendingObjection")
        .withArgs(1n, Objection.None);
      await programme.object(1n, REASON);
      const leaf = roster.leaves[1];
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, true, leaf.account, leaf.amount + 1n, roster.proof(1)))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(1n, leaf.account, (root: string) => root !== roster.root);
    });

    it("upheld on a roster declared below its leaves' sum: releases what is left, never blocks", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms } = await createProgramme(p);
      const leaves = defaultLeaves(p);
      const roster = buildRoster(leaves, 3n);
      // Declared (and signed) at 2 ETH although leaf 1 alone is owed 6 ETH.
      const declared = ethers.parseEther("2");
      await fundProgramme(p, programme, terms, declared);
      await programme.connect(p.manager).publishRoster(roster.root, roster.leafCount, declared, roster.uri, roster.contentHash);
      await approveNow(p, programme, terms);
      await programme.object(1n, REASON);
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, true, leaves[1].account, leaves[1].amount, roster.proof(1)))
        .to.emit(programme, "ObjectionRuled")
        .withArgs(1n, 1n, p.reviewer.address, true, declared);
      expect((await programme.roster()).rosterTotal).to.equal(0n);
    });

    it("a replaced root voids its objections", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await readyProgramme(p);
      await programme.object(1n, REASON);
      await publish(programme, p.manager, roster);
      expect(await programme.objectionStatus(1, 1n)).to.equal(Objection.Pending);
      expect(await programme.objectionStatus(2, 1n)).to.equal(Objection.None);
      expect(await programme.isSettled(1n, 0n)).to.equal(false);
      await expect(programme.connect(p.reviewer).ruleOnObjection(1n, false, ethers.ZeroAddress, 0n, []))
        .to.be.revertedWithCustomError(programme, "AidRosterNoPendingObjection")
        .withArgs(1n, Objection.None);
    });
  });
});
