/**
 * The dApp's roster side outside React: the proof lookup by HTTP range requests against a served roster
 * file, the file route's range handling, the URI resolution and range relay, the relayer proxy's
 * forwarding and error mapping, the browser's relayer client, tranche states, and the sentences for
 * every relayer code. Real HTTP servers on 127.0.0.1 stand in for the roster host and the relayer.
 */
import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address } from "viem";
import { RosterParser, buildRosterTree, encodeProofsFile, keccak256Hasher } from "../../lib/roster/index.ts";
import { RosterFileError, httpRangeReader, lookupProof } from "../../lib/roster/proof-lookup.ts";
import { MAX_RANGE_BYTES, parseRange, relayRosterRange, resolveRosterUri, rosterFilesDir, safeJoin, serveRosterFile } from "../../lib/server/rosterFiles.ts";
import { MAX_BODY_BYTES, proxyToRelayer, relayerBaseUrl } from "../../lib/server/relayerProxy.ts";
import { RELAYER_ERROR_CODES, RelayerRequestError, claimRequestJson, claimStatus, submitClaim } from "../../lib/relayer/client.ts";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";
import { proofMatchesRoot, rosterLeaf } from "../../lib/roster/leaf.ts";
import * as rosterStatus from "../../lib/roster/status.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Node request -> fetch Request, so the route logic runs exactly as in the route handler. */
function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers });
}
async function send(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const ACCOUNTS = ["0xBcd4042DE499D14e55001CcbB24a551F3b954096", "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec", "0xcd3B766CCDd6AE721141F452C550Ca635964ce71"];

describe("roster files in the dApp", function () {
  let dir: string;
  let csvRows: [string, string, string][];
  let root: string;
  let proofsBytes: Buffer;
  let files: { server: Server; url: string };
  const requests: { range?: string }[] = [];

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "roster-web-"));
    const lines = ["index,beneficiary,amount"];
    csvRows = [];
    for (let i = 0; i < 600; i++) {
      const account = i < ACCOUNTS.length ? ACCOUNTS[i] : `0x${(BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(40, "0").slice(-40)}`;
      const row: [string, string, string] = [String(i), account.toLowerCase(), String(1_000_000 + i)];
      csvRows.push(row);
      lines.push(row.join(","));
    }
    const keccak = await keccak256Hasher();
    const parser = new RosterParser(keccak);
    parser.push(`${lines.join("\n")}\n`);
    const parsed = parser.finish();
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const tree = buildRosterTree(parsed.rows, keccak);
    root = tree.root;
    proofsBytes = Buffer.concat([...encodeProofsFile(tree)].map((p) => Buffer.from(p)));
    mkdirSync(join(dir, "meals-v1"));
    writeFileSync(join(dir, "meals-v1", "roster.proofs"), proofsBytes);
    writeFileSync(join(dir, "meals-v1", "households.csv"), "index,beneficiary,amount,name\n0,0xBcd4042DE499D14e55001CcbB24a551F3b954096,1,Wang Fang\n");
    // Not a roster file, under a published name.
    mkdirSync(join(dir, "junk"));
    writeFileSync(join(dir, "junk", "roster.proofs"), "this is not a roster file, but long enough to be read as one: ".repeat(4));
    files = await listen(async (req, res) => {
      requests.push({ range: req.headers.range });
      const segments = (req.url ?? "/").split("?")[0].split("/").slice(3).map(decodeURIComponent); // /api/roster-files/...
      await send(res, await serveRosterFile(dir, segments, toRequest(req, "http://x")));
    });
  });
  after(async function () {
    await close(files.server);
    rmSync(dir, { recursive: true, force: true });
  });

  describe("proof lookup by range requests (lookupProof + httpRangeReader)", function () {
    it("finds a beneficiary's record in three small reads, and its proof is the one OpenZeppelin gives", async function () {
      requests.length = 0;
      const record = await lookupProof(httpRangeReader(`${files.url}/api/roster-files/meals-v1/roster.proofs`), ACCOUNTS[1] as Address);
      expect(record).to.not.equal(undefined);
      expect(record!.index).to.equal(1n);
      expect(record!.amount).to.equal(1_000_001n);
      expect(record!.root).to.equal(root);
      const oz = StandardMerkleTree.of(csvRows, ["uint256", "address", "uint256"]);
      expect(oz.root).to.equal(root);
      expect(record!.proof).to.deep.equal(oz.getProof(1));
      expect(requests).to.have.length(3);
      expect(requests.every((r) => r.range?.startsWith("bytes="))).to.equal(true);
      const fetched = requests.reduce((sum, r) => {
        const [a, b] = r.range!.slice(6).split("-").map(Number);
        return sum + (b - a + 1);
      }, 0);
      expect(fetched).to.be.lessThan(proofsBytes.length / 10);
    });

    it("answers undefined for an account that is not on the roster", async function () {
      const record = await lookupProof(httpRangeReader(`${files.url}/api/roster-files/meals-v1/roster.proofs`), "0xdD2FD4581271e230360230F9337D5c0430Bf44C0");
      expect(record).to.equal(undefined);
    });

    it("refuses a host that answers with the whole file instead of a range", async function () {
      const whole = await listen((_req, res) => {
        res.statusCode = 200;
        res.end(proofsBytes);
      });
      try {
        const err = await lookupProof(httpRangeReader(`${whole.url}/roster.proofs`), ACCOUNTS[0] as Address).catch((e) => e);
        expect(err).to.be.instanceOf(RosterFileError);
        expect(err.code).to.equal("noRanges");
      } finally {
        await close(whole.server);
      }
    });

    it("reports a missing file, an unreachable host and a file that is not a roster", async function () {
      const missing = await lookupProof(httpRangeReader(`${files.url}/api/roster-files/meals-v9/roster.proofs`), ACCOUNTS[0] as Address).catch((e) => e);
      expect(missing.code).to.equal("notPublished");
      const down = await listen(() => undefined);
      const url = down.url;
      await close(down.server);
      const unreachable = await lookupProof(httpRangeReader(`${url}/x`), ACCOUNTS[0] as Address).catch((e) => e);
      expect(unreachable.code).to.equal("unreachable");
      const corrupt = await lookupProof(httpRangeReader(`${files.url}/api/roster-files/junk/roster.proofs`), ACCOUNTS[0] as Address).catch((e) => e);
      expect(corrupt).to.be.instanceOf(RosterFileError);
      expect(corrupt.code).to.equal("corrupt");
    });
  });

  describe("the on-chain root check (proofMatchesRoot, rosterLeaf)", function () {
    const web = { rosterLeaf, proofMatchesRoot };
    it("computes OpenZeppelin's leaf hash", function () {
      const oz = StandardMerkleTree.of(csvRows, ["uint256", "address", "uint256"]);
      expect(web.rosterLeaf(2n, ACCOUNTS[2] as Address, 1_000_002n)).to.equal(oz.leafHash(csvRows[2]));
    });
    it("accepts the record's proof under the root and refuses another root, another amount or a changed sibling", async function () {
      const record = (await lookupProof(httpRangeReader(`${files.url}/api/roster-files/meals-v1/roster.proofs`), ACCOUNTS[2] as Address))!;
      expect(web.proofMatchesRoot(record, root as `0x${string}`)).to.equal(true);
      expect(web.proofMatchesRoot(record, `0x${"11".repeat(32)}`)).to.equal(false);
      expect(web.proofMatchesRoot({ ...record, amount: record.amount + 1n }, root as `0x${string}`)).to.equal(false);
      const proof = [...record.proof];
      proof[0] = `0x${"00".repeat(31)}01`;
      expect(web.proofMatchesRoot({ ...record, proof }, root as `0x${string}`)).to.equal(false);
    });
  });

  describe("the roster file route (serveRosterFile)", function () {
    const get = (path: string, range?: string, method = "GET") =>
      serveRosterFile(dir, path.split("/"), new Request("http://x/", { method, headers: range ? { range } : {} }));

    it("serves a range with 206, Content-Range and exactly those bytes", async function () {
      const res = await get("meals-v1/roster.proofs", "bytes=10-73");
      expect(res.status).to.equal(206);
      expect(res.headers.get("content-range")).to.equal(`bytes 10-73/${proofsBytes.length}`);
      expect(res.headers.get("accept-ranges")).to.equal("bytes");
      expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(proofsBytes.subarray(10, 74));
    });
    it("serves open-ended and suffix ranges, HEAD, and the whole file without a range", async function () {
      const tail = await get("meals-v1/roster.proofs", "bytes=-16");
      expect(Buffer.from(await tail.arrayBuffer())).to.deep.equal(proofsBytes.subarray(proofsBytes.length - 16));
      const from = await get("meals-v1/roster.proofs", `bytes=${proofsBytes.length - 5}-`);
      expect((await from.arrayBuffer()).byteLength).to.equal(5);
      const head = await get("meals-v1/roster.proofs", undefined, "HEAD");
      expect(head.status).to.equal(200);
      expect(head.headers.get("content-length")).to.equal(String(proofsBytes.length));
      const whole = await get("meals-v1/roster.proofs");
      expect(whole.status).to.equal(200);
      expect(Buffer.from(await whole.arrayBuffer())).to.deep.equal(proofsBytes);
    });
    it("answers 416 to an unsatisfiable, malformed, multi-part or oversized range", async function () {
      for (const range of [`bytes=${proofsBytes.length}-`, "bytes=5-2", "items=0-1", "bytes=0-1,4-5", "bytes=-0"]) {
        const res = await get("meals-v1/roster.proofs", range);
        expect(res.status, range).to.equal(416);
        expect(res.headers.get("content-range"), range).to.equal(`bytes */${proofsBytes.length}`);
      }
      mkdirSync(join(dir, "big"), { recursive: true });
      writeFileSync(join(dir, "big", "roster.tree"), Buffer.alloc(MAX_RANGE_BYTES + 10));
      const res = await get("big/roster.tree", `bytes=0-${MAX_RANGE_BYTES}`);
      expect(res.status).to.equal(416);
      expect((await res.json()).error.code).to.equal("RangeTooLarge");
    });
    it("never leaves its folder, and answers 404 for what is not a file", async function () {
      expect(safeJoin(dir, ["..", "etc", "passwd"])).to.equal(undefined);
      expect(safeJoin(dir, ["meals-v1/../../x"])).to.equal(undefined);
      expect(safeJoin(dir, [])).to.equal(undefined);
      expect(safeJoin(dir, ["meals-v1", "roster.proofs"])).to.equal(join(dir, "meals-v1", "roster.proofs"));
      // The officials' CSV (names beside addresses) is never served, even from the published folder.
      for (const path of ["../etc/passwd", "meals-v1", "meals-v1/nothing", "meals-v1/households.csv", "../meals-v1/roster.proofs"]) {
        const res = await get(path);
        expect(res.status, path).to.equal(404);
        expect((await res.json()).error.code).to.equal("NotFound");
      }
    });
    it("parses ranges the way RFC 9110 reads them", function () {
      expect(parseRange(null, 100)).to.equal(undefined);
      expect(parseRange("bytes=0-0", 100)).to.deep.equal({ start: 0, end: 0 });
      expect(parseRange("bytes=90-200", 100)).to.deep.equal({ start: 90, end: 99 });
      expect(parseRange("bytes=-200", 100)).to.deep.equal({ start: 0, end: 99 });
      expect(parseRange("bytes=100-", 100)).to.equal("invalid");
    });
    it("reads ROSTER_FILES_DIR, else the devnet folder named after the RPC port", function () {
      expect(rosterFilesDir({ ROSTER_FILES_DIR: "/srv/rosters" }, "/app")).to.equal("/srv/rosters");
      expect(rosterFilesDir({}, "/app")).to.equal("/app/.devnet/rosters");
      expect(rosterFilesDir({ NEXT_PUBLIC_RPC_URL: "http://127.0.0.1:8546" }, "/app")).to.equal("/app/.devnet/rosters-8546");
    });
  });

  describe("where a published URI is read from (resolveRosterUri)", function () {
    const self = "http://127.0.0.1:3100";
    it("reads this dApp's own files from disk, by full URL or by path", function () {
      expect(resolveRosterUri(`${self}/api/roster-files/meals-v1/roster.proofs`, self)).to.deep.equal({ kind: "local", segments: ["meals-v1", "roster.proofs"] });
      expect(resolveRosterUri("/api/roster-files/a%20b/roster.proofs", self)).to.deep.equal({ kind: "local", segments: ["a b", "roster.proofs"] });
    });
    it("sends ipfs:// through the gateway and https:// as it is", function () {
      expect(resolveRosterUri("ipfs://bafybeigdyrzt/roster.proofs", self, "https://gw.example/")).to.deep.equal({ kind: "remote", url: "https://gw.example/ipfs/bafybeigdyrzt/roster.proofs" });
      expect(resolveRosterUri("ipfs://ipfs/bafybeigdyrzt", self, "https://gw.example")).to.deep.equal({ kind: "remote", url: "https://gw.example/ipfs/bafybeigdyrzt" });
      expect(resolveRosterUri("https://cdn.example/r/roster.proofs", self)).to.deep.equal({ kind: "remote", url: "https://cdn.example/r/roster.proofs" });
    });
    it("refuses other schemes, malformed ipfs URIs and this site's other paths", function () {
      for (const uri of ["javascript:alert(1)", "file:///etc/passwd", "ipfs://", "ipfs://bad cid", `${self}/api/relayer/v1/health`, "/api/dev-accounts"]) {
        expect(resolveRosterUri(uri, self).kind, uri).to.equal("unsupported");
      }
    });
  });

  describe("relaying a remote roster file (relayRosterRange)", function () {
    it("relays one range and refuses to pull a whole file or an oversized range", async function () {
      const range = new Request("http://x/", { headers: { range: "bytes=0-63" } });
      const ok = await relayRosterRange(`${files.url}/api/roster-files/meals-v1/roster.proofs`, range);
      expect(ok.status).to.equal(206);
      expect(Buffer.from(await ok.arrayBuffer())).to.deep.equal(proofsBytes.subarray(0, 64));
      const none = await relayRosterRange(`${files.url}/api/roster-files/meals-v1/roster.proofs`, new Request("http://x/"));
      expect(none.status).to.equal(400);
      expect((await none.json()).error.code).to.equal("RangeRequired");
      const huge = await relayRosterRange(`${files.url}/x`, new Request("http://x/", { headers: { range: `bytes=0-${MAX_RANGE_BYTES}` } }));
      expect(huge.status).to.equal(416);
    });
    it("maps a host without ranges, a missing file and a dead host to codes", async function () {
      const whole = await listen((_req, res) => res.end("whole"));
      const range = () => new Request("http://x/", { headers: { range: "bytes=0-3" } });
      try {
        expect((await (await relayRosterRange(`${whole.url}/f`, range())).json()).error.code).to.equal("RangesUnsupported");
      } finally {
        await close(whole.server);
      }
      expect((await relayRosterRange(`${files.url}/api/roster-files/none`, range())).status).to.equal(404);
      const dead = await relayRosterRange(whole.url, range());
      expect(dead.status).to.equal(502);
      expect((await dead.json()).error.code).to.equal("RosterFileUnreachable");
    });
  });
});

