/**
 * `npm run bench:web`: how heavy and how fast the dApp is, measured, not guessed.
 *
 *   bash scripts/setup.sh node scripts/bench/web.ts [--no-browser]
 *
 * 1. First-load JS per route, gzip (level 9), from the production build's own manifests: the root
 *    chunks every page loads (build-manifest.json rootMainFiles) plus the route's entry chunks
 *    (server/app/<route>/page_client-reference-manifest.js entryJSFiles for the layout and the
 *    page). Lazily loaded chunks (wallet islands, the recharts fund-flow chart) are not first-load.
 *    Budgets (issue 10): 150 KB for every public route, 200 KB for every role route (Scaffold-ETH 2's
 *    default app loads 566 KB; a bare Next page about 122 KB). Any route over its budget makes the run
 *    exit 1, after writing the results.
 * 2. A Lighthouse-style mobile run of the project page, offline: the same devnet and `next start` the
 *    browser tests use (e2e/global-setup.ts), Debian's Chromium at 360x740, CPU slowed 4x and the
 *    network shaped like Lighthouse's mobile preset (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up),
 *    LCP and CLS read from PerformanceObserver. Targets: LCP <= 2.5 s, CLS <= 0.05.
 * Both read the build the browser tests' devnet serves (.next-8546/, rebuilt only when the sources change).
 * Writes bench/results/web.json and prints a table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { PUBLIC_BUDGET_KB, ROLE_BUDGET_KB, judgeRoute, overBudget } from "./web-budget.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
// The build the browser tests' devnet serves (e2e/env.ts: RPC port 8546 unless E2E_RPC_PORT says otherwise).
const NEXT_DIR = join(ROOT, `.next-${process.env.E2E_RPC_PORT ?? 8546}`);


const { values: args } = parseArgs({
  options: { "no-browser": { type: "boolean", default: false } },
});

const gzipKB = (files: Iterable<string>) => {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = readFileSync(join(NEXT_DIR, f.replace(/^\/_next\//, "")));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { rawKB: +(raw / 1024).toFixed(1), gzipKB: +(gz / 1024).toFixed(1) };
};

function routeSizes() {
  const build = JSON.parse(readFileSync(join(NEXT_DIR, "build-manifest.json"), "utf8"));
  const root: string[] = build.rootMainFiles;
  const routes = Object.keys(build.pagesChunkGroupBootstrapParams ?? {})
    .map((k: string) => k.replace(/\/page$/, "") || "/")
    .filter((r) => !r.startsWith("/_"));
  const out: Record<string, { rawKB: number; gzipKB: number; chunks: number; public: boolean; budgetKB: number; withinBudget: boolean }> = {};
  for (const route of routes.sort()) {
    const dir = route === "/" ? "" : route;
    const file = join(NEXT_DIR, "server", "app", dir, "page_client-reference-manifest.js");
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const json = JSON.parse(text.slice(text.indexOf("= {") + 2).replace(/;\s*$/, ""));
    const entry: Record<string, string[]> = json.entryJSFiles ?? {};
    const files = new Set<string>(root);
    for (const [key, chunks] of Object.entries(entry)) {
      if (key.endsWith("/app/layout") || key.endsWith(`/app${dir}/page`)) chunks.filter((c) => c.endsWith(".js")).forEach((c) => files.add(c));
    }
    const size = gzipKB(files);
    out[route] = { ...size, chunks: files.size, ...judgeRoute(route, size) };
  }
  return out;
}

async function mobileAudit() {
  const { chromium } = await import("@playwright/test");
  const { default: globalSetup } = await import("../../e2e/global-setup.ts");
  const { default: globalTeardown } = await import("../../e2e/global-teardown.ts");
  const { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_WEB_URL } = await import("../../e2e/env.ts");
  await globalSetup();
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const runs: { lcpMs: number; cls: number; fcpMs: number; jsTransferKB: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { __lcp: number; __cls: number };
        w.__lcp = 0;
        w.__cls = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__lcp = e.startTime;
        }).observe({ type: "largest-contentful-paint", buffered: true });
        new PerformanceObserver((l) => {
          for (const e of l.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__cls += e.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      // Bytes on the wire (compressed) of every script the page loads, lazy chunks included.
      let jsBytes = 0;
      const scripts = new Set<string>();
      cdp.on("Network.responseReceived", (e: { requestId: string; type: string }) => void (e.type === "Script" && scripts.add(e.requestId)));
      cdp.on("Network.loadingFinished", (e: { requestId: string; encodedDataLength: number }) => void (scripts.has(e.requestId) && (jsBytes += e.encodedDataLength)));
      await page.goto(`${E2E_WEB_URL}/projects/1`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { level: 2 }).first().waitFor();
      await page.waitForTimeout(2500);
      // LCP is final once the user interacts; a click ends it without shifting layout.
      const result = await page.evaluate(() => {
        const w = window as unknown as { __lcp: number; __cls: number };
        const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
        return { lcpMs: Math.round(w.__lcp), cls: +w.__cls.toFixed(4), fcpMs: Math.round(fcp) };
      });
      runs.push({ ...result, jsTransferKB: +(jsBytes / 1024).toFixed(1) });
      await context.close();
    }
    await browser.close();
    const median = <K extends keyof (typeof runs)[number]>(k: K) => [...runs].map((r) => r[k]).sort((a, b) => a - b)[1];
    return {
      page: "/projects/1",
      settings: { viewport: "360x740@2x", cpuSlowdown: 4, rttMs: 150, downKbps: 1638, upKbps: 750, runs: runs.length },
      runs,
      median: { lcpMs: median("lcpMs"), cls: median("cls"), fcpMs: median("fcpMs") },
      targets: { lcpMs: 2500, cls: 0.05 },
    };
  } finally {
    await globalTeardown();
  }
}

async function main() {
  let audit: Awaited<ReturnType<typeof mobileAudit>> | { skipped: string } = { skipped: "--no-browser" };
  if (!args["no-browser"]) audit = await mobileAudit();
  else {
    const { ensureWebBuild } = await import("../devnet/web.ts");
    const { E2E_RPC_URL } = await import("../../e2e/env.ts");
    ensureWebBuild({ distDir: NEXT_DIR.slice(ROOT.length + 1), env: { ...process.env, NEXT_PUBLIC_RPC_URL: E2E_RPC_URL }, log: console.log });
  }
  const routes = routeSizes();
  const result = {
    generatedAt: new Date().toISOString(),
    next: JSON.parse(readFileSync(join(ROOT, "node_modules", "next", "package.json"), "utf8")).version,
    budgetKB: { public: PUBLIC_BUDGET_KB, role: ROLE_BUDGET_KB },
    firstLoadJS: routes,
    publicWithinBudget: Object.values(routes).every((r) => !r.public || r.withinBudget),
    withinBudget: Object.values(routes).every((r) => r.withinBudget),
    mobileAudit: audit,
  };
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "web.json"), JSON.stringify(result, null, 2) + "\n");
  console.log("route                 first-load JS (gzip)   raw       public  budget");
  for (const [route, r] of Object.entries(routes))
    console.log(
      `${route.padEnd(21)} ${(r.gzipKB + " KB").padStart(12)}        ${(r.rawKB + " KB").padStart(9)}  ${r.public ? "yes" : "no "}     ${(r.budgetKB + " KB").padStart(6)} ${r.withinBudget ? "ok" : "OVER"}`,
    );
  if ("median" in audit)
    console.log(`\nproject page, mobile (4x CPU, 150 ms RTT): LCP ${audit.median.lcpMs} ms (target 2500), CLS ${audit.median.cls} (target 0.05), FCP ${audit.median.fcpMs} ms`);
  console.log("\nwrote bench/results/web.json");
  const over = overBudget(routes);
  if (over.length > 0) {
    console.error(`\nOVER BUDGET: ${over.join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
