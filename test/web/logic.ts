import { expect } from "chai";
import { keccak256, toBytes } from "viem";
import { CONDITIONS, CONDITION_BY_ID, CONDITION_NAMES, conditionId, conditionKey, conditionLabel } from "../../lib/registry/conditions.ts";
import { decodeSignedClaim, encodeSignedClaim, type SignedEscrowClaim } from "../../lib/escrow/claim-payload.ts";
import { validateTerms, type TermsForm } from "../../lib/escrow/terms.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";

describe("the conditions catalogue (lib/registry/catalogue.ts)", function () {
  it("writes out each id as keccak256 of its name, and maps ids back to names", function () {
    expect(CONDITIONS.length).to.equal(7);
    for (const c of CONDITIONS) {
      expect(c.id, c.name).to.equal(keccak256(toBytes(c.name)));
      expect(conditionId(c.name)).to.equal(c.id);
      expect(CONDITION_BY_ID[c.id]).to.equal(c.name);
      expect(conditionLabel(c.id.toUpperCase().replace("0X", "0x"))).to.equal(c.name);
    }
    expect(CONDITION_NAMES).to.deep.equal(CONDITIONS.map((c) => c.name));
    expect(conditionLabel("0x" + "12".repeat(32))).to.equal("0x" + "12".repeat(32));
  });
  it("gives the catalogue key of an id, and nothing for unknown ids", function () {
    expect(conditionKey(conditionId("household.disability"))).to.equal("disability");
    expect(conditionKey("0x" + "12".repeat(32))).to.equal(undefined);
  });
});

describe("signed claim payload", function () {
  const claim: SignedEscrowClaim = {
    chainId: 31337,
    escrow: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    signature: ("0x" + "ab".repeat(65)) as `0x${string}`,
    request: {
      projectId: 1n,
      commitment: ("0x" + "cd".repeat(32)) as `0x${string}`,
      trancheIndex: 2,
      recipient: "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
      amount: 10n ** 18n,
      nonce: 0n,
      deadline: 1_800_000_000n,
    },
  };
  it("round-trips through a URL-safe string", function () {
    const s = encodeSignedClaim(claim);
    expect(s).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeSignedClaim(s)).to.deep.equal(claim);
  });
  it("refuses garbage and tampered fields with a reason", function () {
    expect(() => decodeSignedClaim("not-base64!")).to.throw(RangeError);
    const bad = Buffer.from(JSON.stringify([1, 31337, "0x12", "1", claim.request.commitment, 0, claim.request.recipient, "1", "0", "1", claim.signature])).toString("base64url");
    expect(() => decodeSignedClaim(bad)).to.throw(RangeError, "escrow");
    const badIndex = Buffer.from(JSON.stringify([1, 31337, claim.escrow, "1", claim.request.commitment, 256, claim.request.recipient, "1", "0", "1", claim.signature])).toString("base64url");
    expect(() => decodeSignedClaim(badIndex)).to.throw(RangeError, "trancheIndex");
  });
});

describe("create-project validation", function () {
  const now = 1_800_000_000;
  const day = (d: number) => new Date((now + d * 86400) * 1000).toISOString().slice(0, 10);
  const limits = { now, maxConditions: 8, maxThreshold: 5, maxTranches: 12 };
  const good: TermsForm = {
    token: "ETH",
    decimals: 18,
    title: "School meals",
    category: "education",
    region: "cn-gz-leishan-dx",
    conditions: ["household.child-in-school"],
    threshold: "2",
    amountPerTranche: "0.2",
    unlockDates: [day(40), day(130)],
    maxBeneficiaries: "40",
    fundingDeadline: day(30),
    claimDeadline: day(300),
    publicityWindowDays: "7",
  };
  it("builds the terms the contract expects from a valid form", function () {
    const { problems, terms } = validateTerms(good, limits);
    expect(problems).to.deep.equal([]);
    expect(terms!.amountPerTranche).to.equal(2n * 10n ** 17n);
    expect(terms!.publicityWindow).to.equal(7 * 86400);
    expect(terms!.trancheUnlockTimes).to.have.length(2);
    expect(terms!.token).to.equal("0x0000000000000000000000000000000000000000");
  });
  it("reports every broken rule on its field", function () {
    const { problems, terms } = validateTerms(
      {
        ...good,
        title: "",
        region: "x".repeat(40),
        conditions: [],
        threshold: "9",
        amountPerTranche: "0",
        unlockDates: [day(50), day(40), day(400)],
        fundingDeadline: day(-1),
        claimDeadline: day(300),
        publicityWindowDays: "0",
      },
      limits,
    );
    expect(terms).to.equal(undefined);
    expect(problems.map((p) => `${p.field}:${p.key}`)).to.deep.equal([
      "title:title",
      "region:tooLong",
      "conditions:conditionCount",
      "threshold:threshold",
      "amountPerTranche:amount",
      "fundingDeadline:fundingPast",
      "unlockDates:unlockOrder",
      "unlockDates:unlockAfterClaim",
      "publicityWindowDays:window",
    ]);
  });
  it("reads a comma decimal in the amount per tranche and refuses one that could mean two amounts", function () {
    expect(validateTerms({ ...good, amountPerTranche: "0,2" }, limits).terms!.amountPerTranche).to.equal(2n * 10n ** 17n);
    const { problems, terms } = validateTerms({ ...good, amountPerTranche: "1,200" }, limits);
    expect(terms).to.equal(undefined);
    expect(problems.map((p) => `${p.field}:${p.key}`)).to.deep.equal(["amountPerTranche:amountAmbiguous"]);
  });
  it("refuses claims ending before donations and too many tranches", function () {
    const { problems } = validateTerms({ ...good, claimDeadline: day(20), unlockDates: Array.from({ length: 13 }, (_, i) => day(31 + i)) }, limits);
    expect(problems.map((p) => p.key)).to.include.members(["claimBeforeFunding", "trancheCount"]);
  });
});

