import { expect } from "chai";
import { ethers, networkHelpers, commitmentOf, identifyHousehold } from "../helpers/fixtures.ts";
import { registryFixture, boundFixture, minedAt, packEpoch } from "./helpers.ts";

describe("AidRegistry identities", function () {
  describe("bindIdentity", function () {
    it("binds the commitment to the account both ways and emits IdentityBound", async function () {
      const { registry, officials, households } = await networkHelpers.loadFixture(registryFixture);
      const commitment = commitmentOf("520101199001011234", "salt-a");
      const tx = registry.connect(officials[1]).bindIdentity(commitment, households[0].address);
      await expect(tx)
        .to.emit(registry, "IdentityBound")
        .withArgs(commitment, households[0].address, officials[1].address);
      const at = await minedAt(tx);

      const id = await registry.identity(commitment);
      expect(id.account).to.equal(households[0].address);
      expect(id.boundAt).to.equal(at);
      expect(id.revocationEpoch).to.equal(0n);
      expect(await registry.commitmentOf(households[0].address)).to.equal(commitment);
      const [account, epoch] = await registry.eligibilityEpoch(commitment);
      expect(account).to.equal(households[0].address);
      expect(epoch).to.equal(packEpoch(0n, 0n));
    });

    it("works through the shared identifyHousehold fixture", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      const hh = await identifyHousehold(p, p.households[1], "520101199202021111");
      expect(await p.registry.commitmentOf(p.households[1].address)).to.equal(hh.commitment);
      expect((await p.registry.identity(hh.commitment)).account).to.equal(p.households[1].address);
    });

    it("rejects the zero commitment and the zero account", async function () {
      const { registry, officials, households } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(officials[0]).bindIdentity(ethers.ZeroHash, households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs();
      await expect(registry.connect(officials[0]).bindIdentity(ethers.id("c"), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs();
      expect(await registry.commitmentOf(households[0].address)).to.equal(ethers.ZeroHash);
    });

    it("rejects a commitment that already has an account", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[2]).bindIdentity(commitment, households[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryCommitmentAlreadyBound")
        .withArgs(commitment, households[0].address);
      // Re-binding to the same account is refused the same way.
      await expect(registry.connect(officials[2]).bindIdentity(commitment, households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryCommitmentAlreadyBound")
        .withArgs(commitment, households[0].address);
      expect(await registry.commitmentOf(households[1].address)).to.equal(ethers.ZeroHash);
    });

    it("rejects an account that already pays another commitment", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      const other = commitmentOf("520101199001015678", "salt-b");
      await expect(registry.connect(officials[0]).bindIdentity(other, households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountAlreadyBound")
        .withArgs(households[0].address, commitment);
      expect((await registry.identity(other)).account).to.equal(ethers.ZeroAddress);
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, admin, reviewer, outsider, households, officials } =
        await networkHelpers.loadFixture(registryFixture);
      for (const caller of [outsider, admin, reviewer]) {
        await expect(registry.connect(caller).bindIdentity(ethers.id("c"), households[0].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
          .withArgs(caller.address);
      }
      await registry.connect(admin).removeOfficial(officials[2].address);
      await expect(registry.connect(officials[2]).bindIdentity(ethers.id("c"), households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[2].address);
    });
  });

  describe("views of an unknown commitment or account", function () {
    it("return zeroes", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(boundFixture);
      const unknown = ethers.id("nobody");
      const id = await registry.identity(unknown);
      expect(id.account).to.equal(ethers.ZeroAddress);
      expect(id.boundAt).to.equal(0n);
      expect(id.revocationEpoch).to.equal(0n);
      expect(await registry.commitmentOf(outsider.address)).to.equal(ethers.ZeroHash);
      const [account, epoch] = await registry.eligibilityEpoch(unknown);
      expect(account).to.equal(ethers.ZeroAddress);
      expect(epoch).to.equal(0n);
    });
  });
});
