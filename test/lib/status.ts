/**
 * The one status rule of each system (lib/escrow/status.ts): the status the escrow's projectStatus()
 * and the programme's status() views give, and which tranches a household can claim now. The dApp, the
 * audit and the roster books all decide with these.
 */
import { expect } from "chai";
import { claimableTranches, projectStatus, projectStatusAt, trancheClaimable } from "../../lib/escrow/status.ts";

describe("status rules (lib/escrow/status.ts)", function () {
  const p = { cancelled: false, fundingDeadline: 100, claimDeadline: 200 };

  it("derives Funding, Active, Closed and Cancelled with half-open windows, as AidEscrow._status does", function () {
    expect(projectStatusAt(p, 99)).to.equal("Funding");
    expect(projectStatusAt(p, 100)).to.equal("Active");
    expect(projectStatusAt(p, 199)).to.equal("Active");
    expect(projectStatusAt(p, 200)).to.equal("Closed");
    expect(projectStatusAt({ ...p, cancelled: true }, 50)).to.equal("Cancelled");
    expect(projectStatusAt({ ...p, cancelled: true }, 500)).to.equal("Cancelled");
    // A claim deadline equal to the funding deadline leaves no Active time at all.
    expect(projectStatusAt({ ...p, claimDeadline: 100 }, 100)).to.equal("Closed");
  });

  it("reads the same rule from a project of the folded books", function () {
    const book = { terms: { fundingDeadline: 100, claimDeadline: 200 } };
    expect(projectStatus(book, 150)).to.equal("Active");
    expect(projectStatus({ ...book, cancelledAt: 120 }, 150)).to.equal("Cancelled");
  });

  describe("claimable tranches", function () {
    const project = { terms: { trancheUnlockTimes: [100, 200, 300], claimDeadline: 400 } };
    const household = { windowEndsAt: 150, status: "Enrolled", claims: [{ trancheIndex: 0 }] };

    it("offers what is unlocked, after the window, before the deadline and not yet settled", function () {
      expect(claimableTranches(project, household, undefined, 250, true)).to.deep.equal([1]);
      expect(claimableTranches(project, household, 0b001, 350, true)).to.deep.equal([1, 2]);
      // The escrow's own mask wins over the books (a forfeited tranche is settled without a payment).
      expect(claimableTranches(project, household, 0b011, 350, true)).to.deep.equal([2]);
    });

    it("offers nothing in the window, after the deadline, while objected or not eligible", function () {
      expect(claimableTranches(project, household, 0, 140, true)).to.deep.equal([]);
      expect(claimableTranches(project, household, 0, 400, true)).to.deep.equal([]);
      expect(claimableTranches(project, { ...household, status: "Objected" }, 0, 350, true)).to.deep.equal([]);
      expect(claimableTranches(project, household, 0, 350, false)).to.deep.equal([]);
      expect(trancheClaimable(project, household, 2, false, 299, true)).to.equal(false);
      expect(trancheClaimable(project, household, 2, false, 300, true)).to.equal(true);
    });
  });
});
