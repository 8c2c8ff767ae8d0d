/**
 * Donors and staff on a roster programme page, in real Chromium against the seeded devnet: a donation
 * (with bad amounts refused in a sentence first), cancellation by the programme's manager and a reviewer,
 * a donor's refund, and a beneficiary voiding their signed claims.
 * Both seeded programmes (demo/scenario.json) are still raising money here: flows.spec.ts moved the chain
 * 27 days on, and their funding deadlines are 30 days after creation. The ETH donation goes to the winter
 * fuel allowance (roster.spec.ts asserts the school-meal programme's money, never the fuel one's); the
 * cancellation runs on a programme this file creates through the factory, so the seeded ones stay open.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, getAddress, toHex, type Address, type Hex } from "viem";
import { aidRosterFactoryAbi, aidRosterProgrammeAbi } from "../lib/generated/contracts.ts";
import { CLAIM_TYPES, rosterDomain } from "../lib/roster/typed-data.ts";
import { httpRangeReader, lookupProof, rosterProofsPath } from "../lib/roster/proof-lookup.ts";
import { ACCOUNTS, connect, injectWallet, nodeRpc } from "./wallet.ts";
import { E2E_RPC_PORT, E2E_WEB_URL } from "./env.ts";

test.describe.configure({ mode: "serial" });

const FUEL = "Leishan county winter fuel allowance";
const DRILL = "Leishan county refund drill";
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
const state = () => JSON.parse(readFileSync(join(resolve(import.meta.dirname, ".."), ".devnet", `state-${E2E_RPC_PORT}.json`), "utf8"));

async function call(to: string, data: Hex): Promise<Hex> {
  return nodeRpc("eth_call", [{ to, data }, "latest"]);
}
const tusdBalance = async (account: string) => BigInt(await call(state().contracts.stablecoin, `0x70a08231${account.slice(2).toLowerCase().padStart(64, "0")}`));
const ethBalance = async (account: string) => BigInt(await nodeRpc("eth_getBalance", [account, "latest"]));
const programmeView = async (programme: string, functionName: "contributionOf" | "claimNonce", account: string) =>
  BigInt(await call(programme, encodeFunctionData({ abi: aidRosterProgrammeAbi, functionName, args: [account as Address] })));

/** A transaction from one of the node's unlocked accounts, waited for. */
async function send(from: string, to: string, data: Hex) {
  const hash = await nodeRpc("eth_sendTransaction", [{ from, to, data }]);
  for (let i = 0; i < 100; i++) {
    const receipt = await nodeRpc("eth_getTransactionReceipt", [hash]);
    if (receipt) {
      expect(receipt.status).toBe("0x1");
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`transaction ${hash} was not mined`);
}

async function open(page: Page, path: string, account: string) {
  await injectWallet(page, { account });
  await page.goto(path);
  await connect(page);
}

let drill: Address;

test("a donor gives ETH to a programme still raising money, after a bad amount is refused in a sentence", async ({ page }) => {
  const fuel = state().rosters["leishan-fuel"].programme as Address;
  await open(page, `/roster/${fuel}`, ACCOUNTS.teacherZhao);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(FUEL) })).toBeVisible();
  await expect(page.getByTestId("roster-raised")).toHaveText("3 ETH");
  const form = page.getByTestId("donate-form");
  await expect(form.getByRole("heading", { name: "Donate to this programme" })).toBeVisible();
  const amount = form.getByLabel("Amount (ETH)");
  const donate = form.getByRole("button", { name: "Donate", exact: true });
  const help = form.getByTestId("donate-help");
  // Finer than ETH's 18 decimals, zero, not a number, readable two ways, and more than the account
  // holds: each refused with a sentence, nothing sent.
  const refusals: [string, string][] = [
    ["0.0000000000000000001", "At most 18 decimal places for this token."],
    ["0", "Enter an amount above zero."],
    ["-1", "Enter a number such as 1.5, using digits only."],
    ["1,234", "This amount could be read two ways. Write it with a decimal point and no thousands separators, for example 1234.5 or 1.5."],
    ["1.234,5", "This amount could be read two ways. Write it with a decimal point and no thousands separators, for example 1234.5 or 1.5."],
  ];
  for (const [bad, sentence] of refusals) {
    await amount.fill(bad);
    await amount.blur();
    await expect(help).toHaveText(sentence);
    await expect(donate).toBeDisabled();
  }
  await amount.fill("100000000");
  await expect(help).toHaveText("That is more than your balance of ETH (shown below).");
  await expect(donate).toBeDisabled();
  await shot(page, "roster-donate-refused");

  // A comma typed as the decimal mark (as many Chinese and European donors do) means exactly 0.5 ETH:
  // it was once read as 5 ETH.
  const held = await ethBalance(fuel);
  await amount.fill("0,5");
  await expect(help).not.toHaveClass(/field-error/);
  await donate.click();
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(form.getByTestId("tx-status")).toHaveText(/^Confirmed: you gave 0\.5 ETH to Leishan county winter fuel allowance\. 0x/);
  expect(await ethBalance(fuel)).toBe(held + 500_000_000_000_000_000n);
  expect(await programmeView(fuel, "contributionOf", ACCOUNTS.teacherZhao)).toBe(500_000_000_000_000_000n);
  // The server-rendered money section is re-rendered from the chain.
  await expect(page.getByTestId("roster-raised")).toHaveText("3.5 ETH");
  await expect(page.getByText("Donors", { exact: true }).locator("..")).toContainText("2");
  await shot(page, "roster-donate-eth");
});

