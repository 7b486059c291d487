/**
 * The stack the browser suite runs against: `up.ts` on the simulated engine (so the suite never needs a
 * real dockerd), with fixed ports and its own state folder. Shared by playwright.config.ts and the tests.
 */
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CONSOLE_PORT = 18080;
export const CONTROL_PORT = 18081;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
export const CONTROL_URL = `http://127.0.0.1:${CONTROL_PORT}/control`;
/** Short enough for the engine's unix socket (107 bytes). */
export const STATE_DIR = `${REPO_ROOT}.cache/e2e-browser-up`;

export const UP_COMMAND = [
  "bun",
  `${REPO_ROOT}apps/simulator/src/cli/up.ts`,
  "--port", String(CONSOLE_PORT),
  "--control-port", String(CONTROL_PORT),
  "--docker", "simulated",
  "--state-dir", STATE_DIR,
].join(" ");

/** Debian's chromium, never a downloaded browser (docs/design/toolchain.md §7). */
export const chromiumLaunch = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
};
