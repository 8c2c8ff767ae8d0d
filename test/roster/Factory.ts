import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  ethers,
  networkHelpers,
  now,
  DAY,
  deployRoster,
  createProgramme,
  defaultProgrammeTerms,
  Status,
  CLAIM_TYPES,
  ROOT_APPROVAL_TYPES,
  LEAF_CHANGE_TYPES,
} from "./helpers.ts";
import hre, { artifacts } from "hardhat";
import { rosterDomain } from "../../lib/roster/typed-data.ts";

describe("AidRosterFactory", function () {
  describe("deployment", function () {
    it("is deployed through the PrecisionAidRoster Ignition module, wired to the registry and escrow", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      expect(await p.factory.registry()).to.equal(await p.registry.getAddress());
      expect(await p.factory.escrow()).to.equal(await p.escrow.getAddress());
      expect(await p.factory.programmeCount()).to.equal(0n);
    });

    it("refuses a registry or an escrow that is not a contract, and a blueprint without the EIP-5202 preamble", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const Factory = await ethers.getContractFactory("AidRosterFactory");
      const [registry, escrow] = [await p.registry.getAddress(), await p.escrow.getAddress()];
      await expect(Factory.deploy(p.outsider.address, escrow, p.blueprint))
        .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidDependency")
        .withArgs(p.outsider.address);
      await expect(Factory.deploy(registry, p.outsider.address, p.blueprint))
        .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidDependency")
        .withArgs(p.outsider.address);
      for (const notBlueprint of [p.outsider.address, escrow]) {
        await expect(Factory.deploy(registry, escrow, notBlueprint))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidDependency")
          .withArgs(notBlueprint);
      }
    });

    it("refuses a registry whose role ids differ from the ones programmes hold as constants", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const Factory = await ethers.getContractFactory("AidRosterFactory");
      const renamed = await (await ethers.deployContract("RenamedRolesRegistry")).getAddress();
      await expect(Factory.deploy(renamed, await p.escrow.getAddress(), p.blueprint))
        .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidDependency")
        .withArgs(renamed);
    });

    it("no longer carries the programme's code: it creates programmes from an EIP-5202 blueprint", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      expect(await p.factory.blueprint()).to.equal(p.blueprint);
      const blueprintCode = await ethers.provider.getCode(p.blueprint);
      expect(blueprintCode.slice(0, 8)).to.equal("0xfe7100");
      // The blueprint holds the programme's creation code, linked to the shared library.
      const artifact = await artifacts.readArtifact("AidRosterProgramme");
      const library = p.rosterLibraries.AidRosterGovernance.slice(2).toLowerCase();
      const linked = artifact.bytecode.replace(/__\$[0-9a-f]{34}\$__/g, library).toLowerCase();
      expect("0x" + blueprintCode.slice(8)).to.equal(linked);
      // It cannot be run: its first opcode is INVALID.
      await expect(p.outsider.sendTransaction({ to: p.blueprint, data: "0x" })).to.be.revert(ethers);
      const size = async (address: string) => ethers.getBytes(await ethers.provider.getCode(address)).length;
      const { address } = await createProgramme(p);
      // Coverage instruments the code, so sizes mean nothing there; the plain run checks them.
      if (hre.globalOptions.coverage) return;
      // Every deployable contract keeps at least 2 KB of headroom under EIP-170's 24,576 bytes.
      for (const a of [await p.factory.getAddress(), p.blueprint, address, p.rosterLibraries.AidRosterGovernance]) {
        expect(await size(a)).to.be.greaterThan(0).and.at.most(24_576 - 2_048);
      }
      expect(await size(await p.factory.getAddress())).to.be.lessThan(8_000);
    });

    it("refuses when the programme cannot be created, e.g. with too little gas (AidRosterFactoryCreationFailed)", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const terms = await defaultProgrammeTerms();
      await expect(p.factory.connect(p.manager).createProgramme(terms, { gasLimit: 1_500_000n }))
        .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryCreationFailed")
        .withArgs(p.blueprint);
      expect(await p.factory.programmeCount()).to.equal(0n);
    });
  });

  describe("createProgramme", function () {
    it("deploys a programme managed by the caller, lists it and emits ProgrammeCreated", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const terms = await defaultProgrammeTerms();
      await expect(p.factory.connect(p.manager).createProgramme(terms))
        .to.emit(p.factory, "ProgrammeCreated")
        .withArgs(1n, anyValue, p.manager.address, anyValue);
      const address = await p.factory.programmeAt(1n);
      expect(await p.factory.isProgramme(address)).to.equal(true);
      expect(await p.factory.isProgramme(p.outsider.address)).to.equal(false);
      const programme = await ethers.getContractAt("AidRosterProgramme", address);
      expect(await programme.manager()).to.equal(p.manager.address);
      expect(await programme.factory()).to.equal(await p.factory.getAddress());
      expect(await programme.registry()).to.equal(await p.registry.getAddress());
      const stored = await programme.terms();
      expect(stored.token).to.equal(terms.token);
      expect(stored.category).to.equal(terms.category);
      expect(stored.region).to.equal(terms.region);
      expect(stored.metadataURI).to.equal(terms.metadataURI);
      expect(stored.trancheUnlockTimes).to.deep.equal(terms.trancheUnlockTimes);
      expect(stored.fundingDeadline).to.equal(terms.fundingDeadline);
      expect(stored.claimDeadline).to.equal(terms.claimDeadline);
      expect(stored.publicityWindow).to.equal(BigInt(terms.publicityWindow));
      expect(stored.threshold).to.equal(BigInt(terms.threshold));
      expect(await programme.status()).to.equal(Status.Funding);
      expect(await programme.MAX_TRANCHES()).to.equal(12n);
      expect(await programme.MAX_THRESHOLD()).to.equal(16n);
      expect(await programme.CLAIM_GAS_CAP()).to.equal(500_000n);
      expect(await programme.LEAF_CHANGE_MIN_DELAY()).to.equal(DAY);
      expect(await programme.MAX_PAUSE()).to.equal(14n * DAY);
    });

    it("stores twelve tranches packed in two immutable words and reads every one back", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const t = await now();
      const unlocks = Array.from({ length: 12 }, (_, i) => t + BigInt(10 + i) * DAY);
      const { programme } = await createProgramme(p, { trancheUnlockTimes: unlocks });
      expect((await programme.terms()).trancheUnlockTimes).to.deep.equal(unlocks);
    });

    it("hashes leaves exactly like @openzeppelin/merkle-tree's StandardMerkleTree", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p);
      const values: [string, string, string][] = [
        ["0", p.households[0].address, "1"],
        ["987654", p.outsider.address, ethers.MaxUint256.toString()],
      ];
      const tree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
      for (const v of values) {
        expect(await programme.leafHash(BigInt(v[0]), v[1], BigInt(v[2]))).to.equal(tree.leafHash(v));
      }
    });

    it("publishes its EIP-712 domain (ERC-5267) and typehashes for wallets to read", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, address } = await createProgramme(p);
      const domain = await programme.eip712Domain();
      expect(domain.name).to.equal("PrecisionAid AidRosterProgramme");
      expect(domain.version).to.equal("1");
      expect(domain.verifyingContract).to.equal(address);
      expect(await programme.ROOT_APPROVAL_TYPEHASH()).to.equal(
        ethers.id(
          "RootApproval(Roster roster,uint256 deadline)Roster(bytes32 root,uint32 version,uint32 leafCount,uint256 rosterTotal,bytes32 contentHash)",
        ),
      );
      expect(await programme.ROSTER_TYPEHASH()).to.equal(
        ethers.id("Roster(bytes32 root,uint32 version,uint32 leafCount,uint256 rosterTotal,bytes32 contentHash)"),
      );
      expect(await programme.LEAF_CHANGE_TYPEHASH()).to.equal(
        ethers.id(
          "LeafChange(uint32 version,uint256 index,uint8 kind,address newAccount,bytes32 reasonHash,uint256 nonce,uint256 deadline)",
        ),
      );
      expect(ethers.id(ethers.TypedDataEncoder.from(LEAF_CHANGE_TYPES).encodeType("LeafChange"))).to.equal(
        await programme.LEAF_CHANGE_TYPEHASH(),
      );
      expect(await programme.CLAIM_TYPEHASH()).to.equal(
        ethers.id("RosterClaim(uint256 index,uint256 tranche,address account,uint256 amount,uint256 nonce,uint256 deadline)"),
      );
      // The shapes every off-chain signer uses (lib/roster/typed-data.ts) hash to the contract's own.
      expect(ethers.id(ethers.TypedDataEncoder.from(ROOT_APPROVAL_TYPES).encodeType("RootApproval"))).to.equal(
        await programme.ROOT_APPROVAL_TYPEHASH(),
      );
      expect(ethers.id(ethers.TypedDataEncoder.from(CLAIM_TYPES).encodeType("RosterClaim"))).to.equal(await programme.CLAIM_TYPEHASH());
      const shared = rosterDomain((await ethers.provider.getNetwork()).chainId, address);
      expect([shared.name, shared.version, shared.chainId]).to.deep.equal([domain.name, domain.version, domain.chainId]);
    });

    it("accepts an allowlisted ERC-20", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme } = await createProgramme(p, { token: await p.stablecoin.getAddress() });
      expect((await programme.terms()).token).to.equal(await p.stablecoin.getAddress());
    });

    describe("refuses", function () {
      it("a caller without the manager role", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        await expect(p.factory.connect(p.outsider).createProgramme(await defaultProgrammeTerms()))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryUnauthorized")
          .withArgs(p.outsider.address, await p.registry.MANAGER_ROLE());
      });

      it("a token the escrow does not allow", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const other = await ethers.deployContract("TestStablecoin");
        const token = await other.getAddress();
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ token })))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryTokenNotAllowed")
          .withArgs(token);
      });

      it("zero tranches or more than twelve", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ trancheUnlockTimes: [] })))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidTrancheCount")
          .withArgs(0n, 12n);
        const t = await now();
        const thirteen = Array.from({ length: 13 }, (_, i) => t + BigInt(10 + i) * DAY);
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ trancheUnlockTimes: thirteen })))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidTrancheCount")
          .withArgs(13n, 12n);
      });

      it("unlock times that do not increase, or that reach the claim deadline", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const t = await now();
        await expect(
          p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ trancheUnlockTimes: [t + 20n * DAY, t + 20n * DAY] })),
        )
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidUnlockTime")
          .withArgs(1n, t + 20n * DAY);
        await expect(
          p.factory
            .connect(p.manager)
            .createProgramme(await defaultProgrammeTerms({ trancheUnlockTimes: [t + 100n * DAY], claimDeadline: t + 100n * DAY })),
        )
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidUnlockTime")
          .withArgs(0n, t + 100n * DAY);
      });

      it("a funding deadline not in the future or after the claim deadline", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const t = await now();
        // The transaction runs at t + 1: a funding deadline of t + 1 is already over (half-open).
        await networkHelpers.time.setNextBlockTimestamp(t + 1n);
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ fundingDeadline: t + 1n })))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidDeadlines")
          .withArgs(t + 1n, anyValue, t + 1n + 1826n * DAY);
        const terms = await defaultProgrammeTerms({ fundingDeadline: t + 200n * DAY });
        await expect(p.factory.connect(p.manager).createProgramme(terms))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidDeadlines")
          .withArgs(t + 200n * DAY, terms.claimDeadline, anyValue);
      });

      it("a claim deadline more than five years (1826 days) away (issue 11 #6, the same bound as escrow projects)", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const t = (await now()) + 10n;
        const terms = await defaultProgrammeTerms({ claimDeadline: t + 1826n * DAY + 1n });
        await networkHelpers.time.setNextBlockTimestamp(t);
        await expect(p.factory.connect(p.manager).createProgramme(terms))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidDeadlines")
          .withArgs(terms.fundingDeadline, terms.claimDeadline, t + 1826n * DAY);
      });

      it("a zero publicity window (AidTermsInvalidPublicityWindow(window, time left until the claim deadline))", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        const terms = await defaultProgrammeTerms({ publicityWindow: 0 });
        const t = (await now()) + 10n;
        await networkHelpers.time.setNextBlockTimestamp(t);
        await expect(p.factory.connect(p.manager).createProgramme(terms))
          .to.be.revertedWithCustomError(p.factory, "AidTermsInvalidPublicityWindow")
          .withArgs(0n, terms.claimDeadline - t);
      });

      it("a threshold of zero or above sixteen", async function () {
        const p = await networkHelpers.loadFixture(deployRoster);
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ threshold: 0 })))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidThreshold")
          .withArgs(0n, 16n);
        // The threshold is checked before the schedule.
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ threshold: 0, publicityWindow: 0 })))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidThreshold")
          .withArgs(0n, 16n);
        await expect(p.factory.connect(p.manager).createProgramme(await defaultProgrammeTerms({ threshold: 17 })))
          .to.be.revertedWithCustomError(p.factory, "AidRosterFactoryInvalidThreshold")
          .withArgs(17n, 16n);
      });
    });
  });
});
