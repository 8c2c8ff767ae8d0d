import { expect } from "chai";
import { ethers, networkHelpers, commitmentOf, REBIND_DELAY, DAY, now } from "../helpers/fixtures.ts";
import {
  boundFixture,
  registryFixture,
  DEFAULT_ADMIN_ROLE,
  REBIND_WINDOW,
  RebindStatus,
  minedAt,
  nextTxAt,
  viewAt,
  packEpoch,
  bind,
  profileOf,
  signCancel,
} from "./helpers.ts";

/** boundFixture plus request 1 to households[1] by officials[0], approved by officials[1] (delay running). */
async function approvedFixture() {
  const p = await boundFixture();
  const newAccount = p.households[1].address;
  await p.registry.connect(p.officials[0]).requestRebind(p.commitment, newAccount);
  const approvedAt = await minedAt(p.registry.connect(p.officials[1]).approveRebind(p.commitment, 1));
  return { ...p, newAccount, readyAt: approvedAt + REBIND_DELAY };
}

/** boundFixture plus request 1 to households[1] opened by officials[0] at `requestedAt`, not yet approved. */
async function requestedFixture() {
  const p = await boundFixture();
  const requestedAt = await minedAt(p.registry.connect(p.officials[0]).requestRebind(p.commitment, p.households[1].address));
  return { ...p, requestedAt, expiresAt: requestedAt + REBIND_WINDOW };
}

/** Appoints `n` fresh funded officials (for lists longer than the test signers). */
async function freshOfficials(p: Awaited<ReturnType<typeof boundFixture>>, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const w = ethers.Wallet.createRandom().connect(ethers.provider);
    await networkHelpers.setBalance(w.address, ethers.parseEther("1"));
    await p.registry.connect(p.admin).addOfficial(w.address, profileOf(`Extra ${i}`));
    out.push(w);
  }
  return out;
}

