import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  deployWithWeirdTokens,
  createProject,
  identifyHousehold,
  type WeirdProtocol,
} from "./helpers.ts";

async function projectFor(p: WeirdProtocol, token: { getAddress(): Promise<string> }, amountPerTranche = 100n) {
  return createProject(p, { token: await token.getAddress(), amountPerTranche });
}

describe("AidEscrow with weird ERC-20s", function () {
  describe("setTokenAllowed", function () {
    it("lets the registry's default admin allow a token and emits TokenAllowlisted", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const other = await ethers.deployContract("TestStablecoin");
      const token = await other.getAddress();
      expect(await p.escrow.isTokenAllowed(token)).to.equal(false);
      await expect(p.escrow.connect(p.admin).setTokenAllowed(token, true))
        .to.emit(p.escrow, "TokenAllowlisted")
        .withArgs(token, true);
      expect(await p.escrow.isTokenAllowed(token)).to.equal(true);
    });

    it("lets the admin disallow it again", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const token = await p.stablecoin.getAddress();
      expect(await p.escrow.isTokenAllowed(token)).to.equal(true);
      await expect(p.escrow.connect(p.admin).setTokenAllowed(token, false))
        .to.emit(p.escrow, "TokenAllowlisted")
        .withArgs(token, false);
      expect(await p.escrow.isTokenAllowed(token)).to.equal(false);
    });

    for (const who of ["manager", "guardian", "reviewer", "outsider"] as const) {
      it(`rejects the ${who} (AidEscrowUnauthorized(caller, DEFAULT_ADMIN_ROLE))`, async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const other = await ethers.deployContract("TestStablecoin");
        await expect(p.escrow.connect(p[who]).setTokenAllowed(await other.getAddress(), true))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p[who].address, ethers.ZeroHash);
        expect(await p.escrow.isTokenAllowed(await other.getAddress())).to.equal(false);
      });
    }

    it("rejects an address without code (AidEscrowTokenNotAllowed)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.admin).setTokenAllowed(p.outsider.address, true))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTokenNotAllowed")
        .withArgs(p.outsider.address);
      expect(await p.escrow.isTokenAllowed(p.outsider.address)).to.equal(false);
    });

    it("always allows ETH (isTokenAllowed(address(0))), and ETH cannot be disallowed", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      expect(await p.escrow.isTokenAllowed(ethers.ZeroAddress)).to.equal(true);
      await expect(p.escrow.connect(p.admin).setTokenAllowed(ethers.ZeroAddress, false))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowTokenNotAllowed")
        .withArgs(ethers.ZeroAddress);
      expect(await p.escrow.isTokenAllowed(ethers.ZeroAddress)).to.equal(true);
    });
  });

  describe("FeeOnTransferToken", function () {
    it("is refused with AidEscrowTransferShortfall(token, expected, received)", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { fee } = p.weird;
      const { projectId } = await projectFor(p, fee);
      await fee.mint(p.donors[0].address, 1000n);
      await fee.connect(p.donors[0]).approve(await p.escrow.getAddress(), 1000n);
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 1000n, 1))
        .to.be.revertedWithCustomError(p.escrow, "AidMoneyTransferShortfall")
        .withArgs(await fee.getAddress(), 1000n, 990n);
      expect((await p.escrow.projectLedger(projectId)).raised).to.equal(0n);
      expect(await fee.balanceOf(await p.escrow.getAddress())).to.equal(0n);
    });

    it("is accepted only when exactly the amount arrives (a transfer too small to carry a fee)", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { fee } = p.weird;
      const { projectId } = await projectFor(p, fee);
      await fee.mint(p.donors[0].address, 99n);
      await fee.connect(p.donors[0]).approve(await p.escrow.getAddress(), 99n);
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 99n, 1))
        .to.emit(p.escrow, "Donated")
        .withArgs(projectId, p.donors[0].address, 99n, 99n);
      expect(await fee.balanceOf(await p.escrow.getAddress())).to.equal(99n);
    });
  });

  describe("ReturnsFalseToken", function () {
    it("fails a donation with SafeERC20FailedOperation(token) when transferFrom returns false", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { returnsFalse } = p.weird;
      const { projectId } = await projectFor(p, returnsFalse);
      await returnsFalse.mint(p.donors[0].address, 500n);
      await returnsFalse.connect(p.donors[0]).approve(await p.escrow.getAddress(), 500n);
      await returnsFalse.setFailing(true);
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 500n, 1))
        .to.be.revertedWithCustomError(p.escrow, "SafeERC20FailedOperation")
        .withArgs(await returnsFalse.getAddress());
      expect((await p.escrow.projectLedger(projectId)).raised).to.equal(0n);
    });

    it("fails a refund when transfer returns false, and the refund can be taken once the token works", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { returnsFalse } = p.weird;
      const { projectId, terms } = await projectFor(p, returnsFalse);
      await returnsFalse.mint(p.donors[0].address, 500n);
      await returnsFalse.connect(p.donors[0]).approve(await p.escrow.getAddress(), 500n);
      await p.escrow.connect(p.donors[0]).donateToken(projectId, 500n, 1);
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      await returnsFalse.setFailing(true);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId))
        .to.be.revertedWithCustomError(p.escrow, "SafeERC20FailedOperation")
        .withArgs(await returnsFalse.getAddress());
      expect(await p.escrow.contributionOf(projectId, p.donors[0].address)).to.equal(500n);
      await returnsFalse.setFailing(false);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId)).to.changeTokenBalances(
        ethers,
        returnsFalse,
        [p.donors[0], p.escrow],
        [500n, -500n],
      );
    });
  });

  describe("NoReturnToken (USDT-style, no return value)", function () {
    it("works for donation, claim and refund", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { noReturn } = p.weird;
      const escrowAddress = await p.escrow.getAddress();
      const { projectId, terms } = await projectFor(p, noReturn, 100n);
      await noReturn.mint(p.donors[0].address, 300n);
      await noReturn.connect(p.donors[0]).approve(escrowAddress, 300n);

      const donation = p.escrow.connect(p.donors[0]).donateToken(projectId, 300n, 1);
      await expect(donation).to.emit(p.escrow, "Donated").withArgs(projectId, p.donors[0].address, 300n, 300n);
      expect(await noReturn.balanceOf(escrowAddress)).to.equal(300n);
      expect(await noReturn.balanceOf(p.donors[0].address)).to.equal(0n);

      const hh = await identifyHousehold(p, p.households[0], "ID-noreturn");
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
      await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, []))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, p.households[0].address, 0, 100n);
      expect(await noReturn.balanceOf(p.households[0].address)).to.equal(100n);

      await networkHelpers.time.increaseTo(terms.claimDeadline);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId))
        .to.emit(p.escrow, "Refunded")
        .withArgs(projectId, p.donors[0].address, 200n);
      expect(await noReturn.balanceOf(p.donors[0].address)).to.equal(200n);
      expect(await noReturn.balanceOf(escrowAddress)).to.equal(0n);
    });

    it("falls back to the allowance on donateWithPermit (the token has no permit)", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { noReturn } = p.weird;
      const { projectId } = await projectFor(p, noReturn);
      await noReturn.mint(p.donors[0].address, 50n);
      await expect(
        p.escrow.connect(p.donors[0]).donateWithPermit(projectId, 50n, 1, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(p.escrow, "AidMoneyInsufficientAllowance")
        .withArgs(await noReturn.getAddress(), 0n, 50n);
      await noReturn.connect(p.donors[0]).approve(await p.escrow.getAddress(), 50n);
      await expect(
        p.escrow.connect(p.donors[0]).donateWithPermit(projectId, 50n, 1, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.emit(p.escrow, "Donated")
        .withArgs(projectId, p.donors[0].address, 50n, 50n);
    });
  });

  describe("RevertingToken (paused or blocklisting)", function () {
    it("fails a donation with the token's own RevertingTokenPaused error", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { reverting } = p.weird;
      const { projectId } = await projectFor(p, reverting);
      await reverting.mint(p.donors[0].address, 500n);
      await reverting.connect(p.donors[0]).approve(await p.escrow.getAddress(), 500n);
      await reverting.setFailing(true);
      await expect(p.escrow.connect(p.donors[0]).donateToken(projectId, 500n, 1)).to.be.revertedWithCustomError(
        reverting,
        "RevertingTokenPaused",
      );
      expect((await p.escrow.projectLedger(projectId)).raised).to.equal(0n);
    });

    it("holds a refund while the token reverts and pays it once the token recovers", async function () {
      const p = await networkHelpers.loadFixture(deployWithWeirdTokens);
      const { reverting } = p.weird;
      const { projectId, terms } = await projectFor(p, reverting);
      await reverting.mint(p.donors[0].address, 500n);
      await reverting.connect(p.donors[0]).approve(await p.escrow.getAddress(), 500n);
      await p.escrow.connect(p.donors[0]).donateToken(projectId, 500n, 1);
      await networkHelpers.time.increaseTo(terms.claimDeadline);
      await reverting.setFailing(true);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId)).to.be.revertedWithCustomError(
        reverting,
        "RevertingTokenPaused",
      );
      expect(await p.escrow.refundableOf(projectId, p.donors[0].address)).to.equal(500n);
      await reverting.setFailing(false);
      await expect(p.escrow.connect(p.donors[0]).refund(projectId))
        .to.emit(p.escrow, "Refunded")
        .withArgs(projectId, p.donors[0].address, 500n);
      expect(await reverting.balanceOf(p.donors[0].address)).to.equal(500n);
    });
  });
});
