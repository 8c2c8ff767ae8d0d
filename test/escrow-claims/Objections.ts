import { expect } from "chai";
import { ethers, networkHelpers, deployProtocol, identifyHousehold, INCOME, SCHOOL } from "../helpers/fixtures.ts";
import {
  Enrolment,
  HH1_ID,
  HH2_ID,
  fundedProject,
  enrolledFixture,
  perTranche,
  trancheCount,
  unlockAt,
  recordExit,
} from "./helpers.ts";

const REASON = ethers.id("ipfs://objection-evidence");

/** enrolledFixture with an objection raised by the outsider during the window. */
async function objectedFixture() {
  const f = await enrolledFixture();
  await f.p.escrow.connect(f.p.outsider).object(f.projectId, f.hh.commitment, REASON);
  return f;
}

describe("object", function () {
  describe("during the publicity window", function () {
    it("lets anyone object and emits ObjectionRaised", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "ObjectionRaised")
        .withArgs(projectId, hh.commitment, p.outsider.address, REASON);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Objected);
    });

    it("accepts a donor or another household as objector too", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.households[1]).object(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "ObjectionRaised")
        .withArgs(projectId, hh.commitment, p.households[1].address, REASON);
    });

    it("accepts an objection at windowEndsAt - 1", async function () {
      const { p, projectId, hh, windowEndsAt } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt - 1n);
      await expect(p.escrow.connect(p.donors[0]).object(projectId, hh.commitment, REASON))
        .to.emit(p.escrow, "ObjectionRaised")
        .withArgs(projectId, hh.commitment, p.donors[0].address, REASON);
    });

    it("still accepts objections while the escrow is paused", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON)).to.emit(
        p.escrow,
        "ObjectionRaised",
      );
    });
  });

  describe("when it cannot be raised", function () {
    it("refuses from exactly windowEndsAt (AidEscrowPublicityWindowClosed)", async function () {
      const { p, projectId, hh, windowEndsAt } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.setNextBlockTimestamp(windowEndsAt);
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowPublicityWindowClosed")
        .withArgs(projectId, hh.commitment, windowEndsAt);
    });

    it("refuses a second objection (expected Enrolled, actual Objected)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      await expect(p.escrow.connect(p.donors[0]).object(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Objected);
    });

    it("refuses a household that is not enrolled (actual None)", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(enrolledFixture);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await expect(p.escrow.connect(p.outsider).object(projectId, hh2.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh2.commitment, Enrolment.Enrolled, Enrolment.None);
    });

    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.outsider).object(42n, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(42n);
    });
  });
});