describe("AidRegistry rebind", function () {
  describe("rebindPolicy and setRebindPolicy", function () {
    it("starts with the deployment's threshold and delay, inside the documented bounds", async function () {
      const { registry } = await networkHelpers.loadFixture(registryFixture);
      const [threshold, delay] = await registry.rebindPolicy();
      expect(threshold).to.equal(2n);
      expect(delay).to.equal(REBIND_DELAY);
      expect(await registry.MIN_THRESHOLD()).to.equal(2n);
      expect(await registry.MAX_THRESHOLD()).to.equal(16n);
      expect(await registry.MIN_PUBLIC_DELAY()).to.equal(DAY);
      expect(await registry.MAX_REBIND_DELAY()).to.equal(30n * DAY);
      expect(await registry.REBIND_WINDOW()).to.equal(REBIND_WINDOW);
      expect(await registry.MAX_REBIND_VOTES()).to.equal(32n);
      expect(await registry.LOCAL_CHAIN_ID()).to.equal(31337n);
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

    it("refuses a threshold under two or over sixteen: one official never suffices", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      for (const bad of [0, 1, 17, 255]) {
        await expect(registry.connect(admin).setRebindPolicy(bad, REBIND_DELAY))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidRebindThreshold")
          .withArgs(bad, 2, 16);
      }
      await expect(registry.connect(admin).setRebindPolicy(16, REBIND_DELAY)).to.emit(registry, "RebindPolicyUpdated");
      const [threshold] = await registry.rebindPolicy();
      expect(threshold).to.equal(16n);
    });

    it("refuses a delay over thirty days, and accepts zero on the local chain only", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).setRebindPolicy(2, 30n * DAY + 1n))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayOutOfRange")
        .withArgs(30n * DAY + 1n, 0, 30n * DAY);
      await expect(registry.connect(admin).setRebindPolicy(2, 0)).to.emit(registry, "RebindPolicyUpdated").withArgs(2, 0);
      await expect(registry.connect(admin).setRebindPolicy(2, 30n * DAY))
        .to.emit(registry, "RebindPolicyUpdated")
        .withArgs(2, 30n * DAY);
    });

    it("refuses a bad policy at deployment too", async function () {
      const [admin] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("AidRegistry");
      await expect(factory.deploy(admin.address, ethers.ZeroAddress, 2n * DAY, 1, REBIND_DELAY))
        .to.be.revertedWithCustomError(factory, "AidRegistryInvalidRebindThreshold")
        .withArgs(1, 2, 16);
    });

    it("rejects a caller without the default admin role", async function () {
      const { registry, officials } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(officials[0]).setRebindPolicy(3, DAY))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(officials[0].address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("requestRebind", function () {
    it("opens request 1, counts it as the requester's approval, and sets its expiry", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[0]).requestRebind(commitment, households[1].address))
        .to.emit(registry, "RebindRequested")
        .withArgs(commitment, households[1].address, officials[0].address, 1, t + REBIND_WINDOW)
        .and.to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[0].address, 1, 1, 0);

      const r = await registry.rebindRequest(commitment);
      expect(r.newAccount).to.equal(households[1].address);
      expect(r.nonce).to.equal(1n);
      expect(r.expiresAt).to.equal(t + REBIND_WINDOW);
      expect(r.status).to.equal(RebindStatus.Pending);
      expect(r.requester).to.equal(officials[0].address);
      expect(r.readyAt).to.equal(0n);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Pending);
      expect(await registry.rebindApprovers(commitment, 1)).to.deep.equal([officials[0].address]);
      expect(await registry.hasApprovedRebind(commitment, 1, officials[0].address)).to.equal(true);
      expect(await registry.hasApprovedRebind(commitment, 1, officials[1].address)).to.equal(false);
      // Nothing moves until execution.
      expect((await registry.identity(commitment)).account).to.equal(households[0].address);
    });

    it("rejects the zero account, naming the field", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[0]).requestRebind(commitment, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("newAccount");
    });

    it("rejects a commitment that was never bound", async function () {
      const { registry, officials, households } = await networkHelpers.loadFixture(boundFixture);
      const unbound = commitmentOf("520101199001019999", "salt-z");
      await expect(registry.connect(officials[0]).requestRebind(unbound, households[1].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryIdentityNotBound")
        .withArgs(unbound);
    });

    it("rejects an account that is already bound, including the current one", async function () {
      const p = await networkHelpers.loadFixture(boundFixture);
      const { registry, officials, households, commitment } = p;
      await expect(registry.connect(officials[0]).requestRebind(commitment, households[0].address))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountAlreadyBound")
        .withArgs(households[0].address, commitment);
      const other = commitmentOf("520101199001015678", "salt-b");
      await bind(p, other, households[1].address);
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

    describe("scenario: one official cannot reset or hold hostage a pending recovery", function () {
      it("refuses a new request while one is pending, keeping its approvals and delay", async function () {
        const { registry, officials, commitment, newAccount, readyAt, spare } = await networkHelpers.loadFixture(approvedFixture);
        const { expiresAt } = await registry.rebindRequest(commitment);
        await expect(registry.connect(officials[2]).requestRebind(commitment, spare[0].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindPending")
          .withArgs(commitment, 1, expiresAt);
        const r = await registry.rebindRequest(commitment);
        expect(r.newAccount).to.equal(newAccount);
        expect(r.nonce).to.equal(1n);
        expect(r.readyAt).to.equal(readyAt);
        await nextTxAt(readyAt);
        await expect(registry.executeRebind(commitment)).to.emit(registry, "IdentityRebound");
      });

      it("refuses the official whose own request was cancelled a second request, and lets another official open one", async function () {
        const { registry, officials, households, commitment, spare } = await networkHelpers.loadFixture(requestedFixture);
        await registry.connect(households[0]).cancelRebind(commitment, 1);
        await expect(registry.connect(officials[0]).requestRebind(commitment, spare[0].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequesterRepeats")
          .withArgs(commitment, officials[0].address, 1);
        await expect(registry.connect(officials[1]).requestRebind(commitment, spare[0].address))
          .to.emit(registry, "RebindRequested")
          .withArgs(commitment, spare[0].address, officials[1].address, 2, (v: bigint) => v > 0n);
        // The old requester may approve the new request like anyone else.
        await expect(registry.connect(officials[0]).approveRebind(commitment, 2)).to.emit(registry, "RebindApproved");
      });

      it("lets a request lapse after its window, then refuses its requester and accepts another official", async function () {
        const { registry, officials, commitment, expiresAt, spare } = await networkHelpers.loadFixture(requestedFixture);
        await nextTxAt(expiresAt - 1n);
        await expect(registry.connect(officials[1]).requestRebind(commitment, spare[0].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindPending")
          .withArgs(commitment, 1, expiresAt);
        await viewAt(expiresAt);
        expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Expired);
        await expect(registry.connect(officials[0]).requestRebind(commitment, spare[0].address))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequesterRepeats")
          .withArgs(commitment, officials[0].address, 1);
        await expect(registry.connect(officials[1]).requestRebind(commitment, spare[0].address))
          .to.emit(registry, "RebindApproved")
          .withArgs(commitment, officials[1].address, 2, 1, 0);
        // The lapsed request's approvals do not carry over.
        expect(await registry.rebindApprovers(commitment, 2)).to.deep.equal([officials[1].address]);
        expect(await registry.hasApprovedRebind(commitment, 1, officials[0].address)).to.equal(true);
      });
    });
  });

  describe("approveRebind", function () {
    it("starts the delay when the threshold is met and keeps the request executable for the window after it", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(requestedFixture);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[1].address, 1, 2, t + REBIND_DELAY);
      const r = await registry.rebindRequest(commitment);
      expect(r.readyAt).to.equal(t + REBIND_DELAY);
      expect(r.expiresAt).to.equal(t + REBIND_DELAY + REBIND_WINDOW);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Approved);
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
      expect((await registry.rebindApprovers(commitment, 1)).length).to.equal(2);
    });

    it("rejects a nonce that is not the current request", async function () {
      const { registry, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 1, 0);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
        .withArgs(commitment, 0, RebindStatus.None);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 2))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 2, 1);
    });

    it("accepts approvals until expiresAt - 1 and refuses them from expiresAt on", async function () {
      const { registry, officials, commitment, expiresAt } = await networkHelpers.loadFixture(requestedFixture);
      await nextTxAt(expiresAt);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindExpired")
        .withArgs(commitment, 1, expiresAt);
      const again = await networkHelpers.loadFixture(requestedFixture);
      await nextTxAt(again.expiresAt - 1n);
      await expect(again.registry.connect(again.officials[1]).approveRebind(again.commitment, 1)).to.emit(
        again.registry,
        "RebindApproved",
      );
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, admin, officials, commitment, outsider } = await networkHelpers.loadFixture(requestedFixture);
      await expect(registry.connect(outsider).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
      await registry.connect(admin).removeOfficial(officials[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[1].address);
    });

    it("records at most MAX_REBIND_VOTES approvers", async function () {
      const p = await networkHelpers.loadFixture(requestedFixture);
      const extra = await freshOfficials(p, 32);
      for (const o of extra.slice(0, 31)) await p.registry.connect(o).approveRebind(p.commitment, 1);
      expect((await p.registry.rebindApprovers(p.commitment, 1)).length).to.equal(32);
      await expect(p.registry.connect(extra[31]).approveRebind(p.commitment, 1))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryRebindVotesFull")
        .withArgs(p.commitment, 1, 32);
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

      it("binds the new account, records the old one's successor and moves the eligibility epoch", async function () {
        const { registry, households, commitment, newAccount, readyAt } = await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);

        const id = await registry.identity(commitment);
        expect(id.account).to.equal(newAccount);
        expect(id.boundAt).to.equal(readyAt);
        expect(id.revocationEpoch).to.equal(1n);
        expect(await registry.commitmentOf(households[0].address)).to.equal(ethers.ZeroHash);
        expect(await registry.commitmentOf(newAccount)).to.equal(commitment);
        expect(await registry.successorOf(households[0].address)).to.equal(newAccount);
        expect(await registry.successorOf(newAccount)).to.equal(ethers.ZeroAddress);
        const [account, epoch] = await registry.eligibilityEpoch(commitment);
        expect(account).to.equal(newAccount);
        expect(epoch).to.equal(packEpoch(1n, 0n));
        const r = await registry.rebindRequest(commitment);
        expect(r.status).to.equal(RebindStatus.Executed);
        expect(r.nonce).to.equal(1n);
        expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Executed);
      });

      it("cannot be executed, approved or cancelled again", async function () {
        const { registry, officials, households, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);
        await expect(registry.executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
          .withArgs(commitment, 1, RebindStatus.Executed);
        await expect(registry.connect(officials[2]).approveRebind(commitment, 1))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
          .withArgs(commitment, 1, RebindStatus.Executed);
        await expect(registry.connect(households[1]).cancelRebind(commitment, 1))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
          .withArgs(commitment, 1, RebindStatus.Executed);
      });

      it("retires the old account for good: it can never be bound again", async function () {
        const p = await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(p.readyAt);
        await p.registry.executeRebind(p.commitment);
        const old = p.households[0].address;
        const other = commitmentOf("520101199001015678", "salt-b");
        await expect(bind(p, other, old))
          .to.be.revertedWithCustomError(p.registry, "AidRegistryAccountRetired")
          .withArgs(old, p.newAccount);
        await bind(p, other, p.spare[1].address);
        await expect(p.registry.connect(p.officials[1]).requestRebind(other, old))
          .to.be.revertedWithCustomError(p.registry, "AidRegistryAccountRetired")
          .withArgs(old, p.newAccount);
      });

      it("allows a later re-bind with fresh approvals, chaining successors", async function () {
        const { registry, officials, households, commitment, newAccount, readyAt, spare } =
          await networkHelpers.loadFixture(approvedFixture);
        await nextTxAt(readyAt);
        await registry.executeRebind(commitment);
        await expect(registry.connect(officials[1]).requestRebind(commitment, spare[0].address))
          .to.emit(registry, "RebindApproved")
          .withArgs(commitment, officials[1].address, 2, 1, 0);
        await expect(registry.executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
          .withArgs(commitment, 1, 2);
        const at = await minedAt(registry.connect(officials[2]).approveRebind(commitment, 2));
        await nextTxAt(at + REBIND_DELAY);
        await expect(registry.executeRebind(commitment))
          .to.emit(registry, "IdentityRebound")
          .withArgs(commitment, newAccount, spare[0].address);
        expect(await registry.successorOf(households[0].address)).to.equal(newAccount);
        expect(await registry.successorOf(newAccount)).to.equal(spare[0].address);
        expect((await registry.eligibilityEpoch(commitment))[1]).to.equal(packEpoch(2n, 0n));
      });
    });

    it("is refused when there has been no request", async function () {
      const { registry, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
        .withArgs(commitment, 0, RebindStatus.None);
    });

    it("is refused until the threshold is met", async function () {
      const { registry, commitment } = await networkHelpers.loadFixture(requestedFixture);
      await networkHelpers.time.increase(REBIND_DELAY);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
        .withArgs(commitment, 1, 2);
    });

    it("is refused from expiresAt on: an approved request does not wait for ever", async function () {
      const { registry, households, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await nextTxAt(readyAt + REBIND_WINDOW);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindExpired")
        .withArgs(commitment, 1, readyAt + REBIND_WINDOW);
      await viewAt(readyAt + REBIND_WINDOW);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Expired);
      expect((await registry.identity(commitment)).account).to.equal(households[0].address);
    });

    it("is refused when the new account was bound elsewhere in the meantime", async function () {
      const p = await networkHelpers.loadFixture(approvedFixture);
      const other = commitmentOf("520101199001015678", "salt-b");
      await bind(p, other, p.newAccount);
      await nextTxAt(p.readyAt);
      await expect(p.registry.executeRebind(p.commitment))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAccountAlreadyBound")
        .withArgs(p.newAccount, other);
    });

    describe("scenario: an official's removal voids only that official's approvals", function () {
      it("leaves every request the removed official did not approve executable, and re-counts the ones they did", async function () {
        const p = await networkHelpers.loadFixture(approvedFixture);
        const { registry, admin, officials, spare } = p;
        // A second household, re-bound by officials[0] and officials[2].
        const second = commitmentOf("520101199001015678", "salt-b");
        await bind(p, second, spare[0].address);
        await registry.connect(officials[2]).requestRebind(second, spare[1].address);
        await registry.connect(officials[0]).approveRebind(second, 1);
        // officials[2] approved only the second household's request.
        await registry.connect(admin).removeOfficial(officials[2].address);
        expect(await registry.rebindStatus(p.commitment)).to.equal(RebindStatus.Approved);
        expect(await registry.rebindStatus(second)).to.equal(RebindStatus.Pending);

        await nextTxAt(p.readyAt + 1n);
        await expect(registry.executeRebind(p.commitment))
          .to.emit(registry, "IdentityRebound")
          .withArgs(p.commitment, p.households[0].address, p.newAccount);
        await expect(registry.executeRebind(second))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindNotApproved")
          .withArgs(second, 1, 2);

        // A current official's approval restores the count; the delay already ran in public.
        await registry.connect(admin).addOfficial(spare[2].address, profileOf("Newcomer"));
        await registry.connect(spare[2]).approveRebind(second, 1);
        await expect(registry.executeRebind(second))
          .to.emit(registry, "IdentityRebound")
          .withArgs(second, spare[0].address, spare[1].address);
      });
    });
  });

  describe("cancelRebind", function () {
    it("lets the bound account cancel at once during the delay", async function () {
      const { registry, households, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await expect(registry.connect(households[0]).cancelRebind(commitment, 1))
        .to.emit(registry, "RebindCancelled")
        .withArgs(commitment, 1, households[0].address);
      const r = await registry.rebindRequest(commitment);
      expect(r.status).to.equal(RebindStatus.Cancelled);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Cancelled);
      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
        .withArgs(commitment, 1, RebindStatus.Cancelled);
      expect((await registry.identity(commitment)).account).to.equal(households[0].address);
    });

    describe("scenario: a thief using corrupt officials cannot take the account of a household that still has its phone", function () {
      it("is cancelled by the household each time, whoever of the corrupt officials asks", async function () {
        const { registry, officials, households, commitment, outsider } = await networkHelpers.loadFixture(boundFixture);
        const [corruptA, corruptB] = officials;
        const thief = outsider.address;
        await registry.connect(corruptA).requestRebind(commitment, thief);
        await registry.connect(corruptB).approveRebind(commitment, 1);
        await expect(registry.connect(households[0]).cancelRebind(commitment, 1))
          .to.emit(registry, "RebindCancelled")
          .withArgs(commitment, 1, households[0].address);
        // The same official cannot reopen; the other one can, and is cancelled again.
        await expect(registry.connect(corruptA).requestRebind(commitment, thief))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequesterRepeats")
          .withArgs(commitment, corruptA.address, 1);
        await registry.connect(corruptB).requestRebind(commitment, thief);
        await registry.connect(corruptA).approveRebind(commitment, 2);
        await registry.connect(households[0]).cancelRebind(commitment, 2);
        await networkHelpers.time.increase(REBIND_DELAY);
        await expect(registry.executeRebind(commitment))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
          .withArgs(commitment, 2, RebindStatus.Cancelled);
        expect((await registry.identity(commitment)).account).to.equal(households[0].address);
        expect(await registry.commitmentOf(thief)).to.equal(ethers.ZeroHash);
      });
    });

    it("accepts the bound account's signed cancellation from any submitter (a household without ETH)", async function () {
      const { registry, households, commitment, outsider } = await networkHelpers.loadFixture(approvedFixture);
      expect(await registry.CANCEL_REBIND_TYPEHASH()).to.equal(
        ethers.id("CancelRebind(bytes32 commitment,uint32 nonce,uint256 deadline)"),
      );
      const deadline = (await now()) + DAY;
      const signature = await signCancel(registry, households[0], commitment, 1, deadline);
      await expect(registry.connect(outsider).cancelRebindBySig(commitment, 1, deadline, signature))
        .to.emit(registry, "RebindCancelled")
        .withArgs(commitment, 1, households[0].address);
    });

    it("refuses a signed cancellation by anyone but the bound account, for another request, or past its deadline", async function () {
      const { registry, households, commitment, outsider, newAccount } = await networkHelpers.loadFixture(approvedFixture);
      const deadline = (await now()) + DAY;
      // The new account (the one the request would bind) cannot cancel it, nor can an outsider.
      for (const who of [households[1], outsider]) {
        await expect(
          registry.cancelRebindBySig(commitment, 1, deadline, await signCancel(registry, who, commitment, 1, deadline)),
        )
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(households[0].address);
      }
      expect(newAccount).to.equal(households[1].address);
      const good = await signCancel(registry, households[0], commitment, 1, deadline);
      await expect(registry.cancelRebindBySig(commitment, 1, deadline + 1n, good))
        .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
        .withArgs(households[0].address);
      await expect(registry.cancelRebindBySig(commitment, 2, deadline, good))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 2, 1);
      await nextTxAt(deadline);
      await expect(registry.cancelRebindBySig(commitment, 1, deadline, good))
        .to.be.revertedWithCustomError(registry, "AidRegistrySignatureExpired")
        .withArgs(deadline, deadline);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Approved);
    });

    it("lets a contract-wallet household cancel, by a call or by ERC-1271 signature", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      const owner = p.households[0];
      const wallet = await ethers.deployContract("ContractWallet", [owner.address]);
      const walletAddress = await wallet.getAddress();
      const commitment = commitmentOf("520101199001011234", "salt-a");
      await bind(p, commitment, walletAddress);
      await p.registry.connect(p.officials[0]).requestRebind(commitment, p.households[1].address);
      await expect(wallet.connect(owner).execute(await p.registry.getAddress(), p.registry.interface.encodeFunctionData("cancelRebind", [commitment, 1])))
        .to.emit(p.registry, "RebindCancelled")
        .withArgs(commitment, 1, walletAddress);
      await p.registry.connect(p.officials[1]).requestRebind(commitment, p.households[1].address);
      const deadline = (await now()) + DAY;
      // The wallet's owner signs; the wallet vouches for it by ERC-1271.
      const signature = await signCancel(p.registry, owner, commitment, 2, deadline);
      await expect(p.registry.connect(p.outsider).cancelRebindBySig(commitment, 2, deadline, signature))
        .to.emit(p.registry, "RebindCancelled")
        .withArgs(commitment, 2, walletAddress);
    });

    it("lets threshold officials cancel by votes, each vote public", async function () {
      const { registry, officials, commitment, readyAt } = await networkHelpers.loadFixture(approvedFixture);
      await expect(registry.connect(officials[2]).cancelRebind(commitment, 1))
        .to.emit(registry, "RebindCancelVoted")
        .withArgs(commitment, officials[2].address, 1, 1)
        .and.not.to.emit(registry, "RebindCancelled");
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Approved);
      await expect(registry.connect(officials[2]).cancelRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindAlreadyVotedToCancel")
        .withArgs(commitment, officials[2].address);
      // An approver may change their mind.
      await expect(registry.connect(officials[0]).cancelRebind(commitment, 1))
        .to.emit(registry, "RebindCancelVoted")
        .withArgs(commitment, officials[0].address, 1, 2)
        .and.to.emit(registry, "RebindCancelled")
        .withArgs(commitment, 1, officials[0].address);
      expect(await registry.rebindCancelVoters(commitment, 1)).to.deep.equal([officials[2].address, officials[0].address]);
      await nextTxAt(readyAt);
      await expect(registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindClosed")
        .withArgs(commitment, 1, RebindStatus.Cancelled);
    });

    it("counts only current officials' cancel votes", async function () {
      const { registry, admin, officials, commitment } = await networkHelpers.loadFixture(approvedFixture);
      await registry.connect(officials[2]).cancelRebind(commitment, 1);
      await registry.connect(admin).removeOfficial(officials[2].address);
      await expect(registry.connect(officials[0]).cancelRebind(commitment, 1)).not.to.emit(registry, "RebindCancelled");
      await expect(registry.connect(officials[1]).cancelRebind(commitment, 1))
        .to.emit(registry, "RebindCancelled")
        .withArgs(commitment, 1, officials[1].address);
    });

    it("refuses anyone else, the account the request would bind included", async function () {
      const { registry, households, commitment, outsider, reviewer, admin } = await networkHelpers.loadFixture(approvedFixture);
      for (const caller of [outsider, households[1], reviewer, admin]) {
        await expect(registry.connect(caller).cancelRebind(commitment, 1))
          .to.be.revertedWithCustomError(registry, "AidRegistryRebindCancelUnauthorized")
          .withArgs(caller.address, commitment);
      }
    });

    it("refuses an expired or unknown request", async function () {
      const { registry, households, commitment, expiresAt } = await networkHelpers.loadFixture(requestedFixture);
      await expect(registry.connect(households[0]).cancelRebind(commitment, 2))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindRequestMismatch")
        .withArgs(commitment, 2, 1);
      await nextTxAt(expiresAt);
      await expect(registry.connect(households[0]).cancelRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryRebindExpired")
        .withArgs(commitment, 1, expiresAt);
    });

    it("records at most MAX_REBIND_VOTES cancel voters", async function () {
      const p = await networkHelpers.loadFixture(requestedFixture);
      const extra = await freshOfficials(p, 33);
      // Each voter is removed right after voting, so the votes never reach the threshold and the list fills.
      for (const o of extra.slice(0, 32)) {
        await p.registry.connect(o).cancelRebind(p.commitment, 1);
        await p.registry.connect(p.admin).removeOfficial(o.address);
      }
      expect((await p.registry.rebindCancelVoters(p.commitment, 1)).length).to.equal(32);
      expect(await p.registry.rebindStatus(p.commitment)).to.equal(RebindStatus.Pending);
      await expect(p.registry.connect(extra[32]).cancelRebind(p.commitment, 1))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryRebindVotesFull")
        .withArgs(p.commitment, 1, 32);
    });
  });

  describe("setAccountVetoWaived (a phone stolen unlocked)", function () {
    it("lets a reviewer waive the bound account's veto, so only threshold officials can cancel", async function () {
      const { registry, reviewer, households, commitment, officials } = await networkHelpers.loadFixture(approvedFixture);
      const why = ethers.id("reason:phone stolen unlocked, reported at the township office");
      await expect(registry.connect(reviewer).setAccountVetoWaived(commitment, true, why))
        .to.emit(registry, "AccountVetoWaiverSet")
        .withArgs(commitment, households[0].address, true, reviewer.address, why);
      expect((await registry.identity(commitment)).accountVetoWaived).to.equal(true);
      await expect(registry.connect(households[0]).cancelRebind(commitment, 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountVetoWaived")
        .withArgs(commitment, households[0].address);
      const deadline = (await now()) + DAY;
      await expect(registry.cancelRebindBySig(commitment, 1, deadline, await signCancel(registry, households[0], commitment, 1, deadline)))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountVetoWaived")
        .withArgs(commitment, households[0].address);
      // Officials still can.
      await registry.connect(officials[0]).cancelRebind(commitment, 1);
      await expect(registry.connect(officials[2]).cancelRebind(commitment, 1)).to.emit(registry, "RebindCancelled");
    });

    it("can be restored, and ends with the next executed re-bind", async function () {
      const { registry, reviewer, households, commitment, readyAt, newAccount } = await networkHelpers.loadFixture(approvedFixture);
      await registry.connect(reviewer).setAccountVetoWaived(commitment, true, ethers.ZeroHash);
      await expect(registry.connect(reviewer).setAccountVetoWaived(commitment, true, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountVetoUnchanged")
        .withArgs(commitment, true);
      await nextTxAt(readyAt);
      await registry.executeRebind(commitment);
      expect((await registry.identity(commitment)).accountVetoWaived).to.equal(false);
      await expect(registry.connect(reviewer).setAccountVetoWaived(commitment, false, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AidRegistryAccountVetoUnchanged")
        .withArgs(commitment, false);
      await registry.connect(reviewer).setAccountVetoWaived(commitment, true, ethers.ZeroHash);
      await expect(registry.connect(reviewer).setAccountVetoWaived(commitment, false, ethers.id("found")))
        .to.emit(registry, "AccountVetoWaiverSet")
        .withArgs(commitment, newAccount, false, reviewer.address, ethers.id("found"));
      expect(households[0].address).not.to.equal(newAccount);
    });

    it("is for reviewers only, on bound commitments only", async function () {
      const { registry, officials, admin, reviewer, commitment } = await networkHelpers.loadFixture(boundFixture);
      const role = await registry.REVIEWER_ROLE();
      for (const caller of [officials[0], admin]) {
        await expect(registry.connect(caller).setAccountVetoWaived(commitment, true, ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role);
      }
      const unbound = ethers.id("unbound");
      await expect(registry.connect(reviewer).setAccountVetoWaived(unbound, true, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AidRegistryIdentityNotBound")
        .withArgs(unbound);
    });
  });

  describe("rebindStatus", function () {
    it("goes back from Approved to Pending when an approver is removed", async function () {
      const { registry, admin, officials, commitment } = await networkHelpers.loadFixture(approvedFixture);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Approved);
      await registry.connect(admin).removeOfficial(officials[1].address);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.Pending);
    });

    it("is None for a commitment never requested", async function () {
      const { registry, commitment } = await networkHelpers.loadFixture(boundFixture);
      expect(await registry.rebindStatus(commitment)).to.equal(RebindStatus.None);
    });
  });

  describe("policy changes during a request", function () {
    it("never skip the delay when the threshold is lowered below existing approvals", async function () {
      const { registry, admin, officials, households, commitment } = await networkHelpers.loadFixture(boundFixture);
      await registry.connect(admin).setRebindPolicy(3, REBIND_DELAY);
      await registry.connect(officials[0]).requestRebind(commitment, households[1].address);
      await expect(registry.connect(officials[1]).approveRebind(commitment, 1))
        .to.emit(registry, "RebindApproved")
        .withArgs(commitment, officials[1].address, 1, 2, 0);
      await registry.connect(admin).setRebindPolicy(2, REBIND_DELAY);

      // Two approvals now meet the threshold, but the delay never started.
      await networkHelpers.time.increase(10n * DAY);
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
      await registry.connect(admin).setRebindPolicy(3, REBIND_DELAY);
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
