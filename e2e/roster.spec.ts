/**
 * Roster programmes (issue 5) in real Chromium against the seeded devnet: the list and programme pages,
 * a beneficiary's proof read from the published roster file by range requests, a direct claim, a
 * gasless claim through the relayer (scripts/relayer.ts, started by the devnet), an account that is not
 * on the roster, an objection during the publicity window, and the phone layout.
 * The seed (demo/scenario.json) creates "Leishan county school-meal stipend" (tUSD, 307 households,
 * claims open) and "Leishan county winter fuel allowance" (ETH, 105 households, in its window, leaf #4
 * under objection). Runs after flows.spec.ts, whose time travel (27 days) leaves both as they were.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, connect, injectWallet, nodeRpc } from "./wallet.ts";
import { E2E_RPC_PORT } from "./env.ts";

test.describe.configure({ mode: "serial" });

const MEALS = "Leishan county school-meal stipend";
const FUEL = "Leishan county winter fuel allowance";
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });

const state = () => JSON.parse(readFileSync(join(resolve(import.meta.dirname, ".."), ".devnet", `state-${E2E_RPC_PORT}.json`), "utf8"));

async function tusdBalance(account: string): Promise<bigint> {
  const data = `0x70a08231${account.slice(2).toLowerCase().padStart(64, "0")}`; // balanceOf(address)
  return BigInt(await nodeRpc("eth_call", [{ to: state().contracts.stablecoin, data }, "latest"]));
}
const ethBalance = async (account: string) => BigInt(await nodeRpc("eth_getBalance", [account, "latest"]));

async function openProgramme(page: Page, title: string, account?: string) {
  if (account) await injectWallet(page, { account });
  await page.goto("/roster");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(title) })).toBeVisible();
  if (account) await connect(page);
}

test("the roster list and programme pages show the seeded rosters, approvals and objections", async ({ page, request }) => {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Roster programmes" }).click();
  await expect(page.getByRole("heading", { name: "Roster programmes" })).toBeVisible();
  const meals = page.locator("article", { hasText: MEALS });
  await expect(meals).toContainText("Claims open");
  await expect(meals).toContainText("307");
  await expect(page.locator("article", { hasText: FUEL })).toContainText("Publicity window");
  await shot(page, "roster-list");

  await page.getByRole("link", { name: MEALS }).click();
  await expect(page.getByTestId("roster-leaf-count")).toHaveText("307");
  await expect(page.getByTestId("roster-root")).toHaveText(/^0x[0-9a-f]{64}$/);
  await expect(page.getByText(/Approved by 3 officials/)).toBeVisible();
  await expect(page.getByTestId("window-state")).toContainText("Publicity window closed");
  await expect(page.getByTestId("roster-raised")).toHaveText("28,000 tUSD");
  await expect(page.getByText("Committed to the roster").locator("..")).toContainText("22,920 tUSD");
  // The published file is the one the content hash on chain names.
  const uri = await page.getByRole("link", { name: /\/api\/roster-files\/leishan-meals-v1\/roster\.proofs$/ }).getAttribute("href");
  const file = await request.get(uri!);
  expect(file.status()).toBe(200);
  const hash = `0x${createHash("sha256").update(await file.body()).digest("hex")}`;
  await expect(page.getByText(hash)).toBeVisible();
  await shot(page, "roster-meals");

  await page.goto("/roster");
  await page.getByRole("link", { name: FUEL }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(FUEL) })).toBeVisible();
  await expect(page.getByTestId("roster-phase")).toHaveText("Publicity window");
  await expect(page.getByTestId("window-state")).toContainText(/Publicity window open until .* left/);
  await expect(page.getByTestId("roster-objections")).toContainText("Household #4");
  await expect(page.getByTestId("roster-objections")).toContainText("Held, awaiting a reviewer");
  await expect(page.getByTestId("roster-objection-form")).toBeVisible();
  await shot(page, "roster-fuel-window");

  await page.goto(`${page.url()}?lang=zh-CN`);
  await expect(page.getByTestId("roster-phase")).toHaveText("公示期");
  await expect(page.getByRole("heading", { name: "异议（1）" })).toBeVisible();
  await shot(page, "roster-fuel-zh-CN");
  await page.context().clearCookies();
});

test("an address the factory does not list is refused with a sentence", async ({ page }) => {
  const notListed = await page.goto(`/roster/${ACCOUNTS.teacherZhao}`);
  expect(notListed!.status()).toBe(404);
  await expect(page.getByTestId("not-listed")).toHaveText(`${ACCOUNTS.teacherZhao} is not a programme of this dApp's roster factory. Do not send money to it or sign anything for it.`);
  const notAnAddress = await page.goto("/roster/not-an-address");
  expect(notAnAddress!.status()).toBe(404);
  await expect(page.getByText("“not-an-address” is not a programme address.")).toBeVisible();
});

test("a seeded beneficiary finds their proof in the roster file and claims a tranche directly", async ({ page }) => {
  const proofReads: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/proofs")) proofReads.push(r.headers()["range"] ?? "none");
  });
  await openProgramme(page, MEALS, ACCOUNTS.hhChen);
  await expect(page.getByTestId("roster-leaf")).toHaveText("Your household is #3 on the roster: 20 tUSD in each of 3 tranches.");
  await expect(page.getByText(/checked against the on-chain root/)).toBeVisible();
  // Three small range reads, never the whole file.
  expect(proofReads).toHaveLength(3);
  expect(proofReads.every((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
  const first = page.getByTestId("roster-tranche-0");
  await expect(first).toHaveAttribute("data-state", "claimable");
  await expect(page.getByTestId("roster-tranche-1")).toHaveAttribute("data-state", "locked");
  await shot(page, "roster-claim-before");
  const before = await tusdBalance(ACCOUNTS.hhChen);
  await page.getByRole("button", { name: "Claim tranche 1", exact: true }).click();
  await expect(page.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId("tx-status")).toHaveText(/^Confirmed: 20 tUSD \(tranche 1\) was paid to your account from Leishan county school-meal stipend\. 0x/);
  await expect(first).toHaveAttribute("data-state", "claimed");
  await expect(first).toContainText("Received");
  expect(await tusdBalance(ACCOUNTS.hhChen)).toBe(before + 20_000_000n);
  await expect(page.getByTestId("roster-claims-summary")).toContainText("1 claim by 1 households, 20 tUSD in all.");
  await expect(page.getByTestId("roster-claimed-total")).toHaveText("20 tUSD");
  await shot(page, "roster-claim-direct");
});

test("a connected account that is not on the roster is told so in plain words", async ({ page }) => {
  await openProgramme(page, MEALS, ACCOUNTS.teacherZhao);
  await expect(page.getByTestId("not-on-roster")).toHaveText(
    "Your account 0xdD2F…44C0 is not on this programme's roster. If you think it should be, ask your village official; during a publicity window anyone may object.",
  );
  await expect(page.getByRole("button", { name: /Claim tranche/ })).toHaveCount(0);
  await shot(page, "roster-not-on-roster");
});

test("a beneficiary claims without gas: signed in the browser, sent by the relayer, confirmed", async ({ page }) => {
  await openProgramme(page, MEALS, ACCOUNTS.hhPan);
  await expect(page.getByTestId("roster-tranche-0")).toHaveAttribute("data-state", "claimable");
  const tusd = await tusdBalance(ACCOUNTS.hhPan);
  const eth = await ethBalance(ACCOUNTS.hhPan);
  await page.getByRole("button", { name: "Claim tranche 1 without gas" }).click();
  const status = page.getByTestId("relay-status");
  await expect(status).toHaveAttribute("data-status", /queued|submitted|confirmed/, { timeout: 20_000 });
  await expect(status).toHaveAttribute("data-status", "confirmed", { timeout: 60_000 });
  await expect(status).toContainText(/^Tranche 1: 20 tUSD paid to your account from Leishan county school-meal stipend, gas paid by the relayer:/);
  await expect(page.getByTestId("relay-tx")).toHaveText(/^0x[0-9a-f]{8}…[0-9a-f]{8}$/);
  await expect(page.getByTestId("roster-tranche-0")).toHaveAttribute("data-state", "claimed");
  expect(await tusdBalance(ACCOUNTS.hhPan)).toBe(tusd + 20_000_000n);
  // The beneficiary only signed: not one wei of gas left their account.
  expect(await ethBalance(ACCOUNTS.hhPan)).toBe(eth);
  await shot(page, "roster-claim-gasless");
  // The paid state comes from the chain, not from the page's memory.
  await page.reload();
  await connect(page);
  await expect(page.getByTestId("roster-tranche-0")).toHaveAttribute("data-state", "claimed");
});

test("anyone may object to a household during the publicity window", async ({ page }) => {
  await openProgramme(page, FUEL, ACCOUNTS.teacherZhao);
  const form = page.getByTestId("roster-objection-form");
  await form.getByLabel("Household number (index on the roster)").fill("999");
  await expect(form.getByText("A whole number from 0 to 104.")).toBeVisible();
  await expect(form.getByRole("button", { name: "Raise objection" })).toBeDisabled();
  await form.getByLabel("Household number (index on the roster)").fill("1");
  await form.getByLabel("Reason (only its hash is published)").fill("This household received the allowance from the township already.");
  await form.getByRole("button", { name: "Raise objection" }).click();
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId("roster-objections")).toContainText("Household #1");
  await expect(page.getByRole("heading", { name: "Objections (2)" })).toBeVisible();
  // The same household twice: the contract's refusal comes back as a sentence.
  await form.getByRole("button", { name: "Raise objection" }).click();
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "error");
  await expect(form.getByTestId("tx-status")).toHaveText("Household #1 already has an objection (pending).");
  await shot(page, "roster-objection");
});

test("roster pages fit a 360 px phone screen and work from the keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await injectWallet(page, { account: ACCOUNTS.hhWang });
  await page.goto("/roster");
  await page.waitForLoadState("networkidle");
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "/roster scrolls sideways").toBeLessThanOrEqual(0);
  await shot(page, "mobile-roster-list");
  await page.getByRole("link", { name: MEALS }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(MEALS) })).toBeVisible();
  await page.getByRole("button", { name: "Connect wallet" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "E2E Wallet" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("roster-tranche-0")).toHaveAttribute("data-state", "claimable");
  const claim = page.getByRole("button", { name: "Claim tranche 1", exact: true });
  await claim.focus();
  await expect(claim).toBeFocused();
  await page.waitForLoadState("networkidle");
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the programme page scrolls sideways").toBeLessThanOrEqual(0);
  await shot(page, "mobile-roster-programme");
});
