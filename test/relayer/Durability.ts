/**
 * The relayer loses nothing (issue 13, item 5): what it accepted survives a restart and a `kill -9`, and a
 * batch caught in flight is neither lost nor signed twice. The stores are exercised directly (SQLite here;
 * PostgreSQL too when DATABASE_URL names one, as CI's PostgreSQL pass does), then the real process,
 * scripts/relayer.ts, is killed with SIGKILL at each dangerous moment against a real chain: the in-process
 * Hardhat network served over HTTP (test/relayer/helpers.ts's serveRpc).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { Wallet } from "ethers";
import type { Address, Hex } from "viem";
import { ethers, networkHelpers, deployRoster, readyProgramme, openTranche, signedClaim, type Leaf } from "../roster/helpers.ts";
import { startRelayerProcess } from "../../scripts/devnet/node.ts";
import { MemoryClaimStore, PostgresClaimStore, SqliteClaimStore, StoreMismatch, claimStoreAt, type ClaimStore, type StoredClaim } from "../../lib/relayer/store.ts";
import { parseClaimRequest } from "../../lib/relayer/request.ts";
import { RELAYER_ACCOUNT, RELAYER_KEY_HEX, claimBody, serveRpc } from "./helpers.ts";

const UNIT = ethers.parseEther("1");
/** Households who never send a transaction: their balance moves only by what they are paid. */
const gasless = Array.from({ length: 6 }, (_, i) => new Wallet(ethers.id(`relayer-durability-${i}`)));

async function setup() {
  const p = await networkHelpers.loadFixture(deployRoster);
  const leaves: Leaf[] = gasless.map((w, i) => ({ index: BigInt(i), account: w.address, amount: UNIT * BigInt(i + 1) }));
  const ready = await readyProgramme(p, {}, leaves);
  await openTranche(ready.terms, ready.claimsOpenAt, 0);
  const signed = async (i: number) => claimBody(ready.address, await signedClaim(ready.programme, ready.roster, i, 0n, gasless[i]));
  return { ...ready, factory: await p.factory.getAddress(), signed };
}

const identity = (o: Partial<{ chainId: number; genesis: Hex; relayer: Address; factory: Address }> = {}) => ({
  chainId: 31337,
  genesis: `0x${"11".repeat(32)}` as Hex,
  relayer: "0x00000000000000000000000000000000000000aa" as Address,
  factory: "0x00000000000000000000000000000000000000bb" as Address,
  ...o,
});

