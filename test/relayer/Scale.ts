/**
 * The scale bench's code path (scripts/bench/scale.ts) at a tiny size, so CI runs what
 * `npm run bench:scale` runs: its own node, `roster build`, 3-of-5 approval, direct and relayed claims
 * through the relayer process, and the audit tool.
 */
import { expect } from "chai";
import { runScale } from "../../scripts/bench/scale.ts";

describe("bench:scale at a tiny size (40 households, 10 claims)", function () {
  this.timeout(180_000);

  it("pays every claim once, directly and through the relayer, and the books balance", async function () {
    const lines: string[] = [];
    const r = await runScale({ households: 40, claims: 10, concurrency: 4, maxBatch: 3, batchIntervalMs: 200, log: (l) => lines.push(l) });
    expect(r.claims).to.deep.equal({ direct: 5, relayed: 5, total: 10 });
    expect(r.checks).to.deep.equal({ relayedBeneficiariesPaidExactly: true, conservation: true, claimedEvents: 10 });
    // Five relayed claims in batches of at most three.
    expect(Object.entries(r.batches.histogram).reduce((n, [size, count]) => n + Number(size) * count, 0)).to.equal(5);
    expect(r.batches.max).to.be.at.most(3);
    expect(r.batches.count).to.be.at.least(2);
    // A direct claim at depth 6 costs well under the depth-20 anchor; a relayed one pays the fresh account's creation.
    expect(r.gasPerClaim.direct.min).to.be.within(40_000, 70_000);
    expect(r.gasPerClaim.relayed.min).to.be.within(40_000, 100_000);
    expect(r.rootApprovalGas).to.be.within(50_000, 90_000);
    for (const rate of Object.values(r.claimsPerSecond)) expect(rate).to.be.greaterThan(0);
    expect(r.audit.exitCode, r.audit.output).to.equal(0);
    expect(r.audit.verdict).to.equal("balanced");
    expect(lines.join("\n")).to.contain("3 of 5 officials");
  });
});
