/**
 * Scenarios for the latency bound: a controller whose periodic resync never comes within the run, so
 * every wake-up the protocol relies on must come from the queue, a watch event or a requeued wait. Each
 * run walks through the stretches where a latency mistake would show: a long engine outage and the
 * health after it (an uncapped backoff), a request on the once-failing key and a short outage after it
 * (a backoff not reset by the success), a crash with a restart pending (the takeover's requeued wait),
 * and a request written while a slow stop of the same container runs (a wake-up lost after the run).
 */
import fc from "fast-check";
import type { ActionName } from "@container-actions/core";
import { NEVER, type Ratio } from "@container-actions/sim-kernel";
import type { Scenario, Step } from "../scenarios/scenario.ts";
import { actionArb, faultsArb, writeFaultArbs } from "./scenario-arbitraries.ts";

/** Longer than any run of this generator: the resync never repairs anything in it. */
export const NO_RESYNC_MS = 24 * 3_600_000;

/**
 * Outages long enough that an uncapped backoff (5 ms doubling) waits more than the 1 000 s cap after
 * them: a key failing from the outage's start retries at 1 310 s, 2 621 s, then 5 243 s, so an outage
 * of 2 700–4 000 s leaves it at least 1 243 s of wait.
 */
const LONG_OUTAGE_MS = { min: 2_700_000, max: 4_000_000 };

const CONTAINERS = 3;
const containerArb = fc.nat({ max: CONTAINERS - 1 });
const request = (container: number, action: ActionName, withId: boolean): Step => ({ kind: "request", container, action, withId });
const requestArb = (container: fc.Arbitrary<number>, action: fc.Arbitrary<ActionName> = actionArb) =>
  fc.tuple(container, action, fc.boolean()).map(([c, a, withId]) => request(c, a, withId));

export function healthyStretchScenarioArb(): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.nat(),
      prelude: fc.array(fc.oneof(requestArb(containerArb), fc.record({ kind: fc.constant("docker" as const), container: containerArb, op: fc.constantFrom("stop" as const, "start" as const) })), { maxLength: 3 }),
      a: containerArb,
      b: containerArb,
      c: containerArb,
      longOutageMs: fc.option(fc.integer(LONG_OUTAGE_MS), { nil: undefined }),
      duringLong: fc.array(requestArb(containerArb), { maxLength: 2 }),
      firstAction: actionArb,
      resetAction: actionArb,
      afterResetMs: fc.integer({ min: 0, max: 5_000 }),
      shortOutageMs: fc.integer({ min: 200, max: 5_000 }),
      duringShort: actionArb,
      afterShortMs: fc.integer({ min: 0, max: 8_000 }),
      crashDownMs: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
      raceGapMs: fc.integer({ min: 0, max: 3_000 }),
      tailMs: fc.integer({ min: 0, max: 12_000 }),
      withIds: fc.boolean(),
      faults: faultsArb({ slowStopChance: fc.constantFrom(NEVER, [1, 2] as const), ...writeFaultArbs(fc.constantFrom<Ratio>(NEVER, [1, 4], [1, 2])) }),
    })
    .map((d): Scenario => {
      const steps: Step[] = [...d.prelude];
      if (d.longOutageMs !== undefined) {
        // Container a's key fails through the whole outage; the others drawn fail with it.
        steps.push({ kind: "engine-outage", ms: d.longOutageMs }, request(d.a, d.firstAction, d.withIds), ...d.duringLong, { kind: "wait", ms: d.longOutageMs + 2_000 });
      }
      // A success on a's key resets its backoff; then a short outage makes it fail once more.
      steps.push(request(d.a, d.resetAction, d.withIds), { kind: "wait", ms: d.afterResetMs });
      steps.push({ kind: "engine-outage", ms: d.shortOutageMs }, request(d.a, d.duringShort, !d.withIds));
      steps.push({ kind: "wait", ms: d.shortOutageMs + d.afterShortMs });
      // A new process inherits a restart still pending (a slow stop holds it 10 s in dockerd): it waits
      // out the takeover, then must run it. The crash comes after the outage: a world process never
      // re-subscribes to Docker's events (the app's follower reconnects and runs a full sync), so one
      // started during an outage would miss them all.
      if (d.crashDownMs !== undefined) steps.push(request(d.b, "restart", d.withIds), { kind: "crash", downMs: d.crashDownMs });
      // A start written while the stop of the same container may still be running (a slow stop: 10 s).
      steps.push(request(d.c, "stop", true), { kind: "wait", ms: d.raceGapMs }, request(d.c, "start", d.withIds));
      // The last removals happen while the API still fails now and then: one the apiserver refused
      // leaves its request in place, and with no resync only the controller's own retry removes it.
      steps.push({ kind: "wait", ms: d.tailMs });
      return { seed: d.seed, containers: CONTAINERS, steps, faults: d.faults, resyncMs: NO_RESYNC_MS };
    });
}
