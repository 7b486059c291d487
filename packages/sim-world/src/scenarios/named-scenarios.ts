/**
 * Named chaos scenarios: each turns a seed and a few knobs into a concrete scenario (a step list and
 * faults), so `chaos --scenario NAME --seed N` always runs the same story.
 */
import { ACTION_NAMES } from "@container-actions/core";
import { NO_FAULTS, type FaultOptions } from "@container-actions/sim-kernel";
import { presetFaults, type Preset } from "../faults/presets.ts";
import { Prng } from "@container-actions/sim-kernel";
import type { Scenario, Step } from "./scenario.ts";

export interface ScenarioKnobs {
  seed: number;
  containers: number;
  /** Virtual time the actors keep acting. */
  durationMs: number;
  /** Overrides on top of the scenario's own faults. */
  faults?: Partial<FaultOptions>;
}

interface NamedScenario {
  summary: string;
  faults: (prng: Prng) => FaultOptions;
  /** Relative weights of the step kinds the actors draw. */
  weights: Partial<Record<Step["kind"], number>>;
  meanGapMs: number;
}

const lite = (p: Prng) => presetFaults("lite", p);

export const NAMED_SCENARIOS: Record<string, NamedScenario> = {
  "gui-clicks": {
    summary: "a GUI clicking actions with request ids, no faults",
    faults: () => NO_FAULTS,
    weights: { request: 10, wait: 2 },
    meanGapMs: 400,
  },
  "lagging-cache": {
    summary: "the informer lags up to 3 s behind the store while clients rewrite requests",
    faults: () => ({ ...NO_FAULTS, watchLagMsMax: 3_000, watchDropChance: [2, 100] }),
    weights: { request: 10, wait: 1 },
    meanGapMs: 200,
  },
  "crash-storm": {
    summary: "the controller is killed at random points mid-action and restarted",
    faults: (p) => ({ ...lite(p), slowStopChance: [3, 10] }),
    weights: { request: 8, crash: 2, wait: 1 },
    meanGapMs: 300,
  },
  "flaky-engine": {
    summary: "Docker is unreachable a third of the time and slow the rest",
    faults: () => ({ ...NO_FAULTS, engineUnreachableChance: [30, 100], engineLatencyMsMax: 500 }),
    weights: { request: 10, docker: 2, wait: 1 },
    meanGapMs: 300,
  },
  "concurrent-writers": {
    summary: "restart policies, out-of-band docker commands and deletions race the actions",
    faults: (p) => ({ ...lite(p), restartPolicyChance: [5, 10] }),
    weights: { request: 8, docker: 4, "docker-run": 1, delete: 1, wait: 1 },
    meanGapMs: 250,
  },
  swarm: {
    summary: "a seed-chosen mix of every fault and actor (swarm testing)",
    faults: (p) => presetFaults("swarm", p),
    weights: { request: 8, docker: 2, "docker-run": 1, delete: 1, crash: 1, "engine-outage": 1, "invalid-request": 1, "statusless-request": 1, wait: 1 },
    meanGapMs: 250,
  },
};

export function scenarioNames(): string[] {
  return Object.keys(NAMED_SCENARIOS);
}

/** Builds the concrete scenario for `name`. Throws on an unknown name (a usage error). */
export function buildScenario(name: string, knobs: ScenarioKnobs): Scenario {
  const named = NAMED_SCENARIOS[name];
  if (named === undefined) throw new Error(`unknown scenario "${name}"; known: ${scenarioNames().join(", ")}`);
  const prng = new Prng(knobs.seed);
  const faults = { ...named.faults(prng.fork()), ...knobs.faults };
  const steps: Step[] = [];
  const kinds = Object.entries(named.weights) as Array<[Step["kind"], number]>;
  const total = kinds.reduce((n, [, w]) => n + w, 0);
  for (let elapsed = 0; elapsed < knobs.durationMs; ) {
    let pick = prng.below(total);
    const kind = kinds.find(([, w]) => (pick -= w) < 0)?.[0] ?? "wait";
    steps.push(drawStep(kind, prng, knobs.containers));
    const gap = prng.between(0, 2 * named.meanGapMs);
    steps.push({ kind: "wait", ms: gap });
    elapsed += gap;
  }
  return { seed: knobs.seed, containers: knobs.containers, steps, faults };
}

function drawStep(kind: Step["kind"], prng: Prng, containers: number): Step {
  const container = prng.below(Math.max(1, containers));
  switch (kind) {
    case "request":
      return drawRequest(prng, container);
    case "invalid-request":
      return prng.chance(1, 2)
        ? { kind, container, value: prng.pick(["bogus", "Restart", ""]) }
        : prng.pick([{ kind, container, value: "bogus", id: "r-ok" }, { kind, container, value: "stop", id: "-bad id-" }]);
    case "docker":
      return { kind, container, op: prng.pick(["stop", "start", "kill", "exit", "pause"] as const) };
    case "docker-run":
      return { kind };
    case "delete":
    case "force-delete":
      return { kind, container };
    case "statusless-request":
      return { kind, action: prng.pick(ACTION_NAMES), name: prng.pick(["unknown-id", "docker-name", "short-id"] as const), container };
    case "apply-request":
      return { kind, container, action: prng.pick(ACTION_NAMES), withId: prng.chance(1, 2) };
    case "create-with-request":
      return { kind, container, action: prng.pick(ACTION_NAMES) };
    case "cross-engine-request":
      // The presets run one engine: its own IDs are the only ones there are.
      return { kind, action: prng.pick(ACTION_NAMES), owner: 0, container };
    case "crash":
      return { kind, downMs: prng.between(0, 3_000) };
    case "engine-outage":
      return { kind, ms: prng.between(100, 5_000) };
    case "wait":
      return { kind, ms: prng.between(0, 1_000) };
  }
}

/** Mostly fresh ids; some id-less clients of both kinds; now and then an id reused with any action. */
function drawRequest(prng: Prng, container: number): Step {
  const action = prng.pick(ACTION_NAMES);
  const kind = prng.below(10);
  if (kind < 7) return { kind: "request", container, action, withId: true };
  if (kind < 8) return { kind: "request", container, action, withId: true, reuseId: true };
  return { kind: "request", container, action, withId: false, ...(kind === 9 ? { keepsId: true } : {}) };
}

export type { Preset };
