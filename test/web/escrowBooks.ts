/**
 * The one fold of escrow and registry events (lib/books/escrow.ts) feeds both the dApp (viem events,
 * bigint arguments) and the audit CLI (ethers events or an exported JSON file, decimal strings). These
 * tests hold the two inputs to the same books, and the CLI's report layout and anomaly checks to what
 * the fold says.
 */
import { expect } from "chai";
import { buildEscrowBooks, type EscrowEvent } from "../../lib/books/escrow.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";

const A = "0x00000000000000000000000000000000000000A1";
const B = "0x00000000000000000000000000000000000000b2";
const O1 = "0x0000000000000000000000000000000000000011";
const O2 = "0x0000000000000000000000000000000000000022";
const H = "0x" + "aa".repeat(32);
const H2 = "0x" + "ab".repeat(32);
const C = "0x" + "cc".repeat(32);
const ZERO = "0x0000000000000000000000000000000000000000";

/** A project's life in viem's shape; `asJson` turns it into the audit's exported-file shape. */
function story(): EscrowEvent[] {
  let n = 0;
  const ev = (name: string, args: Record<string, unknown>, contract = "escrow"): EscrowEvent => ({
    contract,
    name,
    args,
    blockNumber: BigInt(++n),
    logIndex: 0,
    transactionHash: "0x" + n.toString(16).padStart(64, "0"),
    timestamp: 1000 + n,
  });
  const terms = { token: ZERO, category: C, region: C, metadataURI: "", conditions: [C], threshold: 2, amountPerTranche: 10n, trancheUnlockTimes: [200n], maxBeneficiaries: 5, fundingDeadline: 150n, claimDeadline: 400n, publicityWindow: 10 };
  // H is bound to B by two officials' signatures before everything else (block 0); H2 is never bound.
  const bound: EscrowEvent = { contract: "registry", name: "IdentityBound", args: { commitment: H, account: B, officials: [O1, O2] }, blockNumber: 0n, logIndex: 0, transactionHash: "0x" + "0".repeat(64), timestamp: 1000 };
  return [
    bound,
    ev("ConditionAttested", { commitment: H, conditionId: C, official: O1, expiry: 5000n, evidenceHash: C, score: 7 }, "registry"),
    ev("ConditionAttested", { commitment: H, conditionId: C, official: O2, expiry: 5000n, evidenceHash: C, score: 7 }, "registry"),
    ev("ProjectCreated", { projectId: 1n, manager: A, terms }),
    ev("Donated", { projectId: 1n, donor: A, amount: 30n, raised: 30n }),
    ev("Donated", { projectId: 1n, donor: B, amount: 10n, raised: 40n }),
    ev("BeneficiaryEnrolled", { projectId: 1n, commitment: H, official: O1, committedAmount: 20n, windowEndsAt: 110n, attesters: [O1] }),
    ev("AidClaimed", { projectId: 1n, commitment: H, recipient: B, trancheIndex: 0, amount: 10n }),
    ev("BeneficiaryExited", { projectId: 1n, commitment: H, officials: [O1, O2], reasonHash: C, releasedAmount: 10n }),
    ev("BeneficiaryEnrolled", { projectId: 1n, commitment: H, official: O2, committedAmount: 20n, windowEndsAt: 120n, attesters: [O1, O2] }),
    ev("AidClaimed", { projectId: 1n, commitment: H2, recipient: A, trancheIndex: 0, amount: 10n }),
    ev("AttestationRevoked", { commitment: H, conditionId: C, attester: O2, revokedBy: O1, reasonHash: C }, "registry"),
    ev("AidClaimed", { projectId: 1n, commitment: H, recipient: B, trancheIndex: 1, amount: 10n }),
    ev("ProjectCancelled", { projectId: 1n, refundPool: 10n }),
    ev("Refunded", { projectId: 1n, donor: A, amount: 7n }),
  ];
}

const asJson = (events: EscrowEvent[]) =>
  JSON.parse(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? (_k === "blockNumber" ? Number(v) : v.toString()) : v)));

