/**
 * The household commitment recipe (lib/registry/household.ts): its test vectors (read from
 * docs/HOUSEHOLDS.md, so the documented table is the tested one), the same hash by two other
 * implementations, the normalisation of ID numbers and every refusal, salts, and the card's QR text.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { TypedDataEncoder, concat, keccak256 as ethersKeccak, toUtf8Bytes } from "ethers";
import { hashStruct, type Hex } from "viem";
import {
  HOUSEHOLD_COMMITMENT_TYPE,
  HOUSEHOLD_COMMITMENT_TYPEHASH,
  ID_PROBLEM_CODES,
  ID_PROBLEM_PARAMS,
  commitHousehold,
  fullWidthToAscii,
  householdCommitment,
  isSalt,
  newSalt,
  normaliseIdNumber,
  residentIdCheckCharacter,
  type IdProblem,
} from "../../lib/registry/household.ts";
import { CARD_PREFIX, checkCard, encodeCardPayload, parseCardPayload } from "../../lib/registry/household-card.ts";

const DOCS = readFileSync(new URL("../../docs/HOUSEHOLDS.md", import.meta.url), "utf8");
const catalogs: Record<string, any> = {
  en: JSON.parse(readFileSync(new URL("../../messages/en.json", import.meta.url), "utf8")),
  "zh-CN": JSON.parse(readFileSync(new URL("../../messages/zh-CN.json", import.meta.url), "utf8")),
};

/** The rows of the documented test-vector table. */
const VECTORS = [...DOCS.matchAll(/^\| (V\d+) \| `([^`]+)` \| `("[^`]*")` \| `([^`]+)` \| `(0x[0-9a-f]{64})` \| `(0x[0-9a-f]{64})` \|$/gm)].map((m) => ({
  name: m[1],
  kind: m[2],
  typed: JSON.parse(m[3]) as string,
  normalised: m[4],
  salt: m[5] as Hex,
  commitment: m[6] as Hex,
}));

const TYPES = { HouseholdCommitment: [{ name: "idKind", type: "string" }, { name: "idNumber", type: "string" }, { name: "salt", type: "bytes32" }] };
const NOW = new Date("2026-06-15T00:00:00Z");
const SALT = ("0x" + "5a".repeat(32)) as Hex;
/** A valid resident ID number born on `yyyymmdd`. */
const ric = (yyyymmdd: string, seq = "123") => {
  const first17 = `522699${yyyymmdd}${seq}`;
  return first17 + residentIdCheckCharacter(first17);
};
const problem = (raw: string, kind?: string): IdProblem => {
  const r = normaliseIdNumber(raw, kind, { now: NOW });
  if (r.ok) throw new Error(`"${raw}" was accepted as ${r.idNumber}`);
  return r.problem;
};

