import { expect } from "chai";
import { ethers, networkHelpers, INCOME, SCHOOL, now } from "../helpers/fixtures.ts";
import { registryFixture, attestedFixture, DEFAULT_ADMIN_ROLE, ONE_YEAR, evidence, reason, minedAt, profileOf, bind } from "./helpers.ts";

const WANG = { name: "Wang Fang 王芳", office: "Poverty alleviation officer, Xijiang township", jurisdiction: "cn-gz-leishan" };

describe("AidRegistry officials", function () {
  describe("addOfficial", function () {
    it("appoints the account, records when and who they are, and emits OfficialAdded and OfficialProfileSet", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const newcomer = spare[0];
      expect(await registry.isOfficial(newcomer.address)).to.equal(false);

      const tx = registry.connect(admin).addOfficial(newcomer.address, WANG);
      await expect(tx)
        .to.emit(registry, "OfficialAdded")
        .withArgs(newcomer.address, admin.address)
        .and.to.emit(registry, "OfficialProfileSet")
        .withArgs(newcomer.address, WANG.name, WANG.office, WANG.jurisdiction);
      const at = await minedAt(tx);
      const profile = await registry.officialProfile(newcomer.address);
      expect([profile.name, profile.office, profile.jurisdiction]).to.deep.equal([WANG.name, WANG.office, WANG.jurisdiction]);

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
      await registry.connect(admin).addOfficial(spare[0].address, WANG);
      const expiry = (await now()) + ONE_YEAR;
      await expect(registry.connect(spare[0]).attest(ethers.id("c"), INCOME, expiry, evidence("x"), 1)).to.emit(
        registry,
        "ConditionAttested",
      );
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, manager, officials, outsider, spare } = await networkHelpers.loadFixture(registryFixture);
      for (const caller of [outsider, manager, officials[0]]) {
        await expect(registry.connect(caller).addOfficial(spare[0].address, WANG))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("rejects the zero address", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).addOfficial(ethers.ZeroAddress, WANG))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("account");
    });

    it("rejects an account that is already an official", async function () {
      const { registry, admin, officials } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).addOfficial(officials[1].address, WANG))
        .to.be.revertedWithCustomError(registry, "AidRegistryOfficialAlreadyActive")
        .withArgs(officials[1].address);
    });

    it("re-appoints a removed official, keeping their record and refreshing appointedAt", async function () {
      const { registry, admin, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(admin).removeOfficial(o.address);
      await networkHelpers.time.increase(100);
      const at = await minedAt(registry.connect(admin).addOfficial(o.address, WANG));

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
      await expect(bind({ registry, officials: [o, officials[1]] }, ethers.id("c"), o.address))
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

  describe("profiles", function () {
    it("refuses an appointment without a name, or with a field over MAX_PROFILE_FIELD_LENGTH bytes", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.MAX_PROFILE_FIELD_LENGTH()).to.equal(128n);
      await expect(registry.connect(admin).addOfficial(spare[0].address, { ...WANG, name: "" }))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("name");
      // 43 three-byte characters: 129 bytes.
      const long = "县".repeat(43);
      for (const field of ["name", "office", "jurisdiction"] as const) {
        await expect(registry.connect(admin).addOfficial(spare[0].address, { ...WANG, [field]: long }))
          .to.be.revertedWithCustomError(registry, "AidRegistryProfileFieldTooLong")
          .withArgs(field, 129, 128);
      }
      expect(await registry.isOfficial(spare[0].address)).to.equal(false);
      // Exactly 128 bytes, and empty office and jurisdiction, are fine.
      await expect(registry.connect(admin).addOfficial(spare[0].address, { name: "x".repeat(128), office: "", jurisdiction: "" }))
        .to.emit(registry, "OfficialProfileSet")
        .withArgs(spare[0].address, "x".repeat(128), "", "");
    });

    it("lets the admin replace a current official's profile, and only the admin", async function () {
      const { registry, admin, officials, outsider } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).setOfficialProfile(officials[0].address, WANG))
        .to.emit(registry, "OfficialProfileSet")
        .withArgs(officials[0].address, WANG.name, WANG.office, WANG.jurisdiction);
      expect((await registry.officialProfile(officials[0].address)).office).to.equal(WANG.office);
      for (const caller of [officials[0], outsider]) {
        await expect(registry.connect(caller).setOfficialProfile(officials[0].address, profileOf("Me")))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
      await expect(registry.connect(admin).setOfficialProfile(outsider.address, WANG))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
    });

    it("is empty for an account never appointed, and kept after a removal", async function () {
      const { registry, admin, officials, outsider } = await networkHelpers.loadFixture(registryFixture);
      const none = await registry.officialProfile(outsider.address);
      expect([none.name, none.office, none.jurisdiction]).to.deep.equal(["", "", ""]);
      await registry.connect(admin).removeOfficial(officials[1].address);
      expect((await registry.officialProfile(officials[1].address)).name).to.equal("Official 2");
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
