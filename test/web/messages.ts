/**
 * zh-CN is complete (issue 9, item 8): every English message has a Chinese one with the same
 * placeholders, no Chinese message is left in English, and every catalogue value a page shows
 * (categories, regions, conditions, statuses) has a label in both languages. The browser test
 * (e2e/first-look.spec.ts, "Chinese that is complete") reads the rendered pages for the same.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { CATEGORIES, CONDITION_NAMES, REGIONS } from "../../lib/registry/catalogue.ts";
import { PROJECT_STATUSES } from "../../lib/escrow/status.ts";
import { localMetadata, metadataURI, parseMetadata } from "../../lib/format/text.ts";
import { regionName } from "../../lib/registry/catalogue.ts";

type Catalog = { [key: string]: string | Catalog };
const load = (locale: string): Catalog => JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), "utf8"));
const flat = (o: Catalog, prefix = ""): Map<string, string> =>
  new Map(Object.entries(o).flatMap(([k, v]) => (typeof v === "string" ? [[prefix + k, v]] : [...flat(v, `${prefix}${k}.`)])));
const en = flat(load("en"));
const zh = flat(load("zh-CN"));

/** ICU argument names ({time}, {n, plural, ...}), sorted and unique. */
const args = (s: string) => [...new Set([...s.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]))].sort();

/**
 * ASCII words a Chinese message may hold: symbols, standards, the CSV's column names and commands a
 * person types, function names in a technical error, and ICU's own keywords. Anything else is English
 * left untranslated.
 */
const LITERAL = new Set([
  "UTC", "English", "MetaMask", "Rabby", "npm", "run", "start", "audit", "projectLedger", "CSV", "0x",
  "commitment_or_address", "condition", "expiry", "evidence_hash", "score", "k", "n", "s", "bytes32", "ISO", "Unix",
  "ETH", "ERC-20", "donate", "donateToken", "panic", "sha256", "cn-gz-leishan-dx", "plural", "one", "other", "ledger",
  // `npm run roster -- rule --index {index}`: a command a reviewer types.
  "roster", "rule", "index",
  // A resident ID number's check character, and the letters a local reference may use.
  "X", "A", "Z",
]);
const words = (s: string) =>
  (s.replace(/https?:\/\/\S+/g, " ").replace(/@[a-z0-9-]+\/[a-z0-9-]+/g, " ").replace(/\{\s*[A-Za-z0-9_]+\s*\}/g, " ").match(/[A-Za-z0-9][A-Za-z0-9._-]*/g) ?? []).filter(
    (w) => /[A-Za-z]/.test(w) && !/^\{?[A-Za-z0-9_]+,$/.test(w),
  );

describe("zh-CN messages are complete (issue 9, item 8)", () => {
  it("every English key has a non-empty Chinese message, and no key exists in one language only", () => {
    const missing = [...en.keys()].filter((k) => !zh.get(k)?.trim());
    const extra = [...zh.keys()].filter((k) => !en.has(k));
    expect(missing, "keys without a Chinese message").to.deep.equal([]);
    expect(extra, "Chinese keys no English message has").to.deep.equal([]);
    expect(en.size).to.be.greaterThan(700);
  });

  it("each Chinese message takes the same arguments as its English one", () => {
    const differ = [...en].filter(([k, v]) => zh.has(k) && args(v).join() !== args(zh.get(k)!).join()).map(([k]) => k);
    expect(differ).to.deep.equal([]);
  });

  it("no Chinese message is English: every ASCII word in one is a symbol, a command or a name a person types", () => {
    const english = [...zh].flatMap(([k, v]) => words(v.replace(/\{\s*[A-Za-z0-9_]+\s*,\s*(plural|select)\s*,/g, " ")).filter((w) => !LITERAL.has(w)).map((w) => `${k}: ${w}`));
    expect(english).to.deep.equal([]);
    // The check can fail: an English sentence is caught.
    expect(words("Publicity window closed {time}.").filter((w) => !LITERAL.has(w))).to.deep.equal(["Publicity", "window", "closed"]);
  });

  it("every catalogue value a page shows has a label in both languages", () => {
    const needed = [
      ...CATEGORIES.map((c) => `categories.${c}`),
      ...REGIONS.map((r) => `regions.${r}`),
      ...CONDITION_NAMES.map((n) => `project.cond.${n.replace(/^household\./, "")}`),
      ...PROJECT_STATUSES.map((s) => `status.project.${s}`),
    ];
    for (const key of needed) {
      expect(en.get(key), `en ${key}`).to.be.a("string").and.not.equal("");
      expect(zh.get(key), `zh-CN ${key}`).to.be.a("string").and.not.equal("");
      expect(zh.get(key), `zh-CN ${key} is Chinese`).to.match(/[\u4e00-\u9fff]/);
    }
  });

  it("one word for an official in Chinese (工作人员, never 官员)", () => {
    expect([...zh].filter(([, v]) => v.includes("官员")).map(([k]) => k)).to.deep.equal([]);
  });

  it("a project's metadata carries its Chinese title and village, shown in zh-CN and nowhere else", () => {
    const uri = metadataURI({ title: "Danxi school meals", village: "Danxi village", i18n: { "zh-CN": { title: "丹溪村学生营养餐", village: "丹溪村" } } });
    expect(localMetadata(uri, "zh-CN")).to.include({ title: "丹溪村学生营养餐", village: "丹溪村" });
    expect(localMetadata(uri, "en")).to.include({ title: "Danxi school meals", village: "Danxi village" });
    // An empty translation is left out, and the default stands in for it.
    const partial = metadataURI({ title: "Langde school bus", i18n: { "zh-CN": { title: "  " } } });
    expect(parseMetadata(partial)).to.deep.equal({ title: "Langde school bus" });
    expect(localMetadata(partial, "zh-CN")?.title).to.equal("Langde school bus");
  });

  it("a listed region is named by its label; an unlisted code is shown as written", () => {
    const zhRegion = (code: string) => zh.get(`regions.${code}`)!;
    expect(regionName("cn-gz-leishan-dx", zhRegion)).to.equal("雷山县丹溪村");
    expect(regionName("cn-yn-other", zhRegion)).to.equal("cn-yn-other");
  });
});
