/** `npm run bench:web`'s budgets (scripts/bench/web-budget.ts): public routes 150 KB, role routes 200 KB, any excess fails the run. */
import { expect } from "chai";
import { PUBLIC_BUDGET_KB, ROLE_BUDGET_KB, judgeRoute, overBudget } from "../../scripts/bench/web-budget.ts";

describe("first-load JS budgets (bench:web)", function () {
  it("holds public routes to 150 KB and role routes to 200 KB", function () {
    expect([PUBLIC_BUDGET_KB, ROLE_BUDGET_KB]).to.deep.equal([150, 200]);
    expect(judgeRoute("/projects/[id]", { gzipKB: 150 })).to.deep.equal({ public: true, budgetKB: 150, withinBudget: true });
    expect(judgeRoute("/projects/[id]", { gzipKB: 150.1 })).to.deep.equal({ public: true, budgetKB: 150, withinBudget: false });
    expect(judgeRoute("/donor", { gzipKB: 180 })).to.deep.equal({ public: false, budgetKB: 200, withinBudget: true });
    expect(judgeRoute("/official", { gzipKB: 200.5 }).withinBudget).to.equal(false);
    for (const r of ["/", "/audit", "/evaluation", "/beneficiary", "/relay", "/roster", "/roster/[programme]"]) expect(judgeRoute(r, { gzipKB: 1 }).public, r).to.equal(true);
    for (const r of ["/donor", "/official", "/reviewer", "/manager"]) expect(judgeRoute(r, { gzipKB: 1 }).public, r).to.equal(false);
    // A route added later (the roster's households list) is public unless listed as a role page on purpose.
    expect(judgeRoute("/roster/[programme]/households", { gzipKB: 160 })).to.deep.equal({ public: true, budgetKB: 150, withinBudget: false });
  });

  it("names every route over its budget, so the run exits 1", function () {
    const routes = {
      "/": { gzipKB: 140, ...judgeRoute("/", { gzipKB: 140 }) },
      "/audit": { gzipKB: 160, ...judgeRoute("/audit", { gzipKB: 160 }) },
      "/manager": { gzipKB: 240, ...judgeRoute("/manager", { gzipKB: 240 }) },
      "/donor": { gzipKB: 190, ...judgeRoute("/donor", { gzipKB: 190 }) },
    };
    expect(overBudget(routes)).to.deep.equal(["/audit 160 KB > 150 KB", "/manager 240 KB > 200 KB"]);
    expect(overBudget({ "/": routes["/"] })).to.deep.equal([]);
  });
});
