/**
 * A household's passkey account receives aid through a relayer: the escrow's `claimBySig` and a roster's
 * `claimBySig` accept the account's ERC-1271 (ERC-7739) signature, whether the account already exists or
 * is deployed in the same transaction through the factory's `createAccountAndCall`.
 */
import { expect } from "chai";
import { ethers, networkHelpers, identifyHousehold, createProject, DAY, now } from "../helpers/fixtures.ts";
import { fund, enrolAt, unlockAt } from "../escrow-claims/helpers.ts";
import { buildRoster, fundProgramme, publish, approveNow, createProgramme, openTranche } from "../roster/helpers.ts";
import { CLAIM_REQUEST_TYPES } from "../../lib/escrow/typed-data.ts";
import { CLAIM_TYPES as ROSTER_CLAIM_SHAPE, rosterDomain } from "../../lib/roster/typed-data.ts";
import { Passkey, ZERO_SALT, accountOf, createAccount, deployAccounts, signTypedDataFor } from "./helpers.ts";

const CLAIM_TYPES = { ClaimRequest: [...CLAIM_REQUEST_TYPES.ClaimRequest] };
const ROSTER_CLAIM_TYPES = { RosterClaim: [...ROSTER_CLAIM_SHAPE.RosterClaim] };
const TRANCHE = 50_000_000n; // 50 tUSD (6 decimals)

/**
 * A tUSD escrow project with household "alice" bound at her passkey account's address (not yet deployed:
 * the official binds the address shown as a QR), attested, enrolled, and the first tranche unlocked.
 */
async function escrowFixture() {
  const f = await deployAccounts();
  const alice = new Passkey("alice");
  const a = await accountOf(f, alice);
  const { projectId, terms } = await createProject(f, { token: await f.stablecoin.getAddress(), amountPerTranche: TRANCHE });
  await fund(f, projectId, terms, 1n);
  const hh = await identifyHousehold(f, { address: a.address }, "alice");
  await enrolAt(f, projectId, terms, hh.commitment, hh.attesters);
  await networkHelpers.time.increaseTo(unlockAt(terms, 0));
  const d = await f.escrow.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  const request = { projectId, commitment: hh.commitment, trancheIndex: 0, recipient: a.address, amount: TRANCHE, nonce: 0n, deadline: (await now()) + DAY };
  const signature = signTypedDataFor(alice, a.address, domain, CLAIM_TYPES, "ClaimRequest", request);
  const claimData = f.escrow.interface.encodeFunctionData("claimBySig", [request, signature, []]);
  return { ...f, alice, a, projectId, hh, domain, request, signature, claimData };
}

