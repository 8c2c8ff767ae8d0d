/**
 * Objection reasons (issue 9, item 3): the text rules the form and the server share, and the service
 * behind /api/objections/<hash> (lib/server/objections.ts) on a real folder: a good text stored and
 * served, a hash that is not the text's, an oversize text and body, personal data refused with its kind,
 * malformed requests answered with the field, a disk that refuses answered 503 (never 500), and a text
 * that outlives the server: accepted by one server process, killed with SIGKILL, served by the next.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { keccak256, toBytes } from "viem";
import { MAX_OBJECTION_TEXT_BYTES, checkObjectionText, normaliseObjectionText, objectionTextHash } from "../../lib/objections/text.ts";
import { ObjectionTextStore, objectionsDir } from "../../lib/objections/store.ts";
import { ObjectionTextRefusal, publishObjectionText } from "../../lib/objections/client.ts";
import { OBJECTION_SERVICE_CODES, handleObjectionText, readObjectionReasons } from "../../lib/server/objections.ts";

const en = JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8"));
const zh = JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8"));

const REASON = "The household moved to Kaili in October 2025 and has not lived in the village since.";

const post = (hash: string, body: unknown, raw = false) =>
  new Request(`http://127.0.0.1/api/objections/${hash}`, { method: "POST", headers: { "content-type": "application/json" }, body: raw ? (body as string) : JSON.stringify(body) });
const get = (hash: string) => new Request(`http://127.0.0.1/api/objections/${hash}`);
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; field?: string; params?: Record<string, unknown> } }).error;

describe("objection reasons", function () {
  let dir: string;
  let store: ObjectionTextStore;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "objections-"));
    store = new ObjectionTextStore(join(dir, "texts"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("the text rules (form and server)", function () {
    it("hashes the normalised text with keccak256, as the chain records it", function () {
      expect(normaliseObjectionText("  a reason \n")).to.equal("a reason");
      // NFC: the composed and decomposed forms of one text are one text.
      expect(normaliseObjectionText("e\u0301")).to.equal("\u00e9");
      expect(objectionTextHash(REASON)).to.equal(keccak256(toBytes(REASON)));
    });

    it("accepts plain reasons with dates, amounts, counts and accounts", function () {
      for (const ok of [
        REASON,
        "该户去年已由亲属出资翻修房屋，2025-10-01 起不再符合条件。",
        "They received 1,500 tUSD from the township in 2026.",
        "Account 0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec already claimed 20 tUSD.",
        "第 3 户，2 人外出务工，月收入约 3000 元。",
      ])
        expect(checkObjectionText(ok), ok).to.equal(undefined);
    });

    it("refuses ID numbers, phone numbers, e-mail addresses and long numbers, however they are written", function () {
      const cases: [string, string][] = [
        ["His ID is 52263419900101001X.", "idNumber"],
        ["身份证号 522634199001010012", "idNumber"],
        ["old card 522634900101001", "idNumber"],
        ["call 13812345678", "phone"],
        ["call 138 1234 5678", "phone"],
        ["电话：１３８１２３４５６７８", "phone"],
        ["+86 138-1234-5678", "phone"],
        ["landline 0855-1234567", "phone"],
        ["write to wang.fang@example.com", "email"],
        ["bank card 6222 0212 3456 7890 123", "longNumber"],
      ];
      for (const [text, kind] of cases) expect(checkObjectionText(text), text).to.equal(kind);
    });

    it("refuses an empty and an oversize text", function () {
      expect(checkObjectionText("")).to.equal("empty");
      expect(checkObjectionText("a".repeat(MAX_OBJECTION_TEXT_BYTES))).to.equal(undefined);
      expect(checkObjectionText("a".repeat(MAX_OBJECTION_TEXT_BYTES + 1))).to.equal("tooLong");
      // Bytes, not characters: 667 Chinese characters are 2,001 bytes.
      expect(checkObjectionText("户".repeat(667))).to.equal("tooLong");
    });
  });

  describe("POST /api/objections/<hash>", function () {
    it("stores a good text under its hash (201), again is 200, and GET serves it", async function () {
      const hash = objectionTextHash(REASON);
      const first = await handleObjectionText(post(hash, { text: REASON }), hash, store);
      expect(first.status).to.equal(201);
      expect(await first.json()).to.deep.equal({ hash, stored: true });
      const again = await handleObjectionText(post(hash.toUpperCase().replace("0X", "0x"), { text: REASON }), hash.toUpperCase().replace("0X", "0x"), store);
      expect(again.status).to.equal(200);
      const served = await handleObjectionText(get(hash), hash, store);
      expect(served.status).to.equal(200);
      expect(await served.json()).to.deep.equal({ hash, text: REASON });
      // One file, named by the hash; no temporary file left behind.
      expect(readdirSync(store.dir)).to.deep.equal([`${hash}.txt`]);
    });

    it("refuses a hash that is not the text's, naming the field and both hashes", async function () {
      const other = objectionTextHash("another reason");
      const res = await handleObjectionText(post(other, { text: REASON }), other, store);
      expect(res.status).to.equal(422);
      const error = await errorOf(res);
      expect(error).to.include({ code: "HashMismatch", field: "text" });
      expect(error.params).to.deep.equal({ expected: other, actual: objectionTextHash(REASON) });
      expect((await handleObjectionText(get(other), other, store)).status).to.equal(404);
    });

    it("refuses a malformed hash in the URL (400, field hash)", async function () {
      for (const bad of ["0x1234", "abc", `0x${"g".repeat(64)}`, `${"a".repeat(64)}`]) {
        const res = await handleObjectionText(post(bad, { text: REASON }), bad, store);
        expect(res.status, bad).to.equal(400);
        expect(await errorOf(res), bad).to.include({ code: "MalformedHash", field: "hash" });
      }
    });

    it("refuses an oversize text (422 TooLong) and an oversize body (413 TooLarge), storing nothing", async function () {
      const long = "a".repeat(MAX_OBJECTION_TEXT_BYTES + 1);
      const res = await handleObjectionText(post(objectionTextHash(long), { text: long }), objectionTextHash(long), store);
      expect(res.status).to.equal(422);
      expect(await errorOf(res)).to.deep.include({ code: "TooLong", field: "text", params: { max: MAX_OBJECTION_TEXT_BYTES } });
      const huge = "b".repeat(100_000);
      const big = await handleObjectionText(post(objectionTextHash(huge), { text: huge }), objectionTextHash(huge), store);
      expect(big.status).to.equal(413);
      expect(await errorOf(big)).to.include({ code: "TooLarge", field: "body" });
      expect(() => readdirSync(store.dir)).to.throw(/ENOENT/);
    });

    it("refuses personal data with its kind (422 PersonalData), storing nothing", async function () {
      for (const [text, kind] of [
        ["Wang's phone is 13812345678", "phone"],
        ["ID 52263419900101001X", "idNumber"],
      ]) {
        const hash = objectionTextHash(text);
        const res = await handleObjectionText(post(hash, { text }), hash, store);
        expect(res.status).to.equal(422);
        expect(await errorOf(res)).to.deep.include({ code: "PersonalData", field: "text", params: { kind } });
        expect((await handleObjectionText(get(hash), hash, store)).status).to.equal(404);
      }
    });

    it("answers malformed bodies with 400 naming the field", async function () {
      const hash = objectionTextHash(REASON);
      const notJson = await handleObjectionText(post(hash, "text=hello", true), hash, store);
      expect(notJson.status).to.equal(400);
      expect(await errorOf(notJson)).to.include({ code: "MalformedRequest", field: "body" });
      const notText = await handleObjectionText(post(hash, { text: 42 }), hash, store);
      expect(notText.status).to.equal(400);
      expect(await errorOf(notText)).to.include({ code: "MalformedRequest", field: "text" });
      const blank = await handleObjectionText(post(objectionTextHash(""), { text: "" }), objectionTextHash(""), store);
      expect(blank.status).to.equal(422);
      expect(await errorOf(blank)).to.include({ code: "Empty", field: "text" });
      const put = await handleObjectionText(new Request(`http://127.0.0.1/api/objections/${hash}`, { method: "PUT", body: "{}" }), hash, store);
      expect(put.status).to.equal(400);
      expect(await errorOf(put)).to.include({ code: "MalformedRequest", field: "method" });
    });

    it("answers 404 NotStored for a hash nobody stored, and for a file that no longer matches its name", async function () {
      const hash = objectionTextHash(REASON);
      const missing = await handleObjectionText(get(hash), hash, store);
      expect(missing.status).to.equal(404);
      expect(await errorOf(missing)).to.include({ code: "NotStored", field: "hash" });
      await store.put(REASON);
      writeFileSync(join(store.dir, `${hash}.txt`), "a different text, written behind the server's back");
      expect((await handleObjectionText(get(hash), hash, store)).status).to.equal(404);
      const reasons = await readObjectionReasons([hash, objectionTextHash("never stored")], store);
      expect(reasons.get(hash)).to.deep.equal({ state: "mismatch" });
      expect(reasons.get(objectionTextHash("never stored"))).to.deep.equal({ state: "missing" });
    });

    it("answers 503 StoreUnavailable when the disk refuses, never 500, and accepts nothing", async function () {
      // A folder path that runs through a file: no mkdir succeeds there, whoever runs the test.
      writeFileSync(join(dir, "a-file"), "not a folder");
      const broken = new ObjectionTextStore(join(dir, "a-file", "texts"));
      const hash = objectionTextHash(REASON);
      const res = await handleObjectionText(post(hash, { text: REASON }), hash, broken);
      expect(res.status).to.equal(503);
      expect(await errorOf(res)).to.include({ code: "StoreUnavailable" });
    });

    it("reads the page's reasons: the stored text for a matching hash", async function () {
      await store.put(REASON);
      const reasons = await readObjectionReasons([objectionTextHash(REASON).toUpperCase().replace("0X", "0x")], store);
      expect(reasons.get(objectionTextHash(REASON))).to.deep.equal({ state: "text", text: REASON });
    });
  });

  describe("durability", function () {
    const ROOT = resolve(import.meta.dirname, "..", "..");
    const serverScript = `
      import { createServer } from "node:http";
      import { handleObjectionText } from "./lib/server/objections.ts";
      import { ObjectionTextStore } from "./lib/objections/store.ts";
      const store = new ObjectionTextStore(process.env.DIR);
      const server = createServer(async (req, res) => {
        let body = "";
        for await (const chunk of req) body += chunk;
        const hash = req.url.split("/").pop();
        const response = await handleObjectionText(new Request("http://x" + req.url, { method: req.method, body: req.method === "POST" ? body : undefined }), hash, store);
        res.statusCode = response.status;
        res.end(await response.text());
      });
      server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));`;

    function startServer(textsDir: string): Promise<{ child: ChildProcess; url: string }> {
      return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", serverScript], { cwd: ROOT, env: { ...process.env, DIR: textsDir }, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout!.on("data", (d) => {
          out += d;
          const m = /PORT (\d+)/.exec(out);
          if (m) resolvePromise({ child, url: `http://127.0.0.1:${m[1]}` });
        });
        child.stderr!.on("data", (d) => (out += d));
        child.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
      });
    }

    it("keeps an accepted text through a SIGKILL of the server: the next server serves it", async function () {
      this.timeout(30_000);
      const texts = join(dir, "texts");
      const first = await startServer(texts);
      const hash = objectionTextHash(REASON);
      const stored = await fetch(`${first.url}/api/objections/${hash}`, { method: "POST", body: JSON.stringify({ text: REASON }) });
      expect(stored.status).to.equal(201);
      first.child.kill("SIGKILL");
      await new Promise((r) => first.child.once("close", r));
      const second = await startServer(texts);
      try {
        const served = await fetch(`${second.url}/api/objections/${hash}`);
        expect(served.status).to.equal(200);
        expect(await served.json()).to.deep.equal({ hash, text: REASON });
      } finally {
        second.child.kill("SIGKILL");
      }
    });
  });

  describe("the store's folder and the browser client", function () {
    it("defaults to the devnet's folder named after the RPC port, or OBJECTIONS_DIR", function () {
      expect(objectionsDir({ NEXT_PUBLIC_RPC_URL: "http://127.0.0.1:8671" }, "/repo")).to.equal("/repo/.devnet/objections-8671");
      expect(objectionsDir({}, "/repo")).to.equal("/repo/.devnet/objections-8545");
      expect(objectionsDir({ OBJECTIONS_DIR: "/srv/objections" }, "/repo")).to.equal("/srv/objections");
    });

    it("publishes through the service and turns its refusals into codes", async function () {
      const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
        const url = String(input);
        return handleObjectionText(new Request(`http://127.0.0.1${url}`, init), url.split("/").pop()!, store);
      }) as typeof fetch;
      expect(await publishObjectionText(REASON, fetchImpl)).to.equal(objectionTextHash(REASON));
      expect((await store.get(objectionTextHash(REASON)))?.text).to.equal(REASON);
      const refusal = await publishObjectionText("call 13812345678", fetchImpl).catch((e) => e);
      expect(refusal).to.be.instanceOf(ObjectionTextRefusal);
      expect(refusal).to.include({ code: "PersonalData" });
      expect(refusal.params).to.deep.equal({ kind: "phone" });
      const down = await publishObjectionText(REASON, (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch).catch((e) => e);
      expect(down).to.include({ code: "Unreachable" });
    });

    it("has a sentence in both languages for every refusal the form or the service can give", function () {
      for (const catalogue of [en, zh] as Record<string, any>[]) {
        for (const code of [...OBJECTION_SERVICE_CODES, "Unreachable"]) expect(catalogue.objectionText.server[code], code).to.be.a("string");
        for (const code of ["empty", "tooLong", "idNumber", "phone", "email", "longNumber"]) expect(catalogue.objectionText.problem[code], code).to.be.a("string");
        expect(catalogue.objectionText.publicNotice).to.match(/ID|身份证/);
      }
    });
  });
});
