import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  commitmentOf,
  identifyHousehold,
  signBinding,
  sortByAddress,
  INCOME,
  DAY,
  now,
} from "../helpers/fixtures.ts";
import { BIND_IDENTITY_TYPES, CANCEL_REBIND_TYPES, registryDomain } from "../../lib/registry/typed-data.ts";
import { registryFixture, boundFixture, minedAt, nextTxAt, packEpoch, bind, ONE_YEAR, evidence } from "./helpers.ts";

const HOUSEHOLD_ID = "520101199001011234";

/** registryFixture plus a commitment, a deadline and the first two officials' signatures binding it to households[0]. */
async function signedFixture() {
  const p = await registryFixture();
  const commitment = commitmentOf(HOUSEHOLD_ID, "salt-a");
  const account = p.households[0].address;
  const deadline = (await now()) + DAY;
  const [o0, o1] = p.officials;
  const signatures = [
    await signBinding(p.registry, o0, commitment, account, deadline),
    await signBinding(p.registry, o1, commitment, account, deadline),
  ];
  return { ...p, commitment, account, deadline, signers: [o0.address, o1.address], signatures };
}

describe("AidRegistry identities", function () {
  describe("bindIdentity", function () {
    it("binds the commitment to the account both ways and emits IdentityBound with the approving officials", async function () {
      const { registry, outsider, commitment, account, deadline, signers, signatures } =
        await networkHelpers.loadFixture(signedFixture);
      // Anyone may submit: the signatures are the authority.
      const tx = registry.connect(outsider).bindIdentity(commitment, account, deadline, signers, signatures);
      await expect(tx).to.emit(registry, "IdentityBound").withArgs(commitment, account, signers);
      const at = await minedAt(tx);

      const id = await registry.identity(commitment);
      expect(id.account).to.equal(account);
      expect(id.boundAt).to.equal(at);
      expect(id.revocationEpoch).to.equal(0n);
      expect(id.accountVetoWaived).to.equal(false);
      expect(await registry.commitmentOf(account)).to.equal(commitment);
      expect(await registry.successorOf(account)).to.equal(ethers.ZeroAddress);
      const [bound, epoch] = await registry.eligibilityEpoch(commitment);
      expect(bound).to.equal(account);
      expect(epoch).to.equal(packEpoch(0n, 0n));
    });

    it("signs the documented EIP-712 type under the registry's own domain", async function () {
      const { registry } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.BIND_IDENTITY_TYPEHASH()).to.equal(
        ethers.id("BindIdentity(bytes32 commitment,address account,uint256 deadline)"),
      );
      const domain = await registry.eip712Domain();
      expect(domain.name).to.equal("PrecisionAid AidRegistry");
      expect(domain.version).to.equal("1");
      expect(domain.verifyingContract).to.equal(await registry.getAddress());
      // The shapes every off-chain signer uses (lib/registry/typed-data.ts) hash to the contract's own.
      const mutable = (types: Record<string, readonly { name: string; type: string }[]>) =>
        Object.fromEntries(Object.entries(types).map(([k, v]) => [k, [...v]]));
      expect(ethers.id(ethers.TypedDataEncoder.from(mutable(BIND_IDENTITY_TYPES)).encodeType("BindIdentity"))).to.equal(
        await registry.BIND_IDENTITY_TYPEHASH(),
      );
      expect(ethers.id(ethers.TypedDataEncoder.from(mutable(CANCEL_REBIND_TYPES)).encodeType("CancelRebind"))).to.equal(
        await registry.CANCEL_REBIND_TYPEHASH(),
      );
      const shared = registryDomain(domain.chainId, await registry.getAddress());
      expect([shared.name, shared.version, shared.chainId, shared.verifyingContract]).to.deep.equal([
        domain.name,
        domain.version,
        domain.chainId,
        domain.verifyingContract,
      ]);
    });

    it("works through the shared identifyHousehold fixture", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      const hh = await identifyHousehold(p, p.households[1], "520101199202021111");
      expect(await p.registry.commitmentOf(p.households[1].address)).to.equal(hh.commitment);
      expect((await p.registry.identity(hh.commitment)).account).to.equal(p.households[1].address);
    });

    it("takes three officials when the threshold is three", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      await p.registry.connect(p.admin).setRebindPolicy(3, 3n * DAY);
      const commitment = commitmentOf(HOUSEHOLD_ID, "salt-a");
      const signers = sortByAddress(p.officials);
      await expect(bind(p, commitment, p.households[0].address, { signers }))
        .to.emit(p.registry, "IdentityBound")
        .withArgs(commitment, p.households[0].address, signers.map((s) => s.address));
    });

    it("accepts a contract-wallet official signing by ERC-1271", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      const wallet = await ethers.deployContract("ContractWallet", [p.officials[2].address]);
      const walletAddress = await wallet.getAddress();
      await p.registry.connect(p.admin).addOfficial(walletAddress, { name: "Safe", office: "Township", jurisdiction: "" });
      const commitment = commitmentOf(HOUSEHOLD_ID, "salt-a");
      const account = p.households[0].address;
      const deadline = (await now()) + DAY;
      const entries = sortByAddress([
        { address: p.officials[0].address, signature: await signBinding(p.registry, p.officials[0], commitment, account, deadline) },
        // The wallet's owner signs; the wallet vouches for the signature by ERC-1271.
        { address: walletAddress, signature: await signBinding(p.registry, p.officials[2], commitment, account, deadline) },
      ]);
      await expect(
        p.registry.bindIdentity(commitment, account, deadline, entries.map((e) => e.address), entries.map((e) => e.signature)),
      )
        .to.emit(p.registry, "IdentityBound")
        .withArgs(commitment, account, entries.map((e) => e.address));
    });

    describe("scenario: one official cannot bind an attested but unbound household to his own address", function () {
      it("refuses one official's signature, even when submitted by himself, and binds nothing", async function () {
        const p = await networkHelpers.loadFixture(registryFixture);
        const [corrupt, other] = p.officials;
        const commitment = commitmentOf(HOUSEHOLD_ID, "salt-a");
        // The household was attested before anyone bound it.
        const expiry = (await now()) + ONE_YEAR;
        await p.registry.connect(corrupt).attest(commitment, INCOME, expiry, evidence("c"), 70);
        await p.registry.connect(other).attest(commitment, INCOME, expiry, evidence("o"), 70);
        const deadline = (await now()) + DAY;
        const own = await signBinding(p.registry, corrupt, commitment, corrupt.address, deadline);
        await expect(p.registry.connect(corrupt).bindIdentity(commitment, corrupt.address, deadline, [corrupt.address], [own]))
          .to.be.revertedWithCustomError(p.registry, "AidRegistryWrongSignatureCount")
          .withArgs(2, 1, 1);
        // Listing himself twice does not make two officials.
        await expect(
          p.registry.connect(corrupt).bindIdentity(commitment, corrupt.address, deadline, [corrupt.address, corrupt.address], [own, own]),
        )
          .to.be.revertedWithCustomError(p.registry, "AidRegistrySignersNotAscending")
          .withArgs(1, corrupt.address);
        // Nor does naming another official whose signature he does not have.
        const listed = sortByAddress([corrupt, other]);
        await expect(
          p.registry.connect(corrupt).bindIdentity(commitment, corrupt.address, deadline, listed.map((s) => s.address), [own, own]),
        )
          .to.be.revertedWithCustomError(p.registry, "AidRegistryInvalidSignature")
          .withArgs(other.address);
        expect((await p.registry.identity(commitment)).account).to.equal(ethers.ZeroAddress);
        expect(await p.registry.commitmentOf(corrupt.address)).to.equal(ethers.ZeroHash);
      });
    });

    describe("refuses signatures that do not approve exactly this binding", function () {
      it("a signature of another account, commitment or deadline", async function () {
        const { registry, officials, households, commitment, account, deadline, signers, signatures } =
          await networkHelpers.loadFixture(signedFixture);
        await expect(registry.bindIdentity(commitment, households[1].address, deadline, signers, signatures))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[0]);
        const other = commitmentOf("520101199001015678", "salt-b");
        await expect(registry.bindIdentity(other, account, deadline, signers, signatures))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[0]);
        await expect(registry.bindIdentity(commitment, account, deadline + 1n, signers, signatures))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[0]);
        // One good signature does not carry a bad one.
        const mixed = [signatures[0], await signBinding(registry, officials[1], commitment, households[1].address, deadline)];
        await expect(registry.bindIdentity(commitment, account, deadline, signers, mixed))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[1]);
      });

      it("a signature by someone other than the listed official, or garbage", async function () {
        const { registry, outsider, commitment, account, deadline, signers, signatures } =
          await networkHelpers.loadFixture(signedFixture);
        const forged = await signBinding(registry, outsider, commitment, account, deadline);
        await expect(registry.bindIdentity(commitment, account, deadline, signers, [signatures[0], forged]))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[1]);
        await expect(registry.bindIdentity(commitment, account, deadline, signers, [signatures[0], "0x1234"]))
          .to.be.revertedWithCustomError(registry, "AidRegistryInvalidSignature")
          .withArgs(signers[1]);
      });

      it("a signature from another registry (the domain binds the verifying contract)", async function () {
        const p = await networkHelpers.loadFixture(signedFixture);
        const other = await ethers.deployContract("AidRegistry", [p.admin.address, ethers.ZeroAddress, 2n * DAY, 2, 3n * DAY]);
        for (const [i, o] of p.officials.entries()) await other.addOfficial(o.address, { name: `O${i}`, office: "", jurisdiction: "" });
        await expect(other.bindIdentity(p.commitment, p.account, p.deadline, p.signers, p.signatures))
          .to.be.revertedWithCustomError(other, "AidRegistryInvalidSignature")
          .withArgs(p.signers[0]);
      });
    });

    it("refuses a wrong number of officials or signatures", async function () {
      const { registry, officials, commitment, account, deadline, signers, signatures } =
        await networkHelpers.loadFixture(signedFixture);
      await expect(registry.bindIdentity(commitment, account, deadline, signers, signatures.slice(0, 1)))
        .to.be.revertedWithCustomError(registry, "AidRegistryWrongSignatureCount")
        .withArgs(2, 2, 1);
      const three = sortByAddress(officials).map((o) => o.address);
      await expect(registry.bindIdentity(commitment, account, deadline, three, [...signatures, signatures[0]]))
        .to.be.revertedWithCustomError(registry, "AidRegistryWrongSignatureCount")
        .withArgs(2, 3, 3);
      await expect(registry.bindIdentity(commitment, account, deadline, [], []))
        .to.be.revertedWithCustomError(registry, "AidRegistryWrongSignatureCount")
        .withArgs(2, 0, 0);
    });

    it("refuses signers out of ascending order, naming the index", async function () {
      const { registry, commitment, account, deadline, signers, signatures } = await networkHelpers.loadFixture(signedFixture);
      await expect(
        registry.bindIdentity(commitment, account, deadline, [signers[1], signers[0]], [signatures[1], signatures[0]]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistrySignersNotAscending")
        .withArgs(1, signers[0]);
      await expect(
        registry.bindIdentity(commitment, account, deadline, [ethers.ZeroAddress, signers[1]], signatures),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistrySignersNotAscending")
        .withArgs(0, ethers.ZeroAddress);
    });

    it("refuses a signer who is not, or no longer, an official", async function () {
      const p = await networkHelpers.loadFixture(signedFixture);
      const { registry, admin, outsider, commitment, account, deadline, signers, signatures } = p;
      const withOutsider = sortByAddress([
        { address: signers[0], signature: signatures[0] },
        { address: outsider.address, signature: await signBinding(registry, outsider, commitment, account, deadline) },
      ]);
      await expect(
        registry.bindIdentity(commitment, account, deadline, withOutsider.map((e) => e.address), withOutsider.map((e) => e.signature)),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
      // Signed while an official, submitted after the removal: no longer counts.
      await registry.connect(admin).removeOfficial(signers[1]);
      await expect(registry.bindIdentity(commitment, account, deadline, signers, signatures))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(signers[1]);
    });

    it("accepts the signatures until deadline - 1 and refuses them from the deadline on (half-open)", async function () {
      const { registry, commitment, account, deadline, signers, signatures } = await networkHelpers.loadFixture(signedFixture);
      await nextTxAt(deadline);
      await expect(registry.bindIdentity(commitment, account, deadline, signers, signatures))
        .to.be.revertedWithCustomError(registry, "AidRegistrySignatureExpired")
        .withArgs(deadline, deadline);
      const { registry: again, ...f } = await networkHelpers.loadFixture(signedFixture);
      await nextTxAt(f.deadline - 1n);
      await expect(again.bindIdentity(f.commitment, f.account, f.deadline, f.signers, f.signatures)).to.emit(again, "IdentityBound");
    });

    it("rejects the zero commitment and the zero account, naming the field", async function () {
      const p = await networkHelpers.loadFixture(registryFixture);
      await expect(bind(p, ethers.ZeroHash, p.households[0].address))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryZeroValue")
        .withArgs("commitment");
      await expect(bind(p, ethers.id("c"), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryZeroValue")
        .withArgs("account");
      expect(await p.registry.commitmentOf(p.households[0].address)).to.equal(ethers.ZeroHash);
    });

    it("rejects a commitment that already has an account, the same account included", async function () {
      const p = await networkHelpers.loadFixture(boundFixture);
      await expect(bind(p, p.commitment, p.households[1].address))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryCommitmentAlreadyBound")
        .withArgs(p.commitment, p.households[0].address);
      await expect(bind(p, p.commitment, p.households[0].address))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryCommitmentAlreadyBound")
        .withArgs(p.commitment, p.households[0].address);
      expect(await p.registry.commitmentOf(p.households[1].address)).to.equal(ethers.ZeroHash);
    });

    it("rejects an account that already pays another commitment", async function () {
      const p = await networkHelpers.loadFixture(boundFixture);
      const other = commitmentOf("520101199001015678", "salt-b");
      await expect(bind(p, other, p.households[0].address))
        .to.be.revertedWithCustomError(p.registry, "AidRegistryAccountAlreadyBound")
        .withArgs(p.households[0].address, p.commitment);
      expect((await p.registry.identity(other)).account).to.equal(ethers.ZeroAddress);
    });
  });

  describe("views of an unknown commitment or account", function () {
    it("return zeroes", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(boundFixture);
      const unknown = ethers.id("nobody");
      const id = await registry.identity(unknown);
      expect(id.account).to.equal(ethers.ZeroAddress);
      expect(id.boundAt).to.equal(0n);
      expect(id.revocationEpoch).to.equal(0n);
      expect(await registry.commitmentOf(outsider.address)).to.equal(ethers.ZeroHash);
      expect(await registry.successorOf(outsider.address)).to.equal(ethers.ZeroAddress);
      const [account, epoch] = await registry.eligibilityEpoch(unknown);
      expect(account).to.equal(ethers.ZeroAddress);
      expect(epoch).to.equal(0n);
    });
  });
});