test("on a 360-px phone in Chinese, a comma decimal reads as typed and an amount readable two ways is refused in Chinese", async ({ page }) => {
  const fuel = state().rosters["leishan-fuel"].programme as Address;
  await page.setViewportSize({ width: 360, height: 780 });
  await injectWallet(page, { account: ACCOUNTS.teacherZhao });
  await page.goto(`/roster/${fuel}?lang=zh-CN`);
  await connect(page);
  const form = page.getByTestId("donate-form");
  const amount = form.getByLabel("金额（ETH）");
  const help = form.getByTestId("donate-help");
  const donate = form.getByRole("button", { name: "捐赠", exact: true });
  await amount.fill("１，２３４"); // full-width, as a Chinese keyboard types it
  await amount.blur();
  await expect(help).toHaveText("这个金额有两种读法。请用小数点书写，不要用千位分隔符，例如 1234.5 或 1.5。");
  await expect(donate).toBeDisabled();
  await shot(page, "roster-donate-ambiguous-zh-CN-360");
  await amount.fill("0，5");
  await expect(help).not.toHaveClass(/field-error/);
  await expect(donate).toBeEnabled();
  await page.context().clearCookies();
});

test("a donor gives the programme's stablecoin through an allowance step", async ({ page }) => {
  // A programme of its own, created through the factory by the seeded manager, so cancelling it later
  // leaves the seeded programmes as the other tests expect them.
  const now = Number(BigInt((await nodeRpc("eth_getBlockByNumber", ["latest", false])).timestamp));
  const day = 86_400;
  const terms = {
    token: state().contracts.stablecoin as Address,
    category: toHex("emergency", { size: 32 }),
    region: toHex("cn-gz-leishan", { size: 32 }),
    metadataURI: `data:application/json,${encodeURIComponent(JSON.stringify({ title: DRILL }))}`,
    trancheUnlockTimes: [now + 20 * day],
    fundingDeadline: now + 10 * day,
    claimDeadline: now + 60 * day,
    publicityWindow: day,
    threshold: 2,
  };
  const factory = state().contracts.rosterFactory as Address;
  await send(ACCOUNTS.manager, factory, encodeFunctionData({ abi: aidRosterFactoryAbi, functionName: "createProgramme", args: [terms] }));
  const count = BigInt(await call(factory, encodeFunctionData({ abi: aidRosterFactoryAbi, functionName: "programmeCount" })));
  drill = getAddress(`0x${(await call(factory, encodeFunctionData({ abi: aidRosterFactoryAbi, functionName: "programmeAt", args: [count] }))).slice(-40)}`);

  await open(page, `/roster/${drill}`, ACCOUNTS.ngoSpring);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(DRILL) })).toBeVisible();
  const form = page.getByTestId("donate-form");
  const amount = form.getByLabel("Amount (tUSD)");
  // tUSD has 6 decimals, read from the token.
  await amount.fill("1.1234567");
  await amount.blur();
  await expect(form.getByTestId("donate-help")).toHaveText("At most 6 decimal places for this token.");
  const before = await tusdBalance(ACCOUNTS.ngoSpring);
  await amount.fill("250");
  await form.getByRole("button", { name: "Approve, then donate" }).click();
  await expect(page.getByTestId("roster-raised")).toHaveText("250 tUSD", { timeout: 30_000 });
  await expect(form.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed");
  expect(await tusdBalance(drill)).toBe(250_000_000n);
  expect(await tusdBalance(ACCOUNTS.ngoSpring)).toBe(before - 250_000_000n);
  await shot(page, "roster-donate-tusd");
});

