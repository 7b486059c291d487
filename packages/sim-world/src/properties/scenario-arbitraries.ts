/**
 * fast-check arbitraries for scenarios: steps shrink toward fewer, simpler steps, and faults toward off,
 * so a counterexample comes out as the smallest story that still breaks an invariant.
 */
import fc from "fast-check";
import { ACTION_NAMES, type ActionName } from "@container-actions/core";
import { NO_FAULTS, onWrites, type FaultOptions, type PerVerb, type Ratio } from "@container-actions/sim-kernel";
import type { Scenario, Step } from "../scenarios/scenario.ts";

export const actionArb = fc.constantFrom<ActionName>(...ACTION_NAMES);
const container = fc.nat({ max: 3 });

export const stepArbs = {
  /**
   * A client request. With an id: a fresh one, or one reused from the object's latest request with
   * another action (a new request). Without: `keepsId` clients write the action only (as
   * `kubectl annotate` does), the others write `action-id: null` too.
   */
  request: (withId: fc.Arbitrary<boolean> = fc.boolean(), action: fc.Arbitrary<ActionName> = actionArb) =>
    fc.record(
      { kind: fc.constant("request" as const), container, action, withId, keepsId: fc.boolean(), reuseId: fc.boolean() },
      { requiredKeys: ["kind", "container", "action", "withId"] },
    ),
  invalid: () =>
    // A value outside the enum, or a valid action with a malformed id; either with or without an id.
    fc.record(
      { kind: fc.constant("invalid-request" as const), container, value: fc.constantFrom("bogus", "Restart", "start ", "", "kill", "stop"), id: fc.constantFrom("r-ok", "-bad id-", "") },
      { requiredKeys: ["kind", "container", "value"] },
    ).filter((s) => s.value !== "stop" || (s.id !== undefined && s.id !== "r-ok")),
  docker: (ops: ReadonlyArray<"stop" | "start" | "kill" | "rm" | "exit" | "pause"> = ["stop", "start", "kill", "exit"]) =>
    fc.record({ kind: fc.constant("docker" as const), container, op: fc.constantFrom(...ops) }),
  run: () => fc.constant({ kind: "docker-run" as const }),
  delete: () => fc.record({ kind: fc.constant("delete" as const), container }),
  forceDelete: () => fc.record({ kind: fc.constant("force-delete" as const), container }),
  statusless: () => fc.record({ kind: fc.constant("statusless-request" as const), action: actionArb }),
  /** Foreign Containers: names Docker never had, Docker names and short IDs of real containers. */
  foreign: () =>
    fc.record({
      kind: fc.constant("statusless-request" as const),
      action: actionArb,
      name: fc.constantFrom("unknown-id" as const, "docker-name" as const, "short-id" as const),
      container,
    }),
  /** Cross-namespace mischief: a hand-made Container named with the full ID of another engine's container. */
  crossEngine: (engines = FLEET_PROPERTY_ENGINES_MAX) =>
    fc.record({ kind: fc.constant("cross-engine-request" as const), action: actionArb, owner: fc.nat({ max: engines - 1 }), container }),
  /** A client writing the request by server-side apply, with or without an id. */
  applyRequest: (action: fc.Arbitrary<ActionName> = actionArb) => fc.record({ kind: fc.constant("apply-request" as const), container, action, withId: fc.boolean() }),
  /** A user CREATEs a Container carrying a request, named by a real container's full ID (I1). */
  createWithRequest: () => fc.record({ kind: fc.constant("create-with-request" as const), container, action: actionArb }),
  crash: () => fc.record({ kind: fc.constant("crash" as const), downMs: fc.integer({ min: 0, max: 5_000 }) }),
  outage: () => fc.record({ kind: fc.constant("engine-outage" as const), ms: fc.integer({ min: 100, max: 5_000 }) }),
  wait: (maxMs = 3_000) => fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: maxMs }) }),
};

const ratio = (max: number): fc.Arbitrary<Ratio> => fc.integer({ min: 0, max }).map((n) => [n, 100] as const);

