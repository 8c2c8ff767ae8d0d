/**
 * Roster objections in practice (issue 9, item 4), on a 360-px phone in Chinese: a villager opens the
 * winter fuel programme (in its publicity window), finds a household on the roster by village and by
 * roster number, one page at a time from the server (never the roster file itself), taps "object" on
 * its row, and objects with a published reason. Runs after ruling.spec.ts (files run in name order).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, connect, injectWallet } from "./wallet.ts";
import { E2E_RPC_PORT } from "./env.ts";

test.describe.configure({ mode: "serial" });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
const state = () => JSON.parse(readFileSync(join(resolve(import.meta.dirname, ".."), ".devnet", `state-${E2E_RPC_PORT}.json`), "utf8"));
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("a villager finds a household by village and number and objects to it, in Chinese on a 360-px phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const fuel = state().rosters["leishan-fuel"].programme as string;
  const fetched: string[] = [];
  page.on("request", (r) => fetched.push(r.url()));
  await injectWallet(page, { account: ACCOUNTS.villagerHe });
  await page.goto(`/roster/${fuel}?lang=zh-CN`);
  await page.getByTestId("households-link").click();
  await expect(page.getByRole("heading", { level: 1, name: "名册上的家庭" })).toBeVisible();
  await expect(page.getByTestId("households-window")).toContainText("公示期至");
  await expect(page.getByTestId("households-count")).toContainText("共 105 户");
  await shot(page, "villagers-list-zh-CN");
  expect(await overflow(page), "the list scrolls sideways").toBeLessThanOrEqual(0);

  // By village: Chen's household is in Wudong.
  await page.getByRole("combobox", { name: "村", exact: true }).selectOption("Wudong village");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByTestId("household-row-2")).toContainText("第 2 户 · 家庭");
  await expect(page.getByTestId("household-row-2")).toContainText("Wudong village");
  const perVillage = Number((await page.getByTestId("households-count").textContent())!.match(/共 (\d+) 户/)![1]);
  expect(perVillage).toBeGreaterThan(1);
  expect(perVillage).toBeLessThan(105);
  // Households under objection say so, without an "object" button (Tang's, #4, since the seed).
  await page.getByLabel("查找家庭").fill("#4");
  await page.getByRole("combobox", { name: "村", exact: true }).selectOption("");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByTestId("households-count")).toContainText("共 1 户");
  await expect(page.getByTestId("household-row-4")).toContainText(/异议待裁定|异议成立：已排除/);
  await expect(page.getByTestId("object-4")).toHaveCount(0);

  // By number, then "object" on the row.
  await page.getByLabel("查找家庭").fill("2");
  await page.getByRole("button", { name: "搜索" }).click();
  await page.getByTestId("object-2").click();
  await connect(page);
  const form = page.getByTestId("roster-objection-form");
  await expect(form.getByRole("heading")).toContainText("对 第 2 户 · 家庭");
  await expect(form.getByTestId("objection-public-notice")).toContainText("请勿填写姓名、身份证号、电话号码");
  const reason = form.getByLabel("异议理由");
  await reason.fill("户主身份证 52263419900101001X，已在县城买房。");
  await form.getByRole("button", { name: "提出异议" }).click();
  await expect(form.getByTestId("objection-text-problem")).toHaveText("这像是身份证号。理由会公开：请删除，换一种方式描述问题。");
  await reason.fill("户主去年已在县城买房并迁出，不再住在村里。");
  await form.getByRole("button", { name: "提出异议" }).click();
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId("household-row-2")).toContainText("异议待裁定");
  await shot(page, "villagers-objected-zh-CN");
  expect(await overflow(page), "the page scrolls sideways after the objection").toBeLessThanOrEqual(0);

  // Only pages of rows came from the server: the browser never asked for a roster file.
  expect(fetched.filter((u) => /roster\.(households\.csv|proofs|tree)|\/proofs/.test(u))).toEqual([]);
  await page.context().clearCookies();
});

test("the programme page shows the published reason beside the new objection", async ({ page }) => {
  const fuel = state().rosters["leishan-fuel"].programme as string;
  await page.goto(`/roster/${fuel}`);
  const objections = page.getByTestId("roster-objections");
  await expect(objections).toContainText("Household #2");
  await expect(objections.getByTestId("objection-reason")).toContainText(["户主去年已在县城买房并迁出，不再住在村里。"]);
});

test("the household list's JSON route serves a page of checked rows and names a bad field", async ({ request }) => {
  const fuel = state().rosters["leishan-fuel"].programme as string;
  const res = await request.get(`/api/rosters/${fuel}/households?q=Danxi&page=0`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.total).toBeGreaterThan(1);
  expect(body.rows.length).toBeLessThanOrEqual(body.pageSize);
  expect(body.rows.every((r: { village: string; verified: boolean }) => r.village === "Danxi village" && r.verified)).toBe(true);
  const bad = await request.get(`/api/rosters/${fuel}/households?page=-1`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: "MalformedRequest", field: "page" });
  const unknown = await request.get(`/api/rosters/${ACCOUNTS.teacherZhao}/households`);
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error).toMatchObject({ code: "UnknownProgramme", field: "programme" });
});
