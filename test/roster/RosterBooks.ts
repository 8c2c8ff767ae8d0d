/**
 * The roster books fold (lib/books/roster.ts) over crafted event lists: a clean programme balances with
 * the expected figures, and each anomaly is triggered on its own and asserted with its values. The
 * roster files are real `roster build` output (proofs and tree files), opened by lib/roster/audit-files.ts;
 * the published content hash is the proofs file's sha256.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { buildRosterBooks, rosterFileKey, type RosterBooksContext, type RosterEvent } from "../../lib/books/roster.ts";
import { openRosterFile } from "../../lib/roster/audit-files.ts";
import { rosterLeafHash } from "../../lib/roster/leaf.ts";
import { RosterParser, buildRosterTree, encodeProofsFile, encodeTreeFile, keccak256Hasher, toHex, type RosterRows } from "../../lib/roster/index.ts";

const FACTORY = "0x00000000000000000000000000000000000fac70";
const P = "0x000000000000000000000000000000000000a11d";
const MANAGER = "0x000000000000000000000000000000000000aa01";
const REVIEWER = "0x000000000000000000000000000000000000aa02";
const D1 = "0x000000000000000000000000000000000000d001";
const D2 = "0x000000000000000000000000000000000000d002";
const [A, B, C, D] = ["0x1000000000000000000000000000000000000001", "0x2000000000000000000000000000000000000002", "0x3000000000000000000000000000000000000003", "0x4000000000000000000000000000000000000004"];
const LEAVES: [bigint, string, bigint][] = [
  [0n, A, 100n],
  [1n, B, 100n],
  [2n, C, 50n],
  [3n, D, 50n],
];

function concat(parts: Iterable<Uint8Array>): Uint8Array {
  const list = [...parts].map((p) => p.slice());
  const out = new Uint8Array(list.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of list) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `tamper` may change the parsed rows before the tree is built (e.g. a duplicate index the CSV check refuses). */
async function rosterFiles(leaves: [bigint, string, bigint][], tamper?: (rows: RosterRows) => void) {
  const keccak = await keccak256Hasher();
  const parser = new RosterParser(keccak, { decimals: 0 });
  parser.push(`index,beneficiary,amount\n${leaves.map(([i, a, x]) => `${i},${a},${x}`).join("\n")}\n`);
  const parsed = parser.finish();
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  tamper?.(parsed.rows);
  const tree = buildRosterTree(parsed.rows, keccak);
  const treeBytes = concat(encodeTreeFile(tree));
  const proofsBytes = concat(encodeProofsFile(tree));
  const sha = (b: Uint8Array) => `0x${createHash("sha256").update(b).digest("hex")}`;
  return {
    root: tree.root,
    contentHash: sha(proofsBytes),
    proofsBytes,
    tree: openRosterFile(treeBytes, sha(treeBytes), "roster.tree", keccak),
    proofs: openRosterFile(proofsBytes, sha(proofsBytes), "roster.proofs", keccak),
    open: (bytes: Uint8Array, source: string) => openRosterFile(bytes, sha(bytes), source, keccak),
  };
}

const roster = await rosterFiles(LEAVES);
const other = await rosterFiles([[0n, A, 100n], [1n, B, 100n]]);

let log = 0;
const ev = (name: string, blockNumber: number, timestamp: number, args: Record<string, unknown>, address = P): RosterEvent => ({
  address,
  name,
  blockNumber,
  logIndex: log++,
  transactionHash: `0x${blockNumber.toString(16).padStart(64, "0")}`,
  timestamp,
  args,
});
const claimed = (block: number, t: number, index: number, tranche: number, account = LEAVES[index][1], amount = LEAVES[index][2]) =>
  ev("Claimed", block, t, { account, index: String(index), tranche: String(tranche), amount: String(amount) });

/**
 * A two-tranche ETH programme: 1,000 raised from two donors, roster v1 (4 leaves, 300 per tranche) approved
 * with claims opening at 1700, leaf 3 objected to and excluded (100 released), four claims (350), then
 * cancellation at 3500 and both donors refunded their share of the 650 left: nothing is held.
 */