/** Faults with every knob free; a property pins the ones its race needs with `overrides`. */
export function faultsArb(overrides: { [K in keyof FaultOptions]?: fc.Arbitrary<FaultOptions[K]> } = {}): fc.Arbitrary<FaultOptions> {
  // Every knob off unless overridden; constants draw nothing, so adding a knob leaves every run as it was.
  const base = Object.fromEntries(Object.entries(NO_FAULTS).map(([knob, off]) => [knob, fc.constant(off)])) as {
    [K in keyof FaultOptions]: fc.Arbitrary<FaultOptions[K]>;
  };
  return fc.record({ ...base, ...overrides } as { [K in keyof FaultOptions]: fc.Arbitrary<FaultOptions[K]> });
}

/** 500s on every write verb at a chance `ratio` draws, half of them after the write took effect. */
export function writeFaultArbs(ratio: fc.Arbitrary<Ratio>): { apiInternalErrorChance: fc.Arbitrary<PerVerb>; apiInternalErrorAppliedChance: fc.Arbitrary<Ratio> } {
  return { apiInternalErrorChance: ratio.map((r) => (r[0] === 0 ? {} : onWrites(r))), apiInternalErrorAppliedChance: fc.constant<Ratio>([1, 2]) };
}

/** A latency or lag bound; `minMs` keeps a property's race window open while shrinking. */
export const lag = (maxMs: number, minMs = 0) => fc.integer({ min: minMs, max: maxMs });
export const chance = ratio;

/** The largest fleet the properties generate: enough for every pairing, small enough for many runs. */
export const FLEET_PROPERTY_ENGINES_MAX = 5;

/**
 * A fleet scenario: 2 to `maxEngines` engines, each step aimed at any of them. Shrinks toward two
 * engines and engine 0, so a counterexample names the fewest engines that still talk across.
 */
export function fleetScenarioArb(steps: fc.Arbitrary<Step>, faults: fc.Arbitrary<FaultOptions>, options: { maxSteps?: number; maxEngines?: number } = {}): fc.Arbitrary<Scenario> {
  const maxEngines = options.maxEngines ?? FLEET_PROPERTY_ENGINES_MAX;
  const aimed = fc.tuple(steps, fc.nat({ max: maxEngines - 1 })).map(([step, engine]): Step => ({ ...step, engine }));
  return fc.record({
    seed: fc.nat(),
    engines: fc.integer({ min: 2, max: maxEngines }),
    containers: fc.integer({ min: 1, max: 3 }),
    steps: fc.array(aimed, { minLength: 1, maxLength: options.maxSteps ?? 16 }),
    faults,
  });
}

export function scenarioArb(steps: fc.Arbitrary<Step>, faults: fc.Arbitrary<FaultOptions>, options: { maxSteps?: number; containers?: number } = {}): fc.Arbitrary<Scenario> {
  return fc.record({
    seed: fc.nat(),
    containers: fc.integer({ min: 1, max: options.containers ?? 3 }),
    steps: fc.array(steps, { minLength: 1, maxLength: options.maxSteps ?? 12 }),
    faults,
  });
}

/**
 * A request, a wait and a crash: the process dies between its Docker call and the outcome write (E1,
 * E2) far more often than independent steps land it there, so a replay's pre-checks and Docker's 304
 * are reached within a small budget. `waitMsMax` spans the informer lag and a round trip or two.
 */
export function crashAfterRequestArb(action: fc.Arbitrary<ActionName>, waitMsMax = 1_500): fc.Arbitrary<Step[]> {
  return fc
    .tuple(stepArbs.request(fc.boolean(), action), fc.integer({ min: 0, max: waitMsMax }), stepArbs.crash())
    .map(([request, ms, crash]): Step[] => [request, { kind: "wait", ms }, crash]);
}

/** A scenario of chunks of steps (as {@link crashAfterRequestArb} makes), run in order. */
export function chunkedScenarioArb(chunks: fc.Arbitrary<Step[]>, faults: fc.Arbitrary<FaultOptions>, options: { maxChunks?: number; containers?: number } = {}): fc.Arbitrary<Scenario> {
  return fc.record({
    seed: fc.nat(),
    containers: fc.integer({ min: 1, max: options.containers ?? 3 }),
    steps: fc.array(chunks, { minLength: 1, maxLength: options.maxChunks ?? 6 }).map((parts) => parts.flat()),
    faults,
  });
}
