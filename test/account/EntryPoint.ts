/**
 * The ERC-4337 path: EntryPoint v0.8 (the npm artifact, at its canonical address) runs UserOperations that
 * a household's passkey signed: the nonce, replay, a wrong signature, and deployment in the first operation.
 */
import { expect } from "chai";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import {
  ENTRYPOINT_V08,
  Passkey,
  ZERO_SALT,
  accountOf,
  createAccount,
  deployAccounts,
  executeCalls,
  handleOps,
  initCodeFor,
  packUserOp,
  signUserOp,
  transferData,
} from "./helpers.ts";

/** Alice's account, deployed, holding 100 tUSD and 1 ETH for its own gas (no paymaster here). */
async function selfPaidFixture() {
  const f = await deployAccounts();
  const alice = new Passkey("alice");
  const a = await createAccount(f, alice);
  await f.stablecoin.mint(a.address, 100_000_000n);
  await networkHelpers.setBalance(a.address, ethers.parseEther("1"));
  const token = await f.stablecoin.getAddress();
  const payShop = (amount: bigint) => executeCalls([{ target: token, data: transferData(f.shop.address, amount) }]);
  return { ...f, alice, a, token, payShop };
}

describe("EntryPoint v0.8 with a passkey account", function () {
  it("is the npm artifact at the canonical address, and the account's EIP-712 operation hash is its own", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    expect(await ethers.provider.getCode(ENTRYPOINT_V08)).to.not.equal("0x");
    expect(await f.entryPoint.getAddress()).to.equal(ENTRYPOINT_V08);
    const op = packUserOp({ sender: f.a.address, callData: f.payShop(1n) });
    const other = packUserOp({ sender: f.a.address, callData: f.payShop(2n) });
    expect(await f.entryPoint.getUserOpHash(op)).to.not.equal(await f.entryPoint.getUserOpHash(other));
  });

  it("runs an operation the passkey signed: the shop is paid and the nonce moves from 0 to 1", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    expect(await f.a.account["getNonce()"]()).to.equal(0n);
    const op = await signUserOp(f.entryPoint, packUserOp({ sender: f.a.address, nonce: 0n, callData: f.payShop(10_000_000n) }), f.alice);
    const hash = await f.entryPoint.getUserOpHash(op);
    const tx = handleOps(f.entryPoint, f.bundler, [op]);
    await expect(tx)
      .to.emit(f.entryPoint, "UserOperationEvent")
      .withArgs(hash, f.a.address, ethers.ZeroAddress, 0n, true, (fee: bigint) => fee > 0n, (gas: bigint) => gas > 0n);
    await expect(tx).to.changeTokenBalances(ethers, f.stablecoin, [f.a.address, f.shop.address], [-10_000_000n, 10_000_000n]);
    expect(await f.a.account["getNonce()"]()).to.equal(1n);
  });

  it("refuses a replay of an executed operation (AA25 invalid account nonce)", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    const op = await signUserOp(f.entryPoint, packUserOp({ sender: f.a.address, callData: f.payShop(10_000_000n) }), f.alice);
    await (await handleOps(f.entryPoint, f.bundler, [op])).wait();
    await expect(handleOps(f.entryPoint, f.bundler, [op]))
      .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
      .withArgs(0n, "AA25 invalid account nonce");
    expect(await f.stablecoin.balanceOf(f.shop.address)).to.equal(10_000_000n);
  });

  it("refuses an operation signed by another passkey (AA24 signature error)", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    const op = await signUserOp(f.entryPoint, packUserOp({ sender: f.a.address, callData: f.payShop(10_000_000n) }), new Passkey("mallory"));
    await expect(handleOps(f.entryPoint, f.bundler, [op]))
      .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
      .withArgs(0n, "AA24 signature error");
  });

  it("refuses an operation whose signature was made for the same passkey's other account (AA24)", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    const other = await createAccount(f, f.alice, ethers.id("second"));
    const forOther = await signUserOp(f.entryPoint, packUserOp({ sender: other.address, callData: f.payShop(1n) }), f.alice);
    await expect(handleOps(f.entryPoint, f.bundler, [{ ...forOther, sender: f.a.address }]))
      .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
      .withArgs(0n, "AA24 signature error");
  });

  it("refuses an assertion without user verification (AA24)", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    const op = await signUserOp(f.entryPoint, packUserOp({ sender: f.a.address, callData: f.payShop(1n) }), f.alice, { userVerified: false });
    await expect(handleOps(f.entryPoint, f.bundler, [op]))
      .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
      .withArgs(0n, "AA24 signature error");
  });

  it("deploys the account in its first operation through the factory (initCode)", async function () {
    const f = await networkHelpers.loadFixture(selfPaidFixture);
    const bob = new Passkey("bob");
    const b = await accountOf(f, bob);
    await networkHelpers.setBalance(b.address, ethers.parseEther("1"));
    const op = await signUserOp(
      f.entryPoint,
      packUserOp({ sender: b.address, initCode: initCodeFor(await f.accountFactory.getAddress(), bob), callData: executeCalls([]) }),
      bob,
    );
    const hash = await f.entryPoint.getUserOpHash(op);
    const tx = handleOps(f.entryPoint, f.bundler, [op]);
    await expect(tx)
      .to.emit(f.entryPoint, "AccountDeployed")
      .withArgs(hash, b.address, await f.accountFactory.getAddress(), ethers.ZeroAddress);
    await expect(tx).to.emit(f.accountFactory, "HouseholdAccountCreated").withArgs(b.address, bob.qx, bob.qy, ZERO_SALT);
    expect(await f.accountFactory.isAccount(b.address)).to.equal(true);
    expect(await b.account["getNonce()"]()).to.equal(1n);
  });
});
