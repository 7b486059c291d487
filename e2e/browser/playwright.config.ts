/**
 * Browser e2e of the web console: Playwright 1.65.1 driving Debian's chromium against the whole stack
 * started by up.ts on the simulated engine. Run with `npx playwright test` from this folder (node runner).
 */
import { defineConfig } from "@playwright/test";
import { CONSOLE_URL, UP_COMMAND, chromiumLaunch } from "./stack-under-test.ts";

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.e2e.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    baseURL: CONSOLE_URL,
    launchOptions: chromiumLaunch,
    screenshot: { mode: "on", fullPage: true },
    trace: "retain-on-failure",
  },
  webServer: {
    command: UP_COMMAND,
    url: `${CONSOLE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
  },
  projects: [{ name: "debian-chromium", use: { browserName: "chromium" } }],
});
