/**
 * Informed rulings (issue 9, item 3), in real Chromium against the seeded devnet: a villager objects to a
 * household during its publicity window with a text (personal data refused first, in a sentence); the
 * text is published by the dApp's server under its hash; the reviewer page shows it beside Uphold /
 * Dismiss with the household's attestations and who attested, and the reviewer rules, on a project's
 * household and on a roster's. Runs after roster.spec.ts (files run in name order): the household whose
 * objection is upheld here is in a project this file creates, so no other file's figures move.
 */
import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, keccak256, parseEther, stringToHex, toBytes, type Address, type Hex } from "viem";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { aidEscrowAbi } from "../lib/generated/contracts.ts";
import { ACCOUNTS, chainNow, connect, injectWallet, sendAs } from "./wallet.ts";
import { E2E_RPC_PORT } from "./env.ts";

test.describe.configure({ mode: "serial" });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
const state = () => JSON.parse(readFileSync(join(resolve(import.meta.dirname, ".."), ".devnet", `state-${E2E_RPC_PORT}.json`), "utf8"));
const DAY = 86_400;
const REASON = "The family rebuilt the house with the insurance payment in November; it is not unsafe any more.";

let projectId: number;

async function open(page: Page, path: string, account: string) {
  await injectWallet(page, { account });
  await page.goto(path);
  await connect(page);
}

