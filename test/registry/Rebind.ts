import { expect } from "chai";
import { ethers, networkHelpers, commitmentOf, REBIND_DELAY, DAY, now } from "../helpers/fixtures.ts";
import { boundFixture, registryFixture, DEFAULT_ADMIN_ROLE, minedAt, nextTxAt, packEpoch } from "./helpers.ts";

/** boundFixture plus a rebind request (nonce 1) to households[1] by officials[0], approved by officials[1]. */
async function approvedFixture() {
  const p = await boundFixture();
  const newAccount = p.households[1].address;
  await p.registry.connect(p.officials[0]).requestRebind(p.commitment, newAccount);
  const approvedAt = await minedAt(p.registry.connect(p.officials[1]).approveRebind(p.commitment, 1));
  return { ...p, newAccount, readyAt: approvedAt + REBIND_DELAY };
}

describe("AidRegistry rebind", function () {
  describe("rebindPolicy and setRebindPolicy", function () {
    it("starts with the deployment's threshold and delay", async function () {
      const { registry } = await networkHelpers.loadFixture(registryFixture);
      const [threshold, delay] = await registry.rebindPolicy();
      expect(threshold).to.equal(2n);
      expect(delay).to.equal(REBIND_DELAY);
    });

    it("lets the admin change both, with an event", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).setRebindPolicy(3, 7n * DAY))
        .to.emit(registry, "RebindPolicyUpdated")
        .withArgs(3, 7n * DAY);
      const [threshold, delay] = await registry.rebindPolicy();
      expect(threshold).to.equal(3n);
      expect(delay).to.equal(7n * DAY);
    });

    it("rejects a zero threshold", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).setRebindPolicy(0, REBIND_DELAY))
        .to.be.revertedWithCustomError(registry, "AidRegistryInvalidRebindThreshold")
        .withArgs(0);
      const [threshold] = await registry.rebindPolicy();
      expect(threshold).to.equal(2n);
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, officials } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(officials[0]).setRebindPolicy(1, 0))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(officials[0].address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("requestRebind", function () {
    it("opens request 1 and counts it as the requester's approval", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[0]).requestRebind(commitment, households[1].address))
        .to.emit(registry, "RebindRequested")
        .withArgs(commitment, households[1].address, officials[0].address, 1)
        .and.to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[0].address, 1, 1, 0);

      const r = await registry.rebindRequest(commitment);
      expect(r.newAccount).to.equal(households[1].address);
      expect(r.nonce).to.equal(1n);
      expect(r.approvals).to.equal(1n);
      expect(r.officialEpoch).to.equal(0n);
      expect(r.readyAt).to.equal(0n);
      expect(await registry.hasApprovedRebind(commitment, 1, officials[0].address)).to.equal(true);
      expect(await registry.hasApprovedRebind(commitment, 1, officials[1].address)).to.equal(false);
      // Nothing moves until execution.
      expect((await registry.identity(commitment)).account).to.equal(households[0].address);
    });

    it("starts the delay at once when the threshold is one", async function () {
      const { registry, admin, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(admin).setRebindPolicy(1, Number(REBIND_DELAY));
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[2]).requestRebind(commitment, households[1].address))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[2].address, 1, 1, t + REBIND_DELAY);
      expect((await registry.rebindRequest(commitment)).readyAt).to.equal(t + REBIND_DELAY);
    });

    it("records the current removal epoch", async function () {
      const { registry, admin, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(admin).removeOfficial(officials[2].address);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      expect((await registry.rebindRequest(commitment)).officialEpoch).to.equal(1n);
    });

    it("rejects the zero account", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[0]).requestRebind(commitment, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs();
    });

    it("rejects a commitment that was never bound", async function () {
      const { registry, officials, households } = await networkHelpers.loadFixture(boundFixture);
      const unbound = commitmentOf("520101199001019999", "salt-z");
      await expect(registry.connect(officials[0]).requestRebind(unbound, households[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryIdentityNotBound")
        .withArgs(unbound);
      await expect(registry.connect(officials[0]).requestRebind(ethers.ZeroHash, households[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryIdentityNotBound")
        .withArgs(ethers.ZeroHash);
    });

    it("rejects an account that is already bound, including the current one", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[0]).requestRebind(commitment, households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountAlreadyBound")
        .withArgs(households[0].address, commitment);
      const other = commitmentOf("520101199001015678", "salt-b");
      await registry.connect(officials[0]).bindIdentity(other, households[1].address);
      await expect(registry.connect(officials[0]).requestRebind(commitment, households[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountAlreadyBound")
        .withArgs(households[1].address, other);
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, households, commitment, reviewer } = await networkHelpers.loadFixture(boundFixture);
      for (const caller of [households[0], reviewer]) {
        await expect(registry.connect(caller).requestRebind(commitment, households[1].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
          .withArgs(caller.address);
      }
    });
  });

  describe("approveRebind", function () {
    it("starts the delay when the threshold is met", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[1].address, 1, 2, t + REBIND_DELAY);
      const r = await registry.rebindRequest(commitment);
      expect(r.approvals).to.equal(2n);
      expect(r.readyAt).to.equal(t + REBIND_DELAY);
      expect(await registry.hasApprovedRebind(commitment, 1, officials[1].address)).to.equal(true);
    });

    it("does not move readyAt on a late approval", async function () {
      const { registry, officials, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await networkHelpers.time.increase(DAY);
      await expect(registry.connect(officials[2]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[2].address, 1, 3, readyAt);
      expect((await registry.rebindRequest(commitment)).readyAt).to.equal(readyAt);
    });

    it("rejects a second approval by the same official, the requester included", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(approvedFixture);
      for (const o of [officials[0], officials[1]]) {
        await expect(registry.connect(o).approveRebind(commitment, 1))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindAlreadyApproved")
          .withArgs(commitment, o.address);
      }
      expect((await registry.rebindRequest(commitment)).approvals).to.equal(2n);
    });

    it("rejects a nonce that is not the current request", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 1, 0);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 2))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 2, 1);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 0, 1);
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, admin, officials, households, commitment, outsider } =
        await networkHelpers.loadFixture(boundFixture);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await expect(registry.connect(outsider).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
      await registry.connect(admin).removeOfficial(officials[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[1].address);
    });
  });

  describe("executeRebind", function () {
    describe("when approved and the delay has passed", function () {
      it("is refused at readyAt - 1 and moves the commitment at exactly readyAt", async function () {
        const { registry, households, commitment, newAccount, readyAt, outsider } =
          await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt - 1n);
        await expect(registry.connect(outsider).executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayPending")
          .withArgs(commitment, readyAt);

        await nextTxAt(readyAt);
        const tx = registry.connect(outsider).executeRebind(commitment);
        await expect(tx).to.emit(registry, "IdentityRebound").withArgs(commitment, households[0].address, newAccount);
        expect(await minedAt(tx)).to.equal(readyAt);
      });

      it("unbinds the old account, binds the new one and keeps the nonce", async function () {
        const { registry, households, commitment, newAccount, readyAt } =
          await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);

        const id = await registry.identity(commitment);
        expect(id.account).to.equal(newAccount);
        expect(id.boundAt).to.equal(readyAt);
        expect(await registry.commitmentOf(households[0].address)).to.equal(ethers.ZeroHash);
        expect(await registry.commitmentOf(newAccount)).to.equal(commitment);
        const [account, epoch] = await registry.eligibilityEpoch(commitment);
        expect(account).to.equal(newAccount);
        expect(epoch).to.equal(packEpoch(0n, 0n));
        const r = await registry.rebindRequest(commitment);
        expect(r.newAccount).to.equal(ethers.ZeroAddress);
        expect(r.nonce).to.equal(1n);
      });

      it("cannot be executed again, nor the executed request approved", async function () {
        const { registry, officials, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);
        await expect(registry.executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
          .withArgs(commitment, 0, 1);
        await expect(registry.connect(officials[2]).approveRebind(commitment, 1))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
          .withArgs(commitment, 1, 1);
      });

      it("frees the old account to be bound again and allows a later rebind with fresh approvals", async function () {
        const { registry, officials, households, commitment, newAccount, readyAt, spare } =
          await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);

        const other = commitmentOf("520101199001015678", "salt-b");
        await expect(registry.connect(officials[2]).bindIdentity(other, households[0].address))
          .to.emit(registry, "IdentityBound")
          .withArgs(other, households[0].address, officials[2].address);

        await expect(registry.connect(officials[1]).requestRebind(commitment, spare[0].address))
          .to.emit(registry, "RebindApproved")
          .withArgs(commitment, officials[1].address, 2, 1, 0);
        await expect(registry.executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
          .withArgs(commitment, 1, 2);
        expect((await registry.identity(commitment)).account).to.equal(newAccount);
      });
    });

    it("is refused when there is no open request", async function () {
      const { registry, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 0, 0);
    });

    it("is refused until the threshold is met", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await networkHelpers.time.increase(10n * REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
        .withArgs(commitment, 1, 2);
    });

    it("is refused as stale after any official's removal, even once the delay has passed", async function () {
      const { registry, admin, officials, households, commitment, readyAt } =
        await networkHelpers.loadFixture(approvedFixture);
      // officials[2] never approved; any removal voids the approvals gathered before it.
      await registry.connect(admin).removeOfficial(officials[2].address);
      await nextTxAt(readyAt + DAY);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindStale")
        .withArgs(commitment, 0, 1);
      await registry.connect(admin).removeOfficial(officials[1].address);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindStale")
        .withArgs(commitment, 0, 2);
      expect((await registry.identity(commitment)).account).to.equal(households[0].address);
    });

    it("works again after a fresh request following the removal", async function () {
      const { registry, admin, officials, households, commitment, spare } =
        await networkHelpers.loadFixture(approvedFixture);
      await registry.connect(admin).removeOfficial(officials[2].address);
      await registry.connect(admin).addOfficial(spare[1].address);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      const at = await minedAt(registry.connect(spare[1]).approveRebind(commitment, 2));
      expect((await registry.rebindRequest(commitment)).officialEpoch).to.equal(1n);
      await nextTxAt(at + REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.emit(registry, "IdentityRebound")
        .withArgs(commitment, households[0].address, households[1].address);
    });

    it("is refused when the new account was bound elsewhere in the meantime", async function () {
      const { registry, officials, commitment, newAccount, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      const other = commitmentOf("520101199001015678", "salt-b");
      await registry.connect(officials[2]).bindIdentity(other, newAccount);
      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountAlreadyBound")
        .withArgs(newAccount, other);
    });
  });

  describe("a new request", function () {
    it("replaces the old one and resets its approvals and delay", async function () {
      const { registry, officials, commitment, readyAt, spare } = await networkHelpers.loadFixture(approvedFixture);
      const replacement = spare[0].address;
      await expect(registry.connect(officials[2]).requestRebind(commitment, replacement))
        .to.emit(registry, "RebindRequested")
        .withArgs(commitment, replacement, officials[2].address, 2)
        .and.to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[2].address, 2, 1, 0);

      const r = await registry.rebindRequest(commitment);
      expect(r.newAccount).to.equal(replacement);
      expect(r.nonce).to.equal(2n);
      expect(r.approvals).to.equal(1n);
      expect(r.readyAt).to.equal(0n);
      // Approvals of request 1 are still recorded but do not count for request 2.
      expect(await registry.hasApprovedRebind(commitment, 1, officials[1].address)).to.equal(true);
      expect(await registry.hasApprovedRebind(commitment, 2, officials[1].address)).to.equal(false);

      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
        .withArgs(commitment, 1, 2);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 1, 2);
    });

    it("needs the old approvers to approve again, and starts a fresh delay", async function () {
      const { registry, officials, households, commitment, readyAt, spare } =
        await networkHelpers.loadFixture(approvedFixture);
      const replacement = spare[0].address;
      await registry.connect(officials[2]).requestRebind(commitment, replacement);
      const t = readyAt - 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 2))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[1].address, 2, 2, t + REBIND_DELAY);
      // The old request's readyAt is no longer what counts.
      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayPending")
        .withArgs(commitment, t + REBIND_DELAY);
      await nextTxAt(t + REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.emit(registry, "IdentityRebound")
        .withArgs(commitment, households[0].address, replacement);
      expect(await registry.commitmentOf(households[1].address)).to.equal(ethers.ZeroHash);
    });
  });

  describe("policy changes during a request", function () {
    it("never skip the delay when the threshold is lowered below existing approvals", async function () {
      const { registry, admin, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(admin).setRebindPolicy(3, Number(REBIND_DELAY));
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[1].address, 1, 2, 0);
      await registry.connect(admin).setRebindPolicy(2, Number(REBIND_DELAY));

      // Two approvals now meet the threshold, but the delay never started.
      await networkHelpers.time.increase(10n * REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayPending")
        .withArgs(commitment, 0);

      // One more approval starts it.
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[2]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[2].address, 1, 3, t + REBIND_DELAY);
      await nextTxAt(t + REBIND_DELAY - 1n);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayPending")
        .withArgs(commitment, t + REBIND_DELAY);
      await nextTxAt(t + REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.emit(registry, "IdentityRebound")
        .withArgs(commitment, households[0].address, households[1].address);
    });

    it("refuse execution when the threshold is raised above the approvals", async function () {
      const { registry, admin, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await registry.connect(admin).setRebindPolicy(3, Number(REBIND_DELAY));
      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
        .withArgs(commitment, 2, 3);
    });

    it("keep the readyAt fixed when the threshold was met, even if the delay is shortened later", async function () {
      const { registry, admin, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await registry.connect(admin).setRebindPolicy(2, 0);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayPending")
        .withArgs(commitment, readyAt);
    });
  });
});
