import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_WEB_URL } from "./e2e/env.ts";

/**
 * Browser end-to-end tests: Debian's Chromium, a real local node and the real production Next server,
 * both started by e2e/global-setup.ts and stopped by e2e/global-teardown.ts. One worker: the tests share
 * one chain and tell one story in order.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["./e2e/count-reporter.ts"]],
  outputDir: "test-results/playwright",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: E2E_WEB_URL,
    browserName: "chromium",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1100, height: 900 },
    trace: "off",
  },
});
