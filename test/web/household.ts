/**
 * The household page's logic (issue 9, item 5; lib/household/owed.ts): one status per tranche by the
 * contracts' rules, when eligibility lapses and when to ask for a renewal, and the order of the next
 * steps (money that can be taken now first, then what needs the household, then what it waits for).
 */
import { expect } from "chai";
import type { AttestationRecord } from "../../lib/books/escrow.ts";
import { eligibilityLapse, escrowTranches, nextSteps, owedTotals, renewBy, rosterTranches, type OwedItem } from "../../lib/household/owed.ts";

type Hex = `0x${string}`;
const DAY = 86_400;
const NOW = 1_000 * DAY;
const C1 = `0x${"c1".repeat(32)}` as Hex;
const C2 = `0x${"c2".repeat(32)}` as Hex;
const official = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Hex;

function att(condition: Hex, who: number, expiry: number, revoked = false): AttestationRecord {
  return { commitment: `0x${"aa".repeat(32)}`, conditionId: condition, official: official(who), expiry, evidenceHash: `0x${"ee".repeat(32)}`, score: 0, attestedAt: NOW - 10 * DAY, revoked, transactionHash: `0x${"00".repeat(32)}` };
}

const terms = { trancheUnlockTimes: [NOW - 20 * DAY, NOW + 10 * DAY, NOW + 40 * DAY], claimDeadline: NOW + 100 * DAY, amountPerTranche: 5n };
const enrolled = { status: "Enrolled", windowEndsAt: NOW - 25 * DAY, claims: [] as { trancheIndex: number; at: number }[] };

