/**
 * The chaos CLI as a user runs it (a child process): its summary, its JSON report, its exit codes
 * (0 clean, 1 an invariant broke, 2 only wedges, 3 a crash, 64 a usage mistake), and that a failure a
 * property saved replays through `chaos --replay` to the same history.
 */
import { afterAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertWorld, chance, createNaiveReconciler, faultsArb, Flaw, scenarioArb, scenarioNames, stepArbs, worldProperty } from "@container-actions/sim-world";

const CLI = join(import.meta.dir, "chaos.ts");
const TIMEOUT_MS = 120_000;
const dir = mkdtempSync(join(tmpdir(), "chaos-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chaos(...args: string[]): { code: number; out: string; err: string } {
  const { SIM_SEED: _, ...env } = process.env;
  const run = Bun.spawnSync(["bun", CLI, ...args], { cwd: dir, env });
  return { code: run.exitCode, out: run.stdout.toString(), err: run.stderr.toString() };
}

interface Report {
  runs: Array<{ scenario: string; seed: number; requests: number; violations: Array<{ invariant: string }> }>;
}
const report = (file: string): Report => JSON.parse(readFileSync(join(dir, file), "utf8")) as Report;

describe("chaos CLI", () => {
  test("a clean run exits 0 with the summary table and a JSON report of every run", () => {
    const { code, out } = chaos("--scenario", "gui-clicks", "--runs", "2", "--seed", "7", "--duration", "3s", "--json", "calm.json");
    expect(code).toBe(0);
    expect(out).toContain("SEED=7 scenario=gui-clicks runs=2");
    for (const row of ["requests", "dispatched", "lost", "duplicated", "wedged", "untrue", "Docker calls / action"]) expect(out).toMatch(new RegExp(`^${row} +[\\d.]+$`, "m"));
    expect(out).not.toContain("VIOLATION");
    expect(out).toContain("report: calm.json");
    const { runs } = report("calm.json");
    expect(runs.map((r) => [r.scenario, r.seed])).toEqual([["gui-clicks", 7], ["gui-clicks", 8]]);
    expect(runs.every((r) => r.requests > 0 && r.violations.length === 0)).toBe(true);
  }, TIMEOUT_MS);

  test("--all sweeps every named scenario and says how each fared", () => {
    const { code, out } = chaos("--all", "--runs", "1", "--seed", "3", "--duration", "2s", "--json", "all.json");
    expect(code).toBe(0);
    for (const name of scenarioNames()) expect(out).toMatch(new RegExp(`^SCENARIO ${name} +1 runs +0 with violations$`, "m"));
    expect(report("all.json").runs.map((r) => r.scenario)).toEqual(scenarioNames());
  }, TIMEOUT_MS);

  test("usage mistakes exit 64 with the usage, never as a crash", () => {
    for (const args of [["--scenario", "no-such"], ["--scenario", "swarm", "--runs", "0"], ["--all", "--naive", "bogus"], ["--replay", join(dir, "missing.json")], ["--all", "--scenario", "swarm"]]) {
      const { code, err } = chaos(...args);
      expect({ args, code }).toEqual({ args, code: 64 });
      expect(err).toContain("Usage: container-actions-sim chaos");
    }
  }, TIMEOUT_MS);

  test("a run that crashes exits 3", () => {
    writeFileSync(join(dir, "not-a-scenario.json"), JSON.stringify({ seed: 1 }));
    const { code, err } = chaos("--replay", join(dir, "not-a-scenario.json"));
    expect(code).toBe(3);
    expect(err).toContain("Error");
  }, TIMEOUT_MS);

  test("a failure a property saved replays through chaos --replay to the same history, and exits 1", async () => {
    // Engine transport errors against a controller that records them as Failed: a property that fails.
    const name = `chaos-cli-replay-${process.pid}`;
    const arb = scenarioArb(fc.oneof(stepArbs.request(), stepArbs.wait(500)), faultsArb({ engineUnreachableChance: chance(60) }));
    const naive = { reconciler: (ports: Parameters<typeof createNaiveReconciler>[1]) => createNaiveReconciler(Flaw.transportConsumes, ports) };
    const failure = await assertWorld(name, worldProperty(arb, naive)).then(() => "", (error: Error) => error.message);
    const saved = /bun run chaos --replay (\S+) --trace/.exec(failure)?.[1];
    expect(saved).toBeDefined();
    try {
      const timeline = failure.slice(failure.indexOf("--- timeline ---\n") + "--- timeline ---\n".length);
      expect(timeline.split("\n").length).toBeGreaterThan(3);
      const { code, out } = chaos("--replay", saved as string, "--trace", "--naive", Flaw.transportConsumes, "--json", "replay.json");
      expect(out).toContain(timeline);
      expect(code).toBe(1);
      expect(out).toMatch(/^VIOLATION /m);
      expect(out).toMatch(/^replay: bun run chaos --replay \.cache\/chaos-failures\/replay-seed-\d+\.json --trace --naive transport-consumes$/m);
      expect(report("replay.json").runs[0]?.violations.length).toBeGreaterThan(0);
    } finally {
      rmSync(saved as string, { force: true });
    }
  }, TIMEOUT_MS);

  test("a run whose only violations are wedges (the world did not settle) exits 2", async () => {
    // An invalid value that got past admission, against a controller that retries it forever.
    const name = `chaos-cli-wedge-${process.pid}`;
    const arb = scenarioArb(fc.oneof(stepArbs.invalid(), stepArbs.wait(300)), faultsArb());
    const naive = { reconciler: (ports: Parameters<typeof createNaiveReconciler>[1]) => createNaiveReconciler(Flaw.invalidRetries, ports) };
    const failure = await assertWorld(name, worldProperty(arb, naive)).then(() => "", (error: Error) => error.message);
    const saved = /bun run chaos --replay (\S+) --trace/.exec(failure)?.[1];
    expect(saved).toBeDefined();
    try {
      const { code, out } = chaos("--replay", saved as string, "--naive", Flaw.invalidRetries, "--json", "wedge.json");
      expect(out).toMatch(/^VIOLATION no-wedge /m);
      expect(out).not.toMatch(/^VIOLATION (?!no-wedge)/m);
      expect(code).toBe(2);
    } finally {
      rmSync(saved as string, { force: true });
    }
  }, TIMEOUT_MS);
});
