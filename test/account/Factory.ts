/**
 * HouseholdAccountFactory: addresses known before the account exists, idempotent creation, provenance
 * from code, and the call that lets a relayer deploy an account on the way to its first claim.
 */
import { expect } from "chai";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import { Passkey, ZERO_SALT, accountOf, createAccount, deployAccounts } from "./helpers.ts";
import { HouseholdAccount__factory } from "../../types/ethers-contracts/index.ts";

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modPow(x: bigint, e: bigint): bigint {
  let r = 1n;
  x %= P;
  for (; e > 0n; e >>= 1n, x = (x * x) % P) if (e & 1n) r = (r * x) % P;
  return r;
}

describe("HouseholdAccountFactory", function () {
  describe("accountAddress and createAccount", function () {
    it("deploys the account at the address it gave before (HouseholdAccountCreated(account, qx, qy, salt))", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const predicted = await f.accountFactory.accountAddress(alice.qx, alice.qy, ZERO_SALT);
      expect(await ethers.provider.getCode(predicted)).to.equal("0x");
      await expect(f.accountFactory.connect(f.outsider).createAccount(alice.qx, alice.qy, ZERO_SALT))
        .to.emit(f.accountFactory, "HouseholdAccountCreated")
        .withArgs(predicted, alice.qx, alice.qy, ZERO_SALT);
      expect(await ethers.provider.getCode(predicted)).to.not.equal("0x");
      expect(await HouseholdAccount__factory.connect(predicted, ethers.provider).getFunction("signer")()).to.deep.equal([alice.qx, alice.qy]);
    });

    it("returns the same account for the same key and salt twice, creating nothing the second time", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const first = await createAccount(f, alice);
      const code = await ethers.provider.getCode(first.address);
      expect(await f.accountFactory.createAccount.staticCall(alice.qx, alice.qy, ZERO_SALT)).to.equal(first.address);
      await expect(f.accountFactory.createAccount(alice.qx, alice.qy, ZERO_SALT)).to.not.emit(f.accountFactory, "HouseholdAccountCreated");
      expect(await ethers.provider.getCode(first.address)).to.equal(code);
    });

    it("gives another salt or another key another address", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const addresses = new Set([
        await f.accountFactory.accountAddress(alice.qx, alice.qy, ZERO_SALT),
        await f.accountFactory.accountAddress(alice.qx, alice.qy, ethers.id("salt 1")),
        (await accountOf(f, new Passkey("bob"))).address,
      ]);
      expect(addresses.size).to.equal(3);
    });

    it("refuses a key that is not on the P-256 curve (HouseholdAccountFactoryInvalidKey(qx, qy))", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const badY = ethers.toBeHex((BigInt(alice.qy) + 1n) % P, 32);
      await expect(f.accountFactory.accountAddress(alice.qx, badY, ZERO_SALT))
        .to.be.revertedWithCustomError(f.accountFactory, "HouseholdAccountFactoryInvalidKey")
        .withArgs(alice.qx, badY);
      await expect(f.accountFactory.createAccount(ethers.ZeroHash, ethers.ZeroHash, ZERO_SALT))
        .to.be.revertedWithCustomError(f.accountFactory, "HouseholdAccountFactoryInvalidKey")
        .withArgs(ethers.ZeroHash, ethers.ZeroHash);
    });

    it("refuses a registry that is not a contract (HouseholdAccountFactoryInvalidRegistry(registry))", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const factory = await ethers.getContractFactory("HouseholdAccountFactory");
      await expect(factory.deploy(f.outsider.address))
        .to.be.revertedWithCustomError(factory, "HouseholdAccountFactoryInvalidRegistry")
        .withArgs(f.outsider.address);
    });
  });

  describe("the implementation", function () {
    it("holds a nothing-up-my-sleeve key: x = keccak256(label, 0) mod p, y its square root", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const implementation = HouseholdAccount__factory.connect(await f.accountFactory.accountImplementation(), ethers.provider);
      const x = BigInt(ethers.solidityPackedKeccak256(["string", "uint256"], ["PrecisionAid.HouseholdAccount.implementation", 0n])) % P;
      const y = modPow((x * x * x - 3n * x + B + 3n * P) % P, (P + 1n) / 4n);
      expect((y * y) % P).to.equal((x * x * x - 3n * x + B + 3n * P) % P);
      expect(await implementation.getFunction("signer")()).to.deep.equal([ethers.toBeHex(x, 32), ethers.toBeHex(y, 32)]);
      expect(await implementation.registry()).to.equal(await f.registry.getAddress());
    });
  });

  describe("isAccount", function () {
    it("is true for an account it created and false for a counterfactual one, an EOA and a contract", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = await createAccount(f, new Passkey("alice"));
      const bob = await accountOf(f, new Passkey("bob"));
      expect(await f.accountFactory.isAccount(alice.address)).to.equal(true);
      expect(await f.accountFactory.isAccount(bob.address)).to.equal(false);
      expect(await f.accountFactory.isAccount(f.outsider.address)).to.equal(false);
      expect(await f.accountFactory.isAccount(await f.escrow.getAddress())).to.equal(false);
      expect(await f.accountFactory.isAccount(await f.accountFactory.accountImplementation())).to.equal(false);
    });

    it("is false for an identical account made by another factory, and for the same code put elsewhere", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const other = await ethers.deployContract("HouseholdAccountFactory", [await f.registry.getAddress()]);
      await other.createAccount(alice.qx, alice.qy, ZERO_SALT);
      const elsewhere = await other.accountAddress(alice.qx, alice.qy, ZERO_SALT);
      expect(await other.isAccount(elsewhere)).to.equal(true);
      expect(await f.accountFactory.isAccount(elsewhere)).to.equal(false);
      // Our own clone's code, copied to an address our factory never deployed to.
      const ours = await createAccount(f, alice);
      const copy = ethers.getAddress("0x000000000000000000000000000000000000c0de");
      await networkHelpers.setCode(copy, await ethers.provider.getCode(ours.address));
      expect(await f.accountFactory.isAccount(copy)).to.equal(false);
    });
  });

  describe("createAccountAndCall", function () {
    it("creates the account, then makes the call and returns its result", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const predicted = await f.accountFactory.accountAddress(alice.qx, alice.qy, ZERO_SALT);
      const data = f.stablecoin.interface.encodeFunctionData("balanceOf", [predicted]);
      await f.stablecoin.mint(predicted, 7n);
      const [account, result] = await f.accountFactory.createAccountAndCall.staticCall(alice.qx, alice.qy, ZERO_SALT, await f.stablecoin.getAddress(), data);
      expect(account).to.equal(predicted);
      expect(BigInt(result)).to.equal(7n);
      await expect(f.accountFactory.createAccountAndCall(alice.qx, alice.qy, ZERO_SALT, await f.stablecoin.getAddress(), data))
        .to.emit(f.accountFactory, "HouseholdAccountCreated")
        .withArgs(predicted, alice.qx, alice.qy, ZERO_SALT);
      expect(await f.accountFactory.isAccount(predicted)).to.equal(true);
    });

    it("reverts with the target's error, deploying nothing, when the call fails", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      const predicted = await f.accountFactory.accountAddress(alice.qx, alice.qy, ZERO_SALT);
      const data = f.escrow.interface.encodeFunctionData("refund", [99n]);
      await expect(f.accountFactory.createAccountAndCall(alice.qx, alice.qy, ZERO_SALT, await f.escrow.getAddress(), data))
        .to.be.revertedWithCustomError(f.escrow, "AidEscrowUnknownProject")
        .withArgs(99n);
      expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    });

    it("reverts with FailedCall when the target reverts without a reason, and AddressEmptyCode(target) for no contract", async function () {
      const f = await networkHelpers.loadFixture(deployAccounts);
      const alice = new Passkey("alice");
      // The escrow has no fallback: an unknown selector reverts with no data.
      await expect(f.accountFactory.createAccountAndCall(alice.qx, alice.qy, ZERO_SALT, await f.escrow.getAddress(), "0xdeadbeef"))
        .to.be.revertedWithCustomError(f.accountFactory, "FailedCall");
      await expect(f.accountFactory.createAccountAndCall(alice.qx, alice.qy, ZERO_SALT, f.outsider.address, "0xdeadbeef"))
        .to.be.revertedWithCustomError(f.accountFactory, "AddressEmptyCode")
        .withArgs(f.outsider.address);
    });
  });
});
