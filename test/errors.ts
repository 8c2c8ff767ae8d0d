/**
 * The one error catalogue (messages/<locale>.json "errors.<Name>") and the one decoder and formatter
 * (lib/errors/decode.ts) that the dApp and the CLIs (through lib/errors/sentences.ts) share.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { encodeAbiParameters, encodeErrorResult, getAddress, keccak256, toBytes, type Abi, type AbiParameter } from "viem";
import { ensureGeneratedContracts } from "../lib/chain/ensure-generated.ts";
import { deployProtocol, networkHelpers, createProject, identifyHousehold, INCOME } from "./helpers/fixtures.ts";

type Catalog = Record<string, any>;
const catalogs: Record<string, Catalog> = {
  en: JSON.parse(readFileSync(new URL("../messages/en.json", import.meta.url), "utf8")),
  "zh-CN": JSON.parse(readFileSync(new URL("../messages/zh-CN.json", import.meta.url), "utf8")),
};

/** Every leaf key of a catalogue, dotted. */
function keys(o: Catalog, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** ICU placeholders ({name}, {n, plural, ...}) used by a sentence. */
const placeholders = (s: string) => [...s.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]);

/** A plausible value for each ABI type, so every sentence can be rendered from real encoded data. */
function sample(type: string): unknown {
  if (type.endsWith("[]")) return [];
  if (type === "address") return "0x00000000000000000000000000000000000000A1";
  if (type === "bool") return true;
  if (type === "string") return "sample";
  if (type.startsWith("bytes32")) return keccak256(toBytes("sample"));
  if (type.startsWith("bytes")) return "0x1234";
  if (type.startsWith("uint") || type.startsWith("int")) return 1n;
  throw new Error(`no sample for ${type}`);
}

/** Settles a promise into the error it rejected with (undefined if it did not). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("error decoding and sentences", function () {
  let web: typeof import("../lib/errors/decode.ts");
  let en: typeof import("../lib/errors/sentences.ts");
  let escrowAbi: Abi;
  before(async function () {
    await ensureGeneratedContracts();
    web = await import("../lib/errors/decode.ts");
    en = await import("../lib/errors/sentences.ts");
    escrowAbi = (await import("../lib/generated/contracts.ts")).aidEscrowAbi as unknown as Abi;
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
    it("have no sentence for an error that no longer exists", function () {
      const known = new Set(web.knownErrorNames());
      for (const [locale, cat] of Object.entries(catalogs))
        expect(Object.keys(cat.errors).filter((n) => !known.has(n)), locale).to.deep.equal([]);
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
      const registryAbi = (await import("../lib/generated/contracts.ts")).aidRegistryAbi as unknown as Abi;
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
    it("shortens addresses only where the caller asks (the dApp, so a sentence fits a phone; the CLIs keep them whole)", function () {
      const account = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      expect(web.errorParams("AidRegistryNotOfficial", { account }, f).account).to.equal(account);
      expect(web.errorParams("AidRegistryNotOfficial", { account }, { ...f, address: (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}` }).account).to.equal("0x3C44…93BC");
    });
  });
  describe("English sentences for the CLIs (lib/errors/sentences.ts)", function () {
    it("renders every error from its encoded data with every placeholder filled", function () {
      const errors = web.ERRORS_ABI.filter((i) => i.type === "error");
      expect(errors.length).to.be.greaterThan(60);
      for (const item of errors) {
        const inputs = item.inputs as readonly AbiParameter[];
        const data = encodeErrorResult({ abi: [item], errorName: item.name, args: inputs.map((i) => sample(i.type)) } as never);
        const decoded = en.decodeRevert(data);
        expect(decoded?.name, item.name).to.equal(item.name);
        expect(decoded!.message, item.name).to.match(/^[A-Z0-9"].*[.)]$/);
        expect(decoded!.message, item.name).not.to.match(/undefined|\[object|NaN|\{[A-Za-z]/);
      }
    });
    it("uses the dApp's English catalogue, its status and role names, ISO times and 6-decimal balances", function () {
      const escrow = { abi: escrowAbi };
      const data = encodeErrorResult({ ...escrow, errorName: "AidEscrowWrongProjectStatus", args: [3n, 1, 2] });
      expect(en.decodeRevert(data)?.message).to.equal("Project 3 is Active, but this needs it to be Funding.");
      const claims = encodeErrorResult({ ...escrow, errorName: "AidEscrowClaimsClosed", args: [1n, 1_700_000_000n] });
      expect(en.decodeRevert(claims)?.message).to.equal("Claims for project 1 closed on 2023-11-14T22:13:20Z.");
      const manager = keccak256(toBytes("precisionaid.role.manager"));
      const who = getAddress("0x00000000000000000000000000000000000000aa");
      const role = encodeErrorResult({ ...escrow, errorName: "AidEscrowUnauthorized", args: [who, manager] });
      expect(en.decodeRevert(role)?.message).to.equal(`${who} lacks the Manager role for this action.`);
      expect(en.sentence("ERC20InsufficientBalance", { sender: who, balance: 1_500_000n, needed: 2_000_000n })).to.equal(
        `${who} holds 1500000 (1.5 at 6 decimals) but needs 2000000 (2 at 6 decimals).`,
      );
    });
    it("decodes Panic and Error(string) too", function () {
      const panic = "0x4e487b71" + encodeAbiParameters([{ type: "uint256" }], [0x11n]).slice(2);
      expect(en.decodeRevert(panic)?.message).to.equal("The contract stopped with an internal error (panic 0x11).");
      const error = "0x08c379a0" + encodeAbiParameters([{ type: "string" }], ["nope"]).slice(2);
      expect(en.decodeRevert(error)?.message).to.equal("The contract refused: nope");
    });
  });

  describe("with real reverts from the contracts (ethers errors, as the CLIs get them)", function () {
    it("explains a non-official attesting", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const err = await failure(p.registry.connect(p.outsider).attest(keccak256(toBytes("hh")), INCOME, 4_000_000_000, keccak256(toBytes("e")), 1));
      expect(en.explainError(err)).to.equal(`${p.outsider.address} is not a current official.`);
    });

    it("explains enrolling a household twice, with its status", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await createProject(p);
      await p.escrow.connect(p.donors[0]).donate(projectId, 1, { value: 3n * BigInt(terms.amountPerTranche) });
      const hh = await identifyHousehold(p, p.households[0], "ID-1");
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      const err = await failure(p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters));
      expect(en.explainError(err)).to.equal(
        `Household ${hh.commitment.slice(0, 10)}…${hh.commitment.slice(-4)} cannot be enrolled in project ${projectId}: it is Enrolled.`,
      );
    });

    it("explains an unknown project and a wrong token", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const unknown = await failure(p.escrow.connect(p.donors[0]).donate(99, 1, { value: 1 }));
      expect(en.explainError(unknown)).to.equal("There is no project 99.");
      const { projectId } = await createProject(p);
      const wrong = await failure(p.escrow.connect(p.donors[0]).donateToken(projectId, 1, 1));
      expect(en.explainError(wrong)).to.equal(
        `Wrong currency for project ${projectId}: ETH projects take ETH through donate(), token projects their ERC-20 through donateToken().`,
      );
    });
  });
});