describe("the relayer proxy (app/api/relayer/[...path])", function () {
  let relayer: { server: Server; url: string };
  const seen: { method?: string; url?: string; body: string }[] = [];
  before(async function () {
    relayer = await listen((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, body });
        res.setHeader("content-type", "application/json");
        if (req.url === "/v1/claims" && req.method === "POST") {
          const claim = JSON.parse(body).claim;
          if (claim.account === "0x0000000000000000000000000000000000000429") {
            res.statusCode = 429;
            res.setHeader("retry-after", "17");
            return res.end(JSON.stringify({ error: { code: "RateLimited", message: "slow down" } }));
          }
          if (claim.index === "9") {
            res.statusCode = 409;
            return res.end(JSON.stringify({ error: { code: "AlreadyClaimed", message: "paid" } }));
          }
          res.statusCode = 202;
          return res.end(JSON.stringify({ id: "c-1", status: "queued" }));
        }
        if (req.url === "/v1/claims/c-1") return res.end(JSON.stringify({ id: "c-1", status: "confirmed", txHash: `0x${"ab".repeat(32)}`, batchSize: 2 }));
        if (req.url === "/v1/crash") {
          res.statusCode = 502;
          res.setHeader("content-type", "text/html");
          return res.end("<html>Bad gateway</html>");
        }
        if (req.url === "/v1/hang") return; // never answers
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: "UnknownClaim", message: "no such claim" } }));
      });
    });
  });
  after(async function () {
    relayer.server.closeAllConnections();
    await close(relayer.server);
  });

  const body = (account = "0x00000000000000000000000000000000000000A1", index = "5") =>
    JSON.stringify({ programme: "0x00000000000000000000000000000000000000B2", claim: { index, tranche: "0", account, amount: "1", nonce: "0", deadline: "1", proof: [], signature: "0x" } });
  const post = (path: string[], text: string) => proxyToRelayer(new Request(`http://127.0.0.1:3100/api/relayer/${path.join("/")}`, { method: "POST", body: text }), path, relayer.url);
  const get = (path: string[], base = relayer.url, timeoutMs?: number) =>
    proxyToRelayer(new Request(`http://127.0.0.1:3100/api/relayer/${path.join("/")}`), path, base, fetch, timeoutMs);

  it("forwards a POST's body and the relayer's 202 answer", async function () {
    const res = await post(["v1", "claims"], body());
    expect(res.status).to.equal(202);
    expect(await res.json()).to.deep.equal({ id: "c-1", status: "queued" });
    expect(seen.at(-1)).to.deep.include({ method: "POST", url: "/v1/claims", body: body() });
  });
  it("passes the relayer's 4xx codes through with their status, and Retry-After", async function () {
    const conflict = await post(["v1", "claims"], body(undefined, "9"));
    expect(conflict.status).to.equal(409);
    expect((await conflict.json()).error.code).to.equal("AlreadyClaimed");
    const limited = await post(["v1", "claims"], body("0x0000000000000000000000000000000000000429"));
    expect(limited.status).to.equal(429);
    expect(limited.headers.get("retry-after")).to.equal("17");
  });
  it("forwards GET of a claim's status", async function () {
    const res = await get(["v1", "claims", "c-1"]);
    expect(res.status).to.equal(200);
    expect((await res.json()).status).to.equal("confirmed");
  });
  it("answers 503 RelayerUnavailable when the relayer is down, hangs, or answers without its JSON", async function () {
    const down = await listen(() => undefined);
    const url = down.url;
    await close(down.server);
    for (const res of [await get(["v1", "health"], url), await get(["v1", "hang"], relayer.url, 300), await get(["v1", "crash"])]) {
      expect(res.status).to.equal(503);
      expect((await res.json()).error.code).to.equal("RelayerUnavailable");
    }
  });
  it("refuses paths outside /v1, odd methods and bodies too large to be a claim", async function () {
    for (const path of [["admin"], ["v1"], ["v1", ".."], ["v2", "claims"]]) {
      const res = await get(path);
      expect(res.status, path.join("/")).to.equal(404);
      expect((await res.json()).error.code).to.equal("UnknownEndpoint");
    }
    const del = await proxyToRelayer(new Request("http://x/api/relayer/v1/claims", { method: "DELETE" }), ["v1", "claims"], relayer.url);
    expect(del.status).to.equal(405);
    const big = await post(["v1", "claims"], "x".repeat(MAX_BODY_BYTES + 1));
    expect(big.status).to.equal(413);
    expect((await big.json()).error).to.deep.include({ code: "MalformedRequest", field: "body" });
  });
  it("finds the relayer in RELAYER_URL, else the devnet state, else at the dApp's port + 1", async function () {
    const cwd = mkdtempSync(join(tmpdir(), "relayer-url-"));
    try {
      expect(await relayerBaseUrl("http://127.0.0.1:3100/x", { RELAYER_URL: "http://10.0.0.5:9000/" }, cwd)).to.equal("http://10.0.0.5:9000");
      expect(await relayerBaseUrl("http://127.0.0.1:3100/x", { NEXT_PUBLIC_RPC_URL: "http://127.0.0.1:8546" }, cwd)).to.equal("http://127.0.0.1:3101");
      mkdirSync(join(cwd, ".devnet"));
      writeFileSync(join(cwd, ".devnet", "state-8546.json"), JSON.stringify({ relayerUrl: "http://127.0.0.1:4444" }));
      expect(await relayerBaseUrl("http://127.0.0.1:3100/x", { NEXT_PUBLIC_RPC_URL: "http://127.0.0.1:8546" }, cwd)).to.equal("http://127.0.0.1:4444");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("the browser's relayer client (lib/relayer/client.ts)", function () {
  const claim = {
    programme: "0x00000000000000000000000000000000000000B2" as Address,
    claim: { index: 5n, tranche: 1n, account: "0x00000000000000000000000000000000000000A1" as Address, amount: 20_000_000n, nonce: 0n, deadline: 1_790_000_000n, proof: [`0x${"12".repeat(32)}`] as `0x${string}`[], signature: `0x${"34".repeat(65)}` as `0x${string}` },
  };
  const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => (async () => new Response(JSON.stringify(json), { status, headers })) as unknown as typeof fetch;

  it("sends uint256 fields as decimal strings", function () {
    const json = JSON.parse(claimRequestJson(claim));
    expect(json.claim).to.deep.include({ index: "5", tranche: "1", amount: "20000000", nonce: "0", deadline: "1790000000" });
    expect(json.programme).to.equal(claim.programme);
  });
  it("turns an error answer into its code, field and Retry-After", async function () {
    const err = await submitClaim(claim, answer(429, { error: { code: "RateLimited", message: "wait" } }, { "retry-after": "30" })).catch((e) => e);
    expect(err).to.be.instanceOf(RelayerRequestError);
    expect(err.status).to.equal(429);
    expect(err.error).to.deep.include({ code: "RateLimited", retryAfter: 30 });
    const bad = await submitClaim(claim, answer(400, { error: { code: "MalformedRequest", message: "x", field: "claim.proof" } })).catch((e) => e);
    expect(bad.error).to.deep.include({ code: "MalformedRequest", field: "claim.proof" });
  });
  it("calls a network failure or a non-JSON answer RelayerUnavailable", async function () {
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    expect((await claimStatus("c-1", offline).catch((e) => e)).error.code).to.equal("RelayerUnavailable");
    const html = (async () => new Response("<html/>", { status: 502 })) as unknown as typeof fetch;
    expect((await claimStatus("c-1", html).catch((e) => e)).error.code).to.equal("RelayerUnavailable");
  });
  it("returns the claim's status", async function () {
    const status = await claimStatus("c-1", answer(200, { id: "c-1", status: "submitted", batchSize: 3 }));
    expect(status).to.deep.equal({ id: "c-1", status: "submitted", batchSize: 3 });
  });
});

describe("roster sentences and tranche states", function () {
  const catalogs: Record<string, any> = {
    en: JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8")),
    "zh-CN": JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8")),
  };
  const web = rosterStatus;

  it("has a sentence for every relayer code, tranche state, phase and file problem in both languages", function () {
    for (const [locale, cat] of Object.entries(catalogs)) {
      for (const code of RELAYER_ERROR_CODES) expect(cat.relayer.errors[code], `${locale} relayer.errors.${code}`).to.be.a("string");
      for (const s of ["claimed", "held", "excluded", "notOpen", "locked", "closed", "paused", "claimable"]) expect(cat.roster.tranche[s], `${locale} ${s}`).to.be.a("string");
      for (const p of ["NoRoster", "AwaitingApproval", "PublicityWindow", "ClaimsOpen", "ClaimsClosed"]) expect(cat.roster.phase[p], `${locale} ${p}`).to.be.a("string");
      for (const f of ["unreachable", "noRanges", "corrupt", "notPublished"]) expect(cat.roster.file[f], `${locale} ${f}`).to.be.a("string");
    }
  });

  const base = { now: 1_000, unlockTime: 500, claimsOpenAt: 400, claimDeadline: 2_000, paused: false, settled: false, objection: "None" as const };
  it("derives each tranche's state with the contract's half-open rules", function () {
    expect(web.trancheState(base)).to.equal("claimable");
    expect(web.trancheState({ ...base, now: 500 })).to.equal("claimable"); // unlock time itself is claimable
    expect(web.trancheState({ ...base, now: 499 })).to.equal("locked");
    expect(web.trancheState({ ...base, claimsOpenAt: 1_000 })).to.equal("claimable");
    expect(web.trancheState({ ...base, claimsOpenAt: 1_001 })).to.equal("notOpen");
    expect(web.trancheState({ ...base, claimsOpenAt: 0 })).to.equal("notOpen");
    expect(web.trancheState({ ...base, now: 2_000 })).to.equal("closed");
    expect(web.trancheState({ ...base, cancelledAt: 900 })).to.equal("closed");
    expect(web.trancheState({ ...base, paused: true })).to.equal("paused");
    expect(web.trancheState({ ...base, settled: true })).to.equal("claimed");
    // An objection sets the settled flags too: its own state wins.
    expect(web.trancheState({ ...base, settled: true, objection: "Pending" })).to.equal("held");
    expect(web.trancheState({ ...base, settled: true, objection: "Upheld" })).to.equal("excluded");
  });
  it("names the roster's phase", function () {
    const p = { version: 1, claimsOpenAt: 400, status: "Active" as const, claimDeadline: 2_000 };
    expect(web.rosterPhase({ ...p, version: 0 }, 100)).to.equal("NoRoster");
    expect(web.rosterPhase({ ...p, claimsOpenAt: 0 }, 100)).to.equal("AwaitingApproval");
    expect(web.rosterPhase(p, 399)).to.equal("PublicityWindow");
    expect(web.rosterPhase(p, 400)).to.equal("ClaimsOpen");
    expect(web.rosterPhase(p, 2_000)).to.equal("ClaimsClosed");
    expect(web.rosterPhase({ ...p, status: "Cancelled" }, 500)).to.equal("ClaimsClosed");
  });
});

describe("donors and staff on a roster programme page", function () {
  const catalogs: Record<string, any> = {
    en: JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8")),
    "zh-CN": JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8")),
  };
  const web = rosterStatus;
  const MANAGER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
  const REVIEWER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" as Address;

  it("takes donations only while the programme is Funding and not paused, and says why otherwise", function () {
    expect(web.donationGate({ status: "Funding", paused: false })).to.equal("open");
    expect(web.donationGate({ status: "Funding", paused: true })).to.equal("paused");
    expect(web.donationGate({ status: "Active", paused: false })).to.equal("fundingEnded");
    expect(web.donationGate({ status: "Cancelled", paused: true })).to.equal("cancelled");
    expect(web.donationGate({ status: "Closed", paused: false })).to.equal("closed");
    for (const [locale, cat] of Object.entries(catalogs))
      for (const g of ["open", "paused", "fundingEnded", "cancelled", "closed"]) expect(cat.roster.donateClosed[g], `${locale} donateClosed.${g}`).to.be.a("string");
  });

  it("opens refunds once Cancelled or Closed, and takes cancellation approvals only while live", function () {
    expect(["Funding", "Active", "Cancelled", "Closed"].filter((s) => web.refundsOpen(s as never))).to.deep.equal(["Cancelled", "Closed"]);
    expect(["Funding", "Active", "Cancelled", "Closed"].filter((s) => web.cancellable(s as never))).to.deep.equal(["Funding", "Active"]);
  });

  it("counts a cancellation approval in the capacity the contract would", function () {
    const none = { hasManagerRole: false, hasReviewerRole: false, approvals: [] };
    // The programme's own manager approves as manager, even when also a reviewer (one person, one half).
    expect(web.cancellationStanding({ ...none, account: MANAGER.toLowerCase() as Address, manager: MANAGER, hasManagerRole: true, hasReviewerRole: true })).to.deep.equal({ as: "manager", given: false });
    // Another manager of the registry is not this programme's manager: without the reviewer role, refused.
    expect(web.cancellationStanding({ ...none, account: REVIEWER, manager: MANAGER, hasManagerRole: true })).to.deep.equal({ as: "none", given: false });
    // The manager address without the registry role (revoked) cannot approve as manager.
    expect(web.cancellationStanding({ ...none, account: MANAGER, manager: MANAGER })).to.deep.equal({ as: "none", given: false });
    expect(web.cancellationStanding({ ...none, account: REVIEWER, manager: MANAGER, hasReviewerRole: true })).to.deep.equal({ as: "reviewer", given: false });
    // Each half counts once: a second reviewer cannot add to the first one's approval.
    const reviewerGiven = [{ asReviewer: true }];
    expect(web.cancellationStanding({ ...none, account: REVIEWER, manager: MANAGER, hasReviewerRole: true, approvals: reviewerGiven })).to.deep.equal({ as: "reviewer", given: true });
    expect(web.cancellationStanding({ ...none, account: MANAGER, manager: MANAGER, hasManagerRole: true, approvals: reviewerGiven })).to.deep.equal({ as: "manager", given: false });
    expect(web.cancellationStanding({ ...none, account: MANAGER, manager: MANAGER, hasManagerRole: true, approvals: [{ asReviewer: false }] })).to.deep.equal({ as: "manager", given: true });
  });
});
