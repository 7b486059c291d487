/**
 * A failing key waits out its backoff. Requests meet engine outages, where a daemon that is down refuses
 * at once: a key retried without its backoff then fails again and again in one virtual instant, which
 * the spin guard every world run carries (spin-guard.ts) reports as a violation instead of a hung suite.
 */
import { describe, test } from "bun:test";
import fc from "fast-check";
import { faultsArb, scenarioArb, stepArbs } from "./scenario-arbitraries.ts";
import { assertWorld, RUNS, SEED, worldProperty } from "./world-property.ts";

const TIMEOUT_MS = 120_000;
const RUNS_MIN = 25;

const arb = scenarioArb(fc.oneof(stepArbs.request(), stepArbs.outage(), stepArbs.wait(500)), faultsArb());

describe(`retry spacing (fast-check seed ${SEED ?? "random"})`, () => {
  test(`engine outages (E16): every invariant holds, and a key whose Docker calls fail waits out its backoff instead of spinning (${Math.max(RUNS, RUNS_MIN)} runs)`, () =>
    assertWorld("retry spacing", worldProperty(arb), Math.max(RUNS, RUNS_MIN)), TIMEOUT_MS);
});