describe("A passkey account's first claim", function () {
  describe("escrow claimBySig, relayed", function () {
    it("pays the account when it already exists", async function () {
      const f = await networkHelpers.loadFixture(escrowFixture);
      await createAccount(f, f.alice);
      const tx = f.escrow.connect(f.relayer).claimBySig(f.request, f.signature, []);
      await expect(tx).to.emit(f.escrow, "AidClaimed").withArgs(f.projectId, f.hh.commitment, f.a.address, 0, TRANCHE);
      await expect(tx).to.changeTokenBalances(ethers, f.stablecoin, [f.a.address, f.relayer.address], [TRANCHE, 0n]);
    });

    it("deploys the account on the way and pays it, in one transaction", async function () {
      const f = await networkHelpers.loadFixture(escrowFixture);
      expect(await ethers.provider.getCode(f.a.address)).to.equal("0x");
      const tx = f.accountFactory.connect(f.relayer).createAccountAndCall(f.alice.qx, f.alice.qy, ZERO_SALT, await f.escrow.getAddress(), f.claimData);
      await expect(tx).to.emit(f.accountFactory, "HouseholdAccountCreated").withArgs(f.a.address, f.alice.qx, f.alice.qy, ZERO_SALT);
      await expect(tx).to.emit(f.escrow, "AidClaimed").withArgs(f.projectId, f.hh.commitment, f.a.address, 0, TRANCHE);
      expect(await f.stablecoin.balanceOf(f.a.address)).to.equal(TRANCHE);
      // The claim nonce is read, never consumed (docs/DECISIONS.md E4); the tranche is settled instead.
      expect(await f.escrow.claimNonce(f.a.address)).to.equal(0n);
    });

    it("cannot pay an account that does not exist yet: nothing answers ERC-1271 there (AidSignaturesInvalid)", async function () {
      const f = await networkHelpers.loadFixture(escrowFixture);
      await expect(f.escrow.connect(f.relayer).claimBySig(f.request, f.signature, []))
        .to.be.revertedWithCustomError(f.escrow, "AidSignaturesInvalid")
        .withArgs(f.a.address);
    });

    it("refuses a replay of the same signature, even through the factory (AidEscrowTrancheSettled(projectId, commitment, 0))", async function () {
      const f = await networkHelpers.loadFixture(escrowFixture);
      await f.accountFactory.connect(f.relayer).createAccountAndCall(f.alice.qx, f.alice.qy, ZERO_SALT, await f.escrow.getAddress(), f.claimData);
      await expect(f.accountFactory.connect(f.outsider).createAccountAndCall(f.alice.qx, f.alice.qy, ZERO_SALT, await f.escrow.getAddress(), f.claimData))
        .to.be.revertedWithCustomError(f.escrow, "AidEscrowTrancheSettled")
        .withArgs(f.projectId, f.hh.commitment, 0);
    });

    it("refuses a claim signed by another passkey (AidSignaturesInvalid(account))", async function () {
      const f = await networkHelpers.loadFixture(escrowFixture);
      await createAccount(f, f.alice);
      const forged = signTypedDataFor(new Passkey("mallory"), f.a.address, f.domain, CLAIM_TYPES, "ClaimRequest", f.request);
      await expect(f.escrow.connect(f.relayer).claimBySig(f.request, forged, []))
        .to.be.revertedWithCustomError(f.escrow, "AidSignaturesInvalid")
        .withArgs(f.a.address);
    });
  });

  describe("roster claimBySig, relayed", function () {
    /** A tUSD roster programme whose leaf 0 is alice's passkey account (not yet deployed), tranche 0 open. */
    async function rosterFixture() {
      const f = await escrowFixture();
      const token = await f.stablecoin.getAddress();
      const { programme, terms, address } = await createProgramme(f, { token });
      const strangers = [1, 2, 3].map((i) => ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0xa11ce00 + i), 20)));
      const leaves = [f.a.address, ...strangers].map((account, i) => ({ index: BigInt(i), account, amount: TRANCHE }));
      const roster = buildRoster(leaves, BigInt(terms.trancheUnlockTimes.length));
      await fundProgramme(f, programme, terms, roster.rosterTotal);
      await publish(programme, f.manager, roster);
      const claimsOpenAt = await approveNow(f, programme, terms);
      await openTranche(terms, claimsOpenAt, 0);
      const message = { index: 0n, tranche: 0n, account: f.a.address, amount: TRANCHE, nonce: 0n, deadline: (await now()) + DAY };
      const signature = signTypedDataFor(f.alice, f.a.address, rosterDomain(f.chainId, address), ROSTER_CLAIM_TYPES, "RosterClaim", message);
      const request = { ...message, proof: roster.proof(0), signature };
      return { ...f, programme, address, request };
    }

    it("pays the account when it already exists", async function () {
      const f = await networkHelpers.loadFixture(rosterFixture);
      await createAccount(f, f.alice);
      const tx = f.programme.connect(f.relayer).claimBySig(f.request);
      await expect(tx).to.emit(f.programme, "Claimed").withArgs(f.a.address, 0n, 0n, TRANCHE);
      await expect(tx).to.changeTokenBalances(ethers, f.stablecoin, [f.a.address, f.address], [TRANCHE, -TRANCHE]);
    });

    it("deploys the account on the way and pays it, in one transaction", async function () {
      const f = await networkHelpers.loadFixture(rosterFixture);
      const data = f.programme.interface.encodeFunctionData("claimBySig", [f.request]);
      const tx = f.accountFactory.connect(f.relayer).createAccountAndCall(f.alice.qx, f.alice.qy, ZERO_SALT, f.address, data);
      await expect(tx).to.emit(f.accountFactory, "HouseholdAccountCreated").withArgs(f.a.address, f.alice.qx, f.alice.qy, ZERO_SALT);
      await expect(tx).to.emit(f.programme, "Claimed").withArgs(f.a.address, 0n, 0n, TRANCHE);
      expect(await f.stablecoin.balanceOf(f.a.address)).to.equal(TRANCHE);
    });

    it("refuses the escrow claim's signature, meant for another contract (AidSignaturesInvalid(account))", async function () {
      const f = await networkHelpers.loadFixture(rosterFixture);
      await createAccount(f, f.alice);
      await expect(f.programme.connect(f.relayer).claimBySig({ ...f.request, signature: f.signature }))
        .to.be.revertedWithCustomError(f.programme, "AidSignaturesInvalid")
        .withArgs(f.a.address);
    });
  });
});
