/**
 * The demo story, driven in real Chromium through the injected wallet against the seeded devnet.
 * Serial: each test builds on the chain state the previous ones left (the seed is in demo/scenario.json).
 */
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, advanceDays, connect, injectWallet } from "./wallet.ts";

test.describe.configure({ mode: "serial" });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });

async function open(page: Page, path: string, account?: string, chainId?: number) {
  if (account) await injectWallet(page, { account, chainId });
  await page.goto(path);
  if (account) await connect(page);
}

async function confirmed(scope: ReturnType<Page["locator"]> | Page) {
  const status = scope.getByTestId("tx-status").last();
  await expect(status).toHaveAttribute("data-status", "confirmed", { timeout: 30_000 });
}

test("the public project list and the zh-CN locale render", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Aid projects" })).toBeVisible();
  await expect(page.getByTestId("project-card-1")).toContainText("Danxi livelihood support");
  await shot(page, "projects-en");
  await page.goto("/?lang=zh-CN");
  await expect(page.getByRole("heading", { name: "援助项目" })).toBeVisible();
  await expect(page.getByTestId("project-card-2")).toContainText("已取消");
  await shot(page, "projects-zh-CN");
  await page.goto("/projects/1");
  await expect(page.getByRole("heading", { name: "资金去向" })).toBeVisible();
  await page.locator(".chart svg").first().waitFor();
  await shot(page, "project-1-zh-CN");
  await page.context().clearCookies();
});

test("a project the chain does not know is an HTTP 404 with a sentence, in both languages", async ({ page }) => {
  for (const path of ["/projects/99", "/projects/abc"]) {
    const res = await page.goto(path);
    expect(res!.status(), path).toBe(404);
  }
  await page.goto("/projects/99");
  await expect(page.getByTestId("project-not-found")).toHaveText("There is no project 99.");
  await page.goto("/projects/99?lang=zh-CN");
  await expect(page.getByTestId("project-not-found")).toHaveText(/99/);
  await expect(page.getByTestId("project-not-found")).not.toHaveText("There is no project 99.");
  await page.context().clearCookies();
  // A known project still answers 200.
  expect((await page.goto("/projects/1"))!.status()).toBe(200);
});