function cleanEvents(): RosterEvent[] {
  log = 0;
  return [
    ev(
      "ProgrammeCreated",
      1,
      1000,
      {
        id: "1",
        programme: P,
        manager: MANAGER,
        terms: {
          token: "0x0000000000000000000000000000000000000000",
          category: "0x65647563",
          region: "0x636e",
          metadataURI: "ipfs://programme",
          trancheUnlockTimes: ["2000", "3000"],
          fundingDeadline: "1500",
          claimDeadline: "5000",
          publicityWindow: "100",
          threshold: "2",
        },
      },
      FACTORY,
    ),
    ev("Donated", 2, 1100, { donor: D1, amount: "600", raised: "600" }),
    ev("Donated", 3, 1110, { donor: D2, amount: "400", raised: "1000" }),
    ev("RosterPublished", 4, 1200, { version: "1", root: roster.root, leafCount: "4", rosterTotal: "600", uri: "https://example.org/roster.tree", contentHash: roster.contentHash }),
    ev("RootApproved", 5, 1600, { version: "1", root: roster.root, officials: [A, B], claimsOpenAt: "1700" }),
    ev("ObjectionRaised", 6, 1650, { version: "1", index: "3", objector: C, reasonHash: `0x${"11".repeat(32)}` }),
    ev("ObjectionRuled", 7, 1660, { version: "1", index: "3", reviewer: REVIEWER, upheld: true, releasedAmount: "100" }),
    claimed(8, 2000, 0, 0),
    claimed(9, 2001, 1, 0),
    ev("ClaimSkipped", 9, 2001, { index: "1", tranche: "0" }),
    claimed(10, 2002, 2, 0),
    claimed(11, 3000, 0, 1),
    ev("CancellationApproved", 12, 3400, { approver: MANAGER, asReviewer: false }),
    ev("CancellationApproved", 13, 3500, { approver: REVIEWER, asReviewer: true }),
    ev("ProgrammeCancelled", 13, 3500, { cancelledAt: "3500" }),
    ev("Refunded", 14, 3600, { donor: D1, amount: "390" }),
    ev("Refunded", 15, 3601, { donor: D2, amount: "260" }),
  ];
}

const context = (over: Partial<RosterBooksContext> = {}): RosterBooksContext => ({
  factory: FACTORY,
  auditedAt: 4000,
  balances: { [P]: 0n },
  views: { [P]: { raised: "1000", refunded: "650", rosterTotal: "500", donors: 2 } },
  files: { [rosterFileKey(P, 1)]: roster.proofs },
  ...over,
});

/** The anomalies of one kind as [severity, message]. */
const kinds = (books: ReturnType<typeof buildRosterBooks>, kind: string) =>
  books.anomalies.filter((a) => a.kind === kind).map((a) => [a.severity, a.message]);

/** Inserts events after the event at `position` of the clean list (block numbers keep chain order). */
function withInserted(position: number, ...extra: RosterEvent[]): RosterEvent[] {
  const events = cleanEvents();
  const anchor = events[position];
  extra.forEach((e, i) => Object.assign(e, { blockNumber: anchor.blockNumber, logIndex: anchor.logIndex + 0.1 * (i + 1) }));
  return [...events, ...extra];
}

