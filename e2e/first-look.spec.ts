/**
 * What people hit first (issue 9), on a 360-px phone in both languages, against the freshly seeded devnet:
 * times in the viewer's zone, long addresses that must not widen the page, one status rule for a
 * household's publicity window, Chinese that is complete, books that agree everywhere.
 * Runs before flows.spec.ts (file order) and changes nothing on the chain, so the story there starts
 * from the seed (demo/scenario.json) as before.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { encodeSignedClaim } from "../lib/escrow/claim-payload.ts";
import { E2E_RPC_PORT } from "./env.ts";
import { ACCOUNTS, connect, injectWallet } from "./wallet.ts";

test.describe.configure({ mode: "serial" });

const PHONE = { width: 360, height: 780 };
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
const state = () => JSON.parse(readFileSync(join(resolve(import.meta.dirname, ".."), ".devnet", `state-${E2E_RPC_PORT}.json`), "utf8"));

/** A phone in a zone, in a language (the language cookie is set the way a shared link sets it). */
async function phone(browser: Browser, o: { timezoneId: string; lang: "en" | "zh-CN" }) {
  const context = await browser.newContext({ viewport: PHONE, timezoneId: o.timezoneId, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`/?lang=${o.lang}`);
  return { context, page };
}

/** A signed claim (its signature is not checked by the page that shows it) valid until `deadline`. */
function claimLink(deadline: number) {
  const payload = encodeSignedClaim({
    chainId: 31337,
    escrow: state().contracts.escrow,
    signature: `0x${"11".repeat(65)}`,
    request: {
      projectId: 1n,
      commitment: `0x${"ab".repeat(32)}`,
      trancheIndex: 0,
      recipient: "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
      amount: 10n ** 18n,
      nonce: 0n,
      deadline: BigInt(deadline),
    },
  });
  return `/relay?c=${payload}`;
}

/** No page may scroll sideways on a 360-px phone. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what} is ${width} px wide`).toBeLessThanOrEqual(360);
}

test.describe("times in the viewer's zone (issue 9, item 2)", () => {
  // 2026-12-21 23:15 UTC is already the 22nd in Beijing.
  const lateOn21st = Date.UTC(2026, 11, 21, 23, 15) / 1000;

  test("in Chinese in Beijing, a time late on the 21st UTC shows as the 22nd, named 北京时间, with the UTC in its title", async ({ browser }) => {
    const { context, page } = await phone(browser, { timezoneId: "Asia/Shanghai", lang: "zh-CN" });
    await page.goto(claimLink(lateOn21st));
    const deadline = page.getByTestId("relay-deadline");
    await expect(deadline).toHaveText("2026年12月22日 07:15 北京时间");
    await expect(deadline).toHaveAttribute("title", "2026-12-21 23:15 UTC");
    await expect(page.getByTestId("time-zone")).toContainText("北京时间");
    await expectNoSidewaysScroll(page, "/relay");
    await shot(page, "time-zone-relay-zh-CN-beijing");
    // A server-rendered page says the same: chain time in Beijing, its UTC in the title.
    await page.goto("/projects/1");
    const now = page.getByTestId("chain-now");
    await expect(now).toContainText("北京时间");
    await expect(now).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await context.close();
  });

  test("in English in New York, the browser's zone replaces the deployment's default after the first paint", async ({ browser }) => {
    const { context, page } = await phone(browser, { timezoneId: "America/New_York", lang: "en" });
    await page.goto(claimLink(lateOn21st));
    await expect(page.getByTestId("relay-deadline")).toHaveText("Dec 21, 2026, 06:15 PM UTC-5");
    await expect(page.getByTestId("time-zone")).toContainText(/UTC-[45]/); // EST or EDT, by today's date
    // The cookie the browser set is what the server renders with from now on.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "PRECISIONAID_TZ")?.value).toBe(encodeURIComponent("America/New_York"));
    await page.goto("/projects/1");
    await expect(page.getByTestId("chain-now")).toContainText(/UTC-[45]/);
    await context.close();
  });
});

test.describe("full addresses never widen a phone's page (issue 9, item 6)", () => {
  for (const [lang, l] of [
    ["en", { attest: "Attest one", csv: "Attest from CSV", household: "Household (commitment or address)", evidence: "Evidence hash or description", expiry: "Valid until", submit: "Attest", paste: "Or paste the CSV", check: "Check", relay: "Submit claim" }],
    ["zh-CN", { attest: "单户认证", csv: "CSV 批量认证", household: "家庭（承诺值或地址）", evidence: "证据哈希或说明", expiry: "有效期至", submit: "提交认证", paste: "或粘贴 CSV 内容", check: "检查", relay: "提交领取" }],
  ] as const) {
    test(`errors and CSV problems that name an account fit 360 px (${lang})`, async ({ browser }) => {
      const { context, page } = await phone(browser, { timezoneId: "Asia/Shanghai", lang });
      // Not an official: the registry refuses the attestation with the account in its error.
      await injectWallet(page, { account: ACCOUNTS.teacherZhao });
      await page.goto("/official");
      await connect(page);
      await page.getByLabel(l.household).fill(ACCOUNTS.hhWang);
      await page.getByLabel(l.expiry).fill("2028-06-30");
      await page.getByLabel(l.evidence).fill("school record");
      await page.getByRole("button", { name: l.submit, exact: true }).click();
      const status = page.getByTestId("tx-status");
      await expect(status).toHaveAttribute("data-status", "error");
      // The sentence names the account, shortened (the CLI's English keeps it whole).
      await expect(status).toContainText("0xdD2F…44C0");
      await expectNoSidewaysScroll(page, `/official attest error (${lang})`);
      await shot(page, `official-error-360-${lang}`);

      // A CSV row naming an account that is bound to no household: the problem quotes the address.
      await page.getByRole("tab", { name: l.csv }).click();
      await page.getByLabel(l.paste).fill(`commitment_or_address,condition,expiry,evidence_hash,score\n${ACCOUNTS.villagerHe},household.child-in-school,2028-06-30,0x${"ab".repeat(32)},1\n`);
      await page.getByRole("button", { name: l.check }).click();
      await expect(page.getByTestId("csv-issues")).toContainText(ACCOUNTS.villagerHe);
      await expectNoSidewaysScroll(page, `/official CSV check (${lang})`);
      await shot(page, `official-csv-unbound-360-${lang}`);

      // A signed claim whose signature is not the household's: the refusal and the full recipient fit too.
      await page.goto(claimLink(Math.floor(Date.now() / 1000) + 30 * 86400));
      await connect(page);
      await page.getByRole("button", { name: l.relay }).click();
      await expect(page.getByTestId("tx-status")).toHaveAttribute("data-status", "error");
      await expectNoSidewaysScroll(page, `/relay refusal (${lang})`);
      await shot(page, `relay-error-360-${lang}`);
      await context.close();
    });
  }
});

test.describe("one status rule for a household's publicity window (issue 9, item 7)", () => {
  for (const [lang, open, closed] of [
    ["en", /publicity window is open until/, /closed/],
    ["zh-CN", /公示期开放至/, /结束/],
  ] as const) {
    test(`after an objection, the project page and the household page say the same, and the window stays open (${lang})`, async ({ browser }) => {
      const { context, page } = await phone(browser, { timezoneId: "Asia/Shanghai", lang });
      const hh = state().households;
      // Wudong housing repair (#3): Long's household is under objection inside its window, Chen's is not.
      await page.goto("/projects/3");
      const long = page.getByTestId(`beneficiary-${hh["hh-long"].commitment}`);
      const chen = page.getByTestId(`beneficiary-${hh["hh-chen"].commitment}`);
      const onProject = long.getByTestId("publicity");
      await expect(onProject).toHaveAttribute("data-window", "open");
      await expect(onProject).toHaveAttribute("data-objection", "pending");
      await expect(onProject).toHaveText(open);
      await expect(onProject).not.toHaveText(closed);
      // A second objection is not offered while one is pending; Chen's household, in its window, has the form.
      await expect(long.getByRole("textbox")).toHaveCount(0);
      await expect(chen.getByTestId("publicity")).toHaveAttribute("data-objection", "none");
      await expect(chen.getByRole("textbox")).toHaveCount(1);
      await expectNoSidewaysScroll(page, `/projects/3 (${lang})`);
      await shot(page, `project-3-publicity-${lang}`);
      const said = await onProject.textContent();
      await page.goto(`/beneficiary?address=${hh["hh-long"].account}`);
      await expect(page.getByTestId("enrolment-3").getByTestId("publicity")).toHaveText(said!);
      await context.close();
    });
  }
});

test.describe("Chinese that is complete (issue 9, item 8)", () => {
  /**
   * ASCII words a Chinese page may show: numbers, hashes and addresses, token symbols, the time zone's
   * offset, household pseudonyms, URLs, and the few literal names a person types or runs (file formats,
   * the CSV's column names, commands, standards). Anything else is an untranslated key, an English
   * value, or a raw id.
   */
  const ALLOWED = new Set(["ETH", "tUSD", "UTC", "CSV", "English", "npm", "run", "start", "audit", "projectLedger", "ledger", "ERC-20", "ISO", "Unix", "sha256", "bytes32", "k", "n", "x", "commitment_or_address", "condition", "expiry", "evidence_hash", "score"]);
  const allowed = (w: string) =>
    ALLOWED.has(w) ||
    /^0x[0-9a-fA-F]*$/.test(w) || // addresses, hashes (whole or shortened: 0x3C44…93BC is two words)
    /^[0-9a-fA-F]+$/.test(w) || // the tail of a shortened hash
    /^UTC[+-]\d/.test(w) ||
    /^[A-Z2-9]{2}-[A-Z2-9]{2}$/.test(w); // household pseudonyms
  // Words with a letter in them; a word starting with a digit (0x…, a hash's tail) is one word, not its letters.
  const asciiWords = (text: string) =>
    (
      text
        .replace(/https?:\/\/\S+|ipfs:\/\/\S+/g, " ") // URIs are values, not words
        .replace(/@[a-z0-9-]+\/[a-z0-9-]+/g, " ") // a package a person installs (@openzeppelin/merkle-tree)
        .match(/[A-Za-z0-9][A-Za-z0-9._-]*/g) ?? []
    ).filter((w) => /[A-Za-z]/.test(w));

  test("every main page in zh-CN shows no English word, untranslated key or raw id", async ({ browser }) => {
    const { context, page } = await phone(browser, { timezoneId: "Asia/Shanghai", lang: "zh-CN" });
    const s = state();
    const pages = [
      "/",
      "/projects/1",
      "/projects/2",
      "/projects/3",
      "/projects/4",
      "/audit",
      "/evaluation",
      "/donor",
      "/official",
      "/manager",
      "/relay",
      "/roster",
      ...Object.values(s.rosters as Record<string, { programme: string }>).map((r) => `/roster/${r.programme}`),
      `/beneficiary?address=${ACCOUNTS.hhWang}`,
      "/reviewer",
    ];
    const found: Record<string, string[]> = {};
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      // A villager's own words (an objection's published reason, marked data-user-text) are content in whatever
      // language they were written in, not the page's words.
      const text = await page.evaluate(() => {
        const body = document.body.cloneNode(true) as HTMLElement;
        for (const el of body.querySelectorAll("[data-user-text]")) el.remove();
        document.documentElement.appendChild(body);
        const t = body.innerText;
        body.remove();
        return t;
      });
      const bad = [...new Set(asciiWords(text).filter((w) => !allowed(w)))];
      if (bad.length) found[path] = bad;
    }
    // The officials' CSV preview names conditions in Chinese too (the CLI's names stay in the file).
    await page.goto("/official");
    await page.getByRole("tab", { name: "CSV 批量认证" }).click();
    await page.getByLabel("或粘贴 CSV 内容").fill(`commitment_or_address,condition,expiry,evidence_hash,score\n${ACCOUNTS.hhWang},household.child-in-school,2028-06-30,0x${"ab".repeat(32)},78\n`);
    await page.getByRole("button", { name: "检查" }).click();
    const preview = await page.getByTestId("csv-preview").innerText();
    const badPreview = asciiWords(preview).filter((w) => !allowed(w));
    if (badPreview.length) found["/official CSV preview"] = badPreview;
    expect(found).toEqual({});
    await context.close();
  });
});
