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
  signedClaim,
} from "./helpers.ts";

describe("AidRosterProgramme: signed and relayed claims", function () {
  describe("claimBySig", function () {
    it("pays the leaf's account, not the relayer who submits it", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const request = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      const tx = programme.connect(p.relayer).claimBySig(request);
      await expect(tx).to.emit(programme, "Claimed").withArgs(p.households[0].address, 0n, 0n, request.amount);
      await expect(tx).to.changeEtherBalances(ethers, [p.households[0], programme], [request.amount, -request.amount]);
    });

    it("refuses a replayed signature (the leaf-tranche is already paid)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const request = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      await programme.connect(p.relayer).claimBySig(request);
      await expect(programme.connect(p.relayer).claimBySig(request))
        .to.be.revertedWithCustomError(programme, "AidRosterAlreadyClaimed")
        .withArgs(0n, 0n);
    });

    it("refuses a signature by anyone but the leaf's account", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const request = await signedClaim(programme, roster, 0, 0n, p.outsider);
      await expect(programme.connect(p.relayer).claimBySig(request))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(p.households[0].address);
    });

    it("refuses a signature made for another programme (the domain binds the programme)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const a = await readyProgramme(p);
      const b = await readyProgramme(p);
      await openTranche(a.terms, b.claimsOpenAt, 0);
      const forB = await signedClaim(b.programme, b.roster, 0, 0n, p.households[0]);
      await expect(a.programme.connect(p.relayer).claimBySig(forB))
        .to.be.revertedWithCustomError(a.programme, "AidSignaturesInvalid")
        .withArgs(p.households[0].address);
    });

    it("refuses a relayer's change of tranche or amount after signing", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 1);
      const request = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      await expect(programme.connect(p.relayer).claimBySig({ ...request, tranche: 1n }))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(p.households[0].address);
      // Naming itself breaks the proof; the signature, checked first on that path, is not the relayer's either.
      await expect(programme.connect(p.relayer).claimBySig({ ...request, account: p.relayer.address }))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(p.relayer.address);
      // Its own signature does not help: no leaf names it, and no leaf change made it a payee.
      const own = await signedClaim(programme, roster, 0, 0n, p.relayer, { account: p.relayer.address });
      await expect(programme.connect(p.relayer).claimBySig(own))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidProof")
        .withArgs(0n, p.relayer.address, (root: string) => root !== roster.root);
    });

    it("honours the deadline (t-1 paid, t and t+1 refused)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      const at = await openTranche(terms, claimsOpenAt, 0);
      const deadline = at + 100n;
      const first = await signedClaim(programme, roster, 0, 0n, p.households[0], { deadline });
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(programme.connect(p.relayer).claimBySig(first)).to.emit(programme, "Claimed");
      await openTranche(terms, claimsOpenAt, 1);
      const late = await signedClaim(programme, roster, 0, 1n, p.households[0], { deadline: (await now()) + 10n });
      await networkHelpers.time.setNextBlockTimestamp(late.deadline);
      await expect(programme.connect(p.relayer).claimBySig(late))
        .to.be.revertedWithCustomError(programme, "AidSignaturesExpired")
        .withArgs(late.deadline);
      await networkHelpers.time.setNextBlockTimestamp(late.deadline + 1n);
      await expect(programme.connect(p.relayer).claimBySig(late))
        .to.be.revertedWithCustomError(programme, "AidSignaturesExpired")
        .withArgs(late.deadline);
    });

    it("lets the account void outstanding signatures by bumping its nonce", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const request = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      await expect(programme.connect(p.households[0]).invalidateClaimSignatures())
        .to.emit(programme, "ClaimNonceInvalidated")
        .withArgs(p.households[0].address, 1n);
      expect(await programme.claimNonce(p.households[0].address)).to.equal(1n);
      await expect(programme.connect(p.relayer).claimBySig(request))
        .to.be.revertedWithCustomError(programme, "AidClaimNonceMismatch")
        .withArgs(p.households[0].address, 1n, 0n);
      const fresh = await signedClaim(programme, roster, 0, 0n, p.households[0], { nonce: 1n });
      await expect(programme.connect(p.relayer).claimBySig(fresh)).to.emit(programme, "Claimed");
    });

    it("accepts an ERC-1271 wallet as the leaf's account and pays the wallet", async function () {
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
      // The wallet's owner signs; the wallet vouches for the signature by ERC-1271.
      const request = await signedClaim(programme, roster, 0, 0n, p.households[0]);
      await expect(programme.connect(p.relayer).claimBySig(request)).to.changeEtherBalance(ethers, walletAddress, leaves[0].amount);
      await openTranche(terms, claimsOpenAt, 1);
      const forged = await signedClaim(programme, roster, 0, 1n, p.outsider);
      await expect(programme.connect(p.relayer).claimBySig(forged))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(walletAddress);
    });
  });

  describe("claimBatch", function () {
    it("pays every entry to its own account and returns the count", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const requests = [
        await signedClaim(programme, roster, 0, 0n, p.households[0]),
        await signedClaim(programme, roster, 1, 0n, p.households[1]),
      ];
      expect(await programme.connect(p.relayer).claimBatch.staticCall(requests)).to.equal(2n);
      const tx = programme.connect(p.relayer).claimBatch(requests);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [p.households[0], p.households[1], p.relayer, programme],
        [roster.leaves[0].amount, roster.leaves[1].amount, 0n, -(roster.leaves[0].amount + roster.leaves[1].amount)],
      );
      await expect(tx).to.emit(programme, "Claimed").withArgs(p.households[1].address, 1n, 0n, roster.leaves[1].amount);
    });

    it("skips an entry the beneficiary already claimed directly, so the batch still pays the rest", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
      await openTranche(terms, claimsOpenAt, 0);
      const requests = [
        await signedClaim(programme, roster, 0, 0n, p.households[0]),
        await signedClaim(programme, roster, 1, 0n, p.households[1]),
      ];
      await programme.connect(p.households[0]).claim(0n, 0n, roster.leaves[0].amount, roster.proof(0));
      const tx = programme.connect(p.relayer).claimBatch(requests);
      await expect(tx)
        .to.emit(programme, "ClaimSkipped")
        .withArgs(0n, 0n, programme.interface.encodeErrorResult("AidRosterAlreadyClaimed", [0n, 0n]));
      await expect(tx).to.changeEtherBalances(ethers, [p.households[0], p.households[1]], [0n, roster.leaves[1].amount]);
    });

    describe("issue 11 #9: one household voids a relayer's whole batch after simulation", function () {
      it("skips an entry with a forged signature and pays the rest", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const requests = [
          await signedClaim(programme, roster, 0, 0n, p.households[0]),
          await signedClaim(programme, roster, 1, 0n, p.outsider),
        ];
        const tx = programme.connect(p.relayer).claimBatch(requests);
        await expect(tx)
          .to.emit(programme, "ClaimSkipped")
          .withArgs(1n, 0n, programme.interface.encodeErrorResult("AidSignaturesInvalid", [p.households[1].address]));
        await expect(tx).to.changeEtherBalances(ethers, [p.households[0], p.households[1]], [roster.leaves[0].amount, 0n]);
      });

      it("skips an entry whose account moved its nonce after the relayer simulated, and pays the rest", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const requests = [
          await signedClaim(programme, roster, 0, 0n, p.households[0]),
          await signedClaim(programme, roster, 1, 0n, p.households[1]),
        ];
        expect(await programme.connect(p.relayer).claimBatch.staticCall(requests)).to.equal(2n);
        await programme.connect(p.households[1]).invalidateClaimSignatures();
        const tx = programme.connect(p.relayer).claimBatch(requests);
        await expect(tx)
          .to.emit(programme, "ClaimSkipped")
          .withArgs(1n, 0n, programme.interface.encodeErrorResult("AidClaimNonceMismatch", [p.households[1].address, 1n, 0n]));
        await expect(tx).to.changeEtherBalance(ethers, p.households[0], roster.leaves[0].amount);
      });

      it("skips a wallet that refuses the money or burns its gas, and pays the rest", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms } = await createProgramme(p);
        const wallet = await ethers.deployContract("ContractWallet", [p.households[0].address]);
        const walletAddress = await wallet.getAddress();
        const leaves = [{ index: 0n, account: walletAddress, amount: ethers.parseEther("1") }, ...defaultLeaves(p).slice(1)];
        const roster = buildRoster(leaves, 3n);
        await fundProgramme(p, programme, terms, roster.rosterTotal);
        await publish(programme, p.manager, roster);
        const claimsOpenAt = await approveNow(p, programme, terms);
        await openTranche(terms, claimsOpenAt, 1);
        const failedCall = programme.interface.encodeErrorResult("FailedCall", []);
        await wallet.connect(p.households[0]).setAcceptsEth(false);
        let tx = programme
          .connect(p.relayer)
          .claimBatch([await signedClaim(programme, roster, 0, 0n, p.households[0]), await signedClaim(programme, roster, 1, 0n, p.households[1])]);
        await expect(tx).to.emit(programme, "ClaimSkipped").withArgs(0n, 0n, failedCall);
        await expect(tx).to.changeEtherBalance(ethers, p.households[1], roster.leaves[1].amount);
        expect(await programme.isSettled(0n, 0n)).to.equal(false);
        await wallet.connect(p.households[0]).setAcceptsEth(true);
        await wallet.connect(p.households[0]).setBurnsGas(true, false);
        tx = programme
          .connect(p.relayer)
          .claimBatch([await signedClaim(programme, roster, 0, 1n, p.households[0]), await signedClaim(programme, roster, 1, 1n, p.households[1])], {
            gasLimit: 3_000_000n,
          });
        await expect(tx).to.emit(programme, "ClaimSkipped").withArgs(0n, 1n, failedCall);
        await expect(tx).to.changeEtherBalance(ethers, p.households[1], roster.leaves[1].amount);
      });

      it("reverts the whole batch only while paused, or rather than starve an entry (AidRosterBatchOutOfGas)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const { programme, terms, roster, claimsOpenAt } = await readyProgramme(p);
        await openTranche(terms, claimsOpenAt, 0);
        const requests = [await signedClaim(programme, roster, 0, 0n, p.households[0])];
        await expect(programme.connect(p.relayer).claimBatch(requests, { gasLimit: 300_000n }))
          .to.be.revertedWithCustomError(programme, "AidRosterBatchOutOfGas")
          .withArgs(0n, (g: bigint) => g < 530_000n);
        await programme.connect(p.guardian).pause();
        await expect(programme.connect(p.relayer).claimBatch(requests)).to.be.revertedWithCustomError(programme, "AidPauseActive");
      });
    });

    it("is not payable (msg.value cannot be reused across entries)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      const fragment = programme.interface.getFunction("claimBatch");
      expect(fragment.payable).to.equal(false);
      expect(programme.interface.getFunction("claimBySig").payable).to.equal(false);
      expect(programme.interface.getFunction("claim").payable).to.equal(false);
      void DAY;
    });
  });
});
