import { expect } from "chai";
import { ethers, networkHelpers, identifyHousehold, DAY, now } from "../helpers/fixtures.ts";
import type { ContractWallet } from "../../types/ethers-contracts/index.ts";
import {
  CLAIM_TYPES,
  type ClaimRequest,
  type Domain,
  claimableFixture,
  claimDigest,
  domainOf,
  enrolAt,
  perTranche,
  signClaim,
  unlockAt,
} from "./helpers.ts";

const CLAIM_TYPE =
  "ClaimRequest(uint256 projectId,bytes32 commitment,uint8 trancheIndex,address recipient,uint256 amount,uint256 nonce,uint256 deadline)";
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** claimableFixture plus the domain read from the contract and a request for tranche 0 by household 1. */
async function signedFixture() {
  const f = await claimableFixture();
  const domain = await domainOf(f.p.escrow);
  const request: ClaimRequest = {
    projectId: f.projectId,
    commitment: f.hh.commitment,
    trancheIndex: 0,
    recipient: f.p.households[0].address,
    amount: perTranche(f.terms),
    nonce: 0n,
    deadline: (await now()) + DAY,
  };
  const signature = await signClaim(f.p.households[0], domain, request);
  return { ...f, domain, request, signature };
}

describe("claimBySig", function () {
  describe("the EIP-712 domain and type", function () {
    it("are reported by the contract (ERC-5267) and match the ClaimRequest type string", async function () {
      const { p, domain } = await networkHelpers.loadFixture(signedFixture);
      const { chainId } = await ethers.provider.getNetwork();
      expect(domain).to.deep.equal({
        name: "PrecisionAid AidEscrow",
        version: "1",
        chainId,
        verifyingContract: await p.escrow.getAddress(),
      });
      expect(ethers.TypedDataEncoder.from(CLAIM_TYPES).encodeType("ClaimRequest")).to.equal(CLAIM_TYPE);
      expect(await p.escrow.CLAIM_TYPEHASH()).to.equal(ethers.id(CLAIM_TYPE));
    });
  });

  describe("submitted by a relayer", function () {
    it("pays the household, not the relayer, and leaves the nonce as it was (it is read, not consumed)", async function () {
      const { p, projectId, hh, request, signature } = await networkHelpers.loadFixture(signedFixture);
      const tx = p.escrow.connect(p.outsider).claimBySig(request, signature, []);
      await expect(tx)
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, request.amount);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [p.households[0], p.outsider, p.escrow],
        [request.amount, 0n, -request.amount],
      );
      expect(await p.escrow.claimNonce(p.households[0].address)).to.equal(0n);
      expect((await p.escrow.enrolment(projectId, hh.commitment)).settledMask).to.equal(1n);
    });

    it("refuses a replay of the same signature: its tranche is settled (AidEscrowTrancheSettled)", async function () {
      const { p, request, signature } = await networkHelpers.loadFixture(signedFixture);
      await p.escrow.connect(p.outsider).claimBySig(request, signature, []);
      await expect(p.escrow.connect(p.donors[0]).claimBySig(request, signature, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheSettled")
        .withArgs(request.projectId, request.commitment, 0);
    });

    it("refuses a nonce other than the current one (AidClaimNonceMismatch(account, expected, signed))", async function () {
      const { p, domain, request } = await networkHelpers.loadFixture(signedFixture);
      const hh = p.households[0];
      const ahead = { ...request, nonce: 1n };
      await expect(p.escrow.connect(p.outsider).claimBySig(ahead, await signClaim(hh, domain, ahead), []))
        .to.be.revertedWithCustomError(p.escrow, "AidClaimNonceMismatch")
        .withArgs(hh.address, 0n, 1n);
    });

    it("signs several tranches with the same nonce: each is paid once", async function () {
      const { p, terms, domain, request, signature } = await networkHelpers.loadFixture(signedFixture);
      const hh = p.households[0];
      const second = { ...request, trancheIndex: 1, deadline: request.deadline + 60n * DAY };
      const secondSignature = await signClaim(hh, domain, second);
      await p.escrow.connect(p.outsider).claimBySig(request, signature, []);
      await networkHelpers.time.increaseTo(unlockAt(terms, 1));
      await expect(p.escrow.connect(p.outsider).claimBySig(second, secondSignature, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(request.projectId, request.commitment, hh.address, 1, request.amount);
    });

    it("does not use up the nonce when the claim itself is refused", async function () {
      const { p, terms, domain, request } = await networkHelpers.loadFixture(signedFixture);
      const early = { ...request, trancheIndex: 1 };
      await expect(p.escrow.connect(p.outsider).claimBySig(early, await signClaim(p.households[0], domain, early), []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTrancheLocked")
        .withArgs(request.projectId, 1, unlockAt(terms, 1));
      expect(await p.escrow.claimNonce(p.households[0].address)).to.equal(0n);
    });

    it("can carry a fresh proof when the cached one is stale", async function () {
      const { p, hh, request, signature } = await networkHelpers.loadFixture(signedFixture);
      await p.registry.removeOfficial(p.officials[2].address);
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(request.projectId, request.commitment);
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, hh.attesters)).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });

    it("is stopped while paused", async function () {
      const { p, request, signature } = await networkHelpers.loadFixture(signedFixture);
      await p.escrow.connect(p.guardian).pause();
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, [])).to.be.revertedWithCustomError(
        p.escrow,
        "AidPauseActive",
      );
    });
  });

  describe("issue 11 #13: the escrow has no way to void outstanding signed claims", function () {
    it("voids every signed claim the account handed out (ClaimNonceInvalidated), and takes new ones", async function () {
      const { p, domain, request, signature } = await networkHelpers.loadFixture(signedFixture);
      const hh = p.households[0];
      await expect(p.escrow.connect(hh).invalidateClaimSignatures())
        .to.emit(p.escrow, "ClaimNonceInvalidated")
        .withArgs(hh.address, 1n);
      expect(await p.escrow.claimNonce(hh.address)).to.equal(1n);
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, []))
        .to.be.revertedWithCustomError(p.escrow, "AidClaimNonceMismatch")
        .withArgs(hh.address, 1n, 0n);
      const fresh = { ...request, nonce: 1n };
      await expect(p.escrow.connect(p.outsider).claimBySig(fresh, await signClaim(hh, domain, fresh), [])).to.emit(
        p.escrow,
        "AidClaimed",
      );
    });

    it("moves only the caller's own nonce", async function () {
      const { p } = await networkHelpers.loadFixture(signedFixture);
      await p.escrow.connect(p.outsider).invalidateClaimSignatures();
      expect(await p.escrow.claimNonce(p.outsider.address)).to.equal(1n);
      expect(await p.escrow.claimNonce(p.households[0].address)).to.equal(0n);
    });
  });

  describe("signature checks", function () {
    async function expectInvalid(
      f: Awaited<ReturnType<typeof signedFixture>>,
      domain: Domain,
      request: ClaimRequest = f.request,
      signer = f.p.households[0],
    ) {
      const signature = await signClaim(signer, domain, request);
      await expect(f.p.escrow.connect(f.p.outsider).claimBySig(request, signature, []))
        .to.be.revertedWithCustomError(f.p.escrow, "AidSignaturesInvalid")
        .withArgs(f.p.households[0].address);
    }

    it("refuses a signature made for another chain id", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await expectInvalid(f, { ...f.domain, chainId: f.domain.chainId + 1n });
      await expectInvalid(f, { ...f.domain, chainId: 1n });
    });

    it("refuses a signature made for another verifying contract", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await expectInvalid(f, { ...f.domain, verifyingContract: await f.p.registry.getAddress() });
    });

    it("refuses a signature made under another name or version", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await expectInvalid(f, { ...f.domain, name: "PrecisionAid" });
      await expectInvalid(f, { ...f.domain, version: "2" });
    });

    it("refuses a signature by someone other than the bound account", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      for (const signer of [f.p.outsider, f.p.households[1], f.p.officials[0]]) {
        await expectInvalid(f, f.domain, f.request, signer);
      }
    });

    it("refuses a request altered after signing", async function () {
      const { p, request, signature } = await networkHelpers.loadFixture(signedFixture);
      for (const altered of [{ ...request, deadline: request.deadline + 1n }, { ...request, trancheIndex: 1 }]) {
        await expect(p.escrow.connect(p.outsider).claimBySig(altered, signature, []))
          .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
          .withArgs(p.households[0].address);
      }
    });

    it("refuses a zero signature and a malleated (high-s) copy of a valid one", async function () {
      const { p, request, signature } = await networkHelpers.loadFixture(signedFixture);
      const sig = ethers.Signature.from(signature);
      const highS = ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32);
      const malleated = ethers.concat([sig.r, highS, ethers.toBeHex(sig.v === 27 ? 28 : 27, 1)]);
      for (const bad of [ethers.ZeroHash + "00".repeat(33), malleated, "0x"]) {
        await expect(p.escrow.connect(p.outsider).claimBySig(request, bad, []))
          .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
          .withArgs(p.households[0].address);
      }
      // The original still works.
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, [])).to.emit(p.escrow, "AidClaimed");
    });
  });

  describe("deadline", function () {
    it("refuses at exactly the deadline (AidEscrowSignatureExpired) and accepts at deadline - 1", async function () {
      const { p, domain, request } = await networkHelpers.loadFixture(signedFixture);
      const deadline = (await now()) + 600n;
      const req = { ...request, deadline };
      const signature = await signClaim(p.households[0], domain, req);

      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(p.escrow.connect(p.outsider).claimBySig(req, signature, []))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesExpired")
        .withArgs(deadline);
      await networkHelpers.mine();
      expect(await p.escrow.claimNonce(p.households[0].address)).to.equal(0n);
    });

    it("accepts one second before the deadline", async function () {
      const { p, domain, request } = await networkHelpers.loadFixture(signedFixture);
      const deadline = (await now()) + 600n;
      const req = { ...request, deadline };
      const signature = await signClaim(p.households[0], domain, req);
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(p.escrow.connect(p.outsider).claimBySig(req, signature, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(req.projectId, req.commitment, p.households[0].address, 0, req.amount);
    });
  });

  describe("recipient and amount", function () {
    it("refuses a request whose recipient was swapped to the relayer (AidEscrowNotBeneficiary)", async function () {
      const { p, domain, request } = await networkHelpers.loadFixture(signedFixture);
      const swapped = { ...request, recipient: p.outsider.address };
      for (const signer of [p.outsider, p.households[0]]) {
        await expect(p.escrow.connect(p.outsider).claimBySig(swapped, await signClaim(signer, domain, swapped), []))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotBeneficiary")
          .withArgs(request.commitment, p.outsider.address);
      }
    });

    it("refuses a signed amount other than the amount per tranche (AidEscrowWrongAmount(expected, signed))", async function () {
      const { p, domain, request } = await networkHelpers.loadFixture(signedFixture);
      for (const amount of [request.amount * 2n, request.amount - 1n, 0n]) {
        const req = { ...request, amount };
        await expect(p.escrow.connect(p.outsider).claimBySig(req, await signClaim(p.households[0], domain, req), []))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongAmount")
          .withArgs(request.amount, amount);
      }
      expect(await p.escrow.claimNonce(p.households[0].address)).to.equal(0n);
    });
  });

  describe("for a smart-contract wallet (ERC-1271)", function () {
    async function walletFixture() {
      const f = await claimableFixture();
      const owner = ethers.Wallet.createRandom();
      const wallet: ContractWallet = await ethers.deployContract("ContractWallet", [owner.address]);
      const walletAddress = await wallet.getAddress();
      const hw = await identifyHousehold(f.p, { address: walletAddress }, "520101199505055678");
      await enrolAt(f.p, f.projectId, f.terms, hw.commitment, hw.attesters);
      await networkHelpers.time.increaseTo(unlockAt(f.terms, 1));
      const domain = await domainOf(f.p.escrow);
      const request: ClaimRequest = {
        projectId: f.projectId,
        commitment: hw.commitment,
        trancheIndex: 0,
        recipient: walletAddress,
        amount: perTranche(f.terms),
        nonce: await f.p.escrow.claimNonce(walletAddress),
        deadline: (await now()) + DAY,
      };
      return { ...f, owner, wallet, walletAddress, hw, domain, request };
    }

    it("accepts the owner's signature of the digest, relayed by anyone, and pays the wallet", async function () {
      const { p, projectId, owner, wallet, walletAddress, hw, domain, request } =
        await networkHelpers.loadFixture(walletFixture);
      const digest = claimDigest(domain, request);
      const signature = owner.signingKey.sign(digest).serialized;
      expect(await wallet.isValidSignature(digest, signature)).to.equal("0x1626ba7e");

      const tx = p.escrow.connect(p.outsider).claimBySig(request, signature, []);
      await expect(tx).to.emit(p.escrow, "AidClaimed").withArgs(projectId, hw.commitment, walletAddress, 0, request.amount);
      await expect(tx).to.changeEtherBalances(ethers, [walletAddress, p.outsider], [request.amount, 0n]);
      expect(await p.escrow.claimNonce(walletAddress)).to.equal(0n);
    });

    it("refuses a signature the wallet does not accept", async function () {
      const { p, domain, request, walletAddress } = await networkHelpers.loadFixture(walletFixture);
      const stranger = ethers.Wallet.createRandom();
      const signature = stranger.signingKey.sign(claimDigest(domain, request)).serialized;
      await expect(p.escrow.connect(p.outsider).claimBySig(request, signature, []))
        .to.be.revertedWithCustomError(p.escrow, "AidSignaturesInvalid")
        .withArgs(walletAddress);
    });

    it("refuses with FailedCall when the wallet cannot take ETH, and changes nothing", async function () {
      const f = await networkHelpers.loadFixture(claimableFixture);
      const [owner] = (await ethers.getSigners()).slice(13);
      const wallet: ContractWallet = await ethers.deployContract("ContractWallet", [owner.address]);
      const walletAddress = await wallet.getAddress();
      const hw = await identifyHousehold(f.p, { address: walletAddress }, "520101199707077890");
      await f.p.escrow.connect(f.p.officials[0]).enrol(f.projectId, hw.commitment, hw.attesters);
      await networkHelpers.time.increaseTo(unlockAt(f.terms, 1));
      await wallet.connect(owner).setAcceptsEth(false);

      const data = f.p.escrow.interface.encodeFunctionData("claim", [f.projectId, hw.commitment, 1, []]);
      const before = await f.p.escrow.projectLedger(f.projectId);
      await expect(wallet.connect(owner).execute(await f.p.escrow.getAddress(), data)).to.be.revertedWithCustomError(
        f.p.escrow,
        "FailedCall",
      );
      expect((await f.p.escrow.projectLedger(f.projectId)).claimed).to.equal(before.claimed);
      expect((await f.p.escrow.enrolment(f.projectId, hw.commitment)).settledMask).to.equal(0n);

      // Once the wallet accepts ETH again the same tranche is still there to claim.
      await wallet.connect(owner).setAcceptsEth(true);
      await expect(wallet.connect(owner).execute(await f.p.escrow.getAddress(), data)).to.changeEtherBalance(
        ethers,
        walletAddress,
        perTranche(f.terms),
      );
    });

    it("lets the wallet claim directly through execute()", async function () {
      const f = await networkHelpers.loadFixture(claimableFixture);
      const [owner] = (await ethers.getSigners()).slice(13);
      const wallet: ContractWallet = await ethers.deployContract("ContractWallet", [owner.address]);
      const walletAddress = await wallet.getAddress();
      const hw = await identifyHousehold(f.p, { address: walletAddress }, "520101199606066789");
      await f.p.escrow.connect(f.p.officials[0]).enrol(f.projectId, hw.commitment, hw.attesters);
      await networkHelpers.time.increaseTo(unlockAt(f.terms, 1));

      const data = f.p.escrow.interface.encodeFunctionData("claim", [f.projectId, hw.commitment, 1, []]);
      const escrowAddress = await f.p.escrow.getAddress();
      await expect(wallet.connect(f.p.outsider).execute(escrowAddress, data))
        .to.be.revertedWithCustomError(wallet, "ContractWalletNotOwner")
        .withArgs(f.p.outsider.address);

      const tx = wallet.connect(owner).execute(escrowAddress, data);
      await expect(tx)
        .to.emit(f.p.escrow, "AidClaimed")
        .withArgs(f.projectId, hw.commitment, walletAddress, 1, perTranche(f.terms));
      await expect(tx).to.changeEtherBalance(ethers, walletAddress, perTranche(f.terms));
    });
  });
});
