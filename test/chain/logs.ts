/**
 * The one log reader (lib/chain/logs.ts) and the block-time cache (lib/chain/block-times.ts): against a
 * stub EIP-1193 provider that refuses large ranges, fails transiently and counts what it is asked, and
 * against the in-process Hardhat node with real escrow events.
 */
import { expect } from "chai";
import { createClient, custom, numberToHex, hexToBigInt, pad, type Address, type Hex } from "viem";
import { BlockTimes } from "../../lib/chain/block-times.ts";
import { EventFollower, classifyLogRequestError, readEvents, readLogs } from "../../lib/chain/logs.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";
import { connection, deployProtocol, createProject, networkHelpers } from "../helpers/fixtures.ts";

const A = "0x00000000000000000000000000000000000000a1" as Address;
const B = "0x00000000000000000000000000000000000000b2" as Address;

interface StubOptions {
  /** Largest range (blocks) the stub accepts; larger ones are refused like a public RPC would. */
  maxRange?: number;
  /** The refusal's wording (providers differ). */
  refusal?: { code: number; message: string };
  /** Fail this many eth_getLogs calls transiently first. */
  transientFailures?: number;
  head?: number;
  /** Blocks with one log each, per address. */
  logsAt?: Record<string, number[]>;
}

/** A stub RPC provider: one log per listed block, refusals of large ranges, a few transient failures. */
function stub(o: StubOptions) {
  const calls = { getLogs: [] as [number, number, string[]][], blocks: [] as number[], refused: 0, transient: 0, maxInFlight: 0 };
  let inFlight = 0;
  let transientLeft = o.transientFailures ?? 0;
  const request = async ({ method, params }: { method: string; params?: any[] }) => {
    if (method === "eth_blockNumber") return numberToHex(o.head ?? 1000);
    if (method === "eth_getBlockByNumber") {
      const n = Number(hexToBigInt(params![0]));
      calls.blocks.push(n);
      return { number: params![0], timestamp: numberToHex(1_700_000_000 + n * 12) };
    }
    if (method === "eth_getLogs") {
      const { address, fromBlock, toBlock } = params![0];
      const from = Number(hexToBigInt(fromBlock));
      const to = Number(hexToBigInt(toBlock));
      calls.getLogs.push([from, to, address]);
      inFlight++;
      calls.maxInFlight = Math.max(calls.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      if (transientLeft > 0) {
        transientLeft--;
        calls.transient++;
        throw Object.assign(new Error("upstream timed out"), { code: -32603 });
      }
      if (o.maxRange !== undefined && to - from + 1 > o.maxRange) {
        calls.refused++;
        const r = o.refusal ?? { code: -32005, message: `block range is too large: at most ${o.maxRange} blocks` };
        throw Object.assign(new Error(r.message), { code: r.code });
      }
      const out = [];
      for (const a of address as string[]) {
        for (const n of o.logsAt?.[a.toLowerCase()] ?? []) {
          if (n < from || n > to) continue;
          out.push({
            address: a,
            blockNumber: numberToHex(n),
            blockHash: pad(numberToHex(n)),
            transactionHash: pad(numberToHex(n * 1000 + 1)),
            transactionIndex: "0x0",
            logIndex: a.toLowerCase() === A ? "0x0" : "0x1",
            data: "0x",
            topics: [pad("0x01")],
            removed: false,
          });
        }
      }
      return out;
    }
    throw new Error(`stub: ${method} not served`);
  };
  return { client: createClient({ transport: custom({ request } as never) }), calls };
}

const noSleep = async () => {};

describe("the log reader (lib/chain/logs.ts)", function () {
  describe("against a stub provider", function () {
    it("reads every log of every address in chain order, in ranges of at most maxRange", async function () {
      const { client, calls } = stub({ logsAt: { [A]: [5, 250, 999], [B]: [5, 600] } });
      const r = await readLogs(client, { address: [A, B], fromBlock: 0, toBlock: 999, maxRange: 100, concurrency: 3 });
      expect(r.logs.map((l) => [Number(l.blockNumber), l.address.toLowerCase()])).to.deep.equal([
        [5, A],
        [5, B],
        [250, A],
        [600, B],
        [999, A],
      ]);
      expect(r.requests).to.equal(10);
      expect(calls.getLogs.every(([from, to]) => to - from + 1 <= 100)).to.equal(true);
      expect(calls.maxInFlight).to.be.at.most(3);
      expect(calls.maxInFlight).to.be.greaterThan(1);
    });

    it("halves a refused range, reads the halves, and grows back on success", async function () {
      const { client, calls } = stub({ maxRange: 300, logsAt: { [A]: [0, 299, 300, 1999] } });
      const r = await readLogs(client, { address: A, fromBlock: 0, toBlock: 1999, maxRange: 2000, concurrency: 1, sleep: noSleep });
      expect(r.logs.map((l) => Number(l.blockNumber))).to.deep.equal([0, 299, 300, 1999]);
      expect(r.splits).to.be.greaterThan(0);
      expect(calls.refused).to.equal(r.splits);
      // Every block was read exactly once by an accepted request.
      const accepted = calls.getLogs.filter(([from, to]) => to - from + 1 <= 300);
      const covered = accepted.reduce((n, [from, to]) => n + (to - from + 1), 0);
      expect(covered).to.equal(2000);
      // After a success the range grows again (up to what the provider accepts, then it is refused and halves).
      const sizes = calls.getLogs.map(([from, to]) => to - from + 1);
      const firstAccepted = sizes.findIndex((s) => s <= 300);
      expect(Math.max(...sizes.slice(firstAccepted + 1))).to.be.greaterThan(sizes[firstAccepted]);
    });

    for (const [provider, refusal] of [
      ["Alchemy", { code: -32602, message: "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range" }],
      ["Infura", { code: -32005, message: "query returned more than 10000 results" }],
      ["QuickNode", { code: -32614, message: "eth_getLogs is limited to a 10000 range" }],
    ] as const) {
      it(`recognises a refused range worded as ${provider} words it`, async function () {
        const { client } = stub({ maxRange: 50, refusal, logsAt: { [A]: [10, 180] } });
        const r = await readLogs(client, { address: A, fromBlock: 0, toBlock: 199, maxRange: 200, sleep: noSleep });
        expect(r.logs.map((l) => Number(l.blockNumber))).to.deep.equal([10, 180]);
        expect(r.splits).to.be.greaterThan(0);
      });
    }

    it("retries transient failures with backoff, then succeeds", async function () {
      const { client, calls } = stub({ transientFailures: 3, logsAt: { [A]: [7] } });
      const waits: number[] = [];
      const r = await readLogs(client, { address: A, fromBlock: 0, toBlock: 99, maxRange: 100, sleep: async (ms) => void waits.push(ms), backoffMs: 100 });
      expect(r.logs).to.have.length(1);
      expect(calls.transient).to.equal(3);
      expect(waits).to.deep.equal([100, 200, 400]);
      expect(r.requests).to.equal(4);
    });

    it("gives up after the retries, and on a one-block range that is still refused", async function () {
      const flaky = stub({ transientFailures: 10 });
      await readLogs(flaky.client, { address: A, fromBlock: 0, toBlock: 9, retries: 2, sleep: noSleep }).then(
        () => expect.fail("expected a failure"),
        (e) => expect(String(e)).to.match(/timed out/),
      );
      expect(flaky.calls.transient).to.equal(3);
      const strict = stub({ maxRange: 0 });
      await readLogs(strict.client, { address: A, fromBlock: 0, toBlock: 3, sleep: noSleep }).then(
        () => expect.fail("expected a refusal"),
        (e) => expect(String(e)).to.match(/too large/),
      );
    });

    it("reads from a given block to the head when no end is given (incremental)", async function () {
      const { client } = stub({ head: 120, logsAt: { [A]: [50, 110, 130] } });
      const r = await readLogs(client, { address: A, fromBlock: 100 });
      expect(r.toBlock).to.equal(120n);
      expect(r.logs.map((l) => Number(l.blockNumber))).to.deep.equal([110]);
    });

    it("classifies failures: refused ranges, transient ones, and the rest", function () {
      expect(classifyLogRequestError({ code: -32005, message: "query returned more than 10000 results" })).to.equal("range");
      expect(classifyLogRequestError({ shortMessage: "x", cause: { details: "exceed maximum block range: 5000" } })).to.equal("range");
      expect(classifyLogRequestError({ code: -32005, message: "daily request count exceeded, request rate limited" })).to.equal("transient");
      expect(classifyLogRequestError({ name: "HttpRequestError", status: 503, message: "Service Unavailable" })).to.equal("transient");
      expect(classifyLogRequestError({ code: -32602, message: "invalid argument 0: hex string without 0x prefix" })).to.equal("fatal");
    });
  });

  describe("block times (lib/chain/block-times.ts)", function () {
    it("fetches each block's time once, however often it is asked for", async function () {
      const { client, calls } = stub({});
      const times = new BlockTimes(client, { concurrency: 2 });
      const first = await times.getMany([5n, 5n, 6, 7n]);
      expect([...first.entries()]).to.deep.equal([
        [5n, 1_700_000_060],
        [6n, 1_700_000_072],
        [7n, 1_700_000_084],
      ]);
      await Promise.all([times.get(6), times.get(8), times.get(8)]);
      expect(calls.blocks.sort()).to.deep.equal([5, 6, 7, 8]);
      expect(times.requests).to.equal(4);
    });

    it("stamps decoded events with their block's time through the cache", async function () {
      await ensureGeneratedContracts();
      const { aidEscrowAbi } = await import("../../lib/generated/contracts.ts");
      // The stub's logs carry no real event: readEvents leaves what the ABI cannot decode out.
      const { client } = stub({ logsAt: { [A]: [3] } });
      const r = await readEvents(client, { sources: [{ address: A, abi: aidEscrowAbi, contract: "AidEscrow" }], fromBlock: 0, toBlock: 9, timestamps: true });
      expect(r.events).to.deep.equal([]);
      expect(r.blockRequests).to.equal(0);
    });
  });

  describe("against the local node", function () {
    it("reads the escrow's events in chunks, the same as in one range, with block times", async function () {
      await ensureGeneratedContracts();
      const { aidEscrowAbi } = await import("../../lib/generated/contracts.ts");
      const p = await networkHelpers.loadFixture(deployProtocol);
      await createProject(p);
      await createProject(p);
      const client = createClient({ transport: custom(connection.provider as never) });
      const escrow = (await p.escrow.getAddress()) as Address;
      const source = { address: escrow, abi: aidEscrowAbi, contract: "AidEscrow" as const };
      const whole = await readEvents(client, { sources: [source], fromBlock: 0, timestamps: true });
      const chunked = await readEvents(client, { sources: [source], fromBlock: 0, toBlock: whole.toBlock, maxRange: 2, concurrency: 2, timestamps: true });
      expect(whole.events.filter((e) => e.name === "ProjectCreated")).to.have.length(2);
      expect(chunked.events).to.deep.equal(whole.events);
      expect(chunked.requests).to.equal(Math.ceil(Number(whole.toBlock + 1n) / 2));
      for (const e of whole.events) {
        const block = await connection.provider.request({ method: "eth_getBlockByNumber", params: [numberToHex(e.blockNumber), false] });
        expect(e.timestamp).to.equal(Number(hexToBigInt((block as { timestamp: Hex }).timestamp)));
      }
    });

    it("follows the chain: each update reads only the blocks after the last one read", async function () {
      await ensureGeneratedContracts();
      const { aidEscrowAbi } = await import("../../lib/generated/contracts.ts");
      const p = await networkHelpers.loadFixture(deployProtocol);
      const client = createClient({ transport: custom(connection.provider as never) });
      const escrow = (await p.escrow.getAddress()) as Address;
      const follower = new EventFollower(client, { sources: [{ address: escrow, abi: aidEscrowAbi, contract: "AidEscrow" }], fromBlock: 0, timestamps: true });
      await follower.update();
      const before = follower.events.length;
      const from = follower.nextBlock;
      await createProject(p);
      const fresh = await follower.update();
      expect(fresh.map((e) => e.name)).to.include("ProjectCreated");
      expect(fresh.every((e) => e.blockNumber >= from)).to.equal(true);
      expect(follower.events.length).to.equal(before + fresh.length);
      expect(await follower.update()).to.deep.equal([]);
    });
  });
});
