import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Wallet } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  ethers,
  networkHelpers,
  now,
  deployRoster,
  readyProgramme,
  buildRoster,
  publish,
  approveNow,
  openTranche,
  signedClaim,
  type Leaf,
  type RosterProtocol,
} from "../roster/helpers.ts";
import { ROOT } from "../../lib/chain/codegen.ts";
import { skipReason } from "../../lib/relayer/relayer.ts";
import { RELAYER_KEY_HEX, claimBody, seenBodies, startRelayer, type TestRelayer } from "./helpers.ts";

/** Beneficiaries who never send a transaction themselves: their balance moves only by what they are paid. */
const gasless = Array.from({ length: 6 }, (_, i) => new Wallet(ethers.id(`relayer-test-beneficiary-${i}`)));
const UNIT = ethers.parseEther("1");

function leavesFor(p: RosterProtocol): Leaf[] {
  return [
    { index: 0n, account: p.households[0].address, amount: UNIT },
    { index: 1n, account: p.households[1].address, amount: 2n * UNIT },
    ...gasless.map((w, i) => ({ index: BigInt(i + 2), account: w.address, amount: UNIT })),
  ];
}

/** A programme with the roster above, approved, and (unless told otherwise) tranche 0 open. */
async function setup(o: { open?: boolean } = {}) {
  const p = await networkHelpers.loadFixture(deployRoster);
  const ready = await readyProgramme(p, {}, leavesFor(p));
  if (o.open !== false) await openTranche(ready.terms, ready.claimsOpenAt, 0);
  return { p, ...ready, factory: await p.factory.getAddress() };
}

/** Signs leaf i's claim as its own account (a gasless wallet or a household signer). */
async function signed(s: Awaited<ReturnType<typeof setup>>, i: number, tranche = 0n, overrides: Parameters<typeof signedClaim>[5] = {}) {
  const signer = i < 2 ? s.p.households[i] : gasless[i - 2];
  return claimBody(s.address, await signedClaim(s.programme, s.roster, i, tranche, signer, overrides));
}

async function waitFinal(r: TestRelayer, id: string) {
  await r.relayer.drain();
  return (await r.get(`/v1/claims/${id}`)).body;
}