describe("the relayer loses nothing (lib/relayer/store.ts, a restart, kill -9)", function () {
  this.timeout(180_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "precisionaid-relayer-store-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // ------------------------------------------------------------------------------------------- stores
  const kinds: [string, () => ClaimStore][] = [
    ["in memory (tests only)", () => new MemoryClaimStore()],
    ["SQLite (the embedded default)", () => new SqliteClaimStore(join(dir, `s-${Math.random()}.sqlite`))],
  ];
  if (process.env.DATABASE_URL) kinds.push(["PostgreSQL (DATABASE_URL)", () => new PostgresClaimStore(process.env.DATABASE_URL!)]);

  for (const [name, make] of kinds) {
    describe(`the ${name} store`, function () {
      it("gives back every accepted claim in order, their latest states, and the batches still in flight", async function () {
        const s = await setup();
        const store = make();
        if (store instanceof PostgresClaimStore) await dropPostgresTables(process.env.DATABASE_URL!);
        const first = await store.open(identity());
        expect(first).to.deep.equal({ claims: [], inflight: [] });
        const claims: StoredClaim[] = [];
        for (const i of [3, 1, 4]) {
          const { claim } = parseClaimRequest(await s.signed(i));
          const c: StoredClaim = {
            record: { id: `id-${i}`, programme: s.address as Address, index: String(i), tranche: "0", account: claim.account, status: "queued" },
            claim,
            attempts: 0,
          };
          await store.accept(c);
          claims.push(c);
        }
        const raw = "0x02f8" as Hex;
        const hash = `0x${"ab".repeat(32)}` as Hex;
        claims[0].record = { ...claims[0].record, status: "submitted", txHash: hash, batchSize: 2 };
        claims[1].record = { ...claims[1].record, status: "submitted", txHash: hash, batchSize: 2 };
        await store.sending({ hash, raw, programme: s.address as Address, ids: ["id-3", "id-1"] }, claims.slice(0, 2));
        claims[2] = { ...claims[2], attempts: 2 };
        await store.save([claims[2]]);
        await store.close();

        const again = make === kinds[0][1] ? store : reopen(store);
        const back = await again.open(identity());
        expect(back.claims.map((c) => [c.record.id, c.record.status, c.record.txHash, c.attempts])).to.deep.equal([
          ["id-3", "submitted", hash, 0],
          ["id-1", "submitted", hash, 0],
          ["id-4", "queued", undefined, 2],
        ]);
        // The signed claim comes back exactly (it is resent as it was signed).
        expect(back.claims[2].claim).to.deep.equal(claims[2].claim);
        expect(back.inflight).to.deep.equal([{ hash, raw, programme: s.address, ids: ["id-3", "id-1"] }]);

        claims[0].record = { ...claims[0].record, status: "confirmed", blockNumber: "7" };
        claims[1].record = { ...claims[1].record, status: "skipped", blockNumber: "7" };
        await again.landed(hash, claims.slice(0, 2));
        await again.close();
        const third = make === kinds[0][1] ? again : reopen(again);
        const last = await third.open(identity());
        expect(last.inflight).to.deep.equal([]);
        expect(last.claims.map((c) => [c.record.status, c.record.blockNumber])).to.deep.equal([
          ["confirmed", "7"],
          ["skipped", "7"],
          ["queued", undefined],
        ]);
        await third.close();
      });

      if (name !== kinds[0][0]) {
        it("refuses to open for another chain, relayer key or factory (StoreMismatch names the field)", async function () {
          const store = make();
          if (store instanceof PostgresClaimStore) await dropPostgresTables(process.env.DATABASE_URL!);
          await store.open(identity());
          await store.close();
          for (const [field, other] of [
            ["genesis", { genesis: `0x${"22".repeat(32)}` as Hex }],
            ["chainId", { chainId: 1 }],
            ["relayer", { relayer: "0x00000000000000000000000000000000000000cc" as Address }],
            ["factory", { factory: "0x00000000000000000000000000000000000000dd" as Address }],
          ] as const) {
            const again = reopen(store);
            const err = await again.open(identity(other)).then(
              () => undefined,
              (e) => e,
            );
            await again.close();
            expect(err, field).to.be.instanceOf(StoreMismatch);
            expect(err).to.include({ field, stored: String(identity()[field]).toLowerCase(), given: String(identity(other)[field]).toLowerCase() });
            expect(err.message).to.contain("--store");
          }
        });
      }
    });
  }

  it("--store takes a postgresql:// URL or a path, and never shows the password", function () {
    expect(claimStoreAt(join(dir, "x.sqlite"))).to.be.instanceOf(SqliteClaimStore);
    const pg = claimStoreAt("postgresql://relayer:s3cret@db.example:5432/aid");
    expect(pg).to.be.instanceOf(PostgresClaimStore);
    expect(pg.location).to.equal("postgresql://relayer:***@db.example:5432/aid");
    expect(claimStoreAt("postgres://db.example/aid")).to.be.instanceOf(PostgresClaimStore);
  });

  // ---------------------------------------------------------------------------------- the real process
  describe("scripts/relayer.ts killed with SIGKILL", function () {
    let rpc: Awaited<ReturnType<typeof serveRpc>>;
    let children: ChildProcess[] = [];
    before(async () => (rpc = await serveRpc()));
    after(async () => rpc.close());
    afterEach(async function () {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      children = [];
      await ethers.provider.send("evm_setAutomine", [true]);
    });

    async function relayer(factory: string, store: string, args: string[] = []) {
      const r = await startRelayerProcess({ rpcUrl: rpc.url, port: 0, factory, privateKey: `0x${RELAYER_KEY_HEX}`, args: ["--store", store, ...args] });
      children.push(r.process);
      const call = async (path: string, init?: RequestInit) => {
        const res = await fetch(r.url + path, init);
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      return {
        ...r,
        post: (body: unknown) => call("/v1/claims", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
        get: (id: string) => call(`/v1/claims/${id}`),
        kill9: () =>
          new Promise<void>((resolve) => {
            r.process.once("exit", () => resolve());
            r.process.kill("SIGKILL");
          }),
      };
    }

    async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
      const end = Date.now() + ms;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const balances = () => Promise.all(gasless.map((w) => ethers.provider.getBalance(w.address)));
    const relayerNonce = () => ethers.provider.getTransactionCount(RELAYER_ACCOUNT.address);

    it("accepted but not yet sent: the claims are queued again after the restart and paid once", async function () {
      const s = await setup();
      const store = join(dir, "queued.sqlite");
      const before = await balances();
      const nonce = await relayerNonce();
      // A long interval: the claims wait in the queue when the process dies.
      const a = await relayer(s.factory, store, ["--batch-interval-ms", "600000"]);
      const ids = [];
      for (const i of [0, 2]) {
        const res = await a.post(await s.signed(i));
        expect(res.status).to.equal(202);
        ids.push(res.body.id as string);
      }
      await a.kill9();
      expect(await relayerNonce()).to.equal(nonce);

      const b = await relayer(s.factory, store, ["--batch-interval-ms", "100"]);
      expect(b.output()).to.match(/resumed 2 queued claims and 0 batches in flight/);
      const done = await Promise.all(ids.map((id) => until(`claim ${id}`, async () => ((await b.get(id)).body.status === "confirmed" ? (await b.get(id)).body : undefined))));
      expect(done.map((d) => [d.index, d.batchSize])).to.deep.equal([
        ["0", 2],
        ["2", 2],
      ]);
      expect(await relayerNonce()).to.equal(nonce + 1);
      const after = await balances();
      expect(after.map((x, i) => x - before[i])).to.deep.equal([UNIT, 0n, 3n * UNIT, 0n, 0n, 0n]);
      // Posting one again is judged by the chain, not queued twice.
      const again = await b.post(await s.signed(0));
      expect([again.status, again.body.error.code]).to.deep.equal([409, "AlreadyClaimed"]);
    });

    it("killed after broadcasting, and the node lost the transaction: the same signed batch is rebroadcast, not a second one", async function () {
      const s = await setup();
      const store = join(dir, "inflight-lost.sqlite");
      const before = await balances();
      const nonce = await relayerNonce();
      await ethers.provider.send("evm_setAutomine", [false]);
      const a = await relayer(s.factory, store, ["--max-batch", "3", "--batch-interval-ms", "600000"]);
      const ids: string[] = [];
      for (const i of [1, 3, 5]) ids.push((await a.post(await s.signed(i))).body.id);
      // The third claim filled the batch: it is signed, recorded and broadcast, and waits to be mined.
      const hash = await until("the batch's broadcast", async () => {
        const r = (await a.get(ids[0])).body;
        return r.status === "submitted" && (await ethers.provider.send("eth_getTransactionByHash", [r.txHash])) ? (r.txHash as string) : undefined;
      });
      await a.kill9();
      // As if the node restarted with an empty mempool: only the relayer's store still knows the batch.
      expect(await ethers.provider.send("hardhat_dropTransaction", [hash])).to.equal(true);
      expect(await ethers.provider.send("eth_getTransactionByHash", [hash])).to.equal(null);

      const b = await relayer(s.factory, store, ["--max-batch", "3", "--batch-interval-ms", "100"]);
      await until("the rebroadcast", async () => ((await ethers.provider.send("eth_getTransactionByHash", [hash])) ? true : undefined));
      expect(b.output()).to.contain(`rebroadcast ${hash}`);
      await ethers.provider.send("evm_mine", []);
      const done = await Promise.all(ids.map((id) => until(`claim ${id}`, async () => ((await b.get(id)).body.status === "confirmed" ? (await b.get(id)).body : undefined))));
      expect(done.map((d) => [d.txHash, d.batchSize])).to.deep.equal(Array(3).fill([hash, 3]));
      expect(await relayerNonce()).to.equal(nonce + 1);
      const after = await balances();
      expect(after.map((x, i) => x - before[i])).to.deep.equal([0n, 2n * UNIT, 0n, 4n * UNIT, 0n, 6n * UNIT]);
    });

    it("killed after broadcasting, and the batch was mined while it was down: it reads the receipt and confirms, sending nothing", async function () {
      const s = await setup();
      const store = join(dir, "inflight-mined.sqlite");
      const before = await balances();
      const nonce = await relayerNonce();
      await ethers.provider.send("evm_setAutomine", [false]);
      const a = await relayer(s.factory, store, ["--max-batch", "2", "--batch-interval-ms", "600000"]);
      const ids: string[] = [];
      for (const i of [2, 4]) ids.push((await a.post(await s.signed(i))).body.id);
      const hash = await until("the batch's broadcast", async () => {
        const r = (await a.get(ids[0])).body;
        return r.status === "submitted" && (await ethers.provider.send("eth_getTransactionByHash", [r.txHash])) ? (r.txHash as string) : undefined;
      });
      await a.kill9();
      await ethers.provider.send("evm_mine", []);
      await ethers.provider.send("evm_setAutomine", [true]);

      const b = await relayer(s.factory, store, ["--max-batch", "2", "--batch-interval-ms", "100"]);
      expect(b.output()).to.match(/resumed 0 queued claims and 1 batches in flight/);
      const done = await Promise.all(ids.map((id) => until(`claim ${id}`, async () => ((await b.get(id)).body.status === "confirmed" ? (await b.get(id)).body : undefined))));
      expect(done.map((d) => d.txHash)).to.deep.equal([hash, hash]);
      expect(await relayerNonce()).to.equal(nonce + 1);
      const after = await balances();
      expect(after.map((x, i) => x - before[i])).to.deep.equal([0n, 0n, 3n * UNIT, 0n, 5n * UNIT, 0n]);
    });

    it("will not start on a store made for another chain, and says which (exit 1)", async function () {
      const s = await setup();
      const store = join(dir, "other-chain.sqlite");
      const other = new SqliteClaimStore(store);
      await other.open(identity({ chainId: 31337, relayer: RELAYER_ACCOUNT.address, factory: s.factory as Address }));
      await other.close();
      const err = await relayer(s.factory, store).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.match(/the relayer store .*other-chain\.sqlite was made for genesis 0x1111/);
    });
  });
});

/** A store of the same kind and place, as a restarted process would open it. */
function reopen(store: ClaimStore): ClaimStore {
  if (store instanceof SqliteClaimStore) return new SqliteClaimStore(store.location);
  if (store instanceof PostgresClaimStore) return new PostgresClaimStore(process.env.DATABASE_URL!);
  return store;
}

async function dropPostgresTables(url: string) {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("DROP TABLE IF EXISTS relayer_meta, relayer_claims, relayer_batches");
  await c.end();
}
