/**
 * One chaos run for the console: the page's knobs turned into a concrete scenario, the scenario run
 * in-process on the simulated world while its history is sampled for the live timeline, and the
 * outcome judged per invariant.
 */
import { summarize, type RunSummary } from "../chaos/run-summary.ts";
import { formatEvent, type HistoryEvent, type Violation } from "@container-actions/sim-world";
import { buildScenario } from "@container-actions/sim-world";
import type { Scenario, Step } from "@container-actions/sim-world";
import { onWrites, Prng, type FaultOptions, type Ratio } from "@container-actions/sim-kernel";
import { createWorldModels } from "@container-actions/sim-world";
import { World, type RunResult } from "@container-actions/sim-world";

/** Whether the controller is killed mid-run: as the named scenario says, always, or never. */
export const CrashMode = { scenario: "scenario", on: "on", off: "off" } as const;
export type CrashMode = (typeof CrashMode)[keyof typeof CrashMode];

/**
 * The fault knobs the chaos page offers: the informer's lag, API 500s on writes (`apiWriteErrorChance`:
 * the wire's 500 on every write verb, half of them after the write took effect) and an unreachable engine.
 */
export type ChaosFaults = Partial<Pick<FaultOptions, "watchLagMsMax" | "engineUnreachableChance"> & { apiWriteErrorChance: Ratio }>;

/** The page's knobs as knobs of the one fault model. */
function modelFaults(faults: ChaosFaults = {}): Partial<FaultOptions> {
  const { apiWriteErrorChance, ...rest } = faults;
  if (apiWriteErrorChance === undefined) return rest;
  return { ...rest, apiInternalErrorChance: apiWriteErrorChance[0] === 0 ? {} : onWrites(apiWriteErrorChance), apiInternalErrorAppliedChance: [1, 2] };
}

/** What the chaos page lets a person choose. A fault knob left out keeps the scenario's own value. */
export interface ChaosKnobs {
  scenario: string;
  seed: number;
  containers: number;
  durationMs: number;
  /** Knobs of the one fault model that override the scenario's own. */
  faults?: ChaosFaults;
  crash: CrashMode;
}

/** The invariants every run is judged by, in the order the page lists them. */
export const INVARIANTS: ReadonlyArray<{ invariant: Violation["invariant"]; title: string }> = [
  { invariant: "no-lost-request", title: "No lost request" },
  { invariant: "no-duplicate-dispatch", title: "No duplicate dispatch" },
  { invariant: "no-wedge", title: "No wedge" },
  { invariant: "truth", title: "Truth" },
];

/** Builds the scenario the knobs describe; throws on an unknown scenario name (a usage error). */
export function chaosScenario(knobs: ChaosKnobs): Scenario {
  const scenario = buildScenario(knobs.scenario, { seed: knobs.seed, containers: knobs.containers, durationMs: knobs.durationMs, faults: modelFaults(knobs.faults) });
  return { ...scenario, steps: withCrashMode(scenario.steps, knobs.crash, knobs.seed) };
}

/**
 * Crash off: every crash becomes a wait of the same length, so the rest of the story keeps its timing.
 * Crash on, for a scenario without crashes: a crash after about one request in four (drawn from the
 * seed), at least one. The resulting steps are what a replay file records, so a replay is exact.
 */
function withCrashMode(steps: Step[], mode: CrashMode, seed: number): Step[] {
  if (mode === CrashMode.off) return steps.map((s) => (s.kind === "crash" ? { kind: "wait", ms: s.downMs } : s));
  if (mode === CrashMode.scenario || steps.some((s) => s.kind === "crash")) return steps;
  const prng = new Prng((seed ^ 0xc4a5) >>> 0);
  const out: Step[] = [];
  for (const step of steps) {
    out.push(step);
    if (step.kind === "request" && prng.chance(1, 4)) out.push({ kind: "crash", downMs: prng.between(0, 3_000) });
  }
  if (!out.some((s) => s.kind === "crash")) out.splice(Math.floor(out.length / 2), 0, { kind: "crash", downMs: prng.between(0, 3_000) });
  return out;
}

/** One history event as the timeline plot draws it. */
export interface PlotEvent {
  /** Virtual ms since the run started. */
  t: number;
  lane: "request" | "dispatch" | "outcome" | "crash" | "other";
  /** What colours the mark: a dispatch's effect, an outcome's state, or the event kind. */
  mark: string;
  /** The timeline line, as `chaos --trace` prints it. */
  line: string;
}

export function plotEvent(event: HistoryEvent, startMs: number): PlotEvent {
  const atMs = event.kind === "client-write" ? event.request.atMs : event.atMs;
  const base = { t: atMs - startMs, line: formatEvent(event, startMs) };
  switch (event.kind) {
    case "client-write":
    case "invalid-write":
      return { ...base, lane: "request", mark: event.kind === "client-write" ? "valid" : "invalid" };
    case "dispatch":
      return { ...base, lane: "dispatch", mark: event.effect };
    case "outcome":
      return { ...base, lane: "outcome", mark: event.sent.state };
    case "dropped":
      return { ...base, lane: "outcome", mark: "Dropped" };
    case "crash":
      return { ...base, lane: "crash", mark: "crash" };
    default:
      return { ...base, lane: "other", mark: event.kind };
  }
}

/** The pass/fail of one invariant, with what broke it. */
export interface Verdict {
  invariant: Violation["invariant"];
  title: string;
  pass: boolean;
  violations: Array<{ subject: string; detail: string }>;
}

export function verdicts(violations: readonly Violation[]): Verdict[] {
  return INVARIANTS.map(({ invariant, title }) => {
    const broken = violations.filter((v) => v.invariant === invariant).map(({ subject, detail }) => ({ subject, detail }));
    return { invariant, title, pass: broken.length === 0, violations: broken };
  });
}

/** What the page is told while a run goes on: the run's virtual time and the events since the last tick. */
export interface RunTick {
  virtualMs: number;
  events: PlotEvent[];
}

/** A finished run: the result, its trace, and the summary figures. */
export interface FinishedRun {
  result: RunResult;
  summary: RunSummary;
  timeline: string;
}

/** Runs a scenario, calling `onTick` with new events while it runs. The world runner is the default. */
export type ScenarioRunner = (scenario: Scenario, onTick: (tick: RunTick) => void) => Promise<FinishedRun>;

/** How often a running world's history is sampled for the page, in wall ms. */
export const TICK_MS = 100;

/**
 * Runs `scenario` on a fresh simulated world in this process — what `runScenario` does — keeping the
 * World in hand so its history can be sampled while it runs (the world yields to the event loop
 * between timers, so the samples and the page's stream keep flowing).
 */
export const worldRunner: ScenarioRunner = async (scenario, onTick) => {
  const world = new World(scenario, createWorldModels);
  const startMs = world.clock.nowMs();
  let sent = 0;
  const flush = () => {
    const fresh = world.history.slice(sent).map((e) => plotEvent(e, startMs));
    sent += fresh.length;
    onTick({ virtualMs: world.clock.nowMs() - startMs, events: fresh });
  };
  const timer = setInterval(flush, TICK_MS);
  try {
    const result = await world.run();
    flush();
    return { result, summary: summarize(result), timeline: world.timeline(result.startMs) };
  } finally {
    clearInterval(timer);
  }
};
