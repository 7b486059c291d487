import { describe, expect, test } from "bun:test";
import type { PerVerb } from "@container-actions/sim-kernel";
import { buildScenario } from "@container-actions/sim-world";
import { chaosScenario, plotEvent, verdicts, type ChaosKnobs } from "./chaos-run.ts";

const knobs = (over: Partial<ChaosKnobs>): ChaosKnobs => ({ scenario: "gui-clicks", seed: 5, containers: 3, durationMs: 10_000, crash: "scenario", ...over });
const crashes = (k: ChaosKnobs) => chaosScenario(k).steps.filter((s) => s.kind === "crash").length;

describe("chaos knobs", () => {
  test("fault knobs override the scenario's own faults; knobs left out keep them", () => {
    const own = buildScenario("flaky-engine", { seed: 5, containers: 3, durationMs: 10_000 }).faults;
    const scenario = chaosScenario(knobs({ scenario: "flaky-engine", faults: { watchLagMsMax: 250, apiWriteErrorChance: [10, 100] } }));
    const writes: PerVerb = { create: [10, 100], update: [10, 100], patch: [10, 100], delete: [10, 100] };
    expect(scenario.faults).toEqual({ ...own, watchLagMsMax: 250, apiInternalErrorChance: writes, apiInternalErrorAppliedChance: [1, 2] });
    expect(chaosScenario(knobs({ scenario: "flaky-engine", faults: { engineUnreachableChance: [0, 100] } })).faults.engineUnreachableChance).toEqual([0, 100]);
  });

  test("crash off turns a crash-storm's crashes into waits; crash on adds crashes to a scenario without any", () => {
    expect(crashes(knobs({ scenario: "crash-storm" }))).toBeGreaterThan(0);
    expect(crashes(knobs({ scenario: "crash-storm", crash: "off" }))).toBe(0);
    expect(crashes(knobs({ crash: "scenario" }))).toBe(0);
    expect(crashes(knobs({ crash: "on" }))).toBeGreaterThan(0);
    expect(chaosScenario(knobs({ crash: "on" }))).toEqual(chaosScenario(knobs({ crash: "on" })));
  });

  test("an unknown scenario is a usage error", () => {
    expect(() => chaosScenario(knobs({ scenario: "nope" }))).toThrow('unknown scenario "nope"');
  });
});

describe("chaos outcome", () => {
  test("verdicts list every invariant, failing only those with violations", () => {
    const list = verdicts([{ invariant: "no-wedge", subject: "world", detail: "not settled" }]);
    expect(list.map((v) => [v.invariant, v.pass])).toEqual([
      ["no-lost-request", true],
      ["no-duplicate-dispatch", true],
      ["no-wedge", false],
      ["truth", true],
    ]);
    expect(list[2]?.violations).toEqual([{ subject: "world", detail: "not settled" }]);
  });

  test("events land in the plot's lanes by kind, marked by effect or state", () => {
    const request = { key: "default/abcdef0123", action: "stop" as const, seq: 1, atMs: 1_500 };
    expect(plotEvent({ kind: "client-write", request }, 1_000)).toMatchObject({ t: 500, lane: "request", mark: "valid" });
    expect(plotEvent({ kind: "dispatch", key: request.key, request, call: "stop", effect: "unreachable", startedMs: 1_600, atMs: 1_700 }, 1_000)).toMatchObject({
      t: 700,
      lane: "dispatch",
      mark: "unreachable",
    });
    expect(plotEvent({ kind: "crash", atMs: 2_000 }, 1_000)).toMatchObject({ lane: "crash", line: expect.stringContaining("controller killed") });
  });
});
