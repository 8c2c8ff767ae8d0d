import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  now,
  DAY,
  deployRoster,
  createProgramme,
  buildRoster,
  defaultLeaves,
  fundProgramme,
  publish,
  approvals,
  currentApproval,
  signApproval,
  sortByAddress,
  type RosterProtocol,
} from "./helpers.ts";

/** A funded programme (3 tranches) with the default roster built but not yet published. */
async function fundedWithRoster(p: RosterProtocol, overrides = {}) {
  const { programme, terms } = await createProgramme(p, overrides);
  const roster = buildRoster(defaultLeaves(p), BigInt(terms.trancheUnlockTimes.length));
  await fundProgramme(p, programme, terms, roster.rosterTotal);
  return { programme, terms, roster };
}

describe("AidRosterProgramme: roster publication and approval", function () {
  describe("publishRoster", function () {
    it("publishes version 1 with its URI, content hash and total, and emits RosterPublished", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await expect(publish(programme, p.manager, roster))
        .to.emit(programme, "RosterPublished")
        .withArgs(1n, roster.root, roster.leafCount, roster.rosterTotal, roster.uri, roster.contentHash);
      const info = await programme.roster();
      expect(info.root).to.equal(roster.root);
      expect(info.version).to.equal(1n);
      expect(info.leafCount).to.equal(BigInt(roster.leafCount));
      expect(info.rosterTotal).to.equal(roster.rosterTotal);
      expect(info.uri).to.equal(roster.uri);
      expect(info.contentHash).to.equal(roster.contentHash);
      expect(info.claimsOpenAt).to.equal(0n);
      const gate = await programme.gate(roster.root);
      expect(gate.version).to.equal(1n);
      expect(gate.leafCount).to.equal(BigInt(roster.leafCount));
    });

    it("a new root bumps the version, voids the old root's gate and resets its approval", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, terms.threshold));
      await programme.approveRoot(addresses, signatures, deadline);
      expect((await programme.roster()).claimsOpenAt).to.not.equal(0n);

      const second = buildRoster(defaultLeaves(p).slice(0, 4), 3n);
      await expect(publish(programme, p.manager, second))
        .to.emit(programme, "RosterPublished")
        .withArgs(2n, second.root, second.leafCount, second.rosterTotal, second.uri, second.contentHash);
      expect((await programme.gate(roster.root)).version).to.equal(0n);
      const info = await programme.roster();
      expect(info.version).to.equal(2n);
      expect(info.claimsOpenAt).to.equal(0n);
      // The version-1 signatures do not approve version 2.
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(addresses[0]);
    });

    it("refuses anyone but the manager, and a manager whose role was revoked", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await expect(publish(programme, p.outsider, roster))
        .to.be.revertedWithCustomError(programme, "AidRosterNotManager")
        .withArgs(p.outsider.address);
      await p.registry.revokeRole(await p.registry.MANAGER_ROLE(), p.manager.address);
      await expect(publish(programme, p.manager, roster))
        .to.be.revertedWithCustomError(programme, "AidRosterNotManager")
        .withArgs(p.manager.address);
    });

    it("refuses a zero root or an empty roster", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await expect(programme.publishRoster(ethers.ZeroHash, 6, roster.rosterTotal, roster.uri, roster.contentHash))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidRoster")
        .withArgs(ethers.ZeroHash, 6n);
      await expect(programme.publishRoster(roster.root, 0, roster.rosterTotal, roster.uri, roster.contentHash))
        .to.be.revertedWithCustomError(programme, "AidRosterInvalidRoster")
        .withArgs(roster.root, 0n);
    });

    it("refuses to commit more than was raised (no over-commitment), accepting exactly what was raised", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await expect(programme.publishRoster(roster.root, roster.leafCount, roster.rosterTotal + 1n, roster.uri, roster.contentHash))
        .to.be.revertedWithCustomError(programme, "AidRosterOverCommitment")
        .withArgs(roster.rosterTotal + 1n, roster.rosterTotal);
      await expect(publish(programme, p.manager, roster)).to.emit(programme, "RosterPublished");
    });

    it("refuses while paused and after cancellation", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await programme.connect(p.guardian).pause();
      await expect(publish(programme, p.manager, roster)).to.be.revertedWithCustomError(programme, "AidPauseActive");
      await programme.connect(p.guardian).unpause();
      await programme.connect(p.manager).approveCancellation();
      await programme.connect(p.reviewer).approveCancellation();
      await expect(publish(programme, p.manager, roster))
        .to.be.revertedWithCustomError(programme, "AidRosterNotLive")
        .withArgs(3n);
    });

    it("freezes the root once its claims opened (t-1 replaces, t and t+1 refuse): no double claim across a root change", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, terms.threshold));
      await programme.approveRoot(addresses, signatures, deadline);
      const claimsOpenAt = (await programme.roster()).claimsOpenAt;

      await networkHelpers.time.setNextBlockTimestamp(claimsOpenAt - 1n);
      await expect(publish(programme, p.manager, roster)).to.emit(programme, "RosterPublished").withArgs(2n, roster.root, 6n, roster.rosterTotal, roster.uri, roster.contentHash);
      const again = await approvals(programme, p.officials.slice(0, terms.threshold));
      await programme.approveRoot(again.addresses, again.signatures, again.deadline);
      const opensAt = (await programme.roster()).claimsOpenAt;
      await networkHelpers.time.setNextBlockTimestamp(opensAt);
      await expect(publish(programme, p.manager, roster))
        .to.be.revertedWithCustomError(programme, "AidRosterRootFrozen")
        .withArgs(2n, opensAt);
      await networkHelpers.time.setNextBlockTimestamp(opensAt + 1n);
      await expect(publish(programme, p.manager, roster))
        .to.be.revertedWithCustomError(programme, "AidRosterRootFrozen")
        .withArgs(2n, opensAt);
    });
  });

  describe("issue 11 #12: a root approval has no deadline", function () {
    it("refuses signatures from their deadline on (AidSignaturesExpired), so their holder cannot choose the window", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2), (await now()) + DAY);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesExpired")
        .withArgs(deadline);
      // Moving the deadline breaks the signatures: the officials signed it.
      await expect(programme.approveRoot(addresses, signatures, deadline + DAY))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(addresses[0]);
    });

    it("accepts them one second before the deadline", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2), (await now()) + DAY);
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(programme.approveRoot(addresses, signatures, deadline)).to.emit(programme, "RootApproved");
    });
  });

  describe("approveRoot", function () {
    it("accepts k ascending current officials' signatures, submitted by anyone, and starts the window", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2));
      const at = (await now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      await expect(programme.connect(p.outsider).approveRoot(addresses, signatures, deadline))
        .to.emit(programme, "RootApproved")
        .withArgs(1n, roster.root, addresses, at + BigInt(terms.publicityWindow));
      expect((await programme.gate(roster.root)).claimsOpenAt).to.equal(at + BigInt(terms.publicityWindow));
    });

    it("accepts a Safe-style ERC-1271 official", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      const wallet = await ethers.deployContract("ContractWallet", [p.officials[2].address]);
      const walletAddress = await wallet.getAddress();
      await p.registry.addOfficial(walletAddress, { name: "Safe official", office: "County office", jurisdiction: "cn-gz" });
      await publish(programme, p.manager, roster);
      const approval = await currentApproval(programme);
      const deadline = (await now()) + DAY;
      // The wallet's owner signs the EIP-712 digest; the wallet vouches for it by ERC-1271.
      const signers = sortByAddress([
        { address: p.officials[0].address, sign: () => signApproval(p.officials[0], programme, approval, deadline) },
        { address: walletAddress, sign: () => signApproval(p.officials[2], programme, approval, deadline) },
      ]);
      const signatures = await Promise.all(signers.map((s) => s.sign()));
      await expect(programme.approveRoot(signers.map((s) => s.address), signatures, deadline))
        .to.emit(programme, "RootApproved")
        .withArgs(1n, roster.root, signers.map((s) => s.address), (v: bigint) => v > 0n);
    });

    it("refuses an ERC-1271 official whose wallet does not vouch for the signature", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      const wallet = await ethers.deployContract("ContractWallet", [p.officials[2].address]);
      const walletAddress = await wallet.getAddress();
      await p.registry.addOfficial(walletAddress, { name: "Safe official", office: "County office", jurisdiction: "cn-gz" });
      await publish(programme, p.manager, roster);
      const approval = await currentApproval(programme);
      const deadline = (await now()) + DAY;
      const signers = sortByAddress([
        { address: p.officials[0].address, sign: () => signApproval(p.officials[0], programme, approval, deadline) },
        // Signed by someone who does not own the wallet.
        { address: walletAddress, sign: () => signApproval(p.outsider, programme, approval, deadline) },
      ]);
      await expect(
        programme.approveRoot(signers.map((s) => s.address), await Promise.all(signers.map((s) => s.sign())), deadline),
      )
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(walletAddress);
    });

    it("refuses an approval from a removed official", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2));
      await p.registry.removeOfficial(p.officials[1].address);
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesNotOfficial")
        .withArgs(p.officials[1].address);
    });

    it("refuses a signer who never was an official", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const signers = sortByAddress([p.officials[0], p.outsider]);
      const { addresses, signatures, deadline } = await approvals(programme, signers);
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesNotOfficial")
        .withArgs(p.outsider.address);
    });

    it("refuses duplicated or descending signers (distinctness in one pass)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const dup = await approvals(programme, [p.officials[0], p.officials[0]]);
      await expect(programme.approveRoot(dup.addresses, dup.signatures, dup.deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesNotAscending")
        .withArgs(1n, p.officials[0].address);
      const desc = await approvals(programme, [p.officials[1], p.officials[0]]);
      await expect(programme.approveRoot(desc.addresses, desc.signatures, desc.deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesNotAscending")
        .withArgs(1n, p.officials[0].address);
    });

    it("refuses a signature by someone else than the listed signer", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2));
      await expect(programme.approveRoot(addresses, [signatures[0], signatures[0]], deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(addresses[1]);
    });

    it("refuses another programme's approval of the same roster (the domain binds the programme)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const a = await fundedWithRoster(p);
      const b = await fundedWithRoster(p);
      await publish(a.programme, p.manager, a.roster);
      await publish(b.programme, p.manager, b.roster);
      const forB = await approvals(b.programme, p.officials.slice(0, 2));
      await expect(a.programme.approveRoot(forB.addresses, forB.signatures, forB.deadline))
        .to.be.revertedWithCustomError(a.programme, "AidSignaturesInvalid")
        .withArgs(forB.addresses[0]);
    });

    it("refuses the wrong number of signers or signatures", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await publish(programme, p.manager, roster);
      const one = await approvals(programme, p.officials.slice(0, 1));
      await expect(programme.approveRoot(one.addresses, one.signatures, one.deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesWrongCount")
        .withArgs(2n, 1n, 1n);
      const two = await approvals(programme, p.officials.slice(0, 2));
      await expect(programme.approveRoot(two.addresses, two.signatures.slice(0, 1), two.deadline))
        .to.be.revertedWithCustomError(programme, "AidSignaturesWrongCount")
        .withArgs(2n, 2n, 1n);
    });

    it("refuses before any roster, and a second approval of the same version", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, roster } = await fundedWithRoster(p);
      await expect(programme.approveRoot([], [], 0n))
        .to.be.revertedWithCustomError(programme, "AidRosterNoRoster")
        .withArgs(await programme.getAddress());
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2));
      await programme.approveRoot(addresses, signatures, deadline);
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidRosterRootAlreadyApproved")
        .withArgs(1n);
    });

    it("refuses while paused and when the window would reach the claim deadline", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const t = await now();
      const { programme, terms, roster } = await fundedWithRoster(p, {
        trancheUnlockTimes: [t + 10n * DAY],
        claimDeadline: t + 20n * DAY,
        publicityWindow: Number(7n * DAY),
      });
      await publish(programme, p.manager, roster);
      const { addresses, signatures, deadline } = await approvals(programme, p.officials.slice(0, 2));
      await programme.connect(p.guardian).pause();
      const { pausedAt } = await programme.pauseClock();
      await expect(programme.approveRoot(addresses, signatures, deadline))
        .to.be.revertedWithCustomError(programme, "AidPauseActive")
        .withArgs(pausedAt, pausedAt + 14n * DAY);
      await programme.connect(p.guardian).unpause();
      // The pause moved the claim deadline by its length. Approving at that deadline - window would open claims
      // exactly at it: refused.
      const closes = await programme.claimDeadline();
      expect(closes).to.equal(terms.claimDeadline + (await programme.pauseClock()).lastLength);
      const late = closes - BigInt(terms.publicityWindow);
      const fresh = await approvals(programme, p.officials.slice(0, 2), late + DAY);
      await networkHelpers.time.setNextBlockTimestamp(late);
      await expect(programme.approveRoot(fresh.addresses, fresh.signatures, fresh.deadline))
        .to.be.revertedWithCustomError(programme, "AidRosterWindowPastDeadline")
        .withArgs(closes, closes);
    });
  });
});
