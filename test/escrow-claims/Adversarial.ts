import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  identifyHousehold,
  INCOME,
  SCHOOL,
  DAY,
  REBIND_DELAY,
  now,
} from "../helpers/fixtures.ts";
import type { ReentrantBeneficiary } from "../../types/ethers-contracts/index.ts";
import {
  Attack,
  HH1_ID,
  fundedProject,
  enrolledFixture,
  claimableFixture,
  domainOf,
  signClaim,
  perTranche,
  unlockAt,
  atNextSecond,
} from "./helpers.ts";

/** A ReentrantBeneficiary bound as a household's account, enrolled, with two tranches unlocked. */
async function reentrantFixture() {
  const f = await enrolledFixture();
  const attacker: ReentrantBeneficiary = await ethers.deployContract("ReentrantBeneficiary", [
    await f.p.escrow.getAddress(),
  ]);
  const attackerAddress = await attacker.getAddress();
  const ha = await identifyHousehold(f.p, { address: attackerAddress }, "520101198807077890");
  await f.p.escrow.connect(f.p.officials[0]).enrol(f.projectId, ha.commitment, ha.attesters);
  await networkHelpers.time.increaseTo(unlockAt(f.terms, 1));
  return { ...f, attacker, attackerAddress, ha };
}

describe("adversarial", function () {
  describe("a beneficiary contract re-entering claim from its receive()", function () {
    it("is stopped by the reentrancy guard and only one tranche is paid", async function () {
      const { p, projectId, terms, attacker, attackerAddress, ha } = await networkHelpers.loadFixture(reentrantFixture);
      const amount = perTranche(terms);
      const claimedBefore = (await p.escrow.projectLedger(projectId)).claimed;
      await attacker.arm(Attack.Claim, projectId, ha.commitment, 1);

      const tx = attacker.connect(p.outsider).claim(projectId, ha.commitment, 0);
      await expect(tx).to.emit(p.escrow, "AidClaimed").withArgs(projectId, ha.commitment, attackerAddress, 0, amount);
      await expect(tx).to.changeEtherBalances(ethers, [attackerAddress, p.escrow], [amount, -amount]);
      const receipt = await (await tx).wait();
      const paid = receipt!.logs
        .map((log) => p.escrow.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "AidClaimed");
      expect(paid).to.have.length(1);

      expect(await attacker.reentered()).to.equal(true);
      const reason = p.escrow.interface.parseError(await attacker.reentryError());
      expect(reason?.name).to.equal("ReentrancyGuardReentrantCall");
      expect(reason?.args).to.have.length(0);

      expect((await p.escrow.enrolment(projectId, ha.commitment)).settledMask).to.equal(1n);
      expect((await p.escrow.projectLedger(projectId)).claimed).to.equal(claimedBefore + amount);

      // Tranche 1 was never paid: claimed normally (disarmed), it still pays once.
      await expect(attacker.claim(projectId, ha.commitment, 1))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, ha.commitment, attackerAddress, 1, amount);
    });

    it("cannot be paid the same tranche twice by re-entering for it", async function () {
      const { p, projectId, terms, attacker, ha } = await networkHelpers.loadFixture(reentrantFixture);
      await attacker.arm(Attack.Claim, projectId, ha.commitment, 0);
      await expect(attacker.claim(projectId, ha.commitment, 0)).to.changeEtherBalance(
        ethers,
        await attacker.getAddress(),
        perTranche(terms),
      );
      expect(p.escrow.interface.parseError(await attacker.reentryError())?.name).to.equal(
        "ReentrancyGuardReentrantCall",
      );
      await expect(attacker.claim(projectId, ha.commitment, 0))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(projectId, ha.commitment, 0);
    });

    it("cannot reach refund() from inside a claim payment either", async function () {
      const { p, projectId, terms, attacker, attackerAddress, ha } = await networkHelpers.loadFixture(reentrantFixture);
      await attacker.arm(Attack.Refund, projectId, ha.commitment, 0);
      await expect(attacker.claim(projectId, ha.commitment, 0)).to.changeEtherBalance(
        ethers,
        attackerAddress,
        perTranche(terms),
      );
      expect(await attacker.reentered()).to.equal(true);
      expect(p.escrow.interface.parseError(await attacker.reentryError())?.name).to.equal(
        "ReentrancyGuardReentrantCall",
      );
      expect((await p.escrow.projectLedger(projectId)).refunded).to.equal(0n);
    });
  });

  describe("signatures that recover to nobody", function () {
    it("refuses a signed claim for an unbound commitment with a zero recipient and a zero signature", async function () {
      const { p, projectId } = await networkHelpers.loadFixture(claimableFixture);
      const unbound = ethers.id("never bound");
      const request = {
        projectId,
        commitment: unbound,
        trancheIndex: 0,
        recipient: ethers.ZeroAddress,
        amount: ethers.parseEther("1"),
        nonce: 0n,
        deadline: (await now()) + DAY,
      };
      await expect(p.escrow.connect(p.outsider).claimBySig(request, "0x" + "00".repeat(65), []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
        .withArgs(unbound, ethers.ZeroAddress);
    });
  });

  describe("attester hint lists", function () {
    it("refuses a duplicate attester at enrolment (AidRegistryAttestersNotAscending)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p);
      const hh = await identifyHousehold(p, p.households[0], HH1_ID);
      const o0 = p.officials[0].address;
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o0, o0]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, o0);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [ethers.ZeroAddress, o0]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, ethers.ZeroAddress);
    });

    it("refuses a duplicate attester within one condition of a multi-condition project", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId } = await fundedProject(p, { conditions: [INCOME, SCHOOL] });
      const hh = await identifyHousehold(p, p.households[0], HH1_ID, [INCOME, SCHOOL]);
      const [o0, o1] = p.officials.map((o) => o.address);
      await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, [o0, o1, o1, o1]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(SCHOOL, o1);
    });

    it("refuses a duplicate attester when re-proving eligibility at claim time", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.registry.removeOfficial(p.officials[2].address);
      const o1 = p.officials[1].address;
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [o1, o1]))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAttestersNotAscending")
        .withArgs(INCOME, o1);
    });

    it("does not count a removed official's attestation at enrolment", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await fundedProject(p);
      const hh = await identifyHousehold(p, p.households[0], HH1_ID);
      const [o0, o1, o2] = p.officials;
      await p.registry.removeOfficial(o0.address);
      await expect(p.escrow.connect(o1).enrol(projectId, hh.commitment, hh.attesters))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryNotOfficial")
        .withArgs(o0.address);
      await p.registry.connect(o2).attest(hh.commitment, INCOME, hh.expiry, ethers.id("second visit"), 70);
      const t = await atNextSecond();
      await expect(p.escrow.connect(o1).enrol(projectId, hh.commitment, [o1.address, o2.address]))
        .to.emit(p.escrow, "BeneficiaryEnrolled")
        .withArgs(
          projectId,
          hh.commitment,
          o1.address,
          3n * perTranche(terms),
          t + BigInt(terms.publicityWindow),
          [o1.address, o2.address],
        );
    });
  });

  describe("double spending across paths", function () {
    it("refuses a signed claim for a tranche already claimed directly", async function () {
      const { p, projectId, hh } = await networkHelpers.loadFixture(claimableFixture);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      const domain = await domainOf(p.escrow);
      const request = {
        projectId,
        commitment: hh.commitment,
        trancheIndex: 0,
        recipient: p.households[0].address,
        amount: ethers.parseEther("1"),
        nonce: 0n,
        deadline: (await now()) + DAY,
      };
      await expect(p.escrow.connect(p.outsider).claimBySig(request, await signClaim(p.households[0], domain, request), []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(projectId, hh.commitment, 0);
    });

    it("keeps the escrow's balance equal to what its projects hold", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(enrolledFixture);
      const second = await fundedProject(p);
      await p.escrow.connect(p.officials[0]).enrol(second.projectId, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
      await p.escrow.connect(p.households[0]).claim(second.projectId, hh.commitment, 0, []);
      await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 1, []);
      let held = 0n;
      for (const id of [projectId, second.projectId]) {
        const l = await p.escrow.projectLedger(id);
        held += l.raised - l.claimed - l.refunded;
      }
      expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(held);
      expect((await p.escrow.projectLedger(projectId)).claimed).to.equal(2n * perTranche(terms));
    });
  });

  describe("after a household's account is rebound (lost phone)", function () {
    async function reboundFixture() {
      const f = await claimableFixture();
      const [newAccount] = (await ethers.getSigners()).slice(14);
      const [o0, o1] = f.p.officials;
      await f.p.registry.connect(o0).requestRebind(f.hh.commitment, newAccount.address);
      const { nonce } = await f.p.registry.rebindRequest(f.hh.commitment);
      await f.p.registry.connect(o1).approveRebind(f.hh.commitment, nonce);
      await networkHelpers.time.increase(REBIND_DELAY);
      await f.p.registry.connect(f.p.outsider).executeRebind(f.hh.commitment);
      return { ...f, newAccount };
    }

    it("pays only the new account; the old one is no longer the beneficiary", async function () {
      const { p, projectId, terms, hh, newAccount } = await networkHelpers.loadFixture(reboundFixture);
      const old = p.households[0];
      await expect(p.escrow.connect(old).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
        .withArgs(hh.commitment, old.address);
      // A re-bind moves the eligibility epoch: the new account's first claim needs a fresh proof.
      await expect(p.escrow.connect(newAccount).claim(projectId, hh.commitment, 0, hh.attesters))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, newAccount.address, 0, perTranche(terms));
    });

    it("refuses a claim signed by the old account", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(reboundFixture);
      const old = p.households[0];
      const domain = await domainOf(p.escrow);
      const request = {
        projectId,
        commitment: hh.commitment,
        trancheIndex: 0,
        recipient: old.address,
        amount: perTranche(terms),
        nonce: 0n,
        deadline: (await now()) + DAY,
      };
      await expect(p.escrow.connect(p.outsider).claimBySig(request, await signClaim(old, domain, request), []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
        .withArgs(hh.commitment, old.address);
    });
  });
});
