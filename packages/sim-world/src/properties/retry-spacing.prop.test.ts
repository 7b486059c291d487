/**
 * A failing key waits out its backoff. A daemon that is down refuses at once, without latency, so a key
 * whose retry skips the backoff fails again in the same virtual instant, and again: virtual time never
 * passes, and the run would hang rather than fail. The guard here watches every Docker call the
 * controller makes (actions and mirrors alike); past a number of calls no unmutated run comes near
 * within one virtual instant, it names the spin and lets virtual time pass, so the run ends and the
 * property fails with a reason instead of a hung suite.
 */
import { describe, test } from "bun:test";
import fc from "fast-check";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { ControllerProcess, type ProcessDeps } from "../world/controller-process.ts";
import { faultsArb, scenarioArb, stepArbs } from "./scenario-arbitraries.ts";
import { assertWorld, RUNS, runScenario, SEED, WorldFailure } from "./world-property.ts";

const TIMEOUT_MS = 120_000;

/**
 * Docker calls within one virtual millisecond that count as a spin. An unmutated run makes a few dozen
 * at most in one instant (the full sync describes every container at once); a retry without backoff
 * makes this many within microseconds of wall time.
 */
const CALLS_PER_INSTANT_MAX = 1_000;
/** Virtual time each call past the limit waits, so a spinning key's outage ends and the run finishes. */
const SPIN_BREAK_MS = 1_000;

/** Wraps every method of a port so each call first passes `gate`. */
function gated<T extends object>(port: T, gate: (call: string) => Promise<void>): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await gate(String(property));
        return value.apply(target, args);
      };
    },
  });
}

/** Counts Docker calls per virtual instant; past the limit, notes the spin in `spins` and lets time pass. */
function spinGate(clock: VirtualClock, spins: string[]): (call: string) => Promise<void> {
  let instantMs = Number.NaN;
  let calls = 0;
  return async (call) => {
    const nowMs = clock.nowMs();
    if (nowMs !== instantMs) {
      instantMs = nowMs;
      calls = 0;
    }
    calls++;
    if (calls <= CALLS_PER_INSTANT_MAX) return;
    if (calls === CALLS_PER_INSTANT_MAX + 1) {
      spins.push(`more than ${CALLS_PER_INSTANT_MAX} Docker calls (${call}, …) within one virtual millisecond: a failing key was retried at once instead of after its backoff`);
    }
    await clock.sleep(SPIN_BREAK_MS);
  };
}

/** Requests meeting engine outages: every key that holds one while the daemon is down fails, again and again. */
const arb = scenarioArb(fc.oneof(stepArbs.request(), stepArbs.outage(), stepArbs.wait(500)), faultsArb());

const property = fc.asyncProperty(arb, async (scenario) => {
  const spins: string[] = [];
  const guarded = (deps: ProcessDeps) => {
    const gate = spinGate(deps.clock, spins);
    return new ControllerProcess({ ...deps, engine: gated(deps.engine, gate), source: gated(deps.source, gate) });
  };
  const { result, world } = await runScenario(scenario, { process: guarded });
  const problems = [...spins, ...result.violations.map((v) => `${v.invariant} on ${v.subject.slice(0, 16)}: ${v.detail}`)];
  if (problems.length > 0) throw new WorldFailure(problems, world.timeline(result.startMs), scenario);
});

describe(`retry spacing (fast-check seed ${SEED ?? "random"})`, () => {
  test(`engine outages (E16): every invariant holds, and a key whose Docker calls fail waits out its backoff instead of spinning (${Math.max(RUNS, 25)} runs)`, () =>
    assertWorld("retry spacing", property, Math.max(RUNS, 25)), TIMEOUT_MS);
});
