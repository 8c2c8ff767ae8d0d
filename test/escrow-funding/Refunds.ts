import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  DAY,
  Status,
  Attack,
  at,
  fundStable,
  type Protocol,
  type HardhatEthersSigner,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");

/** Enrols households[i] for each i < count and claims `claims[i]` tranches for it (tranches 0..claims[i]-1). */
async function enrolAndClaim(p: Protocol, projectId: bigint, unlocks: bigint[], claims: number[]) {
  const hhs = [];
  for (let i = 0; i < claims.length; i++) {
    const hh = await identifyHousehold(p, p.households[i], `ID-refund-${i}`);
    await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
    hhs.push(hh);
  }
  const maxTranche = Math.max(0, ...claims);
  for (let t = 0; t < maxTranche; t++) {
    if ((await now()) < unlocks[t]) await networkHelpers.time.increaseTo(unlocks[t]);
    for (let i = 0; i < claims.length; i++) {
      if (t < claims[i]) await p.escrow.connect(p.households[i]).claim(projectId, hhs[i].commitment, t, []);
    }
  }
  return hhs;
}

/**
 * Refunds every donor in `order` and checks each payment against refundableOf (read just before) and
 * against the documented rule: floor(contribution x pool / raised) for every donor, never more than they
 * gave. Checks that the dust left behind is under one wei per donor. Returns what each donor was paid.
 */
async function refundInOrder(p: Protocol, projectId: bigint, order: HardhatEthersSigner[]) {
  const ledger = await p.escrow.projectLedger(projectId);
  const pool = ledger.raised - ledger.claimed;
  const escrowAddress = await p.escrow.getAddress();
  const paid = new Map<string, bigint>();
  let refunded = 0n;
  for (let i = 0; i < order.length; i++) {
    const donor = order[i];
    const contribution = await p.escrow.contributionOf(projectId, donor.address);
    const expected = (contribution * pool) / ledger.raised;
    expect(expected).to.be.lessThanOrEqual(contribution);
    expect(await p.escrow.refundableOf(projectId, donor.address)).to.equal(expected);
    const tx = p.escrow.connect(donor).refund(projectId);
    await expect(tx).to.emit(p.escrow, "Refunded").withArgs(projectId, donor.address, expected);
    await expect(tx).to.changeEtherBalances(ethers, [donor, escrowAddress], [expected, -expected]);
    expect(await p.escrow.contributionOf(projectId, donor.address)).to.equal(0n);
    expect(await p.escrow.refundableOf(projectId, donor.address)).to.equal(0n);
    refunded += expected;
    paid.set(donor.address, expected);
  }
  const after = await p.escrow.projectLedger(projectId);
  expect(after.refunded).to.equal(refunded);
  expect(after.refundedDonors).to.equal(BigInt(order.length));
  // Rounding down leaves under one wei per donor held by the project, and never pays out more than the pool.
  const dust = pool - after.refunded;
  expect(dust).to.be.greaterThanOrEqual(0n);
  expect(dust).to.be.lessThan(BigInt(order.length));
  return paid;
}

