import { expect } from "chai";
import { ethers, networkHelpers, INCOME, ADMIN_DELAY, now } from "../helpers/fixtures.ts";
import { registryFixture, attestedFixture, DEFAULT_ADMIN_ROLE, minedAt, nextTxAt, reason, profileOf } from "./helpers.ts";

describe("AidRegistry admin and roles", function () {
  describe("role ids", function () {
    it("are the documented hashes, administered by the default admin role", async function () {
      const { registry } = await networkHelpers.loadFixture(registryFixture);
      const roles = {
        MANAGER_ROLE: await registry.MANAGER_ROLE(),
        REVIEWER_ROLE: await registry.REVIEWER_ROLE(),
        GUARDIAN_ROLE: await registry.GUARDIAN_ROLE(),
      };
      expect(roles.MANAGER_ROLE).to.equal(ethers.id("precisionaid.role.manager"));
      expect(roles.REVIEWER_ROLE).to.equal(ethers.id("precisionaid.role.reviewer"));
      expect(roles.GUARDIAN_ROLE).to.equal(ethers.id("precisionaid.role.guardian"));
      for (const role of Object.values(roles)) {
        expect(await registry.getRoleAdmin(role)).to.equal(DEFAULT_ADMIN_ROLE);
      }
    });
  });

  describe("deployment", function () {
    it("makes the given account the single default admin with the given delay", async function () {
      const { registry, admin, manager, reviewer, guardian } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
      expect(await registry.owner()).to.equal(admin.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await registry.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      expect(pending).to.equal(ethers.ZeroAddress);
      expect(schedule).to.equal(0n);
      expect(await registry.hasRole(await registry.MANAGER_ROLE(), manager.address)).to.equal(true);
      expect(await registry.hasRole(await registry.REVIEWER_ROLE(), reviewer.address)).to.equal(true);
      expect(await registry.hasRole(await registry.GUARDIAN_ROLE(), guardian.address)).to.equal(true);
      expect(await registry.hasRole(await registry.MANAGER_ROLE(), reviewer.address)).to.equal(false);
    });

    it("reports the access-control interfaces through ERC-165", async function () {
      const { registry } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await registry.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await registry.supportsInterface("0x31498786")).to.equal(true); // IAccessControlDefaultAdminRules
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("grantRole and revokeRole", function () {
    it("lets the admin grant and revoke a role, with events", async function () {
      const { registry, admin, outsider } = await networkHelpers.loadFixture(registryFixture);
      const role = await registry.REVIEWER_ROLE();
      await expect(registry.connect(admin).grantRole(role, outsider.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(role, outsider.address, admin.address);
      expect(await registry.hasRole(role, outsider.address)).to.equal(true);
      await expect(registry.connect(admin).revokeRole(role, outsider.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(role, outsider.address, admin.address);
      expect(await registry.hasRole(role, outsider.address)).to.equal(false);
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, manager, outsider } = await networkHelpers.loadFixture(registryFixture);
      const role = await registry.MANAGER_ROLE();
      await expect(registry.connect(manager).grantRole(role, outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(manager.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(outsider).revokeRole(role, manager.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses to grant or revoke the default admin role directly", async function () {
      const { registry, admin, outsider } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules")
        .withArgs();
      await expect(registry.connect(admin).revokeRole(DEFAULT_ADMIN_ROLE, admin.address))
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules")
        .withArgs();
    });

    it("takes the reviewer's power to revoke others' attestations away with the role", async function () {
      const { registry, admin, reviewer, officials, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(admin).revokeRole(await registry.REVIEWER_ROLE(), reviewer.address);
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, officials[0].address, reason("r")))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotAttesterOrReviewer")
        .withArgs(reviewer.address, officials[0].address);
    });

    it("lets a role holder renounce their own role", async function () {
      const { registry, guardian } = await networkHelpers.loadFixture(registryFixture);
      const role = await registry.GUARDIAN_ROLE();
      await expect(registry.connect(guardian).renounceRole(role, guardian.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(role, guardian.address, guardian.address);
      expect(await registry.hasRole(role, guardian.address)).to.equal(false);
    });

    it("refuses to renounce a role on someone else's behalf (AccessControlBadConfirmation)", async function () {
      const { registry, guardian, admin } = await networkHelpers.loadFixture(registryFixture);
      const role = await registry.GUARDIAN_ROLE();
      await expect(registry.connect(admin).renounceRole(role, guardian.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlBadConfirmation",
      );
      expect(await registry.hasRole(role, guardian.address)).to.equal(true);
    });

    it("refuses an admin renounce that was not scheduled", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).renounceRole(DEFAULT_ADMIN_ROLE, admin.address))
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(0n);
    });
  });

  describe("default admin transfer (two steps with a delay)", function () {
    it("schedules the transfer and exposes it as pending", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const newAdmin = spare[0];
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(admin).beginDefaultAdminTransfer(newAdmin.address))
        .to.emit(registry, "DefaultAdminTransferScheduled")
        .withArgs(newAdmin.address, t + ADMIN_DELAY);
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      expect(pending).to.equal(newAdmin.address);
      expect(schedule).to.equal(t + ADMIN_DELAY);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
    });

    it("rejects acceptance before the delay, including at the scheduled second itself", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const newAdmin = spare[0];
      const at = await minedAt(registry.connect(admin).beginDefaultAdminTransfer(newAdmin.address));
      const schedule = at + ADMIN_DELAY;

      await expect(registry.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await nextTxAt(schedule - 1n);
      await expect(registry.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      // OpenZeppelin's schedule has passed only while schedule < block.timestamp.
      await nextTxAt(schedule);
      await expect(registry.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
    });

    it("hands every admin power to the new admin once accepted after the delay", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const [newAdmin, candidate] = spare;
      const at = await minedAt(registry.connect(admin).beginDefaultAdminTransfer(newAdmin.address));
      await nextTxAt(at + ADMIN_DELAY + 1n);
      await expect(registry.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.emit(registry, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, admin.address, newAdmin.address)
        .and.to.emit(registry, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, newAdmin.address, newAdmin.address);

      expect(await registry.defaultAdmin()).to.equal(newAdmin.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(false);
      const [pending] = await registry.pendingDefaultAdmin();
      expect(pending).to.equal(ethers.ZeroAddress);

      await expect(registry.connect(newAdmin).addOfficial(candidate.address, profileOf("Candidate")))
        .to.emit(registry, "OfficialAdded")
        .withArgs(candidate.address, newAdmin.address);
      await expect(registry.connect(admin).addOfficial(spare[2].address, profileOf("Spare")))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(admin).setRebindPolicy(3, 0))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(newAdmin).setRebindPolicy(3, 0))
        .to.emit(registry, "RebindPolicyUpdated")
        .withArgs(3, 0);
    });

    it("only lets the pending admin accept", async function () {
      const { registry, admin, spare, outsider } = await networkHelpers.loadFixture(registryFixture);
      const at = await minedAt(registry.connect(admin).beginDefaultAdminTransfer(spare[0].address));
      await nextTxAt(at + ADMIN_DELAY + 1n);
      await expect(registry.connect(outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(outsider.address);
    });

    it("only lets the current admin begin or cancel a transfer", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(outsider).beginDefaultAdminTransfer(outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(outsider).cancelDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
    });

    it("can be cancelled, after which acceptance fails", async function () {
      const { registry, admin, spare } = await networkHelpers.loadFixture(registryFixture);
      const at = await minedAt(registry.connect(admin).beginDefaultAdminTransfer(spare[0].address));
      await expect(registry.connect(admin).cancelDefaultAdminTransfer()).to.emit(
        registry,
        "DefaultAdminTransferCanceled",
      );
      await nextTxAt(at + ADMIN_DELAY + 1n);
      await expect(registry.connect(spare[0]).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(spare[0].address);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
    });
  });

  describe("default admin delay changes", function () {
    it("schedules a shorter delay, which takes effect after the old delay, and can be rolled back", async function () {
      const { registry, admin, outsider } = await networkHelpers.loadFixture(registryFixture);
      const newDelay = 3600n;
      const t = (await now()) + 10n;
      await nextTxAt(t);
      // Decreasing waits the difference between the current and the new delay.
      await expect(registry.connect(admin).changeDefaultAdminDelay(newDelay))
        .to.emit(registry, "DefaultAdminDelayChangeScheduled")
        .withArgs(newDelay, t + ADMIN_DELAY - newDelay);
      const [pendingDelay, schedule] = await registry.pendingDefaultAdminDelay();
      expect(pendingDelay).to.equal(newDelay);
      expect(schedule).to.equal(t + ADMIN_DELAY - newDelay);
      expect(await registry.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await registry.defaultAdminDelayIncreaseWait()).to.equal(5n * 24n * 60n * 60n);

      await expect(registry.connect(outsider).rollbackDefaultAdminDelay())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(admin).rollbackDefaultAdminDelay()).to.emit(
        registry,
        "DefaultAdminDelayChangeCanceled",
      );
      const [afterRollback] = await registry.pendingDefaultAdminDelay();
      expect(afterRollback).to.equal(0n);
    });

    it("rejects a delay change by a non-admin", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(outsider).changeDefaultAdminDelay(1n))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
    });
  });
});
