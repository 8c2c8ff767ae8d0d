import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  now,
  DAY,
  Status,
  at,
  fundStable,
  signPermit,
  type Protocol,
} from "./helpers.ts";

const ONE = ethers.parseEther("1");
const USD = (n: bigint) => n * 1_000_000n;

async function tokenProject(p: Protocol) {
  return createProject(p, { token: await p.stablecoin.getAddress(), amountPerTranche: USD(10n) });
}

async function cancel(p: Protocol, projectId: bigint) {
  await p.escrow.connect(p.manager).approveCancellation(projectId);
  await p.escrow.connect(p.reviewer).approveCancellation(projectId);
}

describe("AidEscrow donations", function () {
  describe("donate (ETH)", function () {
    describe("while the project is funding", function () {
      it("emits Donated with the donor, the amount and the running total raised", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 2n * ONE }))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, 2n * ONE, 2n * ONE);
        await expect(p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: 3n }))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[1].address, 3n, 2n * ONE + 3n);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, ONE, 3n * ONE + 3n);
      });

      it("moves the ETH from the donor to the escrow", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE })).to.changeEtherBalances(
          ethers,
          [p.donors[0], p.escrow],
          [-ONE, ONE],
        );
      });

      it("counts distinct donors and sums each donor's contributions", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 1n });
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 2n });
        await p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: 4n });
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 8n });
        const l = await p.escrow.projectLedger(projectId);
        expect(l.donors).to.equal(2n);
        expect(l.raised).to.equal(15n);
        expect(await p.escrow.contributionOf(projectId, p.donors[0].address)).to.equal(11n);
        expect(await p.escrow.contributionOf(projectId, p.donors[1].address)).to.equal(4n);
        expect(await p.escrow.contributionOf(projectId, p.donors[2].address)).to.equal(0n);
      });

      it("keeps each project's books apart", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const a = await createProject(p);
        const b = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(a.projectId, 1, { value: 5n });
        await p.escrow.connect(p.donors[1]).donate(b.projectId, 1, { value: 9n });
        expect((await p.escrow.projectLedger(a.projectId)).raised).to.equal(5n);
        expect((await p.escrow.projectLedger(b.projectId)).raised).to.equal(9n);
        expect((await p.escrow.projectLedger(a.projectId)).donors).to.equal(1n);
        expect(await p.escrow.contributionOf(b.projectId, p.donors[0].address)).to.equal(0n);
      });

      it("accepts a donation at fundingDeadline - 1", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await at(terms.fundingDeadline - 1n);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, ONE, ONE);
      });
    });

    describe("when the donation is malformed", function () {
      it("rejects a zero amount (AidEscrowZeroAmount)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 0n }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowZeroAmount")
          .withArgs(projectId);
      });

      it("rejects an unknown project (AidEscrowUnknownProject)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await createProject(p);
        await expect(p.escrow.connect(p.donors[0]).donate(2n, 1, { value: ONE }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
          .withArgs(2n);
      });

      it("rejects ETH sent to an ERC-20 project (AidEscrowWrongToken)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongToken")
          .withArgs(projectId, ethers.ZeroAddress);
      });
    });

    describe("when the project no longer takes money", function () {
      it("rejects a donation at exactly the funding deadline (WrongProjectStatus(Funding, Active))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await at(terms.fundingDeadline);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Active);
      });

      it("rejects a donation after the claim deadline (actual Closed)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Closed);
      });

      it("rejects a donation after cancellation, even before the funding deadline (actual Cancelled)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: ONE });
        await cancel(p, projectId);
        expect(await now()).to.be.lessThan(terms.fundingDeadline);
        await expect(p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: ONE }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Cancelled);
      });
    });
  });

  describe("donateToken (ERC-20)", function () {
    describe("with an approved TestStablecoin", function () {
      it("emits Donated and moves the tokens into the escrow", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await fundStable(p, p.donors[0], USD(50n));
        const tx = p.escrow.connect(p.donors[0]).donateToken(projectId, USD(30n), 1);
        await expect(tx).to.emit(p.escrow, "Donated").withArgs(projectId, p.donors[0].address, USD(30n), USD(30n));
        await expect(tx).to.changeTokenBalances(ethers, p.stablecoin, [p.donors[0], p.escrow], [-USD(30n), USD(30n)]);
        expect(await p.stablecoin.allowance(p.donors[0].address, await p.escrow.getAddress())).to.equal(USD(20n));
      });

      it("keeps a running total and counts distinct donors", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await fundStable(p, p.donors[0], USD(10n));
        await fundStable(p, p.donors[1], USD(5n));
        await p.escrow.connect(p.donors[0]).donateToken(projectId, USD(4n), 1);
        await p.escrow.connect(p.donors[1]).donateToken(projectId, USD(5n), 1);
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(6n), 1))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, USD(6n), USD(15n));
        const l = await p.escrow.projectLedger(projectId);
        expect(l.donors).to.equal(2n);
        expect(l.raised).to.equal(USD(15n));
        expect(await p.escrow.contributionOf(projectId, p.donors[0].address)).to.equal(USD(10n));
      });

      it("still takes donations for an existing project after the token is removed from the allowlist", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await p.escrow.connect(p.admin).setTokenAllowed(await p.stablecoin.getAddress(), false);
        await fundStable(p, p.donors[0], USD(1n));
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, USD(1n), USD(1n));
      });

      it("accepts at fundingDeadline - 1 and rejects at fundingDeadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await tokenProject(p);
        await fundStable(p, p.donors[0], USD(2n));
        await at(terms.fundingDeadline - 1n);
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1)).to.emit(p.escrow, "Donated");
        await at(terms.fundingDeadline);
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Active);
      });

      it("refuses a total that does not fit the 112-bit books (SafeCastOverflowedUintDowncast)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        const big = 1n << 112n;
        await fundStable(p, p.donors[0], big);
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, big, 1))
          .to.be.revertedWithCustomError(p.escrow, "SafeCastOverflowedUintDowncast")
          .withArgs(112, big);
      });
    });

    describe("when the donation is malformed", function () {
      it("rejects the ERC-20 path for an ETH project (AidEscrowWrongToken(projectId, address(0)))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await fundStable(p, p.donors[0], USD(1n));
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongToken")
          .withArgs(projectId, ethers.ZeroAddress);
      });

      it("rejects a zero amount", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 0n, 1))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowZeroAmount")
          .withArgs(projectId);
      });

      it("rejects an unknown project", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.donors[0]).donateToken(4n, 1n, 1))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
          .withArgs(4n);
      });

      it("fails in the token without an approval (ERC20InsufficientAllowance)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await p.stablecoin.mint(p.donors[0].address, USD(1n));
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1))
          .to.be.revertedWithCustomError(p.stablecoin, "ERC20InsufficientAllowance")
          .withArgs(await p.escrow.getAddress(), 0n, USD(1n));
      });

      it("rejects a donation after cancellation", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await tokenProject(p);
        await cancel(p, projectId);
        await fundStable(p, p.donors[0], USD(1n));
        await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, USD(1n), 1))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Cancelled);
      });
    });
  });

  describe("donateWithPermit (EIP-2612)", function () {
    async function permitSetup() {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await tokenProject(p);
      const escrowAddress = await p.escrow.getAddress();
      const token = await p.stablecoin.getAddress();
      await p.stablecoin.mint(p.donors[0].address, USD(100n));
      const deadline = (await now()) + DAY;
      return { p, projectId, terms, escrowAddress, token, deadline };
    }

    describe("with a valid signature", function () {
      it("donates without a prior approve and uses up the permit", async function () {
        const { p, projectId, escrowAddress, deadline } = await permitSetup();
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(40n), deadline);
        const tx = p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s);
        await expect(tx).to.emit(p.escrow, "Donated").withArgs(projectId, p.donors[0].address, USD(40n), USD(40n));
        await expect(tx).to.changeTokenBalances(ethers, p.stablecoin, [p.donors[0], p.escrow], [-USD(40n), USD(40n)]);
        expect(await p.stablecoin.nonces(p.donors[0].address)).to.equal(1n);
        expect(await p.stablecoin.allowance(p.donors[0].address, escrowAddress)).to.equal(0n);
      });

      it("still donates when someone front-runs the permit (the allowance it created is used)", async function () {
        const { p, projectId, escrowAddress, deadline } = await permitSetup();
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(40n), deadline);
        // The griefer copies the permit from the mempool and submits it first.
        await p.stablecoin
          .connect(p.outsider)
          .permit(p.donors[0].address, escrowAddress, USD(40n), deadline, sig.v, sig.r, sig.s);
        expect(await p.stablecoin.allowance(p.donors[0].address, escrowAddress)).to.equal(USD(40n));
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, USD(40n), USD(40n));
        expect(await p.stablecoin.allowance(p.donors[0].address, escrowAddress)).to.equal(0n);
      });

      it("cannot be used by someone else to donate the signer's tokens in their own name", async function () {
        const { p, projectId, escrowAddress, token, deadline } = await permitSetup();
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(40n), deadline);
        await expect(p.escrow.connect(p.outsider).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(p.escrow, "AidMoneyInsufficientAllowance")
          .withArgs(token, 0n, USD(40n));
        expect(await p.stablecoin.balanceOf(p.donors[0].address)).to.equal(USD(100n));
      });
    });

    describe("with a permit that fails", function () {
      it("reverts with AidEscrowInsufficientAllowance(token, 0, needed) when there is no allowance", async function () {
        const { p, projectId, escrowAddress, token, deadline } = await permitSetup();
        // Signed by the wrong key.
        const sig = await signPermit(p.stablecoin, p.donors[1], escrowAddress, USD(40n), deadline);
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(p.escrow, "AidMoneyInsufficientAllowance")
          .withArgs(token, 0n, USD(40n));
      });

      it("reports the existing allowance when it is too small", async function () {
        const { p, projectId, escrowAddress, token, deadline } = await permitSetup();
        await p.stablecoin.connect(p.donors[0]).approve(escrowAddress, USD(39n));
        const sig = await signPermit(p.stablecoin, p.donors[1], escrowAddress, USD(40n), deadline);
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(p.escrow, "AidMoneyInsufficientAllowance")
          .withArgs(token, USD(39n), USD(40n));
      });

      it("rejects a permit signed for a different amount when there is no allowance", async function () {
        const { p, projectId, escrowAddress, token, deadline } = await permitSetup();
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(10n), deadline);
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(p.escrow, "AidMoneyInsufficientAllowance")
          .withArgs(token, 0n, USD(40n));
      });

      it("falls back to a sufficient existing allowance (expired permit)", async function () {
        const { p, projectId, escrowAddress } = await permitSetup();
        const expired = (await now()) - 1n;
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(40n), expired);
        await p.stablecoin.connect(p.donors[0]).approve(escrowAddress, USD(40n));
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, expired, sig.v, sig.r, sig.s))
          .to.emit(p.escrow, "Donated")
          .withArgs(projectId, p.donors[0].address, USD(40n), USD(40n));
      });

      it("still enforces the funding deadline", async function () {
        const { p, projectId, terms, escrowAddress } = await permitSetup();
        const deadline = terms.fundingDeadline + DAY;
        const sig = await signPermit(p.stablecoin, p.donors[0], escrowAddress, USD(40n), deadline);
        await at(terms.fundingDeadline);
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, USD(40n), 1, deadline, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Active);
      });
    });

    describe("on a project that does not take an ERC-20", function () {
      // The permit is tried on the project's token before anything else is checked; for ETH projects and
      // unknown ids that "token" is address(0), and a try/catch does not catch the call to a non-contract.
      it("rejects an ETH project with AidEscrowWrongToken(projectId, address(0))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        const deadline = (await now()) + DAY;
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(projectId, 1n, 1, deadline, 27, ethers.ZeroHash, ethers.ZeroHash))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongToken")
          .withArgs(projectId, ethers.ZeroAddress);
      });

      it("rejects an unknown project with AidEscrowUnknownProject", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const deadline = (await now()) + DAY;
        await expect(p.escrow.connect(p.donors[0]).donateWithPermit(9n, 1n, 1, deadline, 27, ethers.ZeroHash, ethers.ZeroHash))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
          .withArgs(9n);
      });
    });
  });
});