test("after Disconnect the connect dialog stays closed until asked for", async ({ page }) => {
  await open(page, "/projects/4", ACCOUNTS.teacherZhao);
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("button", { name: /connect wallet/i })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("button", { name: /connect wallet/i }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
});

test("the wrong network blocks every write until the wallet switches", async ({ page }) => {
  await open(page, "/projects/4", ACCOUNTS.teacherZhao, 1);
  const banner = page.getByTestId("wrong-network");
  await expect(banner).toBeVisible();
  await page.getByLabel(/Amount/).fill("0.1");
  const donate = page.getByRole("button", { name: "Donate", exact: true });
  await expect(donate).toBeDisabled();
  await shot(page, "wrong-network");
  await banner.getByRole("button", { name: /Switch to/ }).click();
  await expect(banner).toBeHidden();
  await expect(donate).toBeEnabled();
});

test("a donor donates ETH and sees the progress move", async ({ page }) => {
  await open(page, "/projects/4", ACCOUNTS.teacherZhao);
  await expect(page.getByTestId("raised").first()).toHaveText("2.5 ETH");
  await page.getByLabel(/Amount/).fill("1");
  await page.getByRole("button", { name: "Donate", exact: true }).click();
  await confirmed(page);
  // The confirmation says what moved, in words, not only a hash.
  await expect(page.getByTestId("tx-status").last()).toHaveText(/^Confirmed: you gave 1 ETH to #4 Danxi school meals\. 0x/);
  await expect(page.getByTestId("raised").first()).toHaveText("3.5 ETH");
  await shot(page, "project-4-after-donation");
  await page.goto("/donor");
  await connect(page);
  await expect(page.getByTestId("donation-4")).toContainText("1.5 ETH");
  await shot(page, "donor-my-donations");
});

test("a declined signature is a gentle notice, not an error", async ({ page }) => {
  await injectWallet(page, { account: ACCOUNTS.teacherZhao, reject: true });
  await page.goto("/projects/4");
  await connect(page);
  await page.getByLabel(/Amount/).fill("0.1");
  await page.getByRole("button", { name: "Donate", exact: true }).click();
  const status = page.getByTestId("tx-status");
  await expect(status).toHaveAttribute("data-status", "rejected");
  await expect(status).toHaveText("You declined to sign. Nothing was sent.");
  await expect(page.getByTestId("raised").first()).toHaveText("3.5 ETH");
});

test("a donor donates the stablecoin with a permit signature", async ({ page }) => {
  await open(page, "/projects/3", ACCOUNTS.ngoSpring);
  await expect(page.getByTestId("raised").first()).toHaveText("6,000 tUSD");
  await page.getByLabel(/Amount/).fill("100");
  await expect(page.getByRole("button", { name: "Sign permit and donate" })).toBeEnabled();
  await expect(page.getByLabel(/Amount/)).toHaveValue("100");
  await shot(page, "project-3-donate-stablecoin");
  await page.getByRole("button", { name: "Sign permit and donate" }).click();
  await confirmed(page);
  await expect(page.getByTestId("tx-status").last()).toHaveText(/^Confirmed: you gave 100 tUSD to #3 Wudong housing repair\. 0x/);
  await expect(page.getByTestId("raised").first()).toHaveText("6,100 tUSD");
});

test("a manager creates a project after the form validates every term", async ({ page }) => {
  await open(page, "/manager", ACCOUNTS.manager);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText(/Fix \d+ problems? above/)).toBeVisible();
  await shot(page, "manager-validation");
  await page.getByLabel("Title").fill("Langde school bus");
  await page.getByLabel("Region code").fill("cn-gz-leishan-ld");
  // The stablecoin is offered by the symbol its contract reports, and amounts follow its decimals (6).
  const token = page.getByRole("combobox", { name: "Paid in", exact: true });
  await expect(token.locator("option").nth(1)).toHaveText("tUSD");
  await token.selectOption({ label: "tUSD" });
  await expect(page.getByText(/Amount per household.*tUSD/)).toBeVisible();
  await page.getByLabel(/Amount per household/).fill("0.0000001");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("A positive amount with at most 6 decimals.")).toBeVisible();
  await shot(page, "manager-stablecoin-decimals");
  await token.selectOption({ label: "ETH" });
  await page.getByLabel(/Amount per household/).fill("0.1");
  await page.getByRole("button", { name: "Create project" }).click();
  await confirmed(page);
  await page.goto("/");
  await expect(page.getByTestId("project-card-5")).toContainText("Langde school bus");
});

test("officials attest a household (one by one and from a CSV) and enrol it", async ({ browser }) => {
  const liu = await browser.newPage();
  await open(liu, "/official", ACCOUNTS.cadreLiu);
  await liu.getByLabel("Household (commitment or address)").fill(ACCOUNTS.hhWang);
  await liu.getByLabel("Condition").selectOption("household.child-in-school");
  await liu.getByLabel("Valid until").fill("2028-06-30");
  await liu.getByLabel("Evidence hash or description").fill("school enrolment record, Danxi primary, 2026");
  await liu.getByLabel("Score (0 = none)").fill("80");
  await liu.getByRole("button", { name: "Attest", exact: true }).click();
  await confirmed(liu);
  await shot(liu, "official-attest");
  await liu.close();

  const yang = await browser.newPage();
  await open(yang, "/official", ACCOUNTS.officerYang);
  await yang.getByRole("tab", { name: "Attest from CSV" }).click();
  const evidence = "0x" + "ab".repeat(32);
  await yang
    .getByLabel("Or paste the CSV")
    .fill(
      `commitment_or_address,condition,expiry,evidence_hash,score\n${ACCOUNTS.hhWang},household.child-in-school,2028-06-30,${evidence},78\n${ACCOUNTS.hhWang},household.no-such-thing,2028-06-30,${evidence},1\n`,
    );
  await yang.getByRole("button", { name: "Check" }).click();
  await expect(yang.getByTestId("csv-issues")).toContainText("Line 3, column condition: Unknown condition “household.no-such-thing”.");
  await shot(yang, "official-csv-preview-with-issue");

  // The same preview in Chinese: every CSV problem is a catalogue sentence, not the CLI's English.
  const zh = await browser.newPage();
  await open(zh, "/official?lang=zh-CN", ACCOUNTS.officerYang);
  await zh.getByRole("tab", { name: "CSV 批量认证" }).click();
  await zh
    .getByLabel("或粘贴 CSV 内容")
    .fill(
      `commitment_or_address,condition,expiry,evidence_hash,score\n${ACCOUNTS.hhWang},household.no-such-thing,2028-06-30,${evidence},1\n${ACCOUNTS.hhWang},household.child-in-school,2020-01-01,0x12,x\n`,
    );
  await zh.getByRole("button", { name: "检查" }).click();
  const zhIssues = zh.getByTestId("csv-issues");
  await expect(zhIssues).toContainText("第 2 行，condition 列：未知的条件“household.no-such-thing”。");
  await expect(zhIssues).toContainText("第 3 行，evidence_hash 列：“0x12”不是 bytes32 哈希");
  await expect(zhIssues).toContainText("第 3 行，score 列：“x”不是 0 到 65535 之间的整数。");
  await expect(zhIssues).not.toContainText("unknown");
  await shot(zh, "official-csv-preview-zh-CN");
  await zh.close();
  await yang
    .getByLabel("Or paste the CSV")
    .fill(`commitment_or_address,condition,expiry,evidence_hash,score\n${ACCOUNTS.hhWang},household.child-in-school,2028-06-30,${evidence},78\n`);
  await yang.getByRole("button", { name: "Check" }).click();
  await expect(yang.getByTestId("csv-preview").locator("tbody tr")).toHaveCount(1);
  await yang.getByRole("button", { name: "Attest 1 row in one transaction" }).click();
  await confirmed(yang);

  await yang.getByRole("tab", { name: "Enrol" }).click();
  await yang.getByLabel("Project").selectOption("4");
  await yang.getByLabel("Household (commitment or address)").fill(ACCOUNTS.hhWang);
  await yang.getByRole("button", { name: "Enrol", exact: true }).click();
  await confirmed(yang);
  // Enrolling again reverts; the custom error comes back as a sentence, in the user's language.
  await yang.getByRole("button", { name: "Enrol", exact: true }).click();
  await expect(yang.getByTestId("tx-status")).toHaveAttribute("data-status", "error");
  await expect(yang.getByTestId("tx-status")).toContainText(/cannot be enrolled in project 4: it is Enrolled/);
  await shot(yang, "official-enrol-revert-decoded");
  await yang.getByRole("tab", { name: "My record" }).click();
  await expect(yang.getByText(/enrolments/)).toBeVisible();
  await shot(yang, "official-record");
  await yang.goto("/projects/4");
  await expect(yang.getByRole("heading", { name: "Households (1)" })).toBeVisible();
  await shot(yang, "project-4-enrolled");
});

test("an objection is raised during the publicity window and a reviewer rules on it", async ({ browser }) => {
  const villager = await browser.newPage();
  await open(villager, "/projects/3", ACCOUNTS.villagerHe);
  const reason = villager.getByRole("textbox", { name: /Object to this enrolment/ }).first();
  await reason.fill("The house was repaired by relatives last autumn.");
  await villager.getByRole("button", { name: "Raise objection" }).first().click();
  await confirmed(villager);
  await shot(villager, "project-3-objection");
  await villager.close();

  const reviewer = await browser.newPage();
  await open(reviewer, "/reviewer", ACCOUNTS.reviewer);
  await expect(reviewer.getByRole("heading", { name: "2 pending" })).toBeVisible();
  await shot(reviewer, "reviewer-pending");
  await reviewer.getByRole("button", { name: /Dismiss/ }).first().click();
  await confirmed(reviewer);
  await expect(reviewer.getByRole("heading", { name: "1 pending" })).toBeVisible();
});

test("an official revokes an attestation and the project page shows it", async ({ page }) => {
  await open(page, "/official", ACCOUNTS.cadreLiu);
  await page.getByRole("tab", { name: "Revoke" }).click();
  await page.getByLabel("Household (commitment or address)").fill(ACCOUNTS.hhWang);
  await page.getByLabel("Condition").selectOption("household.child-in-school");
  await page.getByLabel("Reason (only its hash is published)").fill("child moved to the county boarding school");
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await confirmed(page);
  await page.goto("/projects/4");
  await expect(page.getByText("Revoked")).toHaveCount(1);
});

test("a donor takes a refund from a cancelled project", async ({ page }) => {
  await open(page, "/projects/2", ACCOUNTS.ngoSpring);
  await expect(page.getByTestId("refundable")).toContainText("2,000 tUSD");
  await page.getByRole("button", { name: "Take my refund" }).click();
  await confirmed(page);
  await expect(page.getByTestId("tx-status").last()).toHaveText(/^Confirmed: 2,000 tUSD came back to your account from #2 Langde flood relief\. 0x/);
  await expect(page.getByTestId("refundable")).toContainText("0 tUSD");
  await shot(page, "project-2-refund");
});

test("on the local chain the dialog offers the dev accounts by role, which sign through the node", async ({ page }) => {
  await page.goto("/projects/4");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
  await expect(dialog.getByRole("heading", { name: "Dev accounts (local chain only)" })).toBeVisible();
  await shot(page, "connect-dialog-dev-accounts");
  await dialog.getByRole("button", { name: /County poverty-alleviation fund/ }).click();
  await expect(page.getByTestId("connected-account")).toHaveText("0x14dC…9955");
  const before = await page.getByTestId("raised").first().textContent();
  await page.getByLabel(/Amount/).fill("0.1");
  await page.getByRole("button", { name: "Donate", exact: true }).click();
  await confirmed(page);
  await expect(page.getByTestId("raised").first()).not.toHaveText(before!);
});

test("a beneficiary claims directly, then signs a claim that an official submits", async ({ browser }) => {
  const hh = await browser.newPage();
  await open(hh, `/beneficiary?address=${ACCOUNTS.hhZhang}`, ACCOUNTS.hhZhang);
  const first = hh.getByTestId("tranche-1-0");
  await expect(first).toContainText("Ready to claim");
  await hh.getByRole("button", { name: "Claim tranche 1" }).click();
  await confirmed(hh);
  await expect(hh.getByTestId("tx-status").last()).toHaveText(/^Confirmed: 1 ETH \(tranche 1\) was paid to your account from #1 Danxi livelihood support\. 0x/);
  await expect(first).toContainText("Received");
  await shot(hh, "beneficiary-claimed");

  await advanceDays(27); // tranche 2 of project 1 unlocks on day 40 of the demo (the seed ends near day 14)
  await hh.reload();
  await connect(hh);
  const second = hh.getByTestId("tranche-1-1");
  await expect(second).toContainText("Ready to claim");
  await hh.getByRole("button", { name: "Sign tranche 2 for someone else to submit" }).click();
  const payload = await hh.getByTestId("signed-payload").inputValue();
  expect(payload).toContain("/relay?c=");
  await shot(hh, "beneficiary-signed-claim-qr");

  const relayer = await browser.newPage();
  await injectWallet(relayer, { account: ACCOUNTS.cadreLiu });
  await relayer.goto(payload.replace(/^https?:\/\/[^/]+/, ""));
  await connect(relayer);
  await expect(relayer.getByText(ACCOUNTS.hhZhang)).toBeVisible();
  await relayer.getByRole("button", { name: "Submit claim" }).click();
  await confirmed(relayer);
  await expect(relayer.getByTestId("tx-status").last()).toHaveText(/^Confirmed: 1 ETH \(tranche 2\) was paid to household [A-Z2-9]{2}-[A-Z2-9]{2}'s own account\. 0x/);
  await shot(relayer, "relay-submitted");

  await hh.reload();
  await expect(hh.getByTestId("tranche-1-1")).toContainText("Received");
});

test("the audit rebuilds the books in the browser and they balance; evaluation pages render", async ({ page }) => {
  await page.goto("/audit");
  await expect(page.getByTestId("audit-verdict")).toContainText("The books balance");
  await shot(page, "audit");
  await page.goto("/evaluation");
  await expect(page.getByRole("heading", { name: "Officials" })).toBeVisible();
  await shot(page, "evaluation");
  await page.goto(`/evaluation?official=${ACCOUNTS.cadreLiu}`);
  await shot(page, "evaluation-official");
  await page.goto("/projects/1");
  await expect(page.getByRole("heading", { name: "Where the money went" })).toBeVisible();
  await page.locator(".chart svg").first().waitFor();
  await shot(page, "project-1");
});

test("the connect dialog works from the keyboard and every control has a label", async ({ page }) => {
  await injectWallet(page, { account: ACCOUNTS.teacherZhao });
  await page.goto("/projects/4");
  // The button is a placeholder until the wallet island has loaded.
  await expect(page.getByRole("button", { name: "Connect wallet" })).toBeEnabled();
  await page.getByRole("button", { name: "Connect wallet" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "E2E Wallet" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  for (const path of ["/", "/projects/4", "/official", "/manager", "/beneficiary", "/relay"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea, button")]
        .filter((el) => {
          const e = el as HTMLInputElement;
          if (e.type === "hidden") return false;
          const named = (e.labels?.length ?? 0) > 0 || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby") || (el.tagName === "BUTTON" && el.textContent!.trim());
          return !named;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled, path).toEqual([]);
  }
});

test("pages fit a 360 px phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  for (const [path, name] of [
    ["/", "mobile-projects"],
    ["/projects/1", "mobile-project-1"],
    [`/beneficiary?address=${ACCOUNTS.hhWang}`, "mobile-beneficiary"],
    ["/official", "mobile-official"],
  ] as const) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    await shot(page, name);
  }
});
