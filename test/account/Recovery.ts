/**
 * A lost phone loses nothing already received (issue 14, item 2). k officials re-bind the household to an
 * account on its new phone; after the re-bind's delay, the old account's passkey speaks for nothing and
 * anyone can move what the old account holds to the household's new account, and nowhere else.
 *
 * Everything here is the real registry's: k officials request and approve the re-bind, the old account can
 * cancel it during the delay (with sponsored gas), and once it executes the registry records the old
 * account's successor (`successorOf`) and retires the old account for good.
 */
import { expect } from "chai";
import { ethers, networkHelpers, REBIND_DELAY, DAY, now } from "../helpers/fixtures.ts";
import { buildRoster, fundProgramme, publish, approveNow, createProgramme, openTranche } from "../roster/helpers.ts";
import { CLAIM_TYPES as ROSTER_CLAIM_SHAPE, rosterDomain } from "../../lib/roster/typed-data.ts";
import {
  Passkey,
  accountOf,
  createAccount,
  bindHousehold,
  dayData,
  deployAccounts,
  executeCalls,
  handleOps,
  packUserOp,
  signMessageFor,
  signTypedDataFor,
  signUserOp,
  toNoonOfNextDay,
  transferData,
} from "./helpers.ts";

const TUSD = (n: number) => BigInt(n) * 1_000_000n;
const ROSTER_CLAIM_TYPES = { RosterClaim: [...ROSTER_CLAIM_SHAPE.RosterClaim] };

/**
 * Alice's old account A (bound, holding 100 tUSD and 0.5 ETH) and the account B on her new phone (not
 * deployed); the paymaster sponsors tUSD. The officials have not yet asked for anything.
 */
async function lostPhoneFixture() {
  const f = await deployAccounts();
  const oldPhone = new Passkey("alice, old phone");
  const newPhone = new Passkey("alice, new phone");
  const a = await createAccount(f, oldPhone);
  const b = await accountOf(f, newPhone);
  const commitment = await bindHousehold(f, a.address, "alice");
  const token = await f.stablecoin.getAddress();
  await f.stablecoin.mint(a.address, TUSD(100));
  await networkHelpers.setBalance(a.address, ethers.parseEther("0.5"));
  await f.paymaster.connect(f.donors[0]).deposit({ value: ethers.parseEther("1") });
  await f.paymaster.setDailyCap(token, TUSD(1000));
  return { ...f, oldPhone, newPhone, a, b, commitment, token };
}

/** Two officials (the registry's k = 2) ask to re-bind alice to `to` (default B); returns when the delay ends. */
async function requestAndApprove(f: Awaited<ReturnType<typeof lostPhoneFixture>>, to = f.b.address) {
  await f.registry.connect(f.officials[0]).requestRebind(f.commitment, to);
  const nonce = (await f.registry.rebindRequest(f.commitment)).nonce;
  await f.registry.connect(f.officials[1]).approveRebind(f.commitment, nonce);
  return (await f.registry.rebindRequest(f.commitment)).readyAt;
}

/** A whole re-bind of alice to `to`: request, approval, the delay, execution. */
async function rebind(f: Awaited<ReturnType<typeof lostPhoneFixture>>, to: string) {
  await networkHelpers.time.increaseTo(await requestAndApprove(f, to));
  await (await f.registry.connect(f.outsider).executeRebind(f.commitment)).wait();
}

/** A sponsored UserOperation from `sender`, signed by `passkey`, paying `amount` tUSD to `to` today. */
async function sponsoredPayment(f: Awaited<ReturnType<typeof lostPhoneFixture>>, sender: string, passkey: Passkey, to: string, amount: bigint) {
  const day = await toNoonOfNextDay();
  return signUserOp(
    f.entryPoint,
    packUserOp({
      sender,
      callData: executeCalls([{ target: f.token, data: transferData(to, amount) }]),
      paymaster: await f.paymaster.getAddress(),
      paymasterData: dayData(day),
    }),
    passkey,
  );
}

/** The re-bind executed after its delay, and the old account's successor recorded. */
async function reboundFixture() {
  const f = await lostPhoneFixture();
  const readyAt = await requestAndApprove(f);
  await networkHelpers.time.increaseTo(readyAt);
  await expect(f.registry.connect(f.outsider).executeRebind(f.commitment))
    .to.emit(f.registry, "IdentityRebound")
    .withArgs(f.commitment, f.a.address, f.b.address);
  expect(await f.registry.successorOf(f.a.address)).to.equal(f.b.address);
  return f;
}

