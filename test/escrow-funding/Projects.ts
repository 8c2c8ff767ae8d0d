import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  DAY,
  Status,
  at,
  fundStable,
  type Protocol,
} from "./helpers.ts";
import { defaultTerms, INCOME, SCHOOL, condition, label } from "../helpers/fixtures.ts";

type Terms = Awaited<ReturnType<typeof defaultTerms>>;

/** True when a ProjectTerms value read from the chain (event or view) equals `expected`, field by field. */
function sameTerms(actual: any, expected: Terms): boolean {
  return (
    actual.token === expected.token &&
    actual.category === expected.category &&
    actual.region === expected.region &&
    actual.metadataURI === expected.metadataURI &&
    actual.conditions.length === expected.conditions.length &&
    actual.conditions.every((c: string, i: number) => c === expected.conditions[i]) &&
    BigInt(actual.threshold) === BigInt(expected.threshold) &&
    BigInt(actual.amountPerTranche) === BigInt(expected.amountPerTranche) &&
    actual.trancheUnlockTimes.length === expected.trancheUnlockTimes.length &&
    actual.trancheUnlockTimes.every((u: bigint, i: number) => BigInt(u) === BigInt(expected.trancheUnlockTimes[i])) &&
    BigInt(actual.maxBeneficiaries) === BigInt(expected.maxBeneficiaries) &&
    BigInt(actual.fundingDeadline) === BigInt(expected.fundingDeadline) &&
    BigInt(actual.claimDeadline) === BigInt(expected.claimDeadline) &&
    BigInt(actual.publicityWindow) === BigInt(expected.publicityWindow)
  );
}

async function expectStoredTerms(p: Protocol, projectId: bigint, expected: Terms) {
  const t = await p.escrow.projectTerms(projectId);
  expect(t.token).to.equal(expected.token);
  expect(t.category).to.equal(expected.category);
  expect(t.region).to.equal(expected.region);
  expect(t.metadataURI).to.equal(expected.metadataURI);
  expect([...t.conditions]).to.deep.equal(expected.conditions);
  expect(t.threshold).to.equal(BigInt(expected.threshold));
  expect(t.amountPerTranche).to.equal(BigInt(expected.amountPerTranche));
  expect([...t.trancheUnlockTimes]).to.deep.equal(expected.trancheUnlockTimes.map((u) => BigInt(u)));
  expect(t.maxBeneficiaries).to.equal(BigInt(expected.maxBeneficiaries));
  expect(t.fundingDeadline).to.equal(BigInt(expected.fundingDeadline));
  expect(t.claimDeadline).to.equal(BigInt(expected.claimDeadline));
  expect(t.publicityWindow).to.equal(BigInt(expected.publicityWindow));
}

const conditionsN = (n: number) => Array.from({ length: n }, (_, i) => condition(`condition-${i}`));