describe("roster books (lib/books/roster.ts)", function () {
  describe("a clean programme", function () {
    it("balances, with every figure rebuilt from the events", function () {
      const books = buildRosterBooks(cleanEvents(), context());
      expect(books.anomalies).to.deep.equal([]);
      expect(books.verdict).to.equal("balanced");
      const [p] = books.programmes;
      expect(p).to.include({ programme: P, id: "1", manager: MANAGER, status: "Cancelled", verdict: "balanced", balanceChecked: true, skippedInBatches: 1 });
      expect([p.raised, p.claimed, p.refunded, p.held, p.heldByEvents, p.surplus]).to.deep.equal([1000n, 350n, 650n, 0n, 0n, 0n]);
      expect(p.donors[D1.toLowerCase()]).to.deep.equal({ donated: 600n, refunded: 390n });
      const [v] = p.versions;
      expect(v).to.deep.include({ version: 1, root: roster.root, leafCount: 4, rosterTotal: 600n, rosterTotalNow: 500n, contentHash: roster.contentHash, claims: 4, claimed: 350n, upheldIndexes: ["3"] });
      expect(v.approval).to.deep.include({ claimsOpenAt: 1700, officials: [A, B] });
      expect(v.file).to.deep.equal({ status: "checked", detail: "roster.proofs", contentHashMatches: true, claimsChecked: 4, claimsNotLeaves: 0 });
      expect(p.objections).to.have.length(1);
      expect(p.objections[0].ruling).to.deep.include({ upheld: true, releasedAmount: 100n });
      expect(p.cancellation.cancelledAt).to.equal(3500);
      expect(p.claims.map((c) => [c.version, c.index, c.tranche])).to.deep.equal([[1, 0n, 0], [1, 1n, 0], [1, 2n, 0], [1, 0n, 1]]);
    });

    it("gives the same books from bigint arguments (viem) as from decimal strings (an event file)", function () {
      const asBigints = cleanEvents().map((e) => ({
        ...e,
        args: Object.fromEntries(Object.entries(e.args).map(([k, v]) => [k, typeof v === "string" && /^\d+$/.test(v) ? BigInt(v) : v])),
      }));
      const a = buildRosterBooks(asBigints, context());
      const b = buildRosterBooks(cleanEvents(), context());
      expect(a.programmes[0].claims).to.deep.equal(b.programmes[0].claims);
      expect(a.verdict).to.equal("balanced");
    });

    it("checks membership with the tree file as well as with the proofs file", function () {
      const books = buildRosterBooks(cleanEvents(), context({ files: { [rosterFileKey(P, 1)]: roster.tree } }));
      expect(books.programmes[0].versions[0].file).to.include({ status: "checked", claimsChecked: 4, claimsNotLeaves: 0 });
      // A tree file's own hash is not the content hash (that is the proofs file's).
      expect(kinds(books, "content-hash-mismatch")).to.have.length(1);
    });

    it("says membership was not checked when the file is unavailable, and is unbalanced without a balance", function () {
      const unavailable = buildRosterBooks(cleanEvents(), context({ files: { [rosterFileKey(P, 1)]: { unavailable: "https://example.org/roster.tree: timed out after 10 s" } } }));
      expect(unavailable.programmes[0].versions[0].file).to.deep.equal({ status: "not checked", detail: "https://example.org/roster.tree: timed out after 10 s" });
      expect(unavailable.verdict).to.equal("balanced");
      const noFiles = buildRosterBooks(cleanEvents(), context({ files: undefined }));
      expect(noFiles.programmes[0].versions[0].file.status).to.equal("not checked");
      const noBalance = buildRosterBooks(cleanEvents(), context({ balances: undefined }));
      expect(noBalance.programmes[0]).to.include({ balanceChecked: false, verdict: "unbalanced" });
      expect(noBalance.verdict).to.equal("unbalanced");
    });
  });

  describe("conservation", function () {
    it("flags a balance below raised - claimed - refunded as not conserved", function () {
      const events = cleanEvents().filter((e) => !(e.name === "Refunded" && e.args.donor === D2));
      const books = buildRosterBooks(events, context({ balances: { [P]: 259n } }));
      expect(kinds(books, "not-conserved")).to.deep.equal([["critical", "The programme holds 259, but raised 1000 - claimed 350 - refunded 390 = 260."]]);
      expect(books.verdict).to.equal("unbalanced");
    });

    it("reports money beyond the events as a surplus (a warning), still balanced", function () {
      const books = buildRosterBooks(cleanEvents(), context({ balances: { [P.toUpperCase().replace("0X", "0x")]: 7n } }));
      expect(books.programmes[0]).to.include({ held: 7n, surplus: 7n, verdict: "balanced" });
      expect(kinds(books, "surplus")).to.deep.equal([["warning", "The programme holds 7 more than its events account for (money sent outside donations)."]]);
    });

    it("flags payments above what was raised", function () {
      const books = buildRosterBooks(withInserted(10, claimed(0, 3001, 1, 1, B, 1000n)), context());
      expect(kinds(books, "overdrawn")).to.deep.equal([["critical", "Paid out 1350 in claims and 650 in refunds but raised only 1000."]]);
    });

    it("names amounts in the programme's token and times in UTC when given a describer (the audit CLI's warnings, issue 9, item 9)", function () {
      const describe = { amount: (_token: string, v: bigint | string) => `${BigInt(v) / 100n} tUSD`, household: (c: string) => c, time: (s: number) => `t+${s}` };
      const overdrawn = buildRosterBooks(withInserted(10, claimed(0, 3001, 1, 1, B, 1000n)), context({ describe }));
      expect(kinds(overdrawn, "overdrawn")).to.deep.equal([["critical", "Paid out 13 tUSD in claims and 6 tUSD in refunds but raised only 10 tUSD."]]);
      const early = buildRosterBooks(withInserted(6, claimed(0, 1699, 1, 1)), context({ describe, views: undefined, balances: undefined }));
      expect(kinds(early, "claim-outside-window")[0][1]).to.equal("Programme paid leaf 1 tranche 1 at block time t+1699, but claims under v1 open at t+1700.");
    });

    it("flags the programme's own ledger view disagreeing with the events", function () {
      const books = buildRosterBooks(cleanEvents(), context({ views: { [P]: { raised: "1001", refunded: "650", rosterTotal: "600", donors: 3n } } }));
      expect(kinds(books, "view-mismatch").map(([, m]) => m)).to.deep.equal([
        "raised: events say 1000, the programme says 1001.",
        "rosterTotal: events say 500, the programme says 600.",
        "donors: events say 2, the programme says 3.",
      ]);
    });
  });

  describe("publication", function () {
    it("flags a roster total above what was raised", function () {
      const events = cleanEvents();
      events[3].args.rosterTotal = "1200";
      const books = buildRosterBooks(events, context({ files: undefined, views: undefined }));
      expect(kinds(books, "over-commitment")).to.deep.equal([["critical", "Roster v1 commits 1200 but only 1000 was raised."]]);
    });
  });

  describe("claims", function () {
    it("flags claims beyond the roster total of their version (after upheld releases), once", function () {
      const events = cleanEvents();
      events[3].args.rosterTotal = "300"; // 200 after leaf 3's 100 is released; the third claim crosses it
      const books = buildRosterBooks(events, context({ files: undefined, views: undefined }));
      expect(kinds(books, "claim-over-roster-total")).to.deep.equal([["critical", "Claims under roster v1 reach 250, above its roster total 200."]]);
    });

    it("flags a (version, index, tranche) paid twice", function () {
      const books = buildRosterBooks(withInserted(10, claimed(0, 2003, 2, 0)), context({ views: undefined, balances: { [P]: 0n } }));
      expect(kinds(books, "double-claim")).to.deep.equal([["critical", "Roster v1 paid leaf 2 tranche 0 twice."]]);
      const a = books.anomalies.find((x) => x.kind === "double-claim")!;
      expect(a).to.include({ version: 1, index: "2", tranche: 0, programme: P });
    });

    it("flags an (index, tranche) paid under two versions, and the root replaced after claims opened", function () {
      const books = buildRosterBooks(
        withInserted(
          10,
          ev("RosterPublished", 0, 2100, { version: "2", root: other.root, leafCount: "2", rosterTotal: "400", uri: "u", contentHash: other.contentHash }),
          ev("RootApproved", 0, 2100, { version: "2", root: other.root, officials: [A, B], claimsOpenAt: "2200" }),
          claimed(0, 2200, 0, 0),
        ),
        context({ views: undefined, files: { [rosterFileKey(P, 1)]: roster.tree, [rosterFileKey(P, 2)]: other.tree } }),
      );
      expect(kinds(books, "root-replaced-after-open")).to.deep.equal([["critical", "Roster v2 replaced v1 after its claims opened at 1700 (block time 2100)."]]);
      expect(kinds(books, "claim-across-versions")).to.deep.equal([["critical", "Leaf 0 tranche 0 was paid under roster v1 and again under v2."]]);
      expect(books.programmes[0].versions.map((v) => [v.version, v.claims])).to.deep.equal([[1, 3], [2, 2]]);
    });

    it("flags claims before the window ends, before the tranche unlocks, and after cancellation", function () {
      const books = buildRosterBooks(
        withInserted(6, claimed(0, 1699, 1, 1), claimed(0, 2500, 2, 1)).concat(ev("Claimed", 13, 3500, { account: A, index: "0", tranche: "0", amount: "0" })),
        context({ views: undefined, balances: undefined }),
      );
      expect(kinds(books, "claim-outside-window").map(([, m]) => m)).to.deep.equal([
        "Programme paid leaf 1 tranche 1 at block time 1699, but claims under v1 open at 1700.",
        "Programme paid leaf 2 tranche 1 at block time 2500, but tranche 1 unlocks at 3000.",
        "Programme paid leaf 0 tranche 0 at block time 3500, but claims closed at 3500 (cancellation).",
      ]);
    });

    it("flags a claim under a roster that was never approved", function () {
      const events = cleanEvents().filter((e) => e.name !== "RootApproved");
      const books = buildRosterBooks(events, context({ views: undefined }));
      expect(kinds(books, "claim-outside-window")).to.have.length(4);
      expect(kinds(books, "claim-outside-window")[0][1]).to.equal("Programme paid leaf 0 tranche 0 at block time 2000, but roster v1 was never approved.");
    });

    it("flags a claim of an excluded leaf and of a held leaf", function () {
      const excluded = buildRosterBooks(withInserted(10, claimed(0, 2003, 3, 0)), context({ views: undefined, balances: undefined }));
      expect(kinds(excluded, "claim-of-excluded-leaf")).to.deep.equal([["critical", "Programme paid leaf 3 tranche 0 of roster v1, whose objection was upheld."]]);
      const pendingEvents = withInserted(10, claimed(0, 2003, 3, 0)).filter((e) => e.name !== "ObjectionRuled");
      const held = buildRosterBooks(pendingEvents, context({ views: undefined, balances: undefined }));
      expect(kinds(held, "claim-of-held-leaf")).to.deep.equal([["critical", "Programme paid leaf 3 tranche 0 of roster v1 while an objection held it."]]);
    });

    for (const kind of ["tree", "proofs"] as const) {
      it(`flags a Claimed (index, account, amount) that is not a leaf of the published ${kind} file`, function () {
        const events = cleanEvents();
        const claim = events.find((e) => e.name === "Claimed" && e.args.index === "1")!;
        claim.args.account = C; // leaf 1 is B's: the money went to someone else
        const books = buildRosterBooks(events, context({ views: undefined, balances: undefined, files: { [rosterFileKey(P, 1)]: roster[kind] } }));
        expect(kinds(books, "claim-not-a-leaf")).to.deep.equal([["critical", `Claimed (index 1, ${C}, 100) is not a leaf of roster v1 (roster.${kind}).`]]);
        expect(books.programmes[0].versions[0].file).to.include({ status: "checked", claimsChecked: 4, claimsNotLeaves: 1 });
      });
    }

    it("uses the StandardMerkleTree leaf hash", async function () {
      // keccak256(keccak256(abi.encode(uint256, address, uint256))) of leaf 0 is a node of the tree file.
      const keccak = await keccak256Hasher();
      const leaf = toHex(rosterLeafHash(0n, A, 100n, keccak));
      const { ethers } = await import("ethers");
      const encoded = ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint256"], [0n, A, 100n]);
      expect(leaf).to.equal(ethers.keccak256(ethers.keccak256(encoded)));
      expect(roster.tree.isLeaf(0n, A, 100n)).to.equal(true);
      expect(roster.tree.isLeaf(0n, A, 101n)).to.equal(false);
      expect(roster.tree.isLeaf(9n, A, 100n)).to.equal(false);
    });
  });

  describe("leaf changes after claims opened (a lost phone, an exit, a finding)", function () {
    const E = "0x5000000000000000000000000000000000000005";
    const REASON = `0x${"22".repeat(32)}`;
    const change = (index: number, kind: number, newAccount: string, withheldAmount: bigint) =>
      ev("LeafChangeRequested", 11, 3000, { version: "1", index: String(index), kind, newAccount, officials: [A, B], reasonHash: REASON, effectiveAt: "3200", withheldAmount: String(withheldAmount) });

    it("takes what an exit withholds out of the roster total, as the programme's view does", function () {
      const exit = withInserted(11, change(2, 1, "0x0000000000000000000000000000000000000000", 50n));
      const books = buildRosterBooks(exit, context({ views: { [P]: { raised: "1000", refunded: "650", rosterTotal: "450", donors: 2 } } }));
      expect(kinds(books, "view-mismatch")).to.deep.equal([]);
      const [p] = books.programmes;
      expect(p.versions[0].rosterTotalNow).to.equal(450n);
      expect(p.leafChanges.map((c) => [c.index, c.kind, c.withheldAmount, c.officials])).to.deep.equal([[2n, "Exit", 50n, [A, B]]]);
      // Folded without it, the books would disagree with the programme.
      const unfolded = buildRosterBooks(cleanEvents(), context({ views: { [P]: { raised: "1000", refunded: "650", rosterTotal: "450", donors: 2 } } }));
      expect(kinds(unfolded, "view-mismatch")).to.deep.equal([["critical", "rosterTotal: events say 500, the programme says 450."]]);
    });

    it("puts back what a voided change withheld when a reviewer upholds the objection to it", function () {
      const voided = withInserted(
        11,
        change(2, 2, "0x0000000000000000000000000000000000000000", 50n),
        ev("LeafChangeObjected", 11, 3010, { version: "1", index: "2", objector: C, reasonHash: REASON }),
        ev("LeafChangeRuled", 11, 3020, { version: "1", index: "2", reviewer: REVIEWER, upheld: true, restoredAmount: "50" }),
      );
      const books = buildRosterBooks(voided, context());
      expect(kinds(books, "view-mismatch")).to.deep.equal([]);
      const [c] = books.programmes[0].leafChanges;
      expect([c.kind, c.objections.map((o) => o.objector), c.ruling?.upheld, c.ruling?.restoredAmount]).to.deep.equal(["Exclude", [C], true, 50n]);
    });

    it("accepts a re-bound leaf's successor as its payee in the membership check, and nobody else", function () {
      const successorClaim = claimed(11, 3300, 1, 1, E, 100n);
      const rebound = withInserted(11, change(1, 0, E, 0n), successorClaim);
      const ok = buildRosterBooks(rebound, context());
      expect(kinds(ok, "claim-not-a-leaf")).to.deep.equal([]);
      expect(ok.programmes[0].versions[0].file).to.include({ status: "checked", claimsChecked: 5, claimsNotLeaves: 0 });
      // The same claim without the officials' re-bind, or after a reviewer voided it, is not a leaf's.
      const noChange = buildRosterBooks(withInserted(11, claimed(11, 3300, 1, 1, E, 100n)), context());
      expect(kinds(noChange, "claim-not-a-leaf")).to.have.length(1);
      const voided = withInserted(
        11,
        change(1, 0, E, 0n),
        ev("LeafChangeObjected", 11, 3010, { version: "1", index: "1", objector: C, reasonHash: REASON }),
        ev("LeafChangeRuled", 11, 3020, { version: "1", index: "1", reviewer: REVIEWER, upheld: true, restoredAmount: "0" }),
        claimed(11, 3300, 1, 1, E, 100n),
      );
      expect(kinds(buildRosterBooks(voided, context()), "claim-not-a-leaf")).to.have.length(1);
      // A successor paid another leaf's amount is not the leaf's either.
      expect(kinds(buildRosterBooks(withInserted(11, change(1, 0, E, 0n), claimed(11, 3300, 1, 1, E, 99n)), context()), "claim-not-a-leaf")).to.have.length(1);
    });

    it("records a withdrawn cancellation half, and each half's expiry", function () {
      const events = withInserted(
        10,
        ev("CancellationApproved", 10, 2500, { approver: MANAGER, asReviewer: false, expiresAt: "607300" }),
        ev("CancellationWithdrawn", 10, 2600, { approver: MANAGER }),
      );
      const halves = buildRosterBooks(events, context()).programmes[0].cancellation.approvals;
      expect(halves.map((h) => [h.approver, h.asReviewer, h.expiresAt, h.withdrawn ?? false])).to.deep.equal([
        [MANAGER, false, 607300, true],
        [MANAGER, false, 0, false],
        [REVIEWER, true, 0, false],
      ]);
    });
  });

  describe("refunds", function () {
    it("flags a refund before cancellation and before the claim deadline", function () {
      const events = cleanEvents();
      const refund = events.find((e) => e.name === "Refunded")!;
      Object.assign(refund, { blockNumber: 11, timestamp: 3001, logIndex: 100 });
      const books = buildRosterBooks(events, context());
      expect(kinds(books, "refund-before-open")).to.deep.equal([
        ["critical", `Donor ${D1} was refunded 390 at block time 3001: not cancelled, and claims run until 5000.`],
      ]);
    });

    it("accepts refunds after the claim deadline without cancellation", function () {
      const events = cleanEvents().filter((e) => !["CancellationApproved", "ProgrammeCancelled"].includes(e.name));
      for (const e of events) if (e.name === "Refunded") e.timestamp += 2000;
      const books = buildRosterBooks(events, context({ auditedAt: 6000 }));
      expect(books.anomalies).to.deep.equal([]);
      expect(books.programmes[0].status).to.equal("Closed");
    });

    it("flags a donor refunded more than they gave", function () {
      const events = cleanEvents();
      events.find((e) => e.name === "Refunded" && e.args.donor === D2)!.args.amount = "401";
      const books = buildRosterBooks(events, context({ views: undefined, balances: undefined }));
      expect(kinds(books, "refund-above-contribution")).to.deep.equal([["critical", `Donor ${D2} got back 401 but gave 400.`]]);
    });
  });

  describe("the roster file", function () {
    it("refuses to trust a proofs file with a record that does not prove to its root", function () {
      const bytes = roster.proofsBytes.slice();
      bytes[bytes.length - 1] ^= 1; // the last record's last proof byte
      const file = roster.open(bytes, "corrupt.proofs");
      expect(file.problem).to.match(/^record 3 \(index \d\) does not prove to the file's root$/);
      const books = buildRosterBooks(cleanEvents(), context({ views: undefined, files: { [rosterFileKey(P, 1)]: file } }));
      expect(kinds(books, "roster-file-mismatch")).to.deep.equal([["critical", `Roster v1's file corrupt.proofs: ${file.problem}.`]]);
      expect(books.programmes[0].versions[0].file).to.deep.include({ status: "not checked", detail: "corrupt.proofs is not the published tree" });
    });

    it("flags a file that lists one index twice (a tree the CSV check would have refused)", async function () {
      // Leaf 1 re-indexed as 0: both leaves are genuine, so both proofs verify, but one index is two households.
      const twice = await rosterFiles(LEAVES, (rows) => rows.indexes.copyWithin(32, 0, 32));
      expect(twice.tree.problem).to.equal("index 0 appears twice");
      expect(twice.proofs.problem).to.equal("index 0 appears twice");
    });

    it("flags a file whose hash is not the published content hash", function () {
      const events = cleanEvents();
      events[3].args.contentHash = `0x${"ab".repeat(32)}`;
      const books = buildRosterBooks(events, context({ views: undefined }));
      expect(kinds(books, "content-hash-mismatch")).to.deep.equal([
        ["critical", `Roster v1's file roster.proofs hashes to ${roster.contentHash}, not the published content hash 0x${"ab".repeat(32)}.`],
      ]);
      expect(books.programmes[0].versions[0].file).to.include({ status: "checked", contentHashMatches: false });
    });

    it("flags another roster's file and does not check membership against it", function () {
      const books = buildRosterBooks(cleanEvents(), context({ views: undefined, files: { [rosterFileKey(P, 1)]: other.tree } }));
      expect(kinds(books, "roster-file-mismatch").map(([, m]) => m)).to.deep.equal([
        `Roster v1's file roster.tree: its root is ${other.root}, the published root ${roster.root}.`,
        "Roster v1's file roster.tree: it has 2 leaves, the published count is 4.",
        "Roster v1's file roster.tree: its amounts x 2 tranche(s) make 400, the published roster total is 600.",
      ]);
      expect(books.programmes[0].versions[0].file).to.deep.include({ status: "not checked", detail: "roster.tree is not the published tree" });
    });
  });

  it("flags a reading that names fewer programmes than the factory created", function () {
    const books = buildRosterBooks(cleanEvents(), context({ programmeCount: 2 }));
    expect(kinds(books, "programme-count-mismatch")).to.deep.equal([["critical", "The events name 1 programme(s), the factory says it created 2."]]);
    expect(books.verdict).to.equal("unbalanced");
    expect(buildRosterBooks(cleanEvents(), context({ programmeCount: 1 })).verdict).to.equal("balanced");
  });

  it("ignores events of programmes the factory did not create, with a warning", function () {
    const stranger = "0x000000000000000000000000000000000000bad0";
    const books = buildRosterBooks([...cleanEvents(), ev("Donated", 3, 1111, { donor: D1, amount: "5", raised: "5" }, stranger)], context());
    expect(books.programmes).to.have.length(1);
    expect(kinds(books, "unknown-programme")).to.deep.equal([["warning", `Events of ${stranger}, which the factory never created, were ignored.`]]);
    expect(books.verdict).to.equal("balanced");
  });
});