describe("Recovery after a lost phone", function () {
  describe("before the re-bind executes", function () {
    it("the old account still belongs to the household: its passkey signs, and nothing can be moved", async function () {
      const f = await networkHelpers.loadFixture(lostPhoneFixture);
      const readyAt = await requestAndApprove(f);
      expect(readyAt).to.be.greaterThan(0n);
      await expect(f.registry.connect(f.outsider).executeRebind(f.commitment))
        .to.be.revertedWithCustomError(f.registry, "AidRegistryRebindDelayPending")
        .withArgs(f.commitment, readyAt);
      expect(await f.a.account.isActive()).to.equal(true);
      expect(await f.a.account.successor()).to.equal(ethers.ZeroAddress);
      const message = "still mine";
      expect(await f.a.account.isValidSignature(ethers.hashMessage(message), signMessageFor(f.oldPhone, f.a.address, f.chainId, message))).to.equal("0x1626ba7e");
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([f.token, ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(f.a.account, "HouseholdAccountNotReplaced")
        .withArgs(f.a.address);
    });

    it("the old passkey cancels the pending re-bind inside the delay through a sponsored UserOperation (RebindCancelled)", async function () {
      const f = await networkHelpers.loadFixture(lostPhoneFixture);
      await requestAndApprove(f);
      const { nonce } = await f.registry.rebindRequest(f.commitment);
      const registry = await f.registry.getAddress();
      const cancel = f.registry.interface.encodeFunctionData("cancelRebind", [f.commitment, nonce]);
      // The operator sponsors the registry's cancellation, so a household with no ETH can always veto.
      await f.paymaster.setCallSponsored(registry, cancel.slice(0, 10), true);
      const day = await toNoonOfNextDay();
      const op = await signUserOp(
        f.entryPoint,
        packUserOp({
          sender: f.a.address,
          callData: executeCalls([{ target: registry, data: cancel }]),
          paymaster: await f.paymaster.getAddress(),
          paymasterData: dayData(day),
        }),
        f.oldPhone,
      );
      const ethBefore = await ethers.provider.getBalance(f.a.address);
      await expect(handleOps(f.entryPoint, f.bundler, [op]))
        .to.emit(f.registry, "RebindCancelled")
        .withArgs(f.commitment, nonce, f.a.address);
      expect(await ethers.provider.getBalance(f.a.address)).to.equal(ethBefore);
      await networkHelpers.time.increase(REBIND_DELAY + 1n);
      await expect(f.registry.connect(f.outsider).executeRebind(f.commitment))
        .to.be.revertedWithCustomError(f.registry, "AidRegistryRebindClosed")
        .withArgs(f.commitment, nonce, 5); // RebindStatus.Cancelled
      expect(await f.registry.successorOf(f.a.address)).to.equal(ethers.ZeroAddress);
      expect((await f.registry.identity(f.commitment)).account).to.equal(f.a.address);
    });

    it("the household with its phone still pays a shop during the delay (sponsored)", async function () {
      const f = await networkHelpers.loadFixture(lostPhoneFixture);
      await requestAndApprove(f);
      const op = await sponsoredPayment(f, f.a.address, f.oldPhone, f.shop.address, TUSD(10));
      await expect(handleOps(f.entryPoint, f.bundler, [op])).to.changeTokenBalance(ethers, f.stablecoin, f.shop.address, TUSD(10));
    });
  });

  describe("after the re-bind", function () {
    it("moves the old account's ETH and tokens to the new account, whoever asks (MovedToSuccessor(successor, asset, amount))", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      expect(await f.a.account.successor()).to.equal(f.b.address);
      const tx = f.a.account.connect(f.outsider).moveToSuccessor([ethers.ZeroAddress, f.token]);
      await expect(tx).to.emit(f.a.account, "MovedToSuccessor").withArgs(f.b.address, ethers.ZeroAddress, ethers.parseEther("0.5"));
      await expect(tx).to.emit(f.a.account, "MovedToSuccessor").withArgs(f.b.address, f.token, TUSD(100));
      await expect(tx).to.changeTokenBalances(ethers, f.stablecoin, [f.a.address, f.b.address, f.outsider.address], [-TUSD(100), TUSD(100), 0n]);
      await expect(tx).to.changeEtherBalances(ethers, [f.a.address, f.b.address], [-ethers.parseEther("0.5"), ethers.parseEther("0.5")]);
    });

    it("skips assets the old account does not hold, emitting nothing for them", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      const other = await ethers.deployContract("TestStablecoin");
      await networkHelpers.setBalance(f.a.address, 0n);
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([await other.getAddress(), ethers.ZeroAddress])).to.not.emit(f.a.account, "MovedToSuccessor");
    });

    it("stops the old passkey: no ERC-1271 signature, no UserOperation (AA24), and no sponsorship", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      expect(await f.a.account.isActive()).to.equal(false);
      const message = "the thief signs";
      expect(await f.a.account.isValidSignature(ethers.hashMessage(message), signMessageFor(f.oldPhone, f.a.address, f.chainId, message))).to.equal("0xffffffff");
      // Paying its own gas from the old account's ETH: the account refuses the passkey.
      const drain = executeCalls([{ target: f.token, data: transferData(f.outsider.address, TUSD(100)) }]);
      const selfPaid = await signUserOp(f.entryPoint, packUserOp({ sender: f.a.address, callData: drain }), f.oldPhone);
      await expect(handleOps(f.entryPoint, f.bundler, [selfPaid]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0n, "AA24 signature error");
      // Sponsored: the paymaster refuses first, the old account being bound to no household any more.
      const sponsored = await sponsoredPayment(f, f.a.address, f.oldPhone, f.outsider.address, TUSD(100));
      await expect(handleOps(f.entryPoint, f.bundler, [sponsored]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOpWithRevert")
        .withArgs(0n, "AA33 reverted", f.paymaster.interface.encodeErrorResult("HouseholdPaymasterHouseholdNotBound", [f.a.address]));
      expect(await f.stablecoin.balanceOf(f.a.address)).to.equal(TUSD(100));
    });

    it("answers ERC-1271 with the new account's verdict: the new passkey speaks for the old account, the old one does not", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      await createAccount(f, f.newPhone);
      const message = "PrecisionAid: claim my roster tranche";
      const hash = ethers.hashMessage(message);
      // Signed as the new account signs anything: ERC-7739 under the new account's own domain.
      expect(await f.a.account.isValidSignature(hash, signMessageFor(f.newPhone, f.b.address, f.chainId, message))).to.equal("0x1626ba7e");
      expect(await f.a.account.isValidSignature(hash, signMessageFor(f.oldPhone, f.a.address, f.chainId, message))).to.equal("0xffffffff");
      expect(await f.a.account.isValidSignature(hash, signMessageFor(f.oldPhone, f.b.address, f.chainId, message))).to.equal("0xffffffff");
    });

    it("keeps a roster tranche that names the old account: the new passkey claims it, and it moves on to the new account", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      await createAccount(f, f.newPhone);
      const { programme, terms, address } = await createProgramme(f, { token: f.token });
      const leaves = [f.a.address, f.outsider.address].map((account, i) => ({ index: BigInt(i), account, amount: TUSD(50) }));
      const roster = buildRoster(leaves, BigInt(terms.trancheUnlockTimes.length));
      await fundProgramme(f, programme, terms, roster.rosterTotal);
      await publish(programme, f.manager, roster);
      await openTranche(terms, await approveNow(f, programme, terms), 0);
      const message = { index: 0n, tranche: 0n, account: f.a.address, amount: TUSD(50), nonce: 0n, deadline: (await now()) + DAY };
      const domain = rosterDomain(f.chainId, address);
      const byOldPhone = signTypedDataFor(f.oldPhone, f.a.address, domain, ROSTER_CLAIM_TYPES, "RosterClaim", message);
      await expect(programme.connect(f.relayer).claimBySig({ ...message, proof: roster.proof(0), signature: byOldPhone }))
        .to.be.revertedWithCustomError(programme, "AidSignaturesInvalid")
        .withArgs(f.a.address);
      const byNewPhone = signTypedDataFor(f.newPhone, f.b.address, domain, ROSTER_CLAIM_TYPES, "RosterClaim", message);
      await expect(programme.connect(f.relayer).claimBySig({ ...message, proof: roster.proof(0), signature: byNewPhone }))
        .to.emit(programme, "Claimed")
        .withArgs(f.a.address, 0n, 0n, TUSD(50));
      await expect(f.a.account.connect(f.relayer).moveToSuccessor([f.token])).to.changeTokenBalance(ethers, f.stablecoin, f.b.address, TUSD(150));
    });

    it("the new phone's account, created on the way, spends what was recovered with sponsored gas", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      await f.a.account.connect(f.outsider).moveToSuccessor([f.token]);
      await createAccount(f, f.newPhone);
      const op = await sponsoredPayment(f, f.b.address, f.newPhone, f.shop.address, TUSD(30));
      await expect(handleOps(f.entryPoint, f.bundler, [op])).to.changeTokenBalances(ethers, f.stablecoin, [f.b.address, f.shop.address], [-TUSD(30), TUSD(30)]);
    });

    it("follows later re-binds to the household's current account", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      const third = await accountOf(f, new Passkey("alice, third phone"));
      await rebind(f, third.address);
      expect(await f.registry.successorOf(f.b.address)).to.equal(third.address);
      expect(await f.a.account.successor()).to.equal(third.address);
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([f.token]))
        .to.emit(f.a.account, "MovedToSuccessor")
        .withArgs(third.address, f.token, TUSD(100));
      expect(await f.stablecoin.balanceOf(third.address)).to.equal(TUSD(100));
    });

    it("cannot be re-bound back to a retired account: no A -> B -> A loop (AidRegistryAccountRetired(account, successor))", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      await expect(f.registry.connect(f.officials[0]).requestRebind(f.commitment, f.a.address))
        .to.be.revertedWithCustomError(f.registry, "AidRegistryAccountRetired")
        .withArgs(f.a.address, f.b.address);
      expect(await f.a.account.successor()).to.equal(f.b.address);
    });

    it("stops following after 16 hops (HouseholdAccountSuccessorChainTooLong(account, 16)); the last account's own view still works", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      // Sixteen more real re-binds (A -> B -> C1 … C16): each needs k officials and the delay.
      const chain: string[] = [];
      for (let i = 1; i <= 16; i++) {
        const next = (await accountOf(f, new Passkey(`alice, phone ${i + 2}`))).address;
        await rebind(f, next);
        chain.push(next);
      }
      await expect(f.a.account.successor())
        .to.be.revertedWithCustomError(f.a.account, "HouseholdAccountSuccessorChainTooLong")
        .withArgs(f.a.address, 16n);
      // B's own view (B was never deployed in this story: its code is the factory's to create) is 16 hops.
      await createAccount(f, f.newPhone);
      expect(await f.b.account.successor()).to.equal(chain[15]);
    });

    it("reports a token that will not move (SafeERC20FailedOperation(token)); the others can move without it", async function () {
      const f = await networkHelpers.loadFixture(reboundFixture);
      const stuck = await ethers.deployContract("ReturnsFalseToken");
      await stuck.mint(f.a.address, 5n);
      await stuck.setFailing(true);
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([f.token, await stuck.getAddress()]))
        .to.be.revertedWithCustomError(f.a.account, "SafeERC20FailedOperation")
        .withArgs(await stuck.getAddress());
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([f.token])).to.changeTokenBalance(ethers, f.stablecoin, f.b.address, TUSD(100));
    });

    it("reports a successor that refuses ETH (FailedCall); its tokens still move", async function () {
      const f = await networkHelpers.loadFixture(lostPhoneFixture);
      // Officials may re-bind to any address; the escrow accepts no plain ETH.
      await rebind(f, await f.escrow.getAddress());
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([ethers.ZeroAddress])).to.be.revertedWithCustomError(f.a.account, "FailedCall");
      await expect(f.a.account.connect(f.outsider).moveToSuccessor([f.token])).to.changeTokenBalance(ethers, f.stablecoin, await f.escrow.getAddress(), TUSD(100));
    });

    it("needed the full delay and k officials: one official alone cannot re-bind (AidRegistryRebindNotApproved)", async function () {
      const f = await networkHelpers.loadFixture(lostPhoneFixture);
      await f.registry.connect(f.officials[0]).requestRebind(f.commitment, f.b.address);
      await networkHelpers.time.increase(REBIND_DELAY + 1n);
      await expect(f.registry.connect(f.outsider).executeRebind(f.commitment))
        .to.be.revertedWithCustomError(f.registry, "AidRegistryRebindNotApproved")
        .withArgs(f.commitment, 1, 2);
    });
  });
});