describe("AidEscrow projects", function () {
  describe("createProject", function () {
    describe("when the caller is not a programme manager", function () {
      for (const who of ["outsider", "reviewer", "admin", "guardian"] as const) {
        it(`rejects the ${who} with AidEscrowUnauthorized(caller, MANAGER_ROLE)`, async function () {
          const p = await networkHelpers.loadFixture(deployProtocol);
          const signer = p[who];
          await expect(p.escrow.connect(signer).createProject(await defaultTerms()))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
            .withArgs(signer.address, await p.registry.MANAGER_ROLE());
          expect(await p.escrow.projectCount()).to.equal(0n);
        });
      }

      it("rejects a former manager whose role was revoked", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const role = await p.registry.MANAGER_ROLE();
        await p.registry.revokeRole(role, p.manager.address);
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnauthorized")
          .withArgs(p.manager.address, role);
      });
    });

    describe("when the terms are valid", function () {
      it("emits ProjectCreated with the id, the manager and the terms", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms({ conditions: [INCOME, SCHOOL] });
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.emit(p.escrow, "ProjectCreated")
          .withArgs(1n, p.manager.address, (t: unknown) => sameTerms(t, terms));
      });

      it("numbers projects from 1 and counts them", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const a = await createProject(p);
        const b = await createProject(p, { metadataURI: "ipfs://second" });
        expect(a.projectId).to.equal(1n);
        expect(b.projectId).to.equal(2n);
        expect(await p.escrow.projectCount()).to.equal(2n);
        expect((await p.escrow.projectTerms(2n)).metadataURI).to.equal("ipfs://second");
        expect((await p.escrow.projectTerms(1n)).metadataURI).to.equal(a.terms.metadataURI);
      });

      it("stores the terms exactly as given (projectTerms)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p, {
          token: await p.stablecoin.getAddress(),
          conditions: [SCHOOL, INCOME],
          threshold: 1,
          amountPerTranche: 25_000_000n,
          maxBeneficiaries: 3,
          category: label("health"),
          region: label("cn-yn-nujiang"),
          metadataURI: "https://example.org/p.json",
          publicityWindow: 123,
        });
        await expectStoredTerms(p, projectId, terms);
      });

      it("records the caller as the project's manager (projectManager)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        expect(await p.escrow.projectManager(projectId)).to.equal(p.manager.address);
      });

      it("starts in Funding with an empty ledger (projectStatus, projectLedger)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
        const l = await p.escrow.projectLedger(projectId);
        expect([l.raised, l.committed, l.claimed, l.refunded]).to.deep.equal([0n, 0n, 0n, 0n]);
        expect([l.donors, l.refundedDonors, l.enrolled, l.enrolments, l.exited, l.objectionsUpheld]).to.deep.equal([
          0n, 0n, 0n, 0n, 0n, 0n,
        ]);
      });

      it("accepts the upper bounds: 8 conditions, threshold 8, 12 tranches", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const unlocks = Array.from({ length: 12 }, (_, i) => t + BigInt(10 + i) * DAY);
        const { projectId, terms } = await createProject(p, {
          conditions: conditionsN(8),
          threshold: 8,
          trancheUnlockTimes: unlocks,
        });
        await expectStoredTerms(p, projectId, terms);
      });

      it("accepts a claim deadline equal to the funding deadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const { projectId } = await createProject(p, {
          fundingDeadline: t + 50n * DAY,
          claimDeadline: t + 50n * DAY,
          trancheUnlockTimes: [t + 10n * DAY],
        });
        expect((await p.escrow.projectTerms(projectId)).claimDeadline).to.equal(t + 50n * DAY);
      });
    });

    describe("when the terms are invalid", function () {
      it("rejects a token that is not allowlisted (AidEscrowTokenNotAllowed)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const other = await ethers.deployContract("TestStablecoin");
        const token = await other.getAddress();
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ token })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTokenNotAllowed")
          .withArgs(token);
      });

      it("rejects a token the admin has disallowed again", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const token = await p.stablecoin.getAddress();
        await p.escrow.connect(p.admin).setTokenAllowed(token, false);
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ token })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTokenNotAllowed")
          .withArgs(token);
      });

      for (const n of [0, 9]) {
        it(`rejects ${n} conditions (AidEscrowInvalidConditionCount(${n}, 8))`, async function () {
          const p = await networkHelpers.loadFixture(deployProtocol);
          await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ conditions: conditionsN(n) })))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidConditionCount")
            .withArgs(n, 8);
        });
      }

      it("rejects a zero condition id with its index (AidEscrowInvalidCondition)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms({ conditions: [INCOME, ethers.ZeroHash, SCHOOL] });
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidCondition")
          .withArgs(1, ethers.ZeroHash);
      });

      it("rejects a zero condition id in first place", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms({ conditions: [ethers.ZeroHash] });
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidCondition")
          .withArgs(0, ethers.ZeroHash);
      });

      it("rejects a duplicate condition id at the index of the repeat", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms({ conditions: [INCOME, SCHOOL, INCOME] });
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidCondition")
          .withArgs(2, INCOME);
      });

      for (const k of [0, 9]) {
        it(`rejects threshold ${k} (AidEscrowInvalidThreshold(${k}, 8))`, async function () {
          const p = await networkHelpers.loadFixture(deployProtocol);
          await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ threshold: k })))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidThreshold")
            .withArgs(k, 8);
        });
      }

      it("rejects a zero amount per tranche (AidEscrowZeroAmount(projectId))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ amountPerTranche: 0n })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowZeroAmount")
          .withArgs(1n);
      });

      for (const n of [0, 13]) {
        it(`rejects ${n} tranches (AidEscrowInvalidTrancheCount(${n}, 12))`, async function () {
          const p = await networkHelpers.loadFixture(deployProtocol);
          const t = await now();
          const unlocks = Array.from({ length: n }, (_, i) => t + BigInt(10 + i) * DAY);
          await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: unlocks })))
            .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidTrancheCount")
            .withArgs(n, 12);
        });
      }

      it("rejects an unlock time equal to the previous one (AidEscrowInvalidUnlockTime)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const unlocks = [t + 10n * DAY, t + 20n * DAY, t + 20n * DAY];
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: unlocks })))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidUnlockTime")
          .withArgs(2, t + 20n * DAY);
      });

      it("rejects an unlock time earlier than the previous one", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const unlocks = [t + 20n * DAY, t + 10n * DAY];
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: unlocks })))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidUnlockTime")
          .withArgs(1, t + 10n * DAY);
      });

      it("rejects a zero first unlock time", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: [0n] })))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidUnlockTime")
          .withArgs(0, 0);
      });

      it("rejects an unlock time at the claim deadline (it must be strictly before)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const claimDeadline = t + 100n * DAY;
        const unlocks = [t + 10n * DAY, claimDeadline];
        await expect(
          p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: unlocks, claimDeadline })),
        )
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidUnlockTime")
          .withArgs(1, claimDeadline);
      });

      it("rejects an unlock time after the claim deadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const claimDeadline = t + 100n * DAY;
        const unlocks = [claimDeadline + 1n];
        await expect(
          p.escrow.connect(p.manager).createProject(await defaultTerms({ trancheUnlockTimes: unlocks, claimDeadline })),
        )
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidUnlockTime")
          .withArgs(0, claimDeadline + 1n);
      });

      it("accepts the last unlock one second before the claim deadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const claimDeadline = t + 100n * DAY;
        const { projectId } = await createProject(p, { trancheUnlockTimes: [claimDeadline - 1n], claimDeadline });
        expect((await p.escrow.projectTerms(projectId)).trancheUnlockTimes).to.deep.equal([claimDeadline - 1n]);
      });

      it("rejects zero max beneficiaries (AidEscrowZeroMaxBeneficiaries(projectId))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        await expect(p.escrow.connect(p.manager).createProject(await defaultTerms({ maxBeneficiaries: 0 })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowZeroMaxBeneficiaries")
          .withArgs(1n);
      });

      it("rejects a zero publicity window, which would skip public notice (AidTermsInvalidPublicityWindow)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms({ publicityWindow: 0 });
        const t = (await now()) + 10n;
        await at(t);
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidPublicityWindow")
          .withArgs(0, terms.claimDeadline - t);
        const { projectId } = await createProject(p, { publicityWindow: 1 });
        expect((await p.escrow.projectTerms(projectId)).publicityWindow).to.equal(1n);
      });

      it("rejects a publicity window that could not end before the claim deadline (AidTermsInvalidPublicityWindow)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms();
        const t = (await now()) + 10n;
        const period = terms.claimDeadline - t;
        await at(t);
        await expect(p.escrow.connect(p.manager).createProject({ ...terms, publicityWindow: Number(period) }))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidPublicityWindow")
          .withArgs(period, period);
        await at(t + 1n);
        await p.escrow.connect(p.manager).createProject({ ...terms, publicityWindow: Number(period - 2n) });
      });

      it("issue 11 #6: refuses a claim deadline more than MAX_DURATION (1826 days) away (AidTermsInvalidDeadlines)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = (await now()) + 10n;
        const latest = t + 1826n * DAY;
        const terms = await defaultTerms({ claimDeadline: latest + 1n });
        await at(t);
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidDeadlines")
          .withArgs(terms.fundingDeadline, latest + 1n, latest);
        await at(t + 1n);
        await p.escrow.connect(p.manager).createProject({ ...terms, claimDeadline: latest + 1n });
        expect((await p.escrow.projectTerms(1n)).claimDeadline).to.equal(latest + 1n);
      });

      it("rejects a funding deadline equal to the block time (AidEscrowInvalidDeadlines)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms();
        const t = (await now()) + 100n;
        const bad = { ...terms, fundingDeadline: t };
        await at(t);
        await expect(p.escrow.connect(p.manager).createProject(bad))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidDeadlines")
          .withArgs(t, terms.claimDeadline, t + 1826n * DAY);
      });

      it("accepts a funding deadline one second after the block time", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const terms = await defaultTerms();
        const t = (await now()) + 100n;
        await at(t);
        await p.escrow.connect(p.manager).createProject({ ...terms, fundingDeadline: t + 1n });
        expect(await p.escrow.projectStatus(1n)).to.equal(Status.Funding);
      });

      it("rejects a funding deadline in the past", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const terms = await defaultTerms({ fundingDeadline: t - 1n });
        await at(t + 1n);
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidDeadlines")
          .withArgs(t - 1n, terms.claimDeadline, t + 1n + 1826n * DAY);
      });

      it("rejects a claim deadline before the funding deadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const terms = await defaultTerms({
          fundingDeadline: t + 50n * DAY,
          claimDeadline: t + 50n * DAY - 1n,
          trancheUnlockTimes: [t + 10n * DAY],
        });
        await expect(p.escrow.connect(p.manager).createProject(terms))
          .to.be.revertedWithCustomError(p.escrow, "AidTermsInvalidDeadlines")
          .withArgs(t + 50n * DAY, t + 50n * DAY - 1n, anyValue);
      });
    });
  });

  describe("views", function () {
    describe("for an unknown project", function () {
      for (const id of [0n, 2n]) {
        it(`projectTerms, projectManager and projectLedger revert with AidEscrowUnknownProject(${id})`, async function () {
          const p = await networkHelpers.loadFixture(deployProtocol);
          await createProject(p);
          await expect(p.escrow.projectTerms(id))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
            .withArgs(id);
          await expect(p.escrow.projectManager(id))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
            .withArgs(id);
          await expect(p.escrow.projectLedger(id))
            .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
            .withArgs(id);
        });
      }

      it("projectStatus is None", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        expect(await p.escrow.projectStatus(7n)).to.equal(Status.None);
      });
    });

    describe("projectStatus over time", function () {
      it("is Funding until the funding deadline, Active from it, Closed from the claim deadline", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await networkHelpers.time.increaseTo(terms.fundingDeadline - 1n);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
        await networkHelpers.time.increaseTo(terms.fundingDeadline);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
        await networkHelpers.time.increaseTo(terms.claimDeadline - 1n);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Closed);
      });
    });
  });

  describe("updateTerms", function () {
    describe("when the caller is not the project's manager", function () {
      it("rejects an outsider (AidEscrowNotProjectManager)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.outsider).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotProjectManager")
          .withArgs(projectId, p.outsider.address);
      });

      it("rejects another programme manager", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.registry.grantRole(await p.registry.MANAGER_ROLE(), p.outsider.address);
        await expect(p.escrow.connect(p.outsider).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotProjectManager")
          .withArgs(projectId, p.outsider.address);
      });

      it("rejects the registry admin", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.admin).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotProjectManager")
          .withArgs(projectId, p.admin.address);
      });
    });

    it("rejects an unknown project (AidEscrowUnknownProject)", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      await expect(p.escrow.connect(p.manager).updateTerms(3n, await defaultTerms()))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowUnknownProject")
        .withArgs(3n);
    });

    describe("before any donation", function () {
      it("replaces the terms and emits ProjectTermsUpdated with them", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        const t = await now();
        const next = await defaultTerms({
          token: await p.stablecoin.getAddress(),
          amountPerTranche: 7_000_000n,
          threshold: 1,
          trancheUnlockTimes: [t + 20n * DAY, t + 30n * DAY],
          claimDeadline: t + 60n * DAY,
          metadataURI: "ipfs://v2",
        });
        expect(await p.escrow.termsVersion(projectId)).to.equal(1n);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, next))
          .to.emit(p.escrow, "ProjectTermsUpdated")
          .withArgs(projectId, (x: unknown) => sameTerms(x, next), 2n);
        await expectStoredTerms(p, projectId, next);
        expect(await p.escrow.termsVersion(projectId)).to.equal(2n);
        expect(await p.escrow.projectManager(projectId)).to.equal(p.manager.address);
        expect(await p.escrow.projectCount()).to.equal(1n);
      });

      it("clears the old conditions and tranches when the new terms are shorter", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const t = await now();
        const { projectId } = await createProject(p, {
          conditions: conditionsN(8),
          trancheUnlockTimes: Array.from({ length: 12 }, (_, i) => t + BigInt(10 + i) * DAY),
        });
        const shorter = await defaultTerms({ conditions: [SCHOOL], trancheUnlockTimes: [t + 50n * DAY] });
        await p.escrow.connect(p.manager).updateTerms(projectId, shorter);
        const stored = await p.escrow.projectTerms(projectId);
        expect([...stored.conditions]).to.deep.equal([SCHOOL]);
        expect([...stored.trancheUnlockTimes]).to.deep.equal([t + 50n * DAY]);
      });

      it("proves eligibility against the new conditions only", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p, { conditions: [INCOME, SCHOOL] });
        await p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms({ conditions: [SCHOOL] }));
        const hh = await identifyHousehold(p, p.households[0], "ID-school-only", [SCHOOL]);
        await p.escrow.connect(p.donors[0]).donate(projectId, 2, { value: ethers.parseEther("3") });
        await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters)).to.emit(
          p.escrow,
          "BeneficiaryEnrolled",
        );
        expect((await p.escrow.projectLedger(projectId)).committed).to.equal(ethers.parseEther("3"));
      });

      it("validates the new terms like createProject", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms({ threshold: 9 })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidThreshold")
          .withArgs(9, 8);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms({ conditions: [] })))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowInvalidConditionCount")
          .withArgs(0, 8);
      });

      it("moves the project to the other token's donation path", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        const token = await p.stablecoin.getAddress();
        await p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms({ token }));
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 2, { value: 1n }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongToken")
          .withArgs(projectId, ethers.ZeroAddress);
      });
    });

    describe("issue 11 #6: terms can change under the first donor's pending donation", function () {
      it("refuses a donation naming the terms version the manager just replaced (AidEscrowTermsChanged)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        // The donor read version 1; the manager front-runs with far-future deadlines.
        const t = await now();
        await p.escrow
          .connect(p.manager)
          .updateTerms(projectId, await defaultTerms({ claimDeadline: t + 1800n * DAY, trancheUnlockTimes: [t + 1700n * DAY] }));
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 5n }))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTermsChanged")
          .withArgs(projectId, 2n, 1n);
        await fundStable(p, p.donors[0], 5n);
        const tokenProject = await createProject(p, { token: await p.stablecoin.getAddress(), amountPerTranche: 1n });
        await expect(p.escrow.connect(p.donors[0]).donateToken(tokenProject.projectId, 5n, 7))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTermsChanged")
          .withArgs(tokenProject.projectId, 1n, 7n);
        // Naming the version they now see, the donor agrees to the new terms.
        await expect(p.escrow.connect(p.donors[0]).donate(projectId, 2, { value: 5n })).to.emit(p.escrow, "Donated");
      });

      it("refuses an update by a manager whose role was revoked (AidEscrowNotProjectManager)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.registry.revokeRole(await p.registry.MANAGER_ROLE(), p.manager.address);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotProjectManager")
          .withArgs(projectId, p.manager.address);
      });
    });

    describe("after the funding deadline, with nothing raised (Active)", function () {
      // AidTypes.sol: "Lifecycle of a project, derived from time and flags. Values only ever increase."
      // Whatever updateTerms does here (refuse, or accept without reopening funding), the status must not
      // go back from Active to Funding.
      it("refuses with AidEscrowWrongProjectStatus(projectId, Funding, Active), so the status never moves back", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await networkHelpers.time.increaseTo(terms.fundingDeadline);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
        const next = await defaultTerms({ metadataURI: "ipfs://retry" });
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, next))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Active);
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Active);
      });
    });

    describe("after a cancellation approval", function () {
      it("clears the approval, so it cannot be combined with one given to the new terms", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms({ metadataURI: "ipfs://v2" }));
        expect((await p.escrow.cancellationApproval(projectId)).approver).to.equal(ethers.ZeroAddress);
        // The manager's approval alone no longer cancels: the reviewer's was for the old terms.
        await expect(p.escrow.connect(p.manager).approveCancellation(projectId)).not.to.emit(p.escrow, "ProjectCancelled");
        expect(await p.escrow.projectStatus(projectId)).to.equal(Status.Funding);
        await expect(p.escrow.connect(p.reviewer).approveCancellation(projectId)).to.emit(p.escrow, "ProjectCancelled");
      });
    });

    describe("after the first donation", function () {
      it("refuses with AidEscrowTermsFrozen(projectId, raised)", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 5n });
        await p.escrow.connect(p.donors[1]).donate(projectId, 1, { value: 7n });
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowTermsFrozen")
          .withArgs(projectId, 12n);
      });

      it("still names the caller first when someone else tries", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 5n });
        await expect(p.escrow.connect(p.outsider).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowNotProjectManager")
          .withArgs(projectId, p.outsider.address);
      });
    });

    describe("when the project is no longer live", function () {
      it("refuses after cancellation (AidEscrowWrongProjectStatus(projectId, Funding, Cancelled))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId } = await createProject(p);
        await p.escrow.connect(p.manager).approveCancellation(projectId);
        await p.escrow.connect(p.reviewer).approveCancellation(projectId);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Cancelled);
      });

      it("refuses once the claim deadline has passed (AidEscrowWrongProjectStatus(projectId, Funding, Closed))", async function () {
        const p = await networkHelpers.loadFixture(deployProtocol);
        const { projectId, terms } = await createProject(p);
        await networkHelpers.time.increaseTo(terms.claimDeadline);
        await expect(p.escrow.connect(p.manager).updateTerms(projectId, await defaultTerms()))
          .to.be.revertedWithCustomError(p.escrow, "AidEscrowWrongProjectStatus")
          .withArgs(projectId, Status.Funding, Status.Closed);
      });
    });
  });
});