describe("ruleOnObjection", function () {
  describe("access", function () {
    it("refuses anyone without REVIEWER_ROLE", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      const role = await p.registry.REVIEWER_ROLE();
      for (const caller of [p.outsider, p.officials[0], p.manager, p.guardian, p.admin]) {
        await expect(p.escrow.connect(caller).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(caller.address, role);
      }
    });

    it("refuses a ruling when no objection is pending (expected Objected, actual Enrolled)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, false, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Objected, Enrolment.Enrolled);
    });

    it("refuses an unknown project", async function () {
      const { p, hh } = await networkHelpers.loadFixture(objectedFixture);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(42n, hh.commitment, false, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(42n);
    });
  });

  describe("while the objection is pending", function () {
    it("holds every payment even after the window (expected Enrolled, actual Objected)", async function () {
      const { p, projectId, terms, hh, windowEndsAt } = await networkHelpers.loadFixture(objectedFixture);
      expect(unlockAt(terms, 0)).to.be.greaterThan(windowEndsAt);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Objected);
    });

    it("keeps the household counted and its tranches committed", async function () {
      const { p, projectId, terms } = await networkHelpers.loadFixture(objectedFixture);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.enrolled).to.equal(1n);
      expect(ledger.committed).to.equal(perTranche(terms) * trancheCount(terms));
    });

    it("cannot be cut short by an exit (expected Enrolled, actual Objected)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Objected);
    });
  });

  describe("when dismissed", function () {
    it("emits ObjectionRuled(upheld=false, released=0) and restores Enrolled", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(objectedFixture);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, false, []))
        .to.emit(p.escrow, "ObjectionRuled")
        .withArgs(projectId, hh.commitment, p.reviewer.address, false, 0n);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Enrolled);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.committed).to.equal(perTranche(terms) * trancheCount(terms));
      expect(ledger.objectionsUpheld).to.equal(0n);
      expect(ledger.enrolled).to.equal(1n);
      for (const o of p.officials) expect(await p.escrow.upheldObjectionsAgainst(o.address)).to.equal(0n);
    });

    it("lets the household claim once the window has passed, even if the ruling came after it", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(objectedFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, false, []);
      const tx = p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await expect(tx)
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, perTranche(terms));
      await expect(tx).to.changeEtherBalance(ethers, p.households[0], perTranche(terms));
    });
  });

  describe("when upheld", function () {
    it("emits ObjectionRuled with the released amount and removes the household", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(objectedFixture);
      const full = perTranche(terms) * trancheCount(terms);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
        .to.emit(p.escrow, "ObjectionRuled")
        .withArgs(projectId, hh.commitment, p.reviewer.address, true, full);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Removed);
    });

    it("releases the commitment, frees the place and counts the upheld objection (history kept)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters);
      const ledger = await p.escrow.projectLedger(projectId);
      expect(ledger.committed).to.equal(0n);
      expect(ledger.enrolled).to.equal(0n);
      expect(ledger.enrolments).to.equal(1n);
      expect(ledger.objectionsUpheld).to.equal(1n);
      expect(ledger.exited).to.equal(0n);
    });

    it("charges each attester on record, and nobody else", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters);
      const [o0, o1, o2] = p.officials.map((o) => o.address);
      expect(await p.escrow.upheldObjectionsAgainst(o0)).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(o1)).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(o2)).to.equal(0n);
    });

    it("accumulates the attesters' record over several upheld objections", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await p.escrow.connect(p.officials[2]).enrol(projectId, hh2.commitment, hh2.attesters);
      await p.escrow.connect(p.outsider).object(projectId, hh2.commitment, REASON);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh2.commitment, true, hh2.attesters);
      expect(await p.escrow.upheldObjectionsAgainst(p.officials[0].address)).to.equal(2n);
      expect(await p.escrow.upheldObjectionsAgainst(p.officials[1].address)).to.equal(2n);
      expect(await p.escrow.upheldObjectionsAgainst(p.officials[2].address)).to.equal(0n);
      expect((await p.escrow.projectLedger(projectId)).objectionsUpheld).to.equal(2n);
    });

    it("refuses an attester list other than the one recorded at enrolment (AidEscrowAttestersMismatch)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(objectedFixture);
      const [o0, o1, o2] = p.officials.map((o) => o.address);
      for (const list of [[o0, o2], [o1, o0], [], [o0], [o0, o1, o2]]) {
        await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, list))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowAttestersMismatch")
          .withArgs(projectId, hh.commitment);
      }
      expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Objected);
    });

    it("lets the released funds go to another household", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p, {}, 1n);
      const hh1 = await identifyHousehold(p, p.households[0], HH1_ID);
      const hh2 = await identifyHousehold(p, p.households[1], HH2_ID);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh1.commitment, hh1.attesters);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowOverCommitment")
        .withArgs(projectId, perTranche(terms) * trancheCount(terms), 0n);
      await p.escrow.connect(p.outsider).object(projectId, hh1.commitment, REASON);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh1.commitment, true, hh1.attesters);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh2.commitment, hh2.attesters)).to.emit(
        p.escrow,
        "BeneficiaryEnrolled",
      );
    });

    it("releases only the tranches still owed to a re-entered household", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await recordExit(p, projectId, hh.commitment, REASON);
      await p.escrow.connect(p.officials[1]).enrol(projectId, hh.commitment, hh.attesters);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
        .to.emit(p.escrow, "ObjectionRuled")
        .withArgs(projectId, hh.commitment, p.reviewer.address, true, 2n * perTranche(terms));
      expect((await p.escrow.projectLedger(projectId)).committed).to.equal(perTranche(terms));
    });

    it("releases, on re-entry, a tranche the exit had left owed: the finding is about the household", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await recordExit(p, projectId, hh.commitment, REASON); // tranche 0 unlocked and unclaimed: kept
      await p.escrow.connect(p.officials[1]).enrol(projectId, hh.commitment, hh.attesters);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
        .to.emit(p.escrow, "ObjectionRuled")
        .withArgs(projectId, hh.commitment, p.reviewer.address, true, 3n * perTranche(terms));
      expect((await p.escrow.projectLedger(projectId)).committed).to.equal(0n);
    });
  });

  describe("after removal", function () {
    async function removedFixture() {
      const f = await objectedFixture();
      await f.p.escrow.connect(f.p.reviewer).ruleOnObjection(f.projectId, f.hh.commitment, true, f.hh.attesters);
      return f;
    }

    it("refuses to enrol the household again (AidEscrowCannotEnrol with Removed)", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(removedFixture);
      await expect(p.escrow.connect(p.officials[2]).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowCannotEnrol")
        .withArgs(projectId, hh.commitment, Enrolment.Removed);
    });

    it("refuses its claims (expected Enrolled, actual Removed)", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(removedFixture);
      await networkHelpers.time.increaseTo(unlockAt(terms, 0));
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Removed);
    });

    it("refuses a further objection, ruling or exit", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(removedFixture);
      await expect(p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Removed);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Objected, Enrolment.Removed);
      await expect(recordExit(p, projectId, hh.commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongEnrolmentStatus")
        .withArgs(projectId, hh.commitment, Enrolment.Enrolled, Enrolment.Removed);
    });
  });

  describe("with several conditions", function () {
    it("charges each official once for one upheld enrolment with distinct attesters per condition", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p, { conditions: [INCOME, SCHOOL], threshold: 1 });
      const [s0, s1, s2] = p.officials;
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME], 1);
      await p.registry.connect(s1).attest(hh.commitment, SCHOOL, hh.expiry, ethers.id("school"), 0);
      const list = [s0.address, s1.address];
      await p.escrow.connect(s2).enrol(projectId, hh.commitment, list);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, list);
      expect(await p.escrow.upheldObjectionsAgainst(s0.address)).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(s1.address)).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(s2.address)).to.equal(0n);
    });

    it("requires the full grouped list recorded at enrolment", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME, SCHOOL]);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters.slice(0, 2)))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowAttestersMismatch")
        .withArgs(projectId, hh.commitment);
      await expect(p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters))
        .to.emit(p.escrow, "ObjectionRuled")
        .withArgs(projectId, hh.commitment, p.reviewer.address, true, perTranche(terms) * trancheCount(terms));
    });

    // IAidEscrow documents upheldObjectionsAgainst as "Upheld objections against enrolments an official
    // attested": one upheld enrolment should count once per official, however many conditions they attested.
    it("counts one upheld enrolment once for an official who attested two of its conditions", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME, SCHOOL]);
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
      await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hh.commitment, true, hh.attesters);
      expect((await p.escrow.projectLedger(projectId)).objectionsUpheld).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(p.officials[0].address)).to.equal(1n);
      expect(await p.escrow.upheldObjectionsAgainst(p.officials[1].address)).to.equal(1n);
    });
  });
});


