import { expect } from "chai";
import { ethers, networkHelpers, INCOME, SCHOOL, DAY, now } from "../helpers/fixtures.ts";
import type { AttestationInputStruct } from "../../types/ethers-contracts/contracts/AidRegistry.ts";
import { boundFixture, attestedFixture, ONE_YEAR, evidence, reason, minedAt, nextTxAt } from "./helpers.ts";

describe("AidRegistry attestations", function () {
  describe("attest", function () {
    it("stores the attestation and emits ConditionAttested with evidence and score", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const o = officials[2];
      const t = (await now()) + 10n;
      const expiry = t + ONE_YEAR;
      const ev = evidence("income-2026.pdf");
      await nextTxAt(t);
      await expect(registry.connect(o).attest(commitment, INCOME, expiry, ev, 42))
        .to.emit(registry, "ConditionAttested")
        .withArgs(commitment, INCOME, o.address, expiry, ev, 42);

      const a = await registry.attestation(commitment, INCOME, o.address);
      expect(a.expiry).to.equal(expiry);
      expect(a.attestedAt).to.equal(t);
      expect(a.score).to.equal(42n);
      expect(a.revoked).to.equal(false);
      // Only this (commitment, condition, attester) was written.
      expect((await registry.attestation(commitment, SCHOOL, o.address)).expiry).to.equal(0n);
      expect((await registry.attestation(commitment, INCOME, officials[0].address)).expiry).to.equal(0n);
    });

    it("accepts an expiry one second after now", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[0]).attest(commitment, INCOME, t + 1n, evidence("x"), 0))
        .to.emit(registry, "ConditionAttested")
        .withArgs(commitment, INCOME, officials[0].address, t + 1n, evidence("x"), 0);
    });

    it("rejects an expiry equal to now", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[0]).attest(commitment, INCOME, t, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryExpiryInPast")
        .withArgs(t, t);
    });

    it("rejects an expiry in the past, and zero", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      await expect(registry.connect(officials[0]).attest(commitment, INCOME, t - 1n, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryExpiryInPast")
        .withArgs(t - 1n, t);
      await nextTxAt(t + 1n);
      await expect(registry.connect(officials[0]).attest(commitment, INCOME, 0, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryExpiryInPast")
        .withArgs(0, t + 1n);
      expect((await registry.attestation(commitment, INCOME, officials[0].address)).expiry).to.equal(0n);
    });

    it("rejects a zero commitment or condition", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const expiry = (await now()) + ONE_YEAR;
      await expect(registry.connect(officials[0]).attest(ethers.ZeroHash, INCOME, expiry, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("commitment");
      await expect(registry.connect(officials[0]).attest(commitment, ethers.ZeroHash, expiry, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("conditionId");
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, admin, officials, reviewer, households, commitment } =
        await networkHelpers.loadFixture(boundFixture);
      const expiry = (await now()) + ONE_YEAR;
      for (const caller of [households[0], reviewer, admin]) {
        await expect(registry.connect(caller).attest(commitment, INCOME, expiry, evidence("x"), 0))
          .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
          .withArgs(caller.address);
      }
      await registry.connect(admin).removeOfficial(officials[0].address);
      await expect(registry.connect(officials[0]).attest(commitment, INCOME, expiry, evidence("x"), 0))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(officials[0].address);
      expect((await registry.official(officials[0].address)).attestations).to.equal(0n);
    });

    it("renews an existing attestation: new expiry, time and score", async function () {
      const { registry, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      const t = (await now()) + DAY;
      await nextTxAt(t);
      await expect(registry.connect(o).attest(commitment, INCOME, expiry + ONE_YEAR, evidence("renewal"), 55))
        .to.emit(registry, "ConditionAttested")
        .withArgs(commitment, INCOME, o.address, expiry + ONE_YEAR, evidence("renewal"), 55);
      const a = await registry.attestation(commitment, INCOME, o.address);
      expect(a.expiry).to.equal(expiry + ONE_YEAR);
      expect(a.attestedAt).to.equal(t);
      expect(a.score).to.equal(55n);
      expect(a.revoked).to.equal(false);
      expect((await registry.official(o.address)).attestations).to.equal(2n);
    });
  });

  describe("attestBatch", function () {
    async function rows(commitment: string, count: number): Promise<AttestationInputStruct[]> {
      const expiry = (await now()) + ONE_YEAR;
      const out: AttestationInputStruct[] = [];
      for (let i = 0; i < count; i++) {
        out.push({
          commitment: i === 0 ? commitment : ethers.id(`household-${i}`),
          conditionId: i % 2 === 0 ? INCOME : SCHOOL,
          expiry: expiry + BigInt(i),
          evidenceHash: evidence(`row-${i}`),
          score: 10 + i,
        });
      }
      return out;
    }

    it("stores every row, emits one event per row and counts them all", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const o = officials[1];
      const batch = await rows(commitment, 3);
      const tx = await registry.connect(o).attestBatch(batch);
      for (const r of batch) {
        await expect(tx)
          .to.emit(registry, "ConditionAttested")
          .withArgs(r.commitment, r.conditionId, o.address, r.expiry, r.evidenceHash, r.score);
      }
      const receipt = await tx.wait();
      const attested = receipt!.logs.filter((l) => registry.interface.parseLog(l)?.name === "ConditionAttested");
      expect(attested.length).to.equal(3);
      const at = await minedAt(tx);
      for (const r of batch) {
        const a = await registry.attestation(r.commitment, r.conditionId, o.address);
        expect(a.expiry).to.equal(r.expiry);
        expect(a.attestedAt).to.equal(at);
        expect(a.score).to.equal(BigInt(r.score));
        expect(a.revoked).to.equal(false);
      }
      expect((await registry.official(o.address)).attestations).to.equal(3n);
    });

    it("is all-or-nothing: one row with a past expiry reverts the batch and stores nothing", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const o = officials[1];
      const batch = await rows(commitment, 3);
      const t = (await now()) + 10n;
      batch[2] = { ...batch[2], expiry: t };
      await nextTxAt(t);
      await expect(registry.connect(o).attestBatch(batch))
        .to.be.revertedWithCustomError(registry, "AidRegistryExpiryInPast")
        .withArgs(t, t);
      for (const r of batch) {
        expect((await registry.attestation(r.commitment, r.conditionId, o.address)).expiry).to.equal(0n);
      }
      expect((await registry.official(o.address)).attestations).to.equal(0n);
    });

    it("is all-or-nothing: one row with a zero condition reverts the batch", async function () {
      const { registry, officials, commitment } = await networkHelpers.loadFixture(boundFixture);
      const o = officials[1];
      const batch = await rows(commitment, 3);
      batch[1] = { ...batch[1], conditionId: ethers.ZeroHash };
      await expect(registry.connect(o).attestBatch(batch))
        .to.be.revertedWithCustomError(registry, "AidRegistryZeroValue")
        .withArgs("conditionId");
      expect((await registry.attestation(batch[0].commitment, batch[0].conditionId, o.address)).expiry).to.equal(0n);
      expect((await registry.official(o.address)).attestations).to.equal(0n);
    });

    it("rejects a caller who is not a current official", async function () {
      const { registry, outsider, commitment } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(outsider).attestBatch(await rows(commitment, 2)))
        .to.be.revertedWithCustomError(registry, "AidRegistryNotOfficial")
        .withArgs(outsider.address);
    });

    it("accepts an empty batch without counting anything", async function () {
      const { registry, officials } = await networkHelpers.loadFixture(boundFixture);
      await expect(registry.connect(officials[0]).attestBatch([])).not.to.emit(registry, "ConditionAttested");
      expect((await registry.official(officials[0].address)).attestations).to.equal(0n);
    });
  });

  describe("revoke", function () {
    it("lets the attester revoke their own attestation", async function () {
      const { registry, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await expect(registry.connect(o).revoke(commitment, INCOME, o.address, reason("left poverty")))
        .to.emit(registry, "AttestationRevoked")
        .withArgs(commitment, INCOME, o.address, o.address, reason("left poverty"));
      const a = await registry.attestation(commitment, INCOME, o.address);
      expect(a.revoked).to.equal(true);
      expect(a.expiry).to.equal(expiry);
      expect((await registry.attestation(commitment, INCOME, officials[1].address)).revoked).to.equal(false);
    });

    it("lets a reviewer revoke anyone's attestation", async function () {
      const { registry, officials, reviewer, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, officials[1].address, reason("audit")))
        .to.emit(registry, "AttestationRevoked")
        .withArgs(commitment, INCOME, officials[1].address, reviewer.address, reason("audit"));
      expect((await registry.attestation(commitment, INCOME, officials[1].address)).revoked).to.equal(true);
    });

    it("lets a removed official still revoke their own attestation", async function () {
      const { registry, admin, officials, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await registry.connect(admin).removeOfficial(officials[0].address);
      await expect(registry.connect(officials[0]).revoke(commitment, INCOME, officials[0].address, reason("r")))
        .to.emit(registry, "AttestationRevoked")
        .withArgs(commitment, INCOME, officials[0].address, officials[0].address, reason("r"));
    });

    it("refuses anyone else, including another official, a manager and the admin", async function () {
      const { registry, officials, manager, admin, outsider, households, commitment } =
        await networkHelpers.loadFixture(attestedFixture);
      const attester = officials[0].address;
      for (const caller of [outsider, officials[1], manager, admin, households[0]]) {
        await expect(registry.connect(caller).revoke(commitment, INCOME, attester, reason("r")))
          .to.be.revertedWithCustomError(registry, "AidRegistryNotAttesterOrReviewer")
          .withArgs(caller.address, attester);
      }
      expect((await registry.attestation(commitment, INCOME, attester)).revoked).to.equal(false);
    });

    it("refuses to revoke an attestation that does not exist", async function () {
      const { registry, officials, reviewer, commitment } = await networkHelpers.loadFixture(attestedFixture);
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, officials[2].address, reason("r")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(commitment, INCOME, officials[2].address);
      await expect(registry.connect(officials[0]).revoke(commitment, SCHOOL, officials[0].address, reason("r")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationMissing")
        .withArgs(commitment, SCHOOL, officials[0].address);
    });

    it("refuses to revoke twice", async function () {
      const { registry, officials, reviewer, commitment } = await networkHelpers.loadFixture(attestedFixture);
      const attester = officials[0].address;
      await registry.connect(officials[0]).revoke(commitment, INCOME, attester, reason("r"));
      await expect(registry.connect(officials[0]).revoke(commitment, INCOME, attester, reason("again")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, attester);
      const other = officials[1].address;
      await registry.connect(reviewer).revoke(commitment, INCOME, other, reason("r"));
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, other, reason("again")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, other);
      expect((await registry.official(attester)).attestationsRevoked).to.equal(1n);
      expect((await registry.official(other)).attestationsRevoked).to.equal(1n);
      expect((await registry.official(reviewer.address)).revocations).to.equal(1n);
    });

    it("can be undone by re-attesting, which makes the condition hold again", async function () {
      const { registry, officials, commitment, attesters, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(o).revoke(commitment, INCOME, o.address, reason("mistake"));
      await expect(registry.verifyConditions(commitment, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, o.address);

      const newExpiry = expiry + DAY;
      await expect(registry.connect(o).attest(commitment, INCOME, newExpiry, evidence("re-check"), 60))
        .to.emit(registry, "ConditionAttested")
        .withArgs(commitment, INCOME, o.address, newExpiry, evidence("re-check"), 60);
      const a = await registry.attestation(commitment, INCOME, o.address);
      expect(a.revoked).to.equal(false);
      expect(a.expiry).to.equal(newExpiry);
      const [eligibleUntil] = await registry.verifyConditions(commitment, [INCOME], 2, attesters);
      expect(eligibleUntil).to.equal(expiry);
      // The revocation record stays.
      expect((await registry.official(o.address)).attestationsRevoked).to.equal(1n);
    });
  });

  describe("scenario: a reviewer's finding of fraud sticks", function () {
    it("bars the attester from re-attesting the same household and condition alone, at once", async function () {
      const { registry, officials, reviewer, commitment, attesters, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const fraudster = officials[1];
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, fraudster.address, reason("fraud")))
        .to.emit(registry, "AttestationRevoked")
        .withArgs(commitment, INCOME, fraudster.address, reviewer.address, reason("fraud"))
        .and.to.emit(registry, "AttesterBarred")
        .withArgs(commitment, INCOME, fraudster.address, reviewer.address);
      const a = await registry.attestation(commitment, INCOME, fraudster.address);
      expect(a.revoked).to.equal(true);
      expect(a.barred).to.equal(true);
      await expect(registry.connect(fraudster).attest(commitment, INCOME, expiry + DAY, evidence("again"), 70))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttesterBarred")
        .withArgs(commitment, INCOME, fraudster.address);
      await expect(
        registry.connect(fraudster).attestBatch([
          { commitment: ethers.id("someone else"), conditionId: INCOME, expiry, evidenceHash: evidence("b"), score: 1 },
          { commitment, conditionId: INCOME, expiry, evidenceHash: evidence("b"), score: 1 },
        ]),
      )
        .to.be.revertedWithCustomError(registry, "AidRegistryAttesterBarred")
        .withArgs(commitment, INCOME, fraudster.address);
      await expect(registry.verifyConditions(commitment, [INCOME], 2, attesters))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, fraudster.address);
    });

    it("bars only that (household, condition): the attester keeps attesting others", async function () {
      const { registry, officials, reviewer, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[1];
      await registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("fraud"));
      await expect(registry.connect(o).attest(commitment, SCHOOL, expiry, evidence("s"), 1)).to.emit(registry, "ConditionAttested");
      await expect(registry.connect(o).attest(ethers.id("another"), INCOME, expiry, evidence("i"), 1)).to.emit(
        registry,
        "ConditionAttested",
      );
      // Another official may still attest the household (k distinct officials are still needed).
      await expect(registry.connect(officials[2]).attest(commitment, INCOME, expiry, evidence("3"), 1)).to.emit(
        registry,
        "ConditionAttested",
      );
    });

    it("does not bar an attester who withdraws their own attestation", async function () {
      const { registry, officials, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await expect(registry.connect(o).revoke(commitment, INCOME, o.address, reason("left poverty"))).not.to.emit(
        registry,
        "AttesterBarred",
      );
      expect((await registry.attestation(commitment, INCOME, o.address)).barred).to.equal(false);
      await expect(registry.connect(o).attest(commitment, INCOME, expiry, evidence("back"), 1)).to.emit(registry, "ConditionAttested");
    });

    it("lets a reviewer bar an attestation its attester already withdrew, without counting a second revocation", async function () {
      const { registry, officials, reviewer, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[0];
      await registry.connect(o).revoke(commitment, INCOME, o.address, reason("withdrawn"));
      const epoch = (await registry.identity(commitment)).revocationEpoch;
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("fraud")))
        .to.emit(registry, "AttesterBarred")
        .withArgs(commitment, INCOME, o.address, reviewer.address)
        .and.not.to.emit(registry, "AttestationRevoked");
      expect((await registry.identity(commitment)).revocationEpoch).to.equal(epoch);
      expect((await registry.official(o.address)).attestationsRevoked).to.equal(1n);
      await expect(registry.connect(o).attest(commitment, INCOME, expiry, evidence("x"), 1))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttesterBarred")
        .withArgs(commitment, INCOME, o.address);
      // Barring twice is refused.
      await expect(registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("again")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttestationRevoked")
        .withArgs(commitment, INCOME, o.address);
    });

    it("lasts until a reviewer lifts it, after which the official may attest afresh", async function () {
      const { registry, officials, reviewer, commitment, expiry } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[1];
      await registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("fraud"));
      await expect(registry.connect(reviewer).liftBar(commitment, INCOME, o.address, reason("appeal upheld")))
        .to.emit(registry, "AttesterBarLifted")
        .withArgs(commitment, INCOME, o.address, reviewer.address, reason("appeal upheld"));
      const a = await registry.attestation(commitment, INCOME, o.address);
      expect(a.barred).to.equal(false);
      expect(a.revoked).to.equal(true);
      await expect(registry.connect(o).attest(commitment, INCOME, expiry, evidence("re-checked"), 1)).to.emit(
        registry,
        "ConditionAttested",
      );
      await expect(registry.connect(reviewer).liftBar(commitment, INCOME, o.address, reason("again")))
        .to.be.revertedWithCustomError(registry, "AidRegistryAttesterNotBarred")
        .withArgs(commitment, INCOME, o.address);
    });

    it("can be lifted only by a reviewer", async function () {
      const { registry, officials, reviewer, admin, commitment } = await networkHelpers.loadFixture(attestedFixture);
      const o = officials[1];
      await registry.connect(reviewer).revoke(commitment, INCOME, o.address, reason("fraud"));
      const role = await registry.REVIEWER_ROLE();
      for (const caller of [o, officials[0], admin]) {
        await expect(registry.connect(caller).liftBar(commitment, INCOME, o.address, reason("x")))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role);
      }
    });
  });
});
