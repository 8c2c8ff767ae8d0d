import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  now,
  DAY,
  deployRoster,
  createProgramme,
  readyProgramme,
  buildRoster,
  defaultLeaves,
  fundProgramme,
  publish,
  approveNow,
  openTranche,
  Status,
} from "./helpers.ts";

describe("AidRosterProgramme: direct claims", function () {
  describe("claim", function () {
    describe("when the window has passed and the tranche unlocked", function () {
      it("pays the leaf's amount to the caller, marks the tranche settled and emits Claimed", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const hh = p.households[1];
        const leaf = roster.leaves[1];
        const tx = programme.connect(hh).claim(leaf.index, 0n, leaf.amount, roster.proof(1));
        await expect(tx).to.emit(programme, "Claimed").withArgs(hh.address, leaf.index, 0n, leaf.amount);
        await expect(tx).to.changeEtherBalances(ethers, [hh, programme], [leaf.amount, -leaf.amount]);
        expect(await programme.isSettled(leaf.index, 0n)).to.equal(true);
        expect(await programme.isSettled(leaf.index, 1n)).to.equal(false);
        expect(await programme.isSettled(0n, 0n)).to.equal(false);
      });

      it("pays every tranche once each, in an ERC-20 programme too", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const token = await p.stablecoin.getAddress();
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p, { token });
        const hh = p.households[0];
        const leaf = roster.leaves[0];
        for (let t = 0; t < 3; t++) {
          await openTranche(terms, claimsOpenAt, t);
          await expect(programme.connect(hh).claim(leaf.index, BigInt(t), leaf.amount, roster.proof(0))).to.changeTokenBalances(
            ethers,
            p.stablecoin,
            [hh, programme],
            [leaf.amount, -leaf.amount],
          );
        }
        expect(await p.stablecoin.balanceOf(hh.address)).to.equal(3n * leaf.amount);
      });
    });

    describe("refuses", function () {
      it("a second claim of the same tranche", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const leaf = roster.leaves[0];
        await programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, roster.proof(0));
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
          .withArgs(leaf.index, 0n);
      });

      it("a bad proof, a wrong amount and a caller who is not the leaf's account", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const leaf = roster.leaves[0];
        const bad = [...roster.proof(0)];
        bad[0] = ethers.id("not a sibling");
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, bad))
          .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
          .withArgs(leaf.index, p.households[0].address, (root: string) => root !== roster.root);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount * 2n, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
          .withArgs(leaf.index, p.households[0].address, (root: string) => root !== roster.root);
        // The household's proof submitted by someone else computes another leaf: refused, nothing paid.
        await expect(programme.connect(p.outsider).claim(leaf.index, 0n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
          .withArgs(leaf.index, p.outsider.address, (root: string) => root !== roster.root);
      });

      it("another programme's proof", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const a = await readyProgramme(p);
        // Programme B lists the same household at another amount: its proof leads to B's root.
        const leavesB = defaultLeaves(p, ethers.parseEther("0.5"));
        const b = await readyProgramme(p, {}, leavesB);
        await openTranche(a.terms, a.claimsOpenAt > b.claimsOpenAt ? a.claimsOpenAt : b.claimsOpenAt, 0);
        await expect(a.programme.connect(p.households[0]).claim(0n, 0n, leavesB[0].amount, b.roster.proof(0)))
          .to.be.revertedWithCustomError(a.programme, "AidRosterInvalidProof")
          .withArgs(0n, p.households[0].address, b.roster.root);
      });

      it("a proof of a replaced root (double claim across a root change)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster } = await readyProgramme(p);
        // Still in the window: the manager replaces the roster; the old root's proofs die with it.
        const second = buildRoster(defaultLeaves(p).slice(0, 4), 3n);
        await publish(programme, p.manager, second);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 0);
        const leaf = roster.leaves[0];
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
          .withArgs(leaf.index, p.households[0].address, roster.root);
        // Under the new root the leaf is paid once; a further root change is refused from now on.
        await programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, second.proof(0));
        await expect(publish(programme, p.manager, roster))
          .to.be.revertedWithCustomError(programme, "AidRosterRootFrozen")
          .withArgs(2n, claimsOpenAt);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, second.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
          .withArgs(leaf.index, 0n);
      });

      it("a root that is published but not approved", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const roster = buildRoster(defaultLeaves(p), 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        await publish(programme, p.manager, roster);
        await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
        await expect(programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterRootNotApproved")
          .withArgs(1n);
      });

      it("during the publicity window (t-1 refused, t and t+1 paid)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const t = await now();
        // The first tranche unlocks before the window ends, so the window is what binds.
        const { programme, roster, claimsOpenAt } = await readyProgramme(p, { trancheUnlockTimes: [t + 1n * DAY] });
        const leaf = roster.leaves[0];
        await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt - 1n);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterPublicityWindowOpen")
          .withArgs(claimsOpenAt);
        await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 0n, leaf.amount, roster.proof(0))).to.emit(
          programme,
          "Claimed",
        );
        await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt + 1n);
        await expect(programme.connect(p.households[1]).claim(1n, 0n, roster.leaves[1].amount, roster.proof(1))).to.emit(
          programme,
          "Claimed",
        );
      });

      it("before the tranche unlocks (t-1 refused, t and t+1 paid) and an unknown tranche", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        const leaf = roster.leaves[0];
        const unlock = terms.trancheUnlockTimes[1];
        expect(unlock > claimsOpenAt).to.equal(true);
        await networkHelpers.time.setNextBlockTimestamp(unlock - 1n);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 1n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterTrancheLocked")
          .withArgs(1n, unlock);
        await networkHelpers.time.setNextBlockTimestamp(unlock);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 1n, leaf.amount, roster.proof(0))).to.emit(
          programme,
          "Claimed",
        );
        await networkHelpers.time.setNextBlockTimestamp(unlock + 1n);
        await expect(programme.connect(p.households[1]).claim(1n, 1n, roster.leaves[1].amount, roster.proof(1))).to.emit(
          programme,
          "Claimed",
        );
        await expect(programme.connect(p.households[0]).claim(leaf.index, 3n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterUnknownTranche")
          .withArgs(3n, 3n);
      });

      it("at and after the claim deadline (t-1 paid, t and t+1 refused) and then the status is Closed", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster } = await readyProgramme(p);
        const leaf = roster.leaves[0];
        await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline - 1n);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 2n, leaf.amount, roster.proof(0))).to.emit(
          programme,
          "Claimed",
        );
        await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline);
        await expect(programme.connect(p.households[0]).claim(leaf.index, 1n, leaf.amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
          .withArgs(terms.claimDeadline);
        await networkHelpers.time.setNextBlockTimestamp(terms.claimDeadline + 1n);
        await expect(programme.connect(p.households[1]).claim(1n, 2n, roster.leaves[1].amount, roster.proof(1)))
          .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
          .withArgs(terms.claimDeadline);
        await networkHelpers.mine();
        expect(await programme.status()).to.equal(Status.Closed);
      });

      it("after cancellation", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        await programme.connect(p.manager).approveCancellation();
        await programme.connect(p.reviewer).approveCancellation();
        const cancelledAt = BigInt(await networkHelpers.time.latest());
        await expect(programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "AidRosterClaimsClosed")
          .withArgs(cancelledAt);
      });

      it("while paused, and pays again after unpause", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        await programme.connect(p.guardian).pause();
        await expect(
          programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0)),
        ).to.be.revertedWithCustomError(programme, "AidPauseActive");
        await programme.connect(p.guardian).unpause();
        await expect(programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0))).to.emit(
          programme,
          "Claimed",
        );
      });

      it("a leaf whose index is beyond the signed leaf count", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const roster = buildRoster(defaultLeaves(p), 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        // A manager understating the leaf count would hide leaves from objections: they cannot be paid.
        await programme.connect(p.manager).publishRoster(roster.root, 1, roster.rosterTotal, roster.uri, roster.contentHash);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 0);
        await expect(programme.connect(p.households[1]).claim(1n, 0n, roster.leaves[1].amount, roster.proof(1)))
          .to.be.revertedWithCustomError(programme, "AidRosterIndexOutOfRange")
          .withArgs(1n, 1n);
      });
    });

    describe("isSettled", function () {
      it("is false for no roster, an index beyond the roster and an unknown tranche", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        expect(await programme.isSettled(0n, 0n)).to.equal(false);
        const roster = buildRoster(defaultLeaves(p), 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        await publish(programme, p.manager, roster);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await programme.object(0n, ethers.id("reason"));
        expect(await programme.isSettled(0n, 2n)).to.equal(true);
        expect(await programme.isSettled(0n, 3n)).to.equal(false);
        expect(await programme.isSettled(6n, 0n)).to.equal(false);
        void claimsOpenAt;
      });
    });

    describe("when the money cannot be paid", function () {
      it("refuses to pay more than the programme holds, when leaves sum above the declared total (InsufficientBalance)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const big = ethers.parseEther("5");
        const leaves = [
          { index: 0n, account: p.households[0].address, amount: big },
          { index: 1n, account: p.households[1].address, amount: 1n },
        ];
        const roster = buildRoster(leaves, 1n);
        // Declared total 4 ETH + 3 wei (a lie: the leaves need 15 ETH + 3 wei over three tranches).
        const declared = ethers.parseEther("4") + 3n;
        await fundProgramme(p, programme, terms, declared);
        await programme.connect(p.manager).publishRoster(roster.root, 2, declared, roster.uri, roster.contentHash);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 0);
        await expect(programme.connect(p.households[0]).claim(0n, 0n, big, roster.proof(0)))
          .to.be.revertedWithCustomError(programme, "InsufficientBalance")
          .withArgs(declared, big);
        expect(await programme.isSettled(0n, 0n)).to.equal(false);
      });

      it("a wallet that refuses ETH gets nothing and keeps its tranche (FailedCall)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const wallet = await ethers.deployContract("ContractWallet", [p.households[0].address]);
        const walletAddress = await wallet.getAddress();
        const leaves = [{ index: 0n, account: walletAddress, amount: ethers.parseEther("1") }, ...defaultLeaves(p).slice(1)];
        const roster = buildRoster(leaves, 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        await publish(programme, p.manager, roster);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 0);
        await wallet.connect(p.households[0]).setAcceptsEth(false);
        const call = programme.interface.encodeFunctionData("claim", [0n, 0n, leaves[0].amount, roster.proof(0)]);
        await expect(wallet.connect(p.households[0]).execute(await programme.getAddress(), call)).to.be.revertedWithCustomError(
          programme,
          "FailedCall",
        );
        expect(await programme.isSettled(0n, 0n)).to.equal(false);
        await wallet.connect(p.households[0]).setAcceptsEth(true);
        await expect(wallet.connect(p.households[0]).execute(await programme.getAddress(), call)).to.changeEtherBalance(
          ethers,
          walletAddress,
          leaves[0].amount,
        );
      });
    });

    describe("against a reentrant beneficiary", function () {
      it("refuses the re-entered claim and pays the tranche once", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const attacker = await ethers.deployContract("RosterReentrantBeneficiary", [await programme.getAddress()]);
        const attackerAddress = await attacker.getAddress();
        const leaves = [
          { index: 0n, account: attackerAddress, amount: ethers.parseEther("1") },
          ...defaultLeaves(p).slice(1),
        ];
        const roster = buildRoster(leaves, 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        await publish(programme, p.manager, roster);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 0);
        const tx = attacker.claim(0n, 0n, leaves[0].amount, roster.proof(0), true);
        await expect(tx).to.changeEtherBalances(ethers, [attackerAddress, programme], [leaves[0].amount, -leaves[0].amount]);
        expect(await attacker.reentered()).to.equal(true);
        const guard = programme.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);
        expect(await attacker.reentryError()).to.equal(guard);
      });
    });
  });
});
