import { expect } from "chai";
import hre from "hardhat";
import { ethers, networkHelpers, deployProtocol } from "./helpers.ts";

describe("AidEscrow deployment", function () {
  describe("constructor", function () {
    it("rejects a registry address that is not a contract", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("AidEscrow", { libraries: p.escrowLibraries });
      await expect(factory.deploy(p.outsider.address))
        .to.be.revertedWithCustomError(factory, "AidEscrowInvalidRegistry")
        .withArgs(p.outsider.address);
    });

    it("rejects the zero address as registry", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("AidEscrow", { libraries: p.escrowLibraries });
      await expect(factory.deploy(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "AidEscrowInvalidRegistry")
        .withArgs(ethers.ZeroAddress);
    });

    it("accepts a contract registry and exposes it", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const escrow = await ethers.deployContract("AidEscrow", [await p.registry.getAddress()], { libraries: p.escrowLibraries });
      expect(await escrow.registry()).to.equal(await p.registry.getAddress());
      expect(await escrow.projectCount()).to.equal(0n);
    });
  });

  describe("when deployed through the Ignition module", function () {
    it("trusts the module's registry and starts with no projects", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      expect(await p.escrow.registry()).to.equal(await p.registry.getAddress());
      expect(await p.escrow.projectCount()).to.equal(0n);
      expect(await p.escrow.paused()).to.equal(false);
    });

    it("publishes the loop bounds", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      expect(await p.escrow.MAX_CONDITIONS()).to.equal(8n);
      expect(await p.escrow.MAX_THRESHOLD()).to.equal(8n);
      expect(await p.escrow.MAX_TRANCHES()).to.equal(12n);
      expect(await p.escrow.CLAIM_GAS_CAP()).to.equal(500_000n);
      expect(await p.escrow.MAX_PAUSE()).to.equal(14n * 24n * 3600n);
    });

    it("keeps the escrow and its library at least 2 KB under the 24,576-byte code limit (EIP-170)", async function () {
      // Coverage instruments the code, so sizes mean nothing there; the plain run checks them.
      if (hre.globalOptions.coverage) this.skip();
      const p = await networkHelpers.loadFixture(deployProtocol);
      for (const address of [await p.escrow.getAddress(), p.escrowLibraries.AidEscrowGovernance]) {
        const size = (ethers.getBytes(await ethers.provider.getCode(address))).length;
        expect(size).to.be.greaterThan(0);
        expect(size).to.be.at.most(24_576 - 2_048);
      }
    });

    it("refuses plain ETH sent outside a donation, so no money arrives outside the books", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.donors[0].sendTransaction({ to: await p.escrow.getAddress(), value: 1n })).to.be.revertedWithoutReason(ethers);
      expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(0n);
    });
  });
});
