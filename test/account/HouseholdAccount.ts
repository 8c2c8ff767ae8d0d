/**
 * The household account's signature checks: ERC-1271 through ERC-7739 with real P-256 WebAuthn
 * assertions, and who may make it act.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import { CLAIM_REQUEST_TYPES } from "../../lib/escrow/typed-data.ts";
import {
  ACCOUNT_DOMAIN,
  BATCH_MODE,
  ENTRYPOINT_V08,
  Passkey,
  accountOf,
  createAccount,
  deployAccounts,
  encodeAssertion,
  executeCalls,
  signMessageFor,
  signTypedDataFor,
} from "./helpers.ts";
import type { HouseholdAccount } from "../../types/ethers-contracts/index.ts";
import { HouseholdAccount__factory } from "../../types/ethers-contracts/index.ts";

const MAGIC = "0x1626ba7e";
const INVALID = "0xffffffff";
const CLAIM_TYPES = { ClaimRequest: [...CLAIM_REQUEST_TYPES.ClaimRequest] };

/** An account for passkey "alice", deployed, and an escrow ClaimRequest it could sign. */
async function accountFixture() {
  const f = await deployAccounts();
  const alice = new Passkey("alice");
  const a = await createAccount(f, alice);
  const d = await f.escrow.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  const request = {
    projectId: 1n,
    commitment: ethers.id("household:alice"),
    trancheIndex: 0,
    recipient: a.address,
    amount: ethers.parseEther("1"),
    nonce: 0n,
    deadline: 4_102_444_800n,
  };
  const digest = ethers.TypedDataEncoder.hash(domain, CLAIM_TYPES, request);
  const sign = (passkey: Passkey, account = a.address, o: Parameters<typeof signTypedDataFor>[6] = {}) =>
    signTypedDataFor(passkey, account, domain, CLAIM_TYPES, "ClaimRequest", request, o);
  return { ...f, alice, a, domain, request, digest, sign };
}