describe("relayer (lib/relayer, scripts/relayer.ts's server)", function () {
  this.timeout(60_000);
  let open: TestRelayer[] = [];
  async function relayerFor(factory: string, o: Parameters<typeof startRelayer>[1] = {}) {
    const r = await startRelayer(factory, o);
    open.push(r);
    return r;
  }
  afterEach(async function () {
    await Promise.all(open.map((r) => r.close()));
    open = [];
  });

  describe("a valid signed claim", function () {
    it("is queued, sent with the relayer's key, confirmed, and pays exactly the amount to the leaf's account", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 2);
      const before = await ethers.provider.getBalance(gasless[0].address);
      const relayerBefore = await r.spent();

      const posted = await r.post(body);
      expect(posted.status).to.equal(202);
      expect(posted.body).to.deep.equal({ id: posted.body.id, status: "queued" });
      expect((await r.get(`/v1/claims/${posted.body.id}`)).body.status).to.equal("queued");

      const final = await waitFinal(r, posted.body.id);
      expect(final).to.include({ id: posted.body.id, programme: s.address, index: "2", tranche: "0", account: gasless[0].address, status: "confirmed", batchSize: 1 });
      const receipt = (await ethers.provider.getTransactionReceipt(final.txHash))!;
      expect(receipt.from).to.equal(r.relayer.address);
      expect(final.blockNumber).to.equal(String(receipt.blockNumber));
      expect(await ethers.provider.getBalance(gasless[0].address)).to.equal(before + UNIT);
      const relayerAfter = await r.spent();
      expect(relayerAfter.nonce).to.equal(relayerBefore.nonce + 1);
      expect(relayerAfter.balance).to.equal(relayerBefore.balance - receipt.gasUsed * receipt.gasPrice);
    });

    it("batches several claims into one transaction, sorted by index", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { maxBatch: 4 });
      const ids: string[] = [];
      for (const i of [5, 2, 7, 3]) {
        const res = await r.post(await signed(s, i));
        expect(res.status).to.equal(202);
        ids.push(res.body.id);
      }
      // The fourth claim filled the batch: it goes without waiting for the interval.
      await r.relayer.drain();
      const records = await Promise.all(ids.map(async (id) => (await r.get(`/v1/claims/${id}`)).body));
      expect(new Set(records.map((x) => x.txHash)).size).to.equal(1);
      expect(records.map((x) => [x.status, x.batchSize])).to.deep.equal(Array(4).fill(["confirmed", 4]));
      const receipt = (await ethers.provider.getTransactionReceipt(records[0].txHash))!;
      const claimed = receipt.logs.map((l) => s.programme.interface.parseLog(l)).filter((l) => l?.name === "Claimed");
      expect(claimed.map((l) => l!.args.index)).to.deep.equal([2n, 3n, 5n, 7n]);
    });

    it("sends a partial batch when the interval elapses", async function () {
      const s = await setup();
      // Long enough that both claims are accepted (each is simulated first) inside one interval even on a
      // loaded machine under coverage instrumentation, where 200 ms once split them into two batches.
      const [claimA, claimB] = [await signed(s, 2), await signed(s, 3)];
      const r = await relayerFor(s.factory, { maxBatch: 25, batchIntervalMs: 3_000 });
      const a = await r.post(claimA);
      const b = await r.post(claimB);
      const deadline = Date.now() + 20_000;
      let x: any;
      while (Date.now() < deadline) {
        x = (await r.get(`/v1/claims/${b.body.id}`)).body;
        if (x.status === "confirmed") break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(x).to.include({ status: "confirmed", batchSize: 2 });
      expect((await r.get(`/v1/claims/${a.body.id}`)).body.txHash).to.equal(x.txHash);
    });

    it("accepts an ERC-1271 wallet's signature, and refuses with WouldRevert when paying the wallet would fail", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const wallet = await ethers.deployContract("ContractWallet", [p.households[0].address]);
      const walletAddress = await wallet.getAddress();
      const leaves = [{ index: 0n, account: walletAddress, amount: UNIT }, ...leavesFor(p).slice(1)];
      const s = { p, ...(await readyProgramme(p, {}, leaves)) };
      await openTranche(s.terms, s.claimsOpenAt, 0);
      const r = await relayerFor(await p.factory.getAddress());
      // The wallet's owner signs; the wallet vouches for it by ERC-1271.
      const body = claimBody(s.address, await signedClaim(s.programme, s.roster, 0, 0n, p.households[0]));
      await (wallet.connect(p.households[0]) as any).setAcceptsEth(false);
      const before = await r.spent();
      const refused = await r.post(body);
      expect(refused.status).to.equal(422);
      expect(refused.body.error.code).to.equal("WouldRevert");
      expect(refused.body.error.params.error).to.be.a("string");
      expect(await r.spent()).to.deep.equal(before);

      await (wallet.connect(p.households[0]) as any).setAcceptsEth(true);
      const accepted = await r.post(body);
      expect(accepted.status).to.equal(202);
      expect((await waitFinal(r, accepted.body.id)).status).to.equal("confirmed");
    });
  });

  describe("refusals, each before any gas is spent", function () {
    /** Posts, checks status and code (and field), and that the relayer's nonce and balance did not move. */
    async function refused(r: TestRelayer, body: unknown, status: number, code: string, field?: string, init?: { contentType?: string; raw?: string }) {
      const before = await r.spent();
      const res = await r.post(body, init);
      expect(res.status, res.text).to.equal(status);
      expect(res.body.error.code, res.text).to.equal(code);
      expect(res.body.error.message).to.be.a("string").and.not.empty;
      if (field !== undefined) expect(res.body.error.field).to.equal(field);
      expect(await r.spent()).to.deep.equal(before);
      expect(r.relayer.idle).to.equal(true);
      return res;
    }

    it("a bad proof: 422 InvalidProof", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 2);
      body.claim.proof[0] = ethers.id("not a sibling") as `0x${string}`;
      await refused(r, body, 422, "InvalidProof");
    });

    it("another programme's proof: 422 InvalidProof", async function () {
      const s = await setup();
      // A second programme whose roster differs only in the amount (so the proof and signature are sound there).
      const other = buildRoster(leavesFor(s.p).map((l) => ({ ...l, amount: l.amount * 2n })), 3n);
      const r = await relayerFor(s.factory);
      const body = await signed(s, 2, 0n, { amount: UNIT * 2n });
      body.claim.proof = other.proof(2) as `0x${string}`[];
      await refused(r, body, 422, "InvalidProof");
    });

    it("the relayer cannot redirect funds: a tampered account or amount is refused (422), and the contract refuses it too", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 2);
      const toOutsider = { ...body, claim: { ...body.claim, account: s.p.outsider.address } };
      await refused(r, toOutsider, 422, "InvalidProof");
      const more = { ...body, claim: { ...body.claim, amount: (UNIT * 5n).toString() } };
      await refused(r, more, 422, "InvalidProof");
      // Even sent straight to the chain, the contract refuses the tampered leaf: alone, and in a batch, which
      // skips it with that reason and pays nothing.
      const c = toOutsider.claim;
      const tampered = { ...c, index: BigInt(c.index), tranche: BigInt(c.tranche), amount: BigInt(c.amount), nonce: BigInt(c.nonce), deadline: BigInt(c.deadline) };
      // (Without a proof of its leaf, the outsider could only be a re-bound leaf's payee, who must have signed.)
      await expect(s.programme.connect(s.p.relayer).claimBySig(tampered))
        .to.be.revertedWithCustomError(s.programme, "AidSignaturesInvalid")
        .withArgs(s.p.outsider.address);
      const receipt = (await (await s.programme.connect(s.p.relayer).claimBatch([tampered])).wait())!;
      const events = receipt.logs.map((l) => s.programme.interface.parseLog(l)!);
      expect(events.map((e) => e.name)).to.deep.equal(["ClaimSkipped"]);
      expect(s.programme.interface.parseError(events[0].args.reason)!.name).to.equal("AidSignaturesInvalid");
      expect(skipReason(events[0].args.reason).code).to.equal("BadSignature");
    });

    it("a signature by someone else: 422 BadSignature", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = claimBody(s.address, await signedClaim(s.programme, s.roster, 2, 0n, gasless[1]));
      const res = await refused(r, body, 422, "BadSignature");
      expect(res.body.error.params.account).to.equal(gasless[0].address);
    });

    it("a tranche already claimed directly: 409 AlreadyClaimed", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      await s.programme.connect(s.p.households[0]).claim(0n, 0n, UNIT, s.roster.proof(0));
      await refused(r, await signed(s, 0), 409, "AlreadyClaimed");
    });

    it("a replayed signature (the same claim posted again after it was confirmed): 409 AlreadyClaimed", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 3);
      const first = await r.post(body);
      expect((await waitFinal(r, first.body.id)).status).to.equal("confirmed");
      await refused(r, body, 409, "AlreadyClaimed");
    });

    it("the same claim while it is still queued: 409 DuplicateRequest", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 3);
      const first = await r.post(body);
      expect(first.status).to.equal(202);
      const before = await r.spent();
      const again = await r.post(body);
      expect([again.status, again.body.error.code, again.body.error.params.id]).to.deep.equal([409, "DuplicateRequest", first.body.id]);
      expect(await r.spent()).to.deep.equal(before);
    });

    it("a proof of a replaced root (double claim across a root change): 422 InvalidProof", async function () {
      const p = await networkHelpers.loadFixture(deployRoster);
      const { programme, terms, roster, address } = await readyProgramme(p, {}, leavesFor(p));
      // Still in the publicity window: the manager replaces the roster (index 2 moves to index 3).
      const moved = leavesFor(p).map((l) => (l.index === 2n ? { ...l, index: 3n } : l.index === 3n ? { ...l, index: 2n } : l));
      const v2 = buildRoster(moved, 3n);
      await publish(programme, p.manager, v2);
      const claimsOpenAt = await approveNow(p, programme, terms);
      await openTranche(terms, claimsOpenAt, 0);
      const r = await relayerFor(await p.factory.getAddress());
      const old = claimBody(address, await signedClaim(programme, roster, 2, 0n, gasless[0]));
      const res = await refused(r, old, 422, "InvalidProof");
      expect(res.body.error.params.root).to.equal(v2.root);
      // Under the new root the same household's leaf is index 3 (array position 2), and it pays once.
      const fresh = claimBody(address, await signedClaim(programme, v2, 2, 0n, gasless[0]));
      expect(fresh.claim.index).to.equal("3");
      const ok = await r.post(fresh);
      expect(ok.status, ok.text).to.equal(202);
      expect((await waitFinal(r, ok.body.id)).status).to.equal("confirmed");
    });

    it("a held leaf: 409 LeafHeld; an upheld leaf: 409 LeafExcluded", async function () {
      const s = await setup({ open: false });
      await s.programme.connect(s.p.outsider).object(2n, ethers.id("not resident"));
      await s.programme.connect(s.p.outsider).object(3n, ethers.id("duplicate household"));
      await s.programme.connect(s.p.reviewer).ruleOnObjection(3n, true, gasless[1].address, UNIT, s.roster.proof(3));
      await openTranche(s.terms, s.claimsOpenAt, 0);
      const r = await relayerFor(s.factory);
      await refused(r, await signed(s, 2), 409, "LeafHeld");
      await refused(r, await signed(s, 3), 409, "LeafExcluded");
    });

    it("an expired signature: 422 SignatureExpired", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      await refused(r, await signed(s, 2, 0n, { deadline: (await now()) - 1n }), 422, "SignatureExpired");
      // One that would expire while queued is refused too.
      await refused(r, await signed(s, 2, 0n, { deadline: (await now()) + 10n }), 422, "SignatureExpired");
    });

    it("a stale nonce (the account invalidated its signatures): 422 StaleNonce", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 1);
      await s.programme.connect(s.p.households[1]).invalidateClaimSignatures();
      const res = await refused(r, body, 422, "StaleNonce");
      expect(res.body.error.params).to.deep.equal({ expected: "1", signed: "0" });
    });

    it("a claim before the publicity window ends: 422 NotClaimable (AidRosterPublicityWindowOpen)", async function () {
      const s = await setup({ open: false });
      const r = await relayerFor(s.factory);
      const res = await refused(r, await signed(s, 2), 422, "NotClaimable");
      expect(res.body.error.params.error).to.equal("AidRosterPublicityWindowOpen");
      expect(res.body.error.params.args.claimsOpenAt).to.equal(Number(s.claimsOpenAt));
    });

    it("a locked tranche and a paused programme: 422 NotClaimable", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const locked = await refused(r, await signed(s, 2, 1n), 422, "NotClaimable");
      expect(locked.body.error.params.error).to.equal("AidRosterTrancheLocked");
      await s.programme.connect(s.p.guardian).pause();
      const paused = await refused(r, await signed(s, 2), 422, "NotClaimable");
      expect(paused.body.error.params.error).to.equal("AidPauseActive");
    });

    it("a cancelled programme: 422 NotClaimable (AidRosterClaimsClosed)", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      await s.programme.connect(s.p.manager).approveCancellation();
      await s.programme.connect(s.p.reviewer).approveCancellation();
      const res = await refused(r, await signed(s, 2), 422, "NotClaimable");
      expect(res.body.error.params.error).to.equal("AidRosterClaimsClosed");
    });

    it("a programme the factory does not list: 404 UnknownProgramme", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const body = await signed(s, 2);
      await refused(r, { ...body, programme: await s.p.escrow.getAddress() }, 404, "UnknownProgramme");
    });

    it("malformed JSON, every malformed field (named), a wrong media type and an oversized body: 400/415/413", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const good = await signed(s, 2);
      await refused(r, undefined, 400, "MalformedRequest", "body", { raw: "{ not json" });
      await refused(r, [good], 400, "MalformedRequest", "body");
      const cases: [string, (b: any) => void][] = [
        ["programme", (b) => (b.programme = "0x1234")],
        ["programme", (b) => (b.programme = s.address.toLowerCase().replace(/^0x/, "0X"))],
        ["claim", (b) => (b.claim = "yes")],
        ["claim.index", (b) => (b.claim.index = 2)],
        ["claim.index", (b) => (b.claim.index = "-1")],
        ["claim.tranche", (b) => (b.claim.tranche = "01")],
        ["claim.account", (b) => (b.claim.account = b.claim.account.slice(0, 41) + (b.claim.account.at(-1) === "a" ? "B" : "a"))],
        ["claim.amount", (b) => (b.claim.amount = "1e18")],
        ["claim.amount", (b) => (b.claim.amount = (2n ** 256n).toString())],
        ["claim.nonce", (b) => delete b.claim.nonce],
        ["claim.deadline", (b) => (b.claim.deadline = "")],
        ["claim.proof", (b) => (b.claim.proof = "0x00")],
        ["claim.proof[1]", (b) => (b.claim.proof[1] = "0x1234")],
        ["claim.signature", (b) => (b.claim.signature = "not hex")],
        ["claim.proofs", (b) => (b.claim.proofs = [])],
        ["extra", (b) => (b.extra = 1)],
      ];
      for (const [field, mutate] of cases) {
        const body = structuredClone(good);
        mutate(body);
        await refused(r, body, 400, "MalformedRequest", field);
      }
      await refused(r, good, 415, "MalformedRequest", "content-type", { contentType: "text/plain" });
      await refused(r, undefined, 413, "MalformedRequest", "body", { raw: JSON.stringify({ ...good, pad: "x".repeat(20_000) }) });
    });

    it("too many requests for one account: 429 RateLimited with Retry-After", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { rateLimit: { capacity: 2, perMinute: 2 } });
      const expired = await signed(s, 2, 0n, { deadline: (await now()) - 1n });
      await refused(r, expired, 422, "SignatureExpired");
      await refused(r, expired, 422, "SignatureExpired");
      const limited = await refused(r, await signed(s, 2), 429, "RateLimited");
      expect(limited.headers.get("retry-after")).to.equal("30");
      // Another beneficiary is not held back by the first one's requests.
      expect((await r.post(await signed(s, 3))).status).to.equal(202);
    });

    it("junk naming a household's address does not use up that household's own limit", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { rateLimit: { capacity: 2, perMinute: 2 } });
      // Someone else signs claims naming household 2's leaf: refused, and counted against a separate bucket.
      const forged = claimBody(s.address, await signedClaim(s.programme, s.roster, 2, 0n, gasless[1]));
      await refused(r, forged, 422, "BadSignature");
      await refused(r, forged, 422, "BadSignature");
      await refused(r, forged, 429, "RateLimited");
      // The household's own signed claim still goes through.
      expect((await r.post(await signed(s, 2))).status).to.equal(202);
    });

    it("a relayer without gas money: 503 RelayerUnavailable", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { account: privateKeyToAccount(generatePrivateKey()) as any });
      await refused(r, await signed(s, 2), 503, "RelayerUnavailable");
    });
  });

  describe("a race with the beneficiary", function () {
    it("marks a queued claim skipped when the beneficiary claimed directly first, pays once, and spends no gas on it", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const queued = await r.post(await signed(s, 0));
      expect(queued.status).to.equal(202);
      await s.programme.connect(s.p.households[0]).claim(0n, 0n, UNIT, s.roster.proof(0));
      const before = await r.spent();
      const final = await waitFinal(r, queued.body.id);
      expect(final.status).to.equal("skipped");
      expect(final.error.code).to.equal("AlreadyClaimed");
      expect(final.txHash).to.equal(undefined);
      expect(await r.spent()).to.deep.equal(before);
    });

    it("reads why the contract skipped an entry that passed the batch's simulation (ClaimSkipped's reason)", async function () {
      const s = await setup();
      // Two entries that passed validation; between the simulation and the block, one household claims
      // directly and another invalidates its signatures: the batch pays the third and skips the two.
      const [paidDirectly, invalidated, fine] = [await signed(s, 0), await signed(s, 1), await signed(s, 2)];
      const asArgs = (b: Awaited<ReturnType<typeof signed>>) => {
        const c = b.claim;
        return { ...c, index: BigInt(c.index), tranche: BigInt(c.tranche), amount: BigInt(c.amount), nonce: BigInt(c.nonce), deadline: BigInt(c.deadline) };
      };
      await s.programme.connect(s.p.households[0]).claim(0n, 0n, UNIT, s.roster.proof(0));
      await s.programme.connect(s.p.households[1]).invalidateClaimSignatures();
      const receipt = (await (await s.programme.connect(s.p.relayer).claimBatch([paidDirectly, invalidated, fine].map(asArgs))).wait())!;
      const events = receipt.logs.map((l) => s.programme.interface.parseLog(l)).filter((e) => e?.name === "ClaimSkipped" || e?.name === "Claimed");
      expect(events.map((e) => [e!.name, e!.args.index])).to.deep.equal([
        ["ClaimSkipped", 0n],
        ["ClaimSkipped", 1n],
        ["Claimed", 2n],
      ]);
      const [already, stale] = [skipReason(events[0]!.args.reason), skipReason(events[1]!.args.reason)];
      expect([already.code, already.status]).to.deep.equal(["AlreadyClaimed", 409]);
      expect([stale.code, stale.status]).to.deep.equal(["StaleNonce", 422]);
      expect(stale.params).to.deep.include({ error: "AidClaimNonceMismatch" });
      expect(skipReason("0x").code).to.equal("WouldRevert");
    });

    it("drops a claim that fails alone at batch time (the account invalidated it) and sends the rest", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const a = await r.post(await signed(s, 1));
      const b = await r.post(await signed(s, 2));
      await s.programme.connect(s.p.households[1]).invalidateClaimSignatures();
      await r.relayer.drain();
      const [fa, fb] = await Promise.all([a, b].map(async (x) => (await r.get(`/v1/claims/${x.body.id}`)).body));
      expect([fa.status, fa.error.code]).to.deep.equal(["failed", "StaleNonce"]);
      expect([fb.status, fb.batchSize]).to.deep.equal(["confirmed", 1]);
    });
  });

  describe("the status store", function () {
    it("keeps at most maxRecords statuses, forgetting the oldest finished ones first", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { maxRecords: 2 });
      const first = await r.post(await signed(s, 2));
      await r.relayer.drain();
      const second = await r.post(await signed(s, 3));
      const third = await r.post(await signed(s, 4));
      // The first is final, so it makes room; the queued ones are kept whatever the bound.
      expect((await r.get(`/v1/claims/${first.body.id}`)).body.error.code).to.equal("UnknownClaim");
      expect((await r.get(`/v1/claims/${second.body.id}`)).body.status).to.equal("queued");
      expect((await r.get(`/v1/claims/${third.body.id}`)).body.status).to.equal("queued");
    });
  });

  describe("a batch whose receipt does not come", function () {
    it("leaves its claims submitted with a RelayerUnavailable note (never failed: it may still be mined)", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory, { receiptTimeoutMs: 300 });
      const body = await signed(s, 6);
      const posted = await r.post(body);
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const x = await waitFinal(r, posted.body.id);
        expect([x.status, x.error.code]).to.deep.equal(["submitted", "RelayerUnavailable"]);
        expect(x.error.message).to.contain(x.txHash);
        await ethers.provider.send("evm_mine", []);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      // Mined after all: paid once; a new request for it is judged by the chain again.
      expect(await s.programme.isSettled(6n, 0n)).to.equal(true);
      const again = await r.post(body);
      expect([again.status, again.body.error.code]).to.deep.equal([409, "AlreadyClaimed"]);
    });
  });

  describe("routes", function () {
    it("GET /v1/health names the chain, the relayer's address and balance, the factory and the queue", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      await r.post(await signed(s, 2));
      const res = await r.get("/v1/health");
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        chainId: 31337,
        relayer: r.relayer.address,
        balanceWei: (await ethers.provider.getBalance(r.relayer.address)).toString(),
        factory: s.factory,
        maxBatch: 25,
        batchIntervalMs: 60_000,
        queued: 1,
      });
    });

    it("answers 404 UnknownClaim, 404 UnknownEndpoint and 405 with Allow", async function () {
      const s = await setup();
      const r = await relayerFor(s.factory);
      const unknown = await r.get("/v1/claims/no-such-id");
      expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, "UnknownClaim"]);
      const route = await r.get("/v2/claims");
      expect([route.status, route.body.error.code]).to.deep.equal([404, "UnknownEndpoint"]);
      const method = await r.request("/v1/claims", { method: "GET" });
      expect([method.status, method.body.error.code, method.headers.get("allow")]).to.deep.equal([405, "MethodNotAllowed", "POST"]);
      const health = await r.request("/v1/health", { method: "DELETE" });
      expect([health.status, health.headers.get("allow")]).to.deep.equal([405, "GET"]);
    });
  });

  describe("shutdown and the process", function () {
    it("sends what is queued when the server closes (SIGINT/SIGTERM do this), then refuses new claims", async function () {
      const s = await setup();
      const r = await startRelayer(s.factory);
      const queued = await r.post(await signed(s, 4));
      await r.close();
      expect(r.relayer.claim(queued.body.id).status).to.equal("confirmed");
      const late = await r.relayer.submit(await signed(s, 5)).catch((e) => e);
      expect(late.code).to.equal("RelayerUnavailable");
    });

    it("scripts/relayer.ts will not start without RELAYER_PRIVATE_KEY, and takes no key argument (exit 2)", async function () {
      const run = (args: string[], env: Record<string, string | undefined>) =>
        new Promise<{ code: number | null; out: string }>((res) => {
          const child = spawn(process.execPath, [join(ROOT, "scripts", "relayer.ts"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (out += d));
          child.on("exit", (code) => res({ code, out }));
        });
      const missing = await run(["--port", "0"], { RELAYER_PRIVATE_KEY: "" });
      expect([missing.code, missing.out]).to.deep.equal([2, "relayer: set RELAYER_PRIVATE_KEY to the relayer's 0x-prefixed 32-byte private key\n"]);
      const asArgument = await run(["--private-key", `0x${RELAYER_KEY_HEX}`], { RELAYER_PRIVATE_KEY: "" });
      expect(asArgument.code).to.equal(2);
      expect(asArgument.out).to.contain("RELAYER_PRIVATE_KEY only").and.not.contain(RELAYER_KEY_HEX);
      const badBatch = await run(["--max-batch", "0"], { RELAYER_PRIVATE_KEY: `0x${RELAYER_KEY_HEX}` });
      expect([badBatch.code, badBatch.out]).to.deep.equal([2, 'relayer: --max-batch: "0" is not an integer >= 1\n']);
    });
  });

  after(function () {
    // Every body and header any test received: the relayer's key is in none of them.
    expect(seenBodies.length).to.be.greaterThan(50);
    for (const text of seenBodies) expect(text.toLowerCase()).to.not.contain(RELAYER_KEY_HEX);
  });
});