describe("AidEscrow refunds", function () {
  describe("refund", function () {
    describe("before refunds open", function () {
      it("rejects while Funding with AidEscrowWrongProjectStatus(projectId, Closed, Funding)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await expect(p.escrow.connect(p.donors[0]).refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Closed, Status.Funding);
      });

      it("rejects at claimDeadline - 1 (actual Active)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await at(terms.claimDeadline - 1n);
        await expect(p.escrow.connect(p.donors[0]).refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Closed, Status.Active);
      });

      it("reports nothing refundable (refundableOf is 0)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        expect(await p.escrow.refundableOf(projectId, p.donors[0].address)).to.equal(0n);
        await networkHelpers.time.increaseTo(terms.claimDeadline - 1n);
        expect(await p.escrow.refundableOf(projectId, p.donors[0].address)).to.equal(0n);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        expect(await p.escrow.refundableOf(projectId, p.donors[0].address)).to.equal(ONE);
      });

      it("rejects an unknown project", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.donors[0]).refund(1n))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
          .withArgs(1n);
        expect(await p.escrow.refundableOf(1n, p.donors[0].address)).to.equal(0n);
      });
    });

    describe("from the claim deadline on", function () {
      it("pays at exactly claimDeadline and emits Refunded", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await at(terms.claimDeadline);
        const tx = p.escrow.connect(p.donors[0]).refund(projectId);
        await expect(tx).to.emit(p.escrow, "Refunded").withArgs(projectId, p.donors[0].address, ONE);
        await expect(tx).to.changeEtherBalances(ethers, [p.donors[0], p.escrow], [ONE, -ONE]);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Closed);
      });

      it("refunds an ERC-20 project in its token", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p, {
          token: await p.stablecoin.getAddress(),
          amountPerTranche: 1_000_000n,
        });
        await fundStable(p, p.donors[0], 7_000_000n);
        await fundStable(p, p.donors[1], 3_000_001n);
        await p.escrow.connect(p.donors[0]).donateToken(projectId, 7_000_000n, 1);
        await p.escrow.connect(p.donors[1]).donateToken(projectId, 3_000_001n, 1);
        const hh = await identifyHousehold(p, p.households[0], "ID-token-refund");
        await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
        await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
        await p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []);
        await networkHelpers.time.increaseTo(terms.claimDeadline);

        const raised = 10_000_001n;
        const pool = raised - 1_000_000n;
        const first = (7_000_000n * pool) / raised;
        await expect(p.escrow.connect(p.donors[0]).refund(projectId)).to.changeTokenBalances(
          ethers,
          p.stablecoin,
          [p.donors[0], p.escrow],
          [first, -first],
        );
        const second = (3_000_001n * pool) / raised;
        await expect(p.escrow.connect(p.donors[1]).refund(projectId))
          .to.emit(p.escrow, "Refunded")
          .withArgs(projectId, p.donors[1].address, second);
        // 2,700,000.3 rounds down: the 1-unit dust stays with the project, and the books still balance.
        expect(pool - first - second).to.equal(1n);
        expect(await p.stablecoin.balanceOf(await p.escrow.getAddress())).to.equal(1n);
      });
    });

    describe("when the caller has nothing to refund", function () {
      it("rejects someone who never donated (AidEscrowNothingToRefund)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await expect(p.escrow.connect(p.outsider).refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNothingToRefund")
          .withArgs(projectId, p.outsider.address);
        expect(await p.escrow.refundableOf(projectId, p.outsider.address)).to.equal(0n);
      });

      it("rejects a second refund by the same donor", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: ONE });
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await p.escrow.connect(p.donors[0]).refund(projectId);
        await expect(p.escrow.connect(p.donors[0]).refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNothingToRefund")
          .withArgs(projectId, p.donors[0].address);
        expect((await p.escrow.projectLedger(projectId)).refundedDonors).to.equal(1n);
      });

      it("rejects a donor of another project", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const a = await createProject(p);
        const b = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(a.projectId, 1, { value: ONE });
        await p.escrow.connect(p.donors[1]).donate(b.projectId, 1, { value: ONE });
        await networkHelpers.time.increaseTo(a.terms.claimDeadline);
        await expect(p.escrow.connect(p.donors[1]).refund(a.projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNothingToRefund")
          .withArgs(a.projectId, p.donors[1].address);
      });
    });

    describe("pro rata, with several donors and some tranches claimed", function () {
      const contributions = [ONE + 1n, 2n * ONE + 3n, 4n * ONE + 5n];

      async function closedWithClaims() {
        const p = await networkHelpers.loadFixture(deployProtocol);
        // Another project's money sits in the same escrow and must not be touched.
        const other = await createProject(p);
        await p.escrow.connect(p.donors[2]).donate(other.projectId, 1, { value: 5n * ONE + 7n });
        const { projectId, terms } = await createProject(p);
        for (let i = 0; i < 3; i++) {
          await p.escrow.connect(p.donors[i]).donate(projectId, 1, { value: contributions[i] });
        }
        // Two households (6 ETH committed); tranches 0 for both and 1 for the first: 3 ETH claimed.
        await enrolAndClaim(p, projectId, terms.trancheUnlockTimes, [2, 1]);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        return { p, projectId, otherHeld: 5n * ONE + 7n };
      }

      for (const order of [
        [0, 1, 2],
        [2, 1, 0],
        [1, 2, 0],
      ]) {
        it(`pays each donor the same rounded-down share in order ${order.join(",")}, leaving only dust`, async function () {
          const { p, projectId, otherHeld } = await closedWithClaims();
          const ledger = await p.escrow.projectLedger(projectId);
          expect(ledger.claimed).to.equal(3n * ONE);
          const pool = ledger.raised - ledger.claimed;
          const paid = await refundInOrder(
            p,
            projectId,
            order.map((i) => p.donors[i]),
          );
          // The order does not matter: each donor gets floor(c x pool / raised).
          for (let i = 0; i < 3; i++) {
            expect(paid.get(p.donors[i].address)).to.equal((contributions[i] * pool) / ledger.raised);
          }
          const after = await p.escrow.projectLedger(projectId);
          const dust = after.raised - after.claimed - after.refunded;
          expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(otherHeld + dust);
        });
      }
    });

    describe("with three donors of 1 wei each", function () {
      /** amountPerTranche of 1 wei and `tranches` tranches, all claimed by one household. */
      async function oneWeiProject(tranches: number, claimed: number) {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const unlocks = Array.from({ length: tranches }, (_, i) => t + BigInt(10 + i) * DAY);
        const { projectId, terms } = await createProject(p, { amountPerTranche: 1n, trancheUnlockTimes: unlocks });
        for (const d of p.donors) await p.escrow.connect(d).donate(projectId, 1, { value: 1n });
        if (claimed > 0) await enrolAndClaim(p, projectId, unlocks, [claimed]);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        return { p, projectId };
      }

      const orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ];

      for (const order of orders) {
        it(`rounds every share of the 2-wei pool (1 of 3 claimed) down to zero and keeps the 2 wei as dust, order ${order.join(",")}`, async function () {
          const { p, projectId } = await oneWeiProject(1, 1);
          const paid = await refundInOrder(
            p,
            projectId,
            order.map((i) => p.donors[i]),
          );
          expect(order.map((i) => paid.get(p.donors[i].address))).to.deep.equal([0n, 0n, 0n]);
          expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(2n);
          const ledger = await p.escrow.projectLedger(projectId);
          expect(ledger.raised - ledger.claimed - ledger.refunded).to.equal(2n);
        });
      }

      for (const order of [
        [0, 1, 2],
        [2, 0, 1],
      ]) {
        it(`keeps the 1-wei pool (2 of 3 claimed) as dust, order ${order.join(",")}`, async function () {
          const { p, projectId } = await oneWeiProject(2, 2);
          const paid = await refundInOrder(
            p,
            projectId,
            order.map((i) => p.donors[i]),
          );
          expect(order.map((i) => paid.get(p.donors[i].address))).to.deep.equal([0n, 0n, 0n]);
          expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(1n);
        });
      }

      it("gives everyone their wei back when nothing was claimed", async function () {
        const { p, projectId } = await oneWeiProject(1, 0);
        const paid = await refundInOrder(p, projectId, [p.donors[1], p.donors[0], p.donors[2]]);
        expect([...paid.values()]).to.deep.equal([1n, 1n, 1n]);
        expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(0n);
      });

      it("pays nothing once all 3 wei were claimed, and still counts each refund once", async function () {
        const { p, projectId } = await oneWeiProject(3, 3);
        const paid = await refundInOrder(p, projectId, [p.donors[2], p.donors[1], p.donors[0]]);
        expect([...paid.values()]).to.deep.equal([0n, 0n, 0n]);
        await expect(p.escrow.connect(p.donors[2]).refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNothingToRefund")
          .withArgs(projectId, p.donors[2].address);
      });
    });

    describe("with three donors of 1 wei each in a cancelled project", function () {
      it("rounds each 2/3-wei share down and keeps the 2 unclaimed wei (committed but unpaid included) as dust", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const unlocks = [t + 10n * DAY, t + 20n * DAY];
        const { projectId } = await createProject(p, { amountPerTranche: 1n, trancheUnlockTimes: unlocks });
        for (const d of p.donors) await p.escrow.connect(d).donate(projectId, 1, { value: 1n });
        // 2 wei committed to the household, 1 claimed before the cancellation.
        await enrolAndClaim(p, projectId, unlocks, [1]);
        expect((await p.escrow.projectLedger(projectId)).committed).to.equal(2n);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId))
          .to.emit(p.escrow, "ProjectCancelled")
          .withArgs(projectId, 2n);
        const paid = await refundInOrder(p, projectId, [p.donors[2], p.donors[0], p.donors[1]]);
        expect([...paid.values()]).to.deep.equal([0n, 0n, 0n]);
        expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(2n);
      });
    });

    describe("while the escrow is paused", function () {
      it("still pays refunds", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await p.escrow.connect(p.guardian).pause();
        await expect(p.escrow.connect(p.donors[0]).refund(projectId))
          .to.emit(p.escrow, "Refunded")
          .withArgs(projectId, p.donors[0].address, ONE);
      });
    });

    describe("when the donor re-enters refund from its receive hook", function () {
      it("refuses the re-entry with ReentrancyGuardReentrantCall and pays exactly once", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        const attacker = await ethers.deployContract("ReentrantBeneficiary", [await p.escrow.getAddress()]);
        await attacker.donate(projectId, 1, { value: 3n * ONE });
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await attacker.arm(Attack.Refund, projectId, ethers.ZeroHash, 0);
        await networkHelpers.time.increaseTo(terms.claimDeadline);

        const tx = attacker.connect(p.outsider).refund(projectId);
        await expect(tx)
          .to.emit(p.escrow, "Refunded")
          .withArgs(projectId, await attacker.getAddress(), 3n * ONE);
        await expect(tx).to.changeEtherBalances(ethers, [attacker, p.escrow], [3n * ONE, -3n * ONE]);

        expect(await attacker.reentered()).to.equal(true);
        const err = await attacker.reentryError();
        expect(err).to.equal(p.escrow.interface.getError("ReentrancyGuardReentrantCall")!.selector);
        expect(p.escrow.interface.parseError(err)!.name).to.equal("ReentrancyGuardReentrantCall");

        const l = await p.escrow.projectLedger(projectId);
        expect(l.refunded).to.equal(3n * ONE);
        expect(l.refundedDonors).to.equal(1n);
        await expect(attacker.refund(projectId))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNothingToRefund")
          .withArgs(projectId, await attacker.getAddress());
        // The other donor is unaffected.
        await expect(p.escrow.connect(p.donors[0]).refund(projectId))
          .to.emit(p.escrow, "Refunded")
          .withArgs(projectId, p.donors[0].address, ONE);
        expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(0n);
      });
    });
  });
});
