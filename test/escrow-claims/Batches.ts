/**
 * claimBatch: a relayer's batch of signed claims, each entry tried on its own so one household cannot hurt the
 * others (issue 11 #9; issue 13 #4).
 */
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { Signer } from "ethers";
import { ethers, networkHelpers, identifyHousehold, now, DAY } from "../helpers/fixtures.ts";
import type { ContractWallet } from "../../types/ethers-contracts/index.ts";
import {
  HH2_ID,
  type ClaimRequest,
  claimDigest,
  domainOf,
  enrolAt,
  fundedProject,
  perTranche,
  signClaim,
  unlockAt,
} from "./helpers.ts";
import { deployProtocol } from "../helpers/fixtures.ts";

/**
 * Three households enrolled in one ETH project at the same time: two EOAs and a contract wallet (ERC-1271) whose
 * owner is a key of ours. Time is at tranche 0's unlock (every window has passed).
 */
async function batchFixture() {
  const p = await deployProtocol();
  const { projectId, terms } = await fundedProject(p, {}, 3n);
  const owner = new ethers.Wallet(ethers.id("batch-wallet-owner"), ethers.provider);
  await networkHelpers.setBalance(owner.address, ethers.parseEther("1"));
  const wallet: ContractWallet = await ethers.deployContract("ContractWallet", [owner.address]);
  const walletAddress = await wallet.getAddress();
  const households = [
    await identifyHousehold(p, p.households[0], "520101199001011234"),
    await identifyHousehold(p, p.households[1], HH2_ID),
    await identifyHousehold(p, { address: walletAddress }, "520101199808088901"),
  ];
  for (const hh of households) await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
  await networkHelpers.time.increaseTo(unlockAt(terms, 0));
  const domain = await domainOf(p.escrow);
  const accounts = [p.households[0].address, p.households[1].address, walletAddress];

  /** The signed batch entry of household `i` for `tranche`. */
  async function entry(i: number, tranche = 0, overrides: Partial<ClaimRequest> = {}) {
    const request: ClaimRequest = {
      projectId,
      commitment: households[i].commitment,
      trancheIndex: tranche,
      recipient: accounts[i],
      amount: perTranche(terms),
      nonce: await p.escrow.claimNonce(accounts[i]),
      deadline: (await now()) + DAY,
      ...overrides,
    };
    const signature =
      i === 2 ? owner.signingKey.sign(claimDigest(domain, request)).serialized : await signClaim(p.households[i] as Signer, domain, request);
    return { request, signature, attesters: [] as string[] };
  }
  return { p, projectId, terms, households, accounts, wallet, owner, entry };
}