test("the manager and a reviewer cancel the programme, and only they can", async ({ browser }) => {
  const other = await browser.newPage();
  await open(other, `/roster/${drill}`, ACCOUNTS.teacherZhao);
  const section = other.getByTestId("roster-cancellation");
  await expect(section).toContainText("claims stop at once");
  await expect(section.getByTestId("cancel-not-allowed")).toHaveText("Only this programme's manager and a reviewer can approve its cancellation.");
  await expect(section.getByRole("button", { name: /Approve cancellation/ })).toHaveCount(0);
  await other.close();

  const manager = await browser.newPage();
  await open(manager, `/roster/${drill}`, ACCOUNTS.manager);
  let cancel = manager.getByTestId("roster-cancellation");
  await expect(cancel).toContainText("No one has approved cancellation.");
  await cancel.getByRole("button", { name: "Approve cancellation as Manager" }).click();
  await expect(cancel.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  await expect(cancel.getByTestId("cancel-approvals")).toContainText(/0x7099…79C8 approved as Manager on/);
  await expect(cancel.getByTestId("cancel-waiting")).toHaveText("Waiting for the Reviewer's approval.");
  await expect(cancel.getByTestId("cancel-given")).toHaveText("The Manager's approval has been given.");
  await expect(cancel.getByTestId("cancel-expires")).toContainText(/^This approval counts until .+, unless its giver withdraws it first/);
  // One approval does not cancel: the programme still takes money.
  await expect(manager.getByTestId("donate-form")).toBeVisible();
  await shot(manager, "roster-cancel-manager");
  // A half can be taken back (withdrawCancellation): then it waits for nobody, until the manager gives it again.
  await cancel.getByRole("button", { name: "Withdraw my approval" }).click();
  await expect(cancel.getByTestId("cancel-approvals")).toContainText("· withdrawn", { timeout: 30_000 });
  await expect(cancel.getByTestId("cancel-waiting")).toHaveCount(0);
  await cancel.getByRole("button", { name: "Approve cancellation as Manager" }).click();
  await expect(cancel.getByTestId("cancel-waiting")).toHaveText("Waiting for the Reviewer's approval.", { timeout: 30_000 });
  await expect(cancel.getByTestId("cancel-approvals").locator("li")).toHaveCount(2);
  await manager.close();

  const reviewer = await browser.newPage();
  await open(reviewer, `/roster/${drill}`, ACCOUNTS.reviewer);
  cancel = reviewer.getByTestId("roster-cancellation");
  await cancel.getByRole("button", { name: "Approve cancellation as Reviewer" }).click();
  await expect(reviewer.getByTestId("roster-cancelled")).toContainText(/^Cancelled on .*: claims have stopped and refunds are open\.$/, { timeout: 30_000 });
  await expect(cancel.getByTestId("cancel-approvals").locator("li")).toHaveCount(3);
  await expect(cancel.getByTestId("cancel-approvals")).toContainText(/0x9965…A4dc approved as Reviewer on/);
  await expect(reviewer.getByTestId("roster-donate-closed")).toHaveText("This programme was cancelled, so it takes no more donations. Donors can take their refunds below.");
  await expect(reviewer.getByRole("heading", { level: 1 })).toContainText("Cancelled");
  await shot(reviewer, "roster-cancelled");
  await reviewer.close();
});

test("a donor takes back their contribution from the cancelled programme", async ({ page }) => {
  await open(page, `/roster/${drill}`, ACCOUNTS.ngoSpring);
  const refund = page.getByTestId("refund-form");
  await expect(refund).toContainText("This programme was cancelled.");
  await expect(refund.getByTestId("contribution")).toHaveText("You gave: 250 tUSD");
  await expect(refund.getByTestId("refundable")).toHaveText("Your refund: 250 tUSD");
  const before = await tusdBalance(ACCOUNTS.ngoSpring);
  await refund.getByRole("button", { name: "Take my refund" }).click();
  await expect(refund.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  expect(await tusdBalance(ACCOUNTS.ngoSpring)).toBe(before + 250_000_000n);
  expect(await tusdBalance(drill)).toBe(0n);
  await expect(refund.getByTestId("refundable")).toHaveText("Your refund: 0 tUSD");
  await expect(refund.getByTestId("nothing-to-refund")).toBeVisible();
  await expect(page.getByText("Refunded", { exact: true }).locator("..")).toContainText("250 tUSD");
  await shot(page, "roster-refund");

  // The same in Chinese, and an account that gave nothing is told so.
  const zh = await page.context().newPage();
  await zh.goto(`/roster/${drill}?lang=zh-CN`);
  await expect(zh.getByTestId("roster-donate-closed")).toHaveText("本项目已取消，不再接受捐款。捐赠人可在下方领取退款。");
  await shot(zh, "roster-cancelled-zh-CN");
  await zh.close();
  await page.context().clearCookies();
});

/** A gasless claim of tranche 1 signed by the household's key (through the node), as the claim page would. */
async function signClaim(programme: Address, account: Address, nonce: bigint) {
  const record = await lookupProof(httpRangeReader(`${E2E_WEB_URL}${rosterProofsPath(programme)}`), account);
  if (!record) throw new Error(`${account} is not on the roster of ${programme}`);
  const now = BigInt((await nodeRpc("eth_getBlockByNumber", ["latest", false])).timestamp);
  const claim = { index: record.index, tranche: 0n, account, amount: record.amount, nonce, deadline: now + 3600n };
  const domain = rosterDomain(31337, programme);
  const typed = {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      ...CLAIM_TYPES,
    },
    primaryType: "RosterClaim",
    domain: { ...domain, chainId: Number(domain.chainId) },
    message: Object.fromEntries(Object.entries(claim).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
  };
  const signature: Hex = await nodeRpc("eth_signTypedData_v4", [account, JSON.stringify(typed)]);
  return { programme, claim: { ...typed.message, proof: record.proof, signature } };
}

test("a beneficiary voids their signed claims: claimNonce moves on and an earlier signature stops working", async ({ page, request }) => {
  const meals = state().rosters["leishan-meals"].programme as Address;
  await open(page, `/roster/${meals}`, ACCOUNTS.hhWang);
  const box = page.getByTestId("roster-void");
  await expect(box).toContainText("every claim you have signed for this programme stops working");
  const before = await programmeView(meals, "claimNonce", ACCOUNTS.hhWang);
  // A claim signed now, say handed to someone who has not sent it yet.
  const outstanding = await signClaim(meals, ACCOUNTS.hhWang, before);
  await expect(box.getByTestId("roster-claim-nonce")).toHaveAttribute("data-nonce", String(before));
  await box.getByRole("button", { name: "Void my signed claims" }).click();
  await expect(box.getByTestId("tx-status")).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
  expect(await programmeView(meals, "claimNonce", ACCOUNTS.hhWang)).toBe(before + 1n);
  await expect(box.getByTestId("roster-claim-nonce")).toHaveAttribute("data-nonce", String(before + 1n));
  // The signature made before is refused before anyone pays gas for it.
  const refused = await request.post("/api/relayer/v1/claims", { data: outstanding });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.code).toBe("StaleNonce");
  // Payments are untouched: the first tranche is still there to claim.
  await expect(page.getByTestId("roster-tranche-0")).toHaveAttribute("data-state", "claimable");
  await shot(page, "roster-void-signatures");
});