describe("escrow books: one fold for the dApp and the audit", function () {
  it("gives the same books from bigint arguments and from decimal strings", function () {
    const fromViem = buildEscrowBooks(story());
    const fromFile = buildEscrowBooks(asJson(story()));
    const p = fromViem.projects.get("1")!;
    const q = fromFile.projects.get("1")!;
    expect([p.raised, p.claimed, p.refunded, p.held, p.committed, p.refundPool]).to.deep.equal([40n, 30n, 7n, 3n, 30n, 10n]);
    expect([q.raised, q.claimed, q.refunded, q.held, q.committed, q.refundPool]).to.deep.equal([40n, 30n, 7n, 3n, 30n, 10n]);
    expect(q.projectId).to.equal(1n);
    expect(q.terms.amountPerTranche).to.equal(10n);
    expect([...q.donors.values()].map((d) => [d.account, d.donated, d.refunded])).to.deep.equal([
      [A, 30n, 7n],
      [B, 10n, 0n],
    ]);
    expect(q.enrolmentHistory.map((b) => [b.enrolledBy, b.enrolledAmount, b.status, b.enrolledBlock])).to.deep.equal([
      [O1, 20n, "Exited", 6],
      [O2, 20n, "Enrolled", 9],
    ]);
    expect(q.payments.map((pay) => [pay.commitment, pay.attesters, pay.blockNumber])).to.deep.equal([
      [H, [O1], 7],
      [H2, undefined, 10],
      [H, [O1, O2], 12],
    ]);
    expect(q.households.get(H as `0x${string}`)!.claims.map((c) => c.trancheIndex)).to.deep.equal([0, 1]);
    // Each payment knows whom the registry had bound its household to then; an exit counts for each signer.
    expect(q.payments.map((pay) => pay.boundAccount)).to.deep.equal([B, undefined, B]);
    expect([O1, O2].map((o) => fromFile.officials.get(o.toLowerCase() as `0x${string}`)!.exits)).to.deep.equal([1, 1]);
    expect(fromFile.attestations.map((r) => [r.official, r.revoked, r.revokedBy])).to.deep.equal([
      [O1, false, undefined],
      [O2, true, O1],
    ]);
  });

  it("lays the fold out as the audit's books and flags what it paid outside the rules", async function () {
    await ensureGeneratedContracts();
    const { buildEscrowReport: buildBooks } = await import("../../lib/books/escrow-report.ts");
    const books = buildBooks(asJson(story()));
    const p = books.projects["1"];
    expect([p.raised, p.claimed, p.refunded, p.held, p.committed, p.refundPool, p.cancelled]).to.deep.equal(["40", "30", "7", "3", "30", "10", true]);
    expect(p.donors).to.deep.equal({ [A]: { donated: "30", refunded: "7" }, [B]: { donated: "10", refunded: "0" } });
    expect(p.enrolmentHistory.map((e) => [e.official, e.committed, e.status, p.enrolments[H] === e])).to.deep.equal([
      [O1, "20", "Exited", false],
      [O2, "20", "Enrolled", true],
    ]);
    expect(p.claims).to.deep.equal({ [H]: { recipient: B, tranches: [0, 1], amount: "20" }, [H2]: { recipient: A, tranches: [0], amount: "10" } });
    expect(p.refunds).to.deep.equal([{ donor: A, amount: "7", blockNumber: 14 }]);
    expect(books.officials).to.deep.equal({
      [O1]: { attestations: 1, revoked: [] },
      [O2]: { attestations: 1, revoked: [{ commitment: H, conditionId: C, revokedBy: O1, blockNumber: 11 }] },
    });
    // The first payment was under one attester of two; the second had no enrolment; the third was backed
    // by O2, whose attestation was revoked one block before.
    expect(books.anomalies.map((a) => [a.kind, a.severity, a.commitment])).to.deep.equal([
      ["under-attested-payment", "critical", H],
      ["payment-destination-unchecked", "warning", H2],
      ["claim-without-enrolment", "critical", H2],
      ["revoked-attestation-paid", "critical", H],
    ]);
  });

  it("flags a payment to any account but the one bound to the household at that moment (issue 11, item 16)", async function () {
    await ensureGeneratedContracts();
    const { buildEscrowReport: buildBooks } = await import("../../lib/books/escrow-report.ts");
    const events = asJson(story());
    // The household's phone is re-bound from B to A before its second payment, which still went to B.
    const at = events.findIndex((e: EscrowEvent) => e.name === "AttestationRevoked");
    events.splice(at, 0, { ...events[at], contract: "registry", name: "IdentityRebound", args: { commitment: H, oldAccount: B, newAccount: A } });
    const wrong = buildBooks(events).anomalies.filter((a) => a.kind === "payment-to-wrong-account");
    expect(wrong.map((a) => [a.severity, a.commitment, a.message])).to.deep.equal([
      ["critical", H, `Project 1 paid tranche 2 of household ${H} to ${B} (block 12), but the household's commitment was bound to ${A} then.`],
    ]);
    // Paid to the new account, it is where the money should go.
    const paidRight = events.map((e: EscrowEvent) => (e.name === "AidClaimed" && e.args.commitment === H && String(e.args.trancheIndex) === "1" ? { ...e, args: { ...e.args, recipient: A } } : e));
    expect(buildBooks(paidRight).anomalies.filter((a) => a.kind === "payment-to-wrong-account")).to.deep.equal([]);
  });

  it("flags a project that paid out more than it raised", async function () {
    await ensureGeneratedContracts();
    const { buildEscrowReport: buildBooks } = await import("../../lib/books/escrow-report.ts");
    const events = asJson(story()).filter((e: EscrowEvent) => !(e.name === "Donated" && e.args.donor === B));
    const books = buildBooks(events);
    expect(books.projects["1"].held).to.equal("-7");
    expect(books.anomalies.filter((a) => a.kind === "overdrawn-project").map((a) => a.message)).to.deep.equal([
      "Project 1 paid out 37 but raised only 30.",
    ]);
  });

  it("counts an official's attestation of a household and condition once, however often it is renewed (issue 9, item 9)", async function () {
    await ensureGeneratedContracts();
    const { buildEscrowReport } = await import("../../lib/books/escrow-report.ts");
    const events = story();
    const first = events.find((e) => e.name === "ConditionAttested")!;
    const renew = { ...first, args: { ...first.args, expiry: 9000n }, blockNumber: 100n, transactionHash: "0x" + "99".repeat(32) };
    const other = { ...first, args: { ...first.args, commitment: H2 }, blockNumber: 101n, transactionHash: "0x" + "98".repeat(32) };
    const all = [...events, renew, renew, other];
    const books = buildEscrowBooks(all);
    expect(books.attestations.filter((r) => r.official === O1)).to.have.length(4); // every event is kept
    expect(books.officials.get(O1.toLowerCase() as `0x${string}`)!.attestations).to.equal(2); // H and H2, not 4
    expect(buildEscrowReport(asJson(all)).officials[O1].attestations).to.equal(2);
  });

  it("names amounts in their token, households by pseudonym and tranches by number when given a describer (the audit CLI's warnings)", async function () {
    await ensureGeneratedContracts();
    const { buildEscrowReport } = await import("../../lib/books/escrow-report.ts");
    const { pseudonym } = await import("../../lib/format/text.ts");
    const describe = { amount: (token: string, v: bigint | string) => `${BigInt(v)} units of ${token.slice(0, 4)}`, household: (c: string) => `household-${pseudonym(c)}`, time: String };
    const raw = buildEscrowReport(asJson(story()));
    const told = buildEscrowReport(asJson(story()), describe);
    // The same anomalies, in the same order; only the words differ.
    expect(told.anomalies.map((a) => [a.kind, a.commitment])).to.deep.equal(raw.anomalies.map((a) => [a.kind, a.commitment]));
    const under = told.anomalies.find((a) => a.kind === "under-attested-payment")!;
    const noEnrolment = told.anomalies.find((a) => a.kind === "claim-without-enrolment")!;
    expect(under.message).to.equal(
      `Project 1 paid household household-${pseudonym(H)} 10 units of 0x00 (tranche 1) although its enrolment listed 1 attesters; 1 condition(s) x threshold 2 = 2 are required.`,
    );
    expect(noEnrolment.message).to.equal(`Project 1 paid household household-${pseudonym(H2)} 10 units of 0x00 with no enrolment on record.`);
    expect(raw.anomalies.find((a) => a.kind === "claim-without-enrolment")!.message).to.equal(`Project 1 paid household ${H2} 10 with no enrolment on record.`);
    for (const a of told.anomalies) expect(a.message).not.to.include(H).and.not.to.include(H2);
  });
});