describe("HouseholdAccount", function () {
  describe("ERC-1271 through ERC-7739", function () {
    it("accepts its passkey's signature of typed data under another contract's domain (the escrow's ClaimRequest)", async function () {
      const { a, alice, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(alice))).to.equal(MAGIC);
    });

    it("accepts its passkey's signature of a plain message (ERC-7739 PersonalSign)", async function () {
      const { a, alice, chainId } = await networkHelpers.loadFixture(accountFixture);
      const message = "PrecisionAid: I received my tranche";
      expect(await a.account.isValidSignature(ethers.hashMessage(message), signMessageFor(alice, a.address, chainId, message))).to.equal(MAGIC);
    });

    it("accepts Chrome's clientDataJSON with extra keys (the challenge and type are found by index)", async function () {
      const { a, alice, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(alice, a.address, { extraClientData: true }))).to.equal(MAGIC);
    });

    it("refuses a signature by another passkey (wrong key)", async function () {
      const { a, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(new Passkey("mallory")))).to.equal(INVALID);
    });

    it("refuses the same passkey's signature made for another of its accounts (replay across accounts)", async function () {
      const f = await networkHelpers.loadFixture(accountFixture);
      const { a, alice, digest, sign } = f;
      const other = await createAccount(f, alice, ethers.id("second account"));
      expect(other.address).to.not.equal(a.address);
      const forOther = sign(alice, other.address);
      expect(await other.account.isValidSignature(digest, forOther)).to.equal(MAGIC);
      expect(await a.account.isValidSignature(digest, forOther)).to.equal(INVALID);
    });

    it("refuses a signature whose account domain names another chain (replay across chains)", async function () {
      const { a, alice, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(alice, a.address, { accountChainId: 1n }))).to.equal(INVALID);
    });

    it("refuses, on another chain, a signature that is valid on this one (same account address on both)", async function () {
      const [a, b] = [await network.create(), await network.create({ override: { chainId: 31_338 } })];
      try {
        // The same deployer at the same nonces gives the factory, and so the account, the same address.
        const setUp = async (c: typeof a) => {
          const deployer = new c.ethers.Wallet(c.ethers.id("cross-chain deployer"), c.ethers.provider);
          await c.networkHelpers.setBalance(deployer.address, c.ethers.parseEther("1"));
          // The real registry; chain 31338 is not the local chain, so its admin must be a timelock of at least a day.
          const timelock = await c.ethers.deployContract("TimelockController", [2n * 86_400n, [], [], deployer.address], deployer);
          const registry = await c.ethers.deployContract(
            "AidRegistry",
            [c.ethers.ZeroAddress, await timelock.getAddress(), 2n * 86_400n, 2, 3n * 86_400n],
            deployer,
          );
          const factory = await c.ethers.deployContract("HouseholdAccountFactory", [await registry.getAddress()], deployer);
          const alice = new Passkey("alice");
          await (await factory.getFunction("createAccount")(alice.qx, alice.qy, ethers.ZeroHash)).wait();
          const address: string = await factory.getFunction("accountAddress")(alice.qx, alice.qy, ethers.ZeroHash);
          return { alice, address, account: HouseholdAccount__factory.connect(address, c.ethers.provider) };
        };
        const onA = await setUp(a);
        const onB = await setUp(b);
        expect(onB.address).to.equal(onA.address);
        const message = "PrecisionAid: pay the shop 5 tUSD";
        const signature = signMessageFor(onA.alice, onA.address, 31_337n, message);
        expect(await onA.account.isValidSignature(ethers.hashMessage(message), signature)).to.equal(MAGIC);
        expect(await onB.account.isValidSignature(ethers.hashMessage(message), signature)).to.equal(INVALID);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("refuses a signature meant for another contract (the same claim under another escrow's domain)", async function () {
      const { a, alice, domain, request } = await networkHelpers.loadFixture(accountFixture);
      const otherDomain = { ...domain, verifyingContract: ethers.getAddress("0x00000000000000000000000000000000000e5c20") };
      const forOther = signTypedDataFor(alice, a.address, otherDomain, CLAIM_TYPES, "ClaimRequest", request);
      const ourDigest = ethers.TypedDataEncoder.hash(domain, CLAIM_TYPES, request);
      expect(await a.account.isValidSignature(ethers.TypedDataEncoder.hash(otherDomain, CLAIM_TYPES, request), forOther)).to.equal(MAGIC);
      expect(await a.account.isValidSignature(ourDigest, forOther)).to.equal(INVALID);
    });

    it("refuses the passkey signing the app's digest itself, not the ERC-7739 nested hash", async function () {
      const { a, alice, digest } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, alice.sign(digest))).to.equal(INVALID);
    });

    it("refuses an assertion without user verification (no screen lock or fingerprint)", async function () {
      const { a, alice, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(alice, a.address, { userVerified: false }))).to.equal(INVALID);
    });

    it("refuses a high-s signature (clients must normalise s, as about half of raw assertions are high-s)", async function () {
      const { a, alice, digest, sign } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature(digest, sign(alice, a.address, { highS: true }))).to.equal(INVALID);
    });

    it("refuses the assertion in viem's tuple encoding (an offset word first), and garbage, without reverting", async function () {
      const { a, alice, chainId } = await networkHelpers.loadFixture(accountFixture);
      const message = "hello";
      const assertion = alice.assert(
        (await import("viem/experimental/erc7739")).hashMessage({
          message,
          verifierDomain: { ...ACCOUNT_DOMAIN, chainId, verifyingContract: a.address as `0x${string}`, salt: ethers.ZeroHash as `0x${string}` },
        }),
      );
      const flat = encodeAssertion(assertion);
      const tuple = ethers.AbiCoder.defaultAbiCoder().encode(
        ["tuple(bytes32,bytes32,uint256,uint256,bytes,string)"],
        [[assertion.r, assertion.s, assertion.challengeIndex, assertion.typeIndex, assertion.authenticatorData, assertion.clientDataJSON]],
      );
      const hash = ethers.hashMessage(message);
      expect(await a.account.isValidSignature(hash, flat)).to.equal(MAGIC);
      expect(await a.account.isValidSignature(hash, tuple)).to.equal(INVALID);
      expect(await a.account.isValidSignature(hash, "0x1234")).to.equal(INVALID);
      expect(await a.account.isValidSignature(hash, "0x")).to.equal(INVALID);
    });

    it("says it speaks ERC-7739 (the 0x7739… probe answers 0x77390001)", async function () {
      const { a } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.isValidSignature("0x" + "7739".repeat(16), "0x")).to.equal("0x77390001");
    });
  });

  describe("its key, domain and EntryPoint", function () {
    it("reports its passkey's public key, its own EIP-712 domain and EntryPoint v0.8", async function () {
      const { a, alice, chainId, registry } = await networkHelpers.loadFixture(accountFixture);
      expect(await a.account.getFunction("signer")()).to.deep.equal([alice.qx, alice.qy]);
      const d = await a.account.eip712Domain();
      expect([d.name, d.version, d.chainId, d.verifyingContract, d.salt]).to.deep.equal([
        ACCOUNT_DOMAIN.name,
        ACCOUNT_DOMAIN.version,
        chainId,
        a.address,
        ethers.ZeroHash,
      ]);
      expect(await a.account.entryPoint()).to.equal(ENTRYPOINT_V08);
      expect(await a.account["getNonce()"]()).to.equal(0n);
      expect(await a.account.registry()).to.equal(await registry.getAddress());
    });

    it("receives ETH", async function () {
      const { a, donors } = await networkHelpers.loadFixture(accountFixture);
      await expect(donors[0].sendTransaction({ to: a.address, value: 5n })).to.changeEtherBalance(ethers, a.address, 5n);
    });
  });

  describe("acting", function () {
    /** The account, with the EntryPoint's address impersonated (the EntryPoint itself only calls after validation). */
    async function entryPointFixture() {
      const f = await networkHelpers.loadFixture(accountFixture);
      await networkHelpers.impersonateAccount(ENTRYPOINT_V08);
      await networkHelpers.setBalance(ENTRYPOINT_V08, ethers.parseEther("1"));
      const entryPoint = await ethers.getSigner(ENTRYPOINT_V08);
      return { ...f, asEntryPoint: f.a.account.connect(entryPoint) as HouseholdAccount };
    }

    it("refuses execute from anyone but the EntryPoint and itself (AccountUnauthorized(caller))", async function () {
      const { a, outsider, stablecoin } = await networkHelpers.loadFixture(accountFixture);
      const data = executeCalls([{ target: await stablecoin.getAddress(), data: "0x" }]);
      await expect(outsider.sendTransaction({ to: a.address, data }))
        .to.be.revertedWithCustomError(a.account, "AccountUnauthorized")
        .withArgs(outsider.address);
    });

    it("refuses validateUserOp from anyone but the EntryPoint (AccountUnauthorized(caller))", async function () {
      const { a, outsider } = await networkHelpers.loadFixture(accountFixture);
      const op = { sender: a.address, nonce: 0n, initCode: "0x", callData: "0x", accountGasLimits: ethers.ZeroHash, preVerificationGas: 0n, gasFees: ethers.ZeroHash, paymasterAndData: "0x", signature: "0x" };
      await expect(a.account.connect(outsider).validateUserOp(op, ethers.ZeroHash, 0n))
        .to.be.revertedWithCustomError(a.account, "AccountUnauthorized")
        .withArgs(outsider.address);
    });

    it("executes a batch for the EntryPoint", async function () {
      const { asEntryPoint, a, stablecoin, shop } = await entryPointFixture();
      await stablecoin.mint(a.address, 100n);
      const transfer = stablecoin.interface.encodeFunctionData("transfer", [shop.address, 40n]);
      const tx = asEntryPoint.execute(BATCH_MODE, ethers.AbiCoder.defaultAbiCoder().encode(["tuple(address,uint256,bytes)[]"], [[[await stablecoin.getAddress(), 0n, transfer]]]));
      await expect(tx).to.changeTokenBalances(ethers, stablecoin, [a.address, shop.address], [-40n, 40n]);
    });

    it("refuses an execution mode other than the single default batch (UnsupportedExecutionMode)", async function () {
      const { asEntryPoint, a } = await entryPointFixture();
      const singleMode = ethers.ZeroHash;
      await expect(asEntryPoint.execute(singleMode, "0x")).to.be.revertedWithCustomError(a.account, "UnsupportedExecutionMode");
    });

    it("refuses malformed batch data (ERC7579DecodingError)", async function () {
      const { asEntryPoint, a } = await entryPointFixture();
      await expect(asEntryPoint.execute(BATCH_MODE, "0x01")).to.be.revertedWithCustomError(a.account, "ERC7579DecodingError");
    });

    it("reverts the whole batch with FailedCall when a call fails without a reason", async function () {
      const { asEntryPoint, a, escrow } = await entryPointFixture();
      await networkHelpers.setBalance(a.address, 10n);
      // The escrow accepts no plain ETH: its empty revert surfaces as FailedCall.
      const data = ethers.AbiCoder.defaultAbiCoder().encode(["tuple(address,uint256,bytes)[]"], [[[await escrow.getAddress(), 1n, "0x"]]]);
      await expect(asEntryPoint.execute(BATCH_MODE, data)).to.be.revertedWithCustomError(a.account, "FailedCall");
    });
  });

  describe("before it exists", function () {
    it("has an address, and nothing answers there yet", async function () {
      const f = await networkHelpers.loadFixture(accountFixture);
      const bob = await accountOf(f, new Passkey("bob"));
      expect(await ethers.provider.getCode(bob.address)).to.equal("0x");
    });
  });
});