describe("issue 11 #8: free objections hold everyone", function () {
  /** Three households enrolled; the outsider objects to all three. */
  async function massObjectionFixture() {
    const p = await deployProtocol();
    const { projectId, terms } = await fundedProject(p, {}, 3n);
    const hhs = [
      await identifyHousehold(p, p.households[0], HH1_ID),
      await identifyHousehold(p, p.households[1], HH2_ID),
      await identifyHousehold(p, p.donors[2], "520101199404044567"),
    ];
    for (const hh of hhs) await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
    for (const hh of hhs) await p.escrow.connect(p.outsider).object(projectId, hh.commitment, REASON);
    return { p, projectId, terms, hhs };
  }

  it("lets a reviewer dismiss every open objection of one objector in one transaction", async function () {
    const { p, projectId, hhs } = await networkHelpers.loadFixture(massObjectionFixture);
    const list = [...hhs.map((h) => h.commitment), hhs[0].commitment, ethers.id("never enrolled")];
    expect(await p.escrow.connect(p.reviewer).dismissObjections.staticCall(projectId, list)).to.equal(3n);
    const tx = p.escrow.connect(p.reviewer).dismissObjections(projectId, list);
    for (const hh of hhs) {
      await expect(tx).to.emit(p.escrow, "ObjectionRuled").withArgs(projectId, hh.commitment, p.reviewer.address, false, 0n);
    }
    for (const hh of hhs) expect((await p.escrow.enrolment(projectId, hh.commitment)).status).to.equal(Enrolment.Enrolled);
  });

  it("refuses a batch dismissal by anyone but a reviewer, or for an unknown project", async function () {
    const { p, projectId, hhs } = await networkHelpers.loadFixture(massObjectionFixture);
    await expect(p.escrow.connect(p.outsider).dismissObjections(projectId, [hhs[0].commitment]))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
      .withArgs(p.outsider.address, await p.registry.REVIEWER_ROLE());
    await expect(p.escrow.connect(p.reviewer).dismissObjections(9n, [hhs[0].commitment]))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
      .withArgs(9n);
  });

  it("refuses the same objection again in the same window (AidEscrowObjectionAlreadyDismissed), not new evidence", async function () {
    const { p, projectId, hhs } = await networkHelpers.loadFixture(massObjectionFixture);
    await p.escrow.connect(p.reviewer).dismissObjections(projectId, [hhs[0].commitment]);
    for (const objector of [p.outsider, p.donors[0]]) {
      await expect(p.escrow.connect(objector).object(projectId, hhs[0].commitment, REASON))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowObjectionAlreadyDismissed")
        .withArgs(projectId, hhs[0].commitment, REASON);
    }
    const evidence = ethers.id("ipfs://new-evidence");
    await expect(p.escrow.connect(p.donors[0]).object(projectId, hhs[0].commitment, evidence))
      .to.emit(p.escrow, "ObjectionRaised")
      .withArgs(projectId, hhs[0].commitment, p.donors[0].address, evidence);
  });

  it("also refuses a repeat after a single dismissal by ruleOnObjection", async function () {
    const { p, projectId, hhs } = await networkHelpers.loadFixture(massObjectionFixture);
    await p.escrow.connect(p.reviewer).ruleOnObjection(projectId, hhs[1].commitment, false, []);
    await expect(p.escrow.connect(p.outsider).object(projectId, hhs[1].commitment, REASON))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowObjectionAlreadyDismissed")
      .withArgs(projectId, hhs[1].commitment, REASON);
  });
});