describe("household commitment recipe (lib/registry/household.ts)", function () {
  describe("the documented test vectors", function () {
    it("are all in docs/HOUSEHOLDS.md", function () {
      expect(VECTORS.map((v) => v.name)).to.deep.equal(["V1", "V2", "V3", "V4", "V5"]);
    });

    it("normalise and hash to the documented values", function () {
      for (const v of VECTORS) {
        const id = normaliseIdNumber(v.typed, v.kind, { now: NOW });
        expect(id, v.name).to.deep.equal({ ok: true, idKind: v.kind, idNumber: v.normalised });
        expect(householdCommitment(v.typed, v.salt, v.kind, { now: NOW }), v.name).to.equal(v.commitment);
      }
    });

    it("are EIP-712's hashStruct of HouseholdCommitment, by viem and by ethers, and the plain keccak of the four words", function () {
      expect(HOUSEHOLD_COMMITMENT_TYPEHASH).to.equal(ethersKeccak(toUtf8Bytes(HOUSEHOLD_COMMITMENT_TYPE)));
      expect(HOUSEHOLD_COMMITMENT_TYPEHASH).to.equal("0xb8a65ddb5ccdf4a2dc0117650c5d5215090850bf346a923017b4f9110b1ff425");
      for (const v of VECTORS) {
        const data = { idKind: v.kind, idNumber: v.normalised, salt: v.salt };
        expect(hashStruct({ types: TYPES, primaryType: "HouseholdCommitment", data }), v.name).to.equal(v.commitment);
        expect(TypedDataEncoder.hashStruct("HouseholdCommitment", TYPES, data), v.name).to.equal(v.commitment);
        const words = concat([HOUSEHOLD_COMMITMENT_TYPEHASH, ethersKeccak(toUtf8Bytes(v.kind)), ethersKeccak(toUtf8Bytes(v.normalised)), v.salt]);
        expect(ethersKeccak(words), v.name).to.equal(v.commitment);
      }
    });

    it("depend on every input: kind, number and each byte of the salt", function () {
      const base = commitHousehold({ idKind: "cn-ric", idNumber: "11010519491231002X" }, SALT);
      expect(commitHousehold({ idKind: "local", idNumber: "11010519491231002X" }, SALT)).to.not.equal(base);
      expect(commitHousehold({ idKind: "cn-ric", idNumber: "11010519491231003X" }, SALT)).to.not.equal(base);
      const seen = new Set([base]);
      for (let i = 0; i < 32; i++) {
        const salt = `0x${"5a".repeat(i)}5b${"5a".repeat(31 - i)}` as Hex;
        seen.add(commitHousehold({ idKind: "cn-ric", idNumber: "11010519491231002X" }, salt));
      }
      expect(seen.size).to.equal(33);
    });
  });

  describe("resident ID numbers (cn-ric)", function () {
    it("compute the ISO 7064 MOD 11-2 check character, X included", function () {
      expect(residentIdCheckCharacter("11010519491231002")).to.equal("X");
      expect(residentIdCheckCharacter("52269919620314101")).to.equal("0");
      expect(residentIdCheckCharacter("52269919750822103")).to.equal("2");
      expect(() => residentIdCheckCharacter("1101051949123100")).to.throw(RangeError);
    });

    it("refuse every single mistyped character and every swap of two different neighbours", function () {
      const good = "11010519491231002X";
      let tried = 0;
      for (let i = 0; i < 17; i++) {
        for (const d of "0123456789") {
          if (d === good[i]) continue;
          const typo = good.slice(0, i) + d + good.slice(i + 1);
          const r = normaliseIdNumber(typo, "cn-ric", { now: NOW });
          // A typo in the birth date may also make it impossible: refused either way.
          expect(r.ok, typo).to.equal(false);
          tried++;
        }
        if (good[i] !== good[i + 1] && i < 16) {
          const swapped = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2);
          expect(normaliseIdNumber(swapped, "cn-ric", { now: NOW }).ok, swapped).to.equal(false);
        }
      }
      expect(tried).to.equal(17 * 9);
    });

    it("normalise full-width characters, spaces anywhere and a small x, and nothing else", function () {
      expect(fullWidthToAscii("１２Ｘｘ－\u3000")).to.equal("12Xx- ");
      const id = "11010519491231002X";
      for (const typed of [" 110105 19491231 002X ", "110105\t19491231002x", "１１０１０５１９４９１２３１００２Ｘ", "\u3000" + id + "\u3000"])
        expect(normaliseIdNumber(typed, "cn-ric", { now: NOW }), JSON.stringify(typed)).to.deep.equal({ ok: true, idKind: "cn-ric", idNumber: id });
      // Circled digits or hyphens are not typing accidents of an input method: refused, not folded.
      expect(problem("①①0105194912310020").code).to.equal("characters");
      expect(problem("110105-19491231-002X").code).to.equal("length");
    });

    it("refuse each malformed number with its code, field and parameters", function () {
      expect(problem("   ")).to.deep.include({ code: "missing", field: "idNumber" });
      expect(problem("110105491231002")).to.deep.include({ code: "firstGeneration", field: "idNumber" });
      expect(problem("11010519491231002")).to.deep.include({ code: "length", params: { length: 17 } });
      expect(problem("11010519491231002XX")).to.deep.include({ code: "length", params: { length: 19 } });
      expect(problem("1101051949123100XX")).to.deep.include({ code: "characters" });
      expect(problem("11010519491231002Y")).to.deep.include({ code: "characters" });
      expect(problem("11010519491231002 1"), "the space goes, the 1 is checked").to.deep.include({ code: "checkCharacter" });
      expect(problem("110105194912310021")).to.deep.include({ code: "checkCharacter" });
      expect(problem("11010519491231002X", "passport")).to.deep.include({ code: "kindUnknown", field: "idKind", params: { kind: "passport", kinds: "cn-ric, local" } });
    });

    it("check the birth date: a real day from 1900 to today (a day of slack)", function () {
      expect(problem(ric("19000229")).code, "1900 was no leap year").to.equal("birthDate");
      expect(problem(ric("18991231"))).to.deep.include({ code: "birthDate", params: { date: "18991231" } });
      expect(problem(ric("19830230")).code).to.equal("birthDate");
      expect(problem(ric("19831301")).code).to.equal("birthDate");
      expect(problem(ric("20260617")).code, "two days after now").to.equal("birthDate");
      for (const ok of ["19000101", "20000229", "20260615", "20260616"])
        expect(normaliseIdNumber(ric(ok), "cn-ric", { now: NOW }).ok, ok).to.equal(true);
    });
  });

  describe("local references", function () {
    it("are upper-cased, stripped of spaces and limited to A-Z, 0-9 and -", function () {
      expect(normaliseIdNumber(" ls 0001 ", "LOCAL")).to.deep.equal({ ok: true, idKind: "local", idNumber: "LS0001" });
      expect(problem("LS1", "local")).to.deep.include({ code: "localFormat", params: { min: 4, max: 32 } });
      expect(problem("A".repeat(33), "local").code).to.equal("localFormat");
      expect(problem("LS_0001", "local").code).to.equal("localFormat");
      expect(normaliseIdNumber("A".repeat(32), "local").ok).to.equal(true);
    });
  });

  describe("salts", function () {
    it("are 32 fresh random bytes each", function () {
      const salts = Array.from({ length: 64 }, newSalt);
      for (const s of salts) expect(s).to.match(/^0x[0-9a-f]{64}$/);
      expect(new Set(salts).size).to.equal(64);
      // Every byte position takes many values over 64 draws: not a counter, not a constant.
      for (let i = 0; i < 32; i++) expect(new Set(salts.map((s) => s.slice(2 + 2 * i, 4 + 2 * i))).size, `byte ${i}`).to.be.greaterThan(20);
    });

    it("refuse the zero salt and anything but 32 bytes of hex", function () {
      expect(isSalt(SALT)).to.equal(true);
      for (const bad of ["0x" + "00".repeat(32), "0x" + "5a".repeat(31), "5a".repeat(32), "0x" + "zz".repeat(32)]) expect(isSalt(bad), bad).to.equal(false);
      expect(() => householdCommitment("11010519491231002X", ("0x" + "00".repeat(32)) as Hex)).to.throw(RangeError, "salt");
      expect(() => householdCommitment("11010519491231002Y", SALT)).to.throw(RangeError, "ID number");
    });
  });

  describe("ID problems in the dApp's languages", function () {
    it("have a sentence for every code in English and Chinese, with exactly its parameters", function () {
      for (const [lang, catalog] of Object.entries(catalogs)) {
        for (const code of ID_PROBLEM_CODES) {
          const sentence: string = catalog.householdId?.[code];
          expect(sentence, `${lang} householdId.${code}`).to.be.a("string").and.not.equal("");
          const used = [...sentence.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
          expect(used, `${lang} householdId.${code}`).to.deep.equal([...ID_PROBLEM_PARAMS[code]].sort());
        }
        expect(Object.keys(catalog.householdId).sort(), lang).to.deep.equal([...ID_PROBLEM_CODES].sort());
      }
    });
  });

  describe("the card's QR text (lib/registry/household-card.ts)", function () {
    const card = { idKind: "cn-ric" as const, salt: VECTORS[0].salt, commitment: VECTORS[0].commitment };

    it("is upper case in the QR alphanumeric set and reads back", function () {
      const text = encodeCardPayload(card);
      expect(text).to.equal(`${CARD_PREFIX}CN-RIC:${card.salt.slice(2).toUpperCase()}:${card.commitment.slice(2).toUpperCase()}`);
      expect(text).to.match(/^[0-9A-Z $%*+\-./:]+$/);
      expect(parseCardPayload(text)).to.deep.equal({ ok: true, card });
      expect(parseCardPayload(` ${text.toLowerCase()}\n`)).to.deep.equal({ ok: true, card });
    });

    it("refuses what is not a card, with the reason", function () {
      const text = encodeCardPayload(card);
      const reason = (t: string) => {
        const r = parseCardPayload(t);
        return r.ok ? "accepted" : r.message;
      };
      expect(reason("https://example.org/")).to.contain("not a PrecisionAid household card");
      expect(reason(text.replace("CN-RIC", "PASSPORT"))).to.contain("unknown ID kind");
      expect(reason(text.slice(0, -1))).to.contain("commitment");
      expect(reason(text.replace(card.salt.slice(2).toUpperCase(), "0".repeat(64)))).to.contain("salt");
      expect(reason(`${text}:EXTRA`)).to.contain("after its prefix");
    });

    it("matches the ID number it was made for, however typed, and no other", function () {
      expect(checkCard(card, "１１０１０５１９４９１２３１００２ｘ", { now: NOW })).to.deep.equal({ ok: true, matches: true, commitment: card.commitment, derived: card.commitment });
      const other = checkCard(card, ric("19491231", "004"), { now: NOW });
      expect(other.ok && other.matches).to.equal(false);
      const bad = checkCard(card, "11010519491231002", { now: NOW });
      expect(bad.ok ? "accepted" : bad.problem.code).to.equal("length");
    });
  });
});