describe("the household page's logic", function () {
  describe("eligibilityLapse", function () {
    it("is the earliest, over the conditions, of the k-th latest valid expiry", function () {
      const atts = new Map([
        [C1, [att(C1, 1, NOW + 50 * DAY), att(C1, 2, NOW + 30 * DAY), att(C1, 3, NOW + 90 * DAY)]],
        [C2, [att(C2, 1, NOW + 60 * DAY), att(C2, 2, NOW + 70 * DAY)]],
      ]);
      // C1: 2nd latest of (90, 50, 30) = 50; C2: 2nd latest of (70, 60) = 60; the earliest is 50.
      expect(eligibilityLapse(atts, [C1, C2], 2, NOW)).to.equal(NOW + 50 * DAY);
      expect(eligibilityLapse(atts, [C1], 1, NOW)).to.equal(NOW + 90 * DAY);
    });

    it("leaves out revoked and expired attestations and removed officials; 0 when a condition falls short", function () {
      const atts = new Map([[C1, [att(C1, 1, NOW + 50 * DAY, true), att(C1, 2, NOW - 1), att(C1, 3, NOW + 90 * DAY), att(C1, 4, NOW + 80 * DAY)]]]);
      expect(eligibilityLapse(atts, [C1], 2, NOW)).to.equal(NOW + 80 * DAY);
      expect(eligibilityLapse(atts, [C1], 2, NOW, (o) => o !== official(4))).to.equal(0);
      expect(eligibilityLapse(atts, [C1, C2], 1, NOW)).to.equal(0);
    });
  });

  describe("escrowTranches", function () {
    it("says received, claimable and locked, with the payment's date", function () {
      const t = escrowTranches({ terms }, { ...enrolled, claims: [{ trancheIndex: 0, at: NOW - 19 * DAY }] }, 0b001, NOW + 90 * DAY, NOW);
      expect(t.map((x) => x.status)).to.deep.equal(["received", "locked", "locked"]);
      expect(t[0].receivedAt).to.equal(NOW - 19 * DAY);
      expect(escrowTranches({ terms }, enrolled, 0, NOW + 90 * DAY, NOW).map((x) => x.status)).to.deep.equal(["claimable", "locked", "locked"]);
    });

    it("waits for the publicity window, and names when it ends", function () {
      const t = escrowTranches({ terms }, { ...enrolled, windowEndsAt: NOW + 15 * DAY }, 0, NOW + 90 * DAY, NOW);
      expect(t.map((x) => x.status)).to.deep.equal(["waitingWindow", "locked", "locked"]);
      expect(t[0].opensAt).to.equal(NOW + 15 * DAY);
      expect(t[1].opensAt).to.equal(NOW + 15 * DAY); // unlocks on day 10, payable from the window's end
    });

    it("holds, excludes, stops and closes by the enrolment and the project", function () {
      const status = (b: Partial<typeof enrolled>, p: object = {}, mask = 0) => escrowTranches({ terms, ...p }, { ...enrolled, ...b }, mask, NOW + 90 * DAY, NOW)[0].status;
      expect(status({ status: "Objected" })).to.equal("held");
      expect(status({ status: "Removed" })).to.equal("excluded");
      expect(status({ status: "Exited" })).to.equal("stopped");
      expect(status({}, { cancelledAt: NOW - DAY })).to.equal("closed");
      expect(status({}, {}, 0b1)).to.equal("forfeited");
      expect(escrowTranches({ terms: { ...terms, claimDeadline: NOW } }, enrolled, 0, NOW + 90 * DAY, NOW)[0].status).to.equal("closed");
    });

    it("needs a renewal when the attestations lapsed before an unlocked tranche was taken", function () {
      const t = escrowTranches({ terms }, enrolled, 0, 0, NOW);
      expect(t[0].status).to.equal("needsRenewal");
      expect(renewBy(t, 0, terms.claimDeadline)).to.equal(0);
    });
  });

  describe("renewBy", function () {
    it("names the lapse when a tranche not yet received unlocks after it, and nothing otherwise", function () {
      const t = escrowTranches({ terms }, enrolled, 0, NOW + 30 * DAY, NOW);
      // Tranche 3 unlocks on day 40, after the lapse on day 30: renew before day 30.
      expect(renewBy(t, NOW + 30 * DAY, terms.claimDeadline)).to.equal(NOW + 30 * DAY);
      expect(renewBy(t, NOW + 45 * DAY, terms.claimDeadline)).to.equal(undefined);
    });
  });

  describe("rosterTranches", function () {
    it("maps the programme's tranche states to the household's words", function () {
      const base = { now: NOW, amount: 20n, trancheUnlockTimes: [NOW - DAY, NOW + 5 * DAY, NOW + 9 * DAY], claimsOpenAt: NOW - 2 * DAY, claimDeadline: NOW + 50 * DAY, cancelled: false, paused: false, settled: [true, false, false], objection: "None" as const };
      expect(rosterTranches(base).map((t) => t.status)).to.deep.equal(["received", "locked", "locked"]);
      expect(rosterTranches({ ...base, settled: [false, false, false] })[0].status).to.equal("claimable");
      expect(rosterTranches({ ...base, objection: "Pending" }).map((t) => t.status)).to.deep.equal(["held", "held", "held"]);
      expect(rosterTranches({ ...base, objection: "Upheld" })[1].status).to.equal("excluded");
      expect(rosterTranches({ ...base, cancelled: true })[1].status).to.equal("closed");
      expect(rosterTranches({ ...base, paused: true, settled: [false, false, false] })[0].status).to.equal("paused");
      const window = rosterTranches({ ...base, claimsOpenAt: NOW + 7 * DAY, settled: [false, false, false] });
      expect(window.map((t) => [t.status, t.opensAt])).to.deep.equal([
        ["notOpen", NOW + 7 * DAY],
        ["notOpen", NOW + 7 * DAY],
        ["notOpen", undefined],
      ]);
    });
  });

  describe("nextSteps", function () {
    const item = (key: string, statuses: string[], extra: Partial<OwedItem> = {}): OwedItem => ({
      kind: "escrow",
      key,
      title: key,
      token: "0x0000000000000000000000000000000000000000",
      tranches: statuses.map((status, i) => ({ tranche: i, amount: 5n, unlocksAt: NOW + i * DAY, status: status as never })),
      ...extra,
    });

    it("puts money to take now first, then renewals by date, then holds, then each item's next payment, soonest first", function () {
      const steps = nextSteps([
        item("later", ["received", "locked", "locked"]),
        item("renew", ["received", "locked"], { renewBy: NOW + 3 * DAY }),
        item("held", ["held", "held"]),
        item("claim", ["claimable", "claimable", "locked"]),
        item("renew-first", ["locked"], { renewBy: NOW + DAY }),
      ]);
      expect(steps.map((s) => `${s.kind}:${s.item.key}${"tranche" in s ? `:${s.tranche.tranche}` : ""}`)).to.deep.equal([
        "claim:claim:0",
        "claim:claim:1",
        "renew:renew-first",
        "renew:renew",
        "held:held",
        "next:renew-first:0",
        "next:later:1",
        "next:renew:1",
        "next:claim:2",
      ]);
    });

    it("adds up, per token, what was received, what can be taken now and what is still to come", function () {
      const totals = owedTotals([item("a", ["received", "claimable", "locked"]), item("b", ["claimable", "excluded", "held"], { token: "0x00000000000000000000000000000000000000Aa" })]);
      expect(totals.get("0x0000000000000000000000000000000000000000")).to.deep.equal({ received: 5n, claimable: 5n, coming: 5n });
      expect(totals.get("0x00000000000000000000000000000000000000aa")).to.deep.equal({ received: 0n, claimable: 5n, coming: 5n });
    });
  });
});
