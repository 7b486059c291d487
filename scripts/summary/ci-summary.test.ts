/**
 * The CI summary counts every suite: runs scripts/lib/browser.sh and scripts/lib/tally.sh in bash, the
 * way scripts/test.sh does, with Playwright replaced by a stub that prints a failing run.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

/** Runs run_browser_tests against a stub npx, then tally as test.sh does; returns "passed failed rc". */
function browserSummary(stubOutput: string, stubExit: number): string {
  const dir = mkdtempSync(join(tmpdir(), "ci-summary-"));
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npx"), `#!/usr/bin/env bash\ncat <<'OUT'\n${stubOutput}\nOUT\nexit ${stubExit}\n`);
    chmodSync(join(bin, "npx"), 0o755);
    const script = [
      "set -uo pipefail",
      `cd ${JSON.stringify(ROOT)}`,
      "source scripts/lib/browser.sh",
      "source scripts/lib/tally.sh",
      "passed=0 failed=0 status=0",
      `log=${JSON.stringify(join(dir, "log"))}`,
      'run_browser_tests "$log" >/dev/null || status=1',
      // The same call as scripts/test.sh.
      `tally "$log" '^PLAYWRIGHT [0-9]+ passed' 'passed, [0-9]+ failed$'`,
      'echo "$passed $failed $status"',
    ].join("\n");
    const r = Bun.spawnSync(["bash", "-c", script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdout: "pipe", stderr: "pipe" });
    return r.stdout.toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("CI summary: the browser suite", () => {
  test("a Playwright failure reaches the summary", () => {
    expect(browserSummary("  ok 1 console loads\n  x  2 stop button\n\n  1 failed\n  3 passed (4.2s)", 1)).toBe("3 1 1");
  });

  test("a clean run counts its passes and no failure", () => {
    expect(browserSummary("  4 passed (3.0s)", 0)).toBe("4 0 0");
  });

  test("flaky tests count as passed", () => {
    expect(browserSummary("  1 flaky\n  3 passed (3.0s)", 0)).toBe("4 0 0");
  });

  test("a run that fails before any test counts as one failure", () => {
    expect(browserSummary("Error: no config", 1)).toBe("0 1 1");
  });
});

/** Runs tally_turbo over a turbo log; returns "passed failed". */
function turboSummary(log: string, rc: number): string {
  const dir = mkdtempSync(join(tmpdir(), "ci-summary-"));
  try {
    writeFileSync(join(dir, "log"), log);
    const script = [`cd ${JSON.stringify(ROOT)}`, "source scripts/lib/tally.sh", "passed=0 failed=0", `tally_turbo ${JSON.stringify(join(dir, "log"))} ${rc}`, 'echo "$passed $failed"'].join("\n");
    return Bun.spawnSync(["bash", "-c", script], { stdout: "pipe" }).stdout.toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TURBO_LOG = `@container-actions/core:test: cache hit, replaying logs 1
@container-actions/core:test:  111 pass
@container-actions/core:test:  0 fail
@container-actions/webhook:test: (fail) CEL policy > same verdict
@container-actions/webhook:test:  112 pass
@container-actions/webhook:test:  1 fail
@container-actions/webhook#test:  ERROR  command (/repo/apps/webhook) /usr/bin/bun run test exited (1)
@container-actions/sim-world:test: error: Cannot find module "./gone.ts"
@container-actions/sim-world#test:  ERROR  command (/repo/packages/sim-world) /usr/bin/bun run test exited (1)

 Tasks:    1 successful, 3 total`;

describe("CI summary: the per-workspace suites (turbo)", () => {
  test("every workspace's counts are summed, cached or not; a crashed workspace is one failure", () => {
    expect(turboSummary(TURBO_LOG, 1)).toBe("223 2");
  });

  test("a turbo run that fails before any workspace reports is one failure", () => {
    expect(turboSummary("x  turbo: could not resolve workspaces", 1)).toBe("0 1");
  });
});
