import { expect } from "chai";
import { ethers, networkHelpers, INCOME, SCHOOL, now } from "../helpers/fixtures.ts";
import { registryFixture, attestedFixture, DEFAULT_ADMIN_ROLE, ONE_YEAR, evidence, reason, minedAt } from "./helpers.ts";

describe("AidRegistry officials", function () {
  describe("addOfficial", function () {
    it("appoints the account, records when, and emits OfficialAdded with the admin", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const newcomer = spare[0];
      expect(await registry.isOfficial(newcomer.address)).to.equal(false);

      const tx = registry.connect(admin).addOfficial(newcomer.address);
      await expect(tx).to.emit(registry, "OfficialAdded").withArgs(newcomer.address, admin.address);
      const at = await minedAt(tx);

      expect(await registry.isOfficial(newcomer.address)).to.equal(true);
      const record = await registry.official(newcomer.address);
      expect(record.active).to.equal(true);
      expect(record.appointedAt).to.equal(at);
      expect(record.attestations).to.equal(0n);
      expect(record.attestationsRevoked).to.equal(0n);
      expect(record.revocations).to.equal(0n);
    });

    it("lets the new official attest at once", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(admin).addOfficial(spare[0].address);
      const expiry = (await now()) + ONE_YEAR;
      await expect(registry.connect(spare[0]).attest(ethers.id("c"), INCOME, expiry, evidence("x"), 1)).to.emit(
        registry,
        "ConditionAttested",
      );
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, manager, officials, outsider, spare } = await networkHelpers.loadFixture(registryFixture);
      for (const caller of [outsider, manager, officials[0]]) {
        await expect(registry.connect(caller).addOfficial(spare[0].address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("rejects the zero address", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).addOfficial(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs();
    });

    it("rejects an account that is already an official", async function () {
      const { registry, admin, officials } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).addOfficial(officials[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryOfficialAlreadyActive")
        .withArgs(officials[1].address);
    });

    it("re-appoints a removed official, keeping their record and refreshing appointedAt", async function () {
      const { registry, admin, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(admin).removeOfficial(o.address);
      await networkHelpers.time.increase(100);
      const at = await minedAt(registry.connect(admin).addOfficial(o.address));

      const record = await registry.official(o.address);
      expect(record.active).to.equal(true);
      expect(record.appointedAt).to.equal(at);
      expect(record.attestations).to.equal(1n);
      expect((await registry.attestation(commitment, INCOME, o.address)).expiry).to.equal(expiry);
    });
  });

  describe("removeOfficial", function () {
    it("deactivates the official, bumps the removal epoch and emits it", async function () {
      const { registry, admin, officials } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.officialRemovalEpoch()).to.equal(0n);

      await expect(registry.connect(admin).removeOfficial(officials[0].address))
        .to.emit(registry, "OfficialRemoved")
        .withArgs(officials[0].address, admin.address, 1n);
      expect(await registry.isOfficial(officials[0].address)).to.equal(false);
      expect((await registry.official(officials[0].address)).active).to.equal(false);
      expect(await registry.officialRemovalEpoch()).to.equal(1n);

      await expect(registry.connect(admin).removeOfficial(officials[2].address))
        .to.emit(registry, "OfficialRemoved")
        .withArgs(officials[2].address, admin.address, 2n);
      expect(await registry.officialRemovalEpoch()).to.equal(2n);
      expect(await registry.isOfficial(officials[1].address)).to.equal(true);
    });

    it("keeps the removed official's record and attestations in storage", async function () {
      const { registry, admin, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(admin).removeOfficial(officials[1].address);
      const record = await registry.official(officials[1].address);
      expect(record.attestations).to.equal(1n);
      expect((await registry.attestation(commitment, INCOME, officials[1].address)).expiry).to.equal(expiry);
    });

    it("stops the removed official from acting as one", async function () {
      const { registry, admin, officials } = await networkHelpers.loadFixture(registryFixture);
      const o = officials[0];
      await registry.connect(admin).removeOfficial(o.address);
      const expiry = (await now()) + ONE_YEAR;
      await expect(registry.connect(o).attest(ethers.id("c"), INCOME, expiry, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(o.address);
      await expect(registry.connect(o).bindIdentity(ethers.id("c"), o.address))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(o.address);
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, officials, reviewer } = await networkHelpers.loadFixture(registryFixture);
      for (const caller of [reviewer, officials[1]]) {
        await expect(registry.connect(caller).removeOfficial(officials[0].address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await registry.isOfficial(officials[0].address)).to.equal(true);
    });

    it("rejects an account that is not an official", async function () {
      const { registry, admin, outsider } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).removeOfficial(outsider.address))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
      await expect(registry.connect(admin).removeOfficial(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(ethers.ZeroAddress);
      expect(await registry.officialRemovalEpoch()).to.equal(0n);
    });

    it("rejects removing the same official twice", async function () {
      const { registry, admin, officials } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(admin).removeOfficial(officials[0].address);
      await expect(registry.connect(admin).removeOfficial(officials[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[0].address);
      expect(await registry.officialRemovalEpoch()).to.equal(1n);
    });
  });

  describe("official record", function () {
    it("counts attestations, renewals and batch rows", async function () {
      const { registry, officials } = await networkHelpers.loadFixture(registryFixture);
      const o = officials[2];
      const expiry = (await now()) + ONE_YEAR;
      await registry.connect(o).attest(ethers.id("c1"), INCOME, expiry, evidence("1"), 0);
      expect((await registry.official(o.address)).attestations).to.equal(1n);
      await registry.connect(o).attest(ethers.id("c1"), INCOME, expiry + 10n, evidence("1b"), 0);
      expect((await registry.official(o.address)).attestations).to.equal(2n);
      await registry.connect(o).attestBatch([
        { commitment: ethers.id("c2"), conditionId: INCOME, expiry, evidenceHash: evidence("2"), score: 0 },
        { commitment: ethers.id("c2"), conditionId: SCHOOL, expiry, evidenceHash: evidence("3"), score: 0 },
        { commitment: ethers.id("c3"), conditionId: INCOME, expiry, evidenceHash: evidence("4"), score: 0 },
      ]);
      expect((await registry.official(o.address)).attestations).to.equal(5n);
    });

    it("counts a self-revocation as both revoked and performed", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(o).revoke(commitment, INCOME, o.address, reason("exit"));
      const record = await registry.official(o.address);
      expect(record.attestations).to.equal(1n);
      expect(record.attestationsRevoked).to.equal(1n);
      expect(record.revocations).to.equal(1n);
    });

    it("counts a reviewer's revocation against the attester and for the reviewer", async function () {
      const { registry, officials, reviewer, commitment } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[1];
      await registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("fraud"));
      const attester = await registry.official(o.address);
      expect(attester.attestationsRevoked).to.equal(1n);
      expect(attester.revocations).to.equal(0n);
      const rev = await registry.official(reviewer.address);
      expect(rev.revocations).to.equal(1n);
      expect(rev.active).to.equal(false);
      expect(rev.attestationsRevoked).to.equal(0n);
      // The other attester's record is untouched.
      const other = await registry.official(officials[0].address);
      expect(other.attestationsRevoked).to.equal(0n);
      expect(other.revocations).to.equal(0n);
    });

    it("is all zero for an account that was never appointed", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(registryFixture);
      const record = await registry.official(outsider.address);
      expect(record.active).to.equal(false);
      expect(record.appointedAt).to.equal(0n);
      expect(record.attestations).to.equal(0n);
      expect(record.attestationsRevoked).to.equal(0n);
      expect(record.revocations).to.equal(0n);
    });
  });
});
