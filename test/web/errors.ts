import { expect } from "chai";
import { readFileSync } from "node:fs";
import { encodeErrorResult, type Abi } from "viem";
import { ensureGeneratedContracts } from "../../lib/ensure-generated.ts";

type Catalog = Record<string, any>;
const catalogs: Record<string, Catalog> = {
  en: JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8")),
  "zh-CN": JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8")),
};

/** Every leaf key of a catalogue, dotted. */
function keys(o: Catalog, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** ICU placeholders ({name}, {n, plural, ...}) used by a sentence. */
const placeholders = (s: string) => [...s.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]);

describe("web error decoding", function () {
  let web: typeof import("../../lib/web/errors.ts");
  let escrowAbi: Abi;
  before(async function () {
    await ensureGeneratedContracts();
    web = await import("../../lib/web/errors.ts");
    escrowAbi = (await import("../../lib/generated/contracts.ts")).aidEscrowAbi as unknown as Abi;
  });

  describe("the catalogues", function () {
    it("have a sentence for every custom error in every ABI, in both languages", function () {
      const names = web.knownErrorNames();
      expect(names.length).to.be.greaterThan(60);
      for (const [locale, cat] of Object.entries(catalogs)) {
        const missing = names.filter((n) => typeof cat.errors?.[n] !== "string");
        expect(missing, `${locale} lacks sentences for`).to.deep.equal([]);
      }
    });
    it("use only placeholders the error actually carries", function () {
      for (const [locale, cat] of Object.entries(catalogs)) {
        for (const name of web.knownErrorNames()) {
          const allowed = web.errorInputNames(name);
          const extra = placeholders(cat.errors[name]).filter((p) => !allowed.includes(p));
          expect(extra, `${locale} errors.${name}`).to.deep.equal([]);
        }
      }
    });
    it("have the same keys in English and Chinese", function () {
      expect(keys(catalogs["zh-CN"]).sort()).to.deep.equal(keys(catalogs.en).sort());
    });
    it("use the same placeholders in both languages", function () {
      const zh = catalogs["zh-CN"];
      for (const k of keys(catalogs.en)) {
        const en = k.split(".").reduce((o: any, p) => o[p], catalogs.en) as string;
        const z = k.split(".").reduce((o: any, p) => o[p], zh) as string;
        expect(new Set(placeholders(z)), k).to.deep.equal(new Set(placeholders(en)));
      }
    });
  });

  describe("decodeWebError", function () {
    it("names a custom error and its arguments from raw revert data, wherever it is nested", function () {
      const data = encodeErrorResult({ abi: escrowAbi, errorName: "AidEscrowUnknownProject", args: [7n] });
      const wrapped = { shortMessage: "execution reverted", cause: { cause: { data } } };
      expect(web.decodeWebError(wrapped)).to.deep.equal({ kind: "revert", name: "AidEscrowUnknownProject", args: { projectId: 7n } });
    });
    it("decodes registry errors raised through an escrow call", async function () {
      const registryAbi = (await import("../../lib/generated/contracts.ts")).aidRegistryAbi as unknown as Abi;
      const data = encodeErrorResult({ abi: registryAbi, errorName: "AidRegistryNotOfficial", args: ["0x00000000000000000000000000000000000000aa"] });
      const d = web.decodeWebError({ cause: { raw: data } });
      expect(d).to.deep.include({ kind: "revert", name: "AidRegistryNotOfficial" });
    });
    it("treats a rejected signature as a rejection, not an error", function () {
      expect(web.decodeWebError({ name: "ContractFunctionExecutionError", cause: { code: 4001, message: "User rejected the request." } })).to.deep.equal({ kind: "rejected" });
    });
    it("recognises Error(string) and an unreachable node", function () {
      const data = encodeErrorResult({
        abi: [{ type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] }],
        errorName: "Error",
        args: ["nope"],
      });
      expect(web.decodeWebError({ data })).to.deep.equal({ kind: "revert", name: "Error", args: { message: "nope" } });
      expect(web.decodeWebError({ name: "HttpRequestError", message: "Failed to fetch" })).to.deep.equal({ kind: "network" });
    });
  });

  describe("errorParams", function () {
    const f = {
      time: (s: bigint) => `t${s}`,
      short: (h: string) => h.slice(0, 6),
      projectStatus: (v: number) => `P${v}`,
      enrolmentStatus: (v: number) => `E${v}`,
      role: (r: string) => web.roleKey(r) ?? "?",
    };
    it("formats times, statuses, roles and hashes before the sentence is built", function () {
      expect(web.errorParams("AidEscrowWrongProjectStatus", { projectId: 2n, expected: 1, actual: 3 }, f)).to.deep.equal({ projectId: "2", expected: "P1", actual: "P3" });
      expect(web.errorParams("AidEscrowCannotEnrol", { projectId: 1n, commitment: "0x" + "ab".repeat(32), status: 2 }, f)).to.deep.equal({
        projectId: "1",
        commitment: "0xabab",
        status: "E2",
      });
      expect(web.errorParams("AidEscrowClaimsClosed", { projectId: 1n, claimDeadline: 99n }, f).claimDeadline).to.equal("t99");
      expect(web.errorParams("AidEscrowUnauthorized", { caller: "0x1", role: "0x" + "00".repeat(32) }, f).role).to.equal("admin");
    });
  });
});