describe("claimBatch (escrow)", function () {
  it("pays every entry to its household and returns how many were paid", async function () {
    const { p, projectId, terms, households, accounts, entry } = await networkHelpers.loadFixture(batchFixture);
    const batch = [await entry(0), await entry(1), await entry(2)];
    expect(await p.escrow.connect(p.relayer).claimBatch.staticCall(batch)).to.equal(3n);
    const tx = p.escrow.connect(p.relayer).claimBatch(batch);
    for (let i = 0; i < 3; i++) {
      await expect(tx).to.emit(p.escrow, "AidClaimed").withArgs(projectId, households[i].commitment, accounts[i], 0, perTranche(terms));
    }
    await expect(tx).to.changeEtherBalances(ethers, [...accounts, p.relayer.address], [perTranche(terms), perTranche(terms), perTranche(terms), 0n]);
    await expect(tx).not.to.emit(p.escrow, "ClaimSkipped");
  });

  it("carries a fresh proof in an entry whose cached one is stale", async function () {
    const { p, households, entry } = await networkHelpers.loadFixture(batchFixture);
    await p.registry.removeOfficial(p.officials[2].address);
    const stale = await entry(0);
    const fresh = { ...(await entry(1)), attesters: households[1].attesters };
    const tx = p.escrow.connect(p.relayer).claimBatch([stale, fresh]);
    await expect(tx)
      .to.emit(p.escrow, "ClaimSkipped")
      .withArgs(stale.request.projectId, households[0].commitment, 0, p.escrow.interface.encodeErrorResult("AidEscrowEligibilityUnproven", [stale.request.projectId, households[0].commitment]));
    await expect(tx).to.emit(p.escrow, "AidClaimed");
  });

  describe("issue 11 #9: one household voids a relayer's whole batch after simulation", function () {
    it("skips an entry whose household moved its nonce after signing (ClaimSkipped with the reason), pays the rest", async function () {
      const { p, projectId, households, accounts, entry } = await networkHelpers.loadFixture(batchFixture);
      const batch = [await entry(0), await entry(1), await entry(2)];
      // Between the relayer's simulation and inclusion, household 1 voids its signatures.
      await p.escrow.connect(p.households[1]).invalidateClaimSignatures();
      const reason = p.escrow.interface.encodeErrorResult("AidClaimNonceMismatch", [accounts[1], 1n, 0n]);
      const tx = p.escrow.connect(p.relayer).claimBatch(batch);
      await expect(tx).to.emit(p.escrow, "ClaimSkipped").withArgs(projectId, households[1].commitment, 0, reason);
      await expect(tx).to.changeEtherBalances(ethers, accounts, [batch[0].request.amount, 0n, batch[2].request.amount]);
      expect(await p.escrow.connect(p.relayer).claimBatch.staticCall([await entry(0, 1)])).to.equal(0n);
    });

    it("skips a wallet that refuses the money (FailedCall), pays the rest", async function () {
      const { p, projectId, households, accounts, wallet, owner, entry } = await networkHelpers.loadFixture(batchFixture);
      const batch = [await entry(2), await entry(0)];
      await wallet.connect(owner).setAcceptsEth(false);
      const tx = p.escrow.connect(p.relayer).claimBatch(batch);
      await expect(tx)
        .to.emit(p.escrow, "ClaimSkipped")
        .withArgs(projectId, households[2].commitment, 0, p.escrow.interface.encodeErrorResult("FailedCall", []));
      await expect(tx).to.changeEtherBalances(ethers, [accounts[2], accounts[0]], [0n, batch[1].request.amount]);
      // Nothing changed for the skipped entry: it can be claimed once the wallet takes ETH again.
      expect((await p.escrow.enrolment(projectId, households[2].commitment)).settledMask).to.equal(0n);
      await wallet.connect(owner).setAcceptsEth(true);
      await expect(p.escrow.connect(p.relayer).claimBatch([batch[0]])).to.emit(p.escrow, "AidClaimed");
    });

    it("skips a gas bomb in the wallet's receive, which burns at most CLAIM_GAS_CAP, and pays the rest", async function () {
      const { p, projectId, households, accounts, wallet, owner, entry } = await networkHelpers.loadFixture(batchFixture);
      const batch = [await entry(2), await entry(0), await entry(1)];
      await wallet.connect(owner).setBurnsGas(true, false);
      const tx = await p.escrow.connect(p.relayer).claimBatch(batch, { gasLimit: 3_000_000n });
      await expect(tx)
        .to.emit(p.escrow, "ClaimSkipped")
        .withArgs(projectId, households[2].commitment, 0, p.escrow.interface.encodeErrorResult("FailedCall", []));
      await expect(tx).to.changeEtherBalances(ethers, accounts, [batch[1].request.amount, batch[2].request.amount, 0n]);
      const cap = await p.escrow.CLAIM_GAS_CAP();
      expect((await tx.wait())!.gasUsed).to.be.lessThan(cap + 150_000n);
    });

    it("skips a gas bomb in the wallet's signature check, pays the rest", async function () {
      const { p, projectId, households, wallet, owner, entry } = await networkHelpers.loadFixture(batchFixture);
      const batch = [await entry(2), await entry(0)];
      await wallet.connect(owner).setBurnsGas(false, true);
      const tx = p.escrow.connect(p.relayer).claimBatch(batch, { gasLimit: 3_000_000n });
      await expect(tx).to.emit(p.escrow, "ClaimSkipped").withArgs(projectId, households[2].commitment, 0, anyValue);
      await expect(tx).to.emit(p.escrow, "AidClaimed").withArgs(projectId, households[0].commitment, anyValue, 0, anyValue);
    });

    it("skips a tranche the household already claimed directly (AidEscrowTrancheSettled)", async function () {
      const { p, projectId, households, entry } = await networkHelpers.loadFixture(batchFixture);
      const batch = [await entry(0), await entry(1)];
      await p.escrow.connect(p.households[0]).claim(projectId, households[0].commitment, 0, []);
      const tx = p.escrow.connect(p.relayer).claimBatch(batch);
      await expect(tx)
        .to.emit(p.escrow, "ClaimSkipped")
        .withArgs(projectId, households[0].commitment, 0, p.escrow.interface.encodeErrorResult("AidEscrowTrancheSettled", [projectId, households[0].commitment, 0]));
      await expect(tx).to.emit(p.escrow, "AidClaimed").withArgs(projectId, households[1].commitment, anyValue, 0, anyValue);
    });

    it("pays an entry repeated in the same batch once and skips the repeat", async function () {
      const { p, projectId, households, accounts, entry } = await networkHelpers.loadFixture(batchFixture);
      const e = await entry(0);
      expect(await p.escrow.connect(p.relayer).claimBatch.staticCall([e, e])).to.equal(1n);
      const tx = p.escrow.connect(p.relayer).claimBatch([e, e]);
      await expect(tx).to.emit(p.escrow, "ClaimSkipped").withArgs(projectId, households[0].commitment, 0, anyValue);
      await expect(tx).to.changeEtherBalance(ethers, accounts[0], e.request.amount);
    });
  });

  it("reverts the whole batch rather than starve an entry (AidEscrowBatchOutOfGas(index, gasLeft))", async function () {
    const { p, entry } = await networkHelpers.loadFixture(batchFixture);
    const batch = [await entry(0), await entry(1)];
    await expect(p.escrow.connect(p.relayer).claimBatch(batch, { gasLimit: 400_000n }))
      .to.be.revertedWithCustomError(p.escrow, "AidEscrowBatchOutOfGas")
      .withArgs(0, anyValue);
    // With a little more gas the first entry runs and the batch stops before the second.
    const stops: bigint[] = [];
    for (let gas = 520_000n; gas <= 640_000n; gas += 4_000n) {
      try {
        await p.escrow.connect(p.relayer).claimBatch.staticCall(batch, { gasLimit: gas });
      } catch (e) {
        const data = (e as { data?: string }).data;
        const parsed = data ? p.escrow.interface.parseError(data) : null;
        if (parsed?.name === "AidEscrowBatchOutOfGas") stops.push(parsed.args[0]);
      }
    }
    expect(stops).to.include(0n);
    expect(stops).to.include(1n);
  });

});