test.beforeAll(async () => {
  // A project whose window is open now: the seed's windows closed when flows.spec.ts moved time on.
  const escrow = state().contracts.escrow as Address;
  const now = await chainNow();
  const terms = {
    token: "0x0000000000000000000000000000000000000000" as Address,
    category: stringToHex("emergency", { size: 32 }),
    region: stringToHex("cn-gz-leishan-ld", { size: 32 }),
    metadataURI: `data:application/json,${encodeURIComponent(JSON.stringify({ title: "Langde storm repairs" }))}`,
    conditions: [keccak256(toBytes("household.disaster-affected"))],
    threshold: 2,
    amountPerTranche: parseEther("0.05"),
    trancheUnlockTimes: [now + 20 * DAY],
    maxBeneficiaries: 5,
    fundingDeadline: now + 10 * DAY,
    claimDeadline: now + 90 * DAY,
    publicityWindow: 14 * DAY,
  };
  await sendAs(ACCOUNTS.manager, escrow, encodeFunctionData({ abi: aidEscrowAbi, functionName: "createProject", args: [terms] }));
  const count = await (await fetch(`http://127.0.0.1:${E2E_RPC_PORT}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: escrow, data: encodeFunctionData({ abi: aidEscrowAbi, functionName: "projectCount" }) }, "latest"] }),
  })).json();
  projectId = Number(BigInt(count.result));
  await sendAs(ACCOUNTS.countyFund, escrow, encodeFunctionData({ abi: aidEscrowAbi, functionName: "donate", args: [BigInt(projectId), 1n] }), parseEther("0.5"));
  // Pan's household: disaster-affected, attested by Liu and Wu in the seed (attesters ascending).
  const pan = state().households["hh-pan"].commitment as Hex;
  const attesters = [ACCOUNTS.bankerWu, ACCOUNTS.cadreLiu] as Address[];
  await sendAs(ACCOUNTS.cadreLiu, escrow, encodeFunctionData({ abi: aidEscrowAbi, functionName: "enrol", args: [BigInt(projectId), pan, attesters] }));
});

test("in Chinese, the objection form says the reason is public and carries no personal data", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await injectWallet(page, { account: ACCOUNTS.villagerHe });
  await page.goto(`/projects/${projectId}?lang=zh-CN`);
  await page.waitForLoadState("networkidle");
  await expect(page.getByTestId("objection-public-notice").first()).toContainText("请勿填写姓名、身份证号、电话号码");
  await page.context().clearCookies();
});

test("a villager's objection refuses personal data in a sentence, then publishes the reason with its hash", async ({ page, request }) => {
  await open(page, `/projects/${projectId}`, ACCOUNTS.villagerHe);
  const form = page.locator("form", { has: page.getByRole("button", { name: "Raise objection" }) }).first();
  await expect(form.getByTestId("objection-public-notice")).toContainText("Write no names, ID numbers, phone numbers");
  const reason = form.getByRole("textbox", { name: /Object to this enrolment/ });
  // A phone number: refused in the browser, nothing signed or stored.
  await reason.fill("Ask her neighbour, phone 138 1234 5678.");
  await form.getByRole("button", { name: "Raise objection" }).click();
  await expect(form.getByTestId("objection-text-problem")).toHaveText("This looks like a phone number. The reason is public: remove it.");
  await expect(form.getByTestId("tx-status")).toHaveCount(0);
  // The server refuses it too, by field, whatever a page sends.
  const phoneText = "Ask her neighbour, phone 138 1234 5678.";
  const refused = await request.post(`/api/objections/${keccak256(toBytes(phoneText))}`, { data: { text: phoneText } });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error).toMatchObject({ code: "PersonalData", field: "text", params: { kind: "phone" } });
  await shot(page, "objection-personal-data-refused");

  await reason.fill(`  ${REASON}  `);
  await form.getByRole("button", { name: "Raise objection" }).click();
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  // The text is served under the hash the chain recorded.
  const stored = await request.get(`/api/objections/${keccak256(toBytes(REASON))}`);
  expect(stored.status()).toBe(200);
  expect(await stored.json()).toEqual({ hash: keccak256(toBytes(REASON)), text: REASON });
});

test("the reviewer reads the reason, the attestations and who attested, and upholds it", async ({ page }) => {
  await open(page, "/reviewer", ACCOUNTS.reviewer);
  const pan = state().households["hh-pan"].commitment as Hex;
  const card = page.getByTestId(`objection-${pan}`);
  await expect(card).toContainText("Langde storm repairs");
  await expect(card.getByTestId("objection-reason")).toHaveText(REASON);
  const basis = card.getByTestId("objection-basis");
  await expect(basis).toContainText("2 of 2 needed valid attestations");
  await expect(basis.getByTestId("attestation")).toHaveCount(2);
  await expect(basis).toContainText("0x15d3…6A65");
  await expect(basis).toContainText("0x3C44…93BC");
  // The seeded objections' reasons were published too.
  const long = page.getByTestId(`objection-${state().households["hh-long"].commitment}`);
  await expect(long.getByTestId("objection-reason")).toHaveText("the house was rebuilt last year");
  await shot(page, "reviewer-informed");

  await card.getByRole("button", { name: /Uphold/ }).click();
  await expect(card.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId(`objection-${pan}`)).toHaveCount(0);
});

test("the reviewer dismisses a seeded objection and rules on a roster household with its published reason", async ({ page }) => {
  await open(page, "/reviewer", ACCOUNTS.reviewer);
  const long = page.getByTestId(`objection-${state().households["hh-long"].commitment}`);
  await long.getByRole("button", { name: /Dismiss/ }).click();
  await expect(long.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId(`objection-${state().households["hh-long"].commitment}`)).toHaveCount(0);

  // Tang's leaf (#4) of the winter fuel roster, objected to in the seed.
  const leaf = page.getByTestId("roster-objection-4");
  await expect(leaf).toContainText("Leishan county winter fuel allowance");
  await expect(leaf).toContainText("Langde village");
  await expect(leaf.getByTestId("objection-reason")).toHaveText("the household moved to Kaili in October");
  await leaf.getByRole("button", { name: /Uphold/ }).click();
  await expect(leaf.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(page.getByTestId("roster-objection-4")).toHaveCount(0);
  await page.goto(`/roster/${state().rosters["leishan-fuel"].programme}`);
  await expect(page.getByTestId("roster-objections")).toContainText("Household #4");
  await expect(page.getByTestId("roster-objections").getByTestId("objection-reason").first()).toContainText("the household moved to Kaili in October");
});