describe("browser ledger", function () {
  let L: typeof import("../../lib/escrow/events.ts");
  before(async function () {
    await ensureGeneratedContracts();
    L = await import("../../lib/escrow/events.ts");
  });
  const A = "0x00000000000000000000000000000000000000a1";
  const B = "0x00000000000000000000000000000000000000b2";
  const O1 = "0x0000000000000000000000000000000000000011";
  const O2 = "0x0000000000000000000000000000000000000022";
  const H = ("0x" + "aa".repeat(32)) as `0x${string}`;
  const C = ("0x" + "cc".repeat(32)) as `0x${string}`;
  let n = 0;
  const ev = (name: string, args: Record<string, unknown>, timestamp = 100, contract: "escrow" | "registry" = "escrow") => ({
    contract,
    name,
    args,
    blockNumber: BigInt(++n),
    logIndex: 0,
    transactionHash: "0x01" as `0x${string}`,
    timestamp,
  });
  const terms = {
    token: "0x0000000000000000000000000000000000000000",
    category: "0x" + "00".repeat(32),
    region: "0x" + "00".repeat(32),
    metadataURI: "",
    conditions: [C],
    threshold: 2,
    amountPerTranche: 10n,
    trancheUnlockTimes: [200n, 300n],
    maxBeneficiaries: 5,
    fundingDeadline: 150n,
    claimDeadline: 400n,
    publicityWindow: 10,
  };
  const story = () => [
    ev("OfficialAdded", { account: O1, admin: A }, 1, "registry"),
    ev("OfficialAdded", { account: O2, admin: A }, 1, "registry"),
    ev("ConditionAttested", { commitment: H, conditionId: C, official: O2, expiry: 1000n, evidenceHash: C, score: 7 }, 5, "registry"),
    ev("ConditionAttested", { commitment: H, conditionId: C, official: O1, expiry: 1000n, evidenceHash: C, score: 7 }, 5, "registry"),
    ev("ProjectCreated", { projectId: 1n, manager: A, terms }),
    ev("Donated", { projectId: 1n, donor: A, amount: 30n, raised: 30n }),
    ev("Donated", { projectId: 1n, donor: B, amount: 10n, raised: 40n }),
    ev("BeneficiaryEnrolled", { projectId: 1n, commitment: H, official: O1, committedAmount: 20n, windowEndsAt: 110n, attesters: [O1, O2] }, 100),
    ev("AidClaimed", { projectId: 1n, commitment: H, recipient: B, trancheIndex: 0, amount: 10n }, 250),
    ev("ProjectCancelled", { projectId: 1n, refundPool: 30n }, 260),
    ev("Refunded", { projectId: 1n, donor: A, amount: 22n }, 270),
  ];

  it("folds events into books that conserve money", function () {
    const l = L.buildEscrowBooks(story() as never);
    const p = l.projects.get("1")!;
    expect([p.raised, p.claimed, p.refunded, p.held]).to.deep.equal([40n, 10n, 22n, 8n]);
    expect(p.raised).to.equal(p.claimed + p.refunded + p.held);
    expect(p.cancelledAt).to.equal(260);
    expect(L.heldByToken(l).get("0x0000000000000000000000000000000000000000")).to.equal(8n);
    expect(l.officials.get(O1)!.enrolments).to.equal(1);
  });
  it("splits a donor's money pro rata between households, refunds and what is held", function () {
    const p = L.buildEscrowBooks(story() as never).projects.get("1")!;
    expect(L.donorAllocation(p, A as `0x${string}`)).to.deep.equal({ donated: 30n, toHouseholds: 7n, refunded: 22n, held: 1n });
  });
  it("builds an ascending attester proof from valid attestations only", function () {
    const l = L.buildEscrowBooks(story() as never);
    expect(L.buildAttesterProof(l, H, [C], 2, 500)).to.deep.equal([O1, O2]);
    expect(L.buildAttesterProof(l, H, [C], 2, 1000), "expired at 1000 (half-open)").to.equal(undefined);
    const revoked = L.buildEscrowBooks([...story(), ev("AttestationRevoked", { commitment: H, conditionId: C, attester: O2, revokedBy: O2, reasonHash: C }, 300, "registry")] as never);
    expect(L.buildAttesterProof(revoked, H, [C], 2, 500)).to.equal(undefined);
    expect(revoked.officials.get(O2)!.revokedOfTheirs).to.equal(1);
  });
  it("counts an upheld objection against every attester of the enrolment", function () {
    const l = L.buildEscrowBooks([
      ...story().slice(0, 8),
      ev("ObjectionRaised", { projectId: 1n, commitment: H, objector: B, reasonHash: C }, 105),
      ev("ObjectionRuled", { projectId: 1n, commitment: H, reviewer: A, upheld: true, releasedAmount: 20n }, 120),
    ] as never);
    const b = l.projects.get("1")!.households.get(H)!;
    expect(b.status).to.equal("Removed");
    expect(b.objections[0].ruled).to.deep.equal({ upheld: true, reviewer: A, at: 120 });
    expect(l.projects.get("1")!.committed).to.equal(0n);
    expect([l.officials.get(O1)!.upheldAgainst, l.officials.get(O2)!.upheldAgainst]).to.deep.equal([1, 1]);
  });
});
