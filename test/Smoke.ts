import { expect } from "chai";
import { ethers, networkHelpers, deployProtocol, createProject, identifyHousehold, DAY } from "./helpers/fixtures.ts";

describe("PrecisionAid end to end", function () {
  it("funds, enrols, pays a tranche after the window and refunds the rest to donors", async function () {
    const p = await networkHelpers.loadFixture(deployProtocol);
    const { projectId, terms } = await createProject(p);
    const amount = terms.amountPerTranche;

    await expect(p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 3n * amount }))
      .to.emit(p.escrow, "Donated")
      .withArgs(projectId, p.donors[0].address, 3n * amount, 3n * amount);

    const hh = await identifyHousehold(p, p.households[0], "520101199001011234");
    await expect(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters)).to.emit(
      p.escrow,
      "BeneficiaryEnrolled",
    );

    await networkHelpers.time.increaseTo(terms.trancheUnlockTimes[0]);
    await expect(p.escrow.connect(p.households[0]).claim(projectId, hh.commitment, 0, [])).to.changeEtherBalance(
      ethers,
      p.households[0],
      amount,
    );

    await networkHelpers.time.increaseTo(terms.claimDeadline);
    await expect(p.escrow.connect(p.donors[0]).refund(projectId))
      .to.emit(p.escrow, "Refunded")
      .withArgs(projectId, p.donors[0].address, 2n * amount);
    const ledger = await p.escrow.projectLedger(projectId);
    expect(ledger.raised).to.equal(ledger.claimed + ledger.refunded);
    expect(await ethers.provider.getBalance(await p.escrow.getAddress())).to.equal(0n);
    void DAY;
  });
});
