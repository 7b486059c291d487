/**
 * The figures a chaos run reports: what the clients asked, what the controller did, what the invariants
 * said, and what it cost per handled request.
 */
import type { Violation } from "@container-actions/sim-world";
import type { RunResult } from "@container-actions/sim-world";

export interface RunSummary {
  seed: number;
  requests: number;
  dispatched: number;
  succeeded: number;
  failed: number;
  superseded: number;
  lost: number;
  duplicated: number;
  wedged: number;
  untrue: number;
  /** Requests that took longer than the latency bound once the world was healthy. */
  slow: number;
  /** Docker calls for Containers that mirror nothing (foreign input). */
  foreign: number;
  apiWritesPerAction: number;
  apiReadsPerAction: number;
  apiConflictsPerAction: number;
  dockerCallsPerAction: number;
  virtualMs: number;
  violations: Violation[];
}

export function summarize(result: RunResult): RunSummary {
  const outcomes = result.history.filter((e) => e.kind === "outcome");
  const dispatched = result.history.filter((e) => e.kind === "dispatch" && e.effect !== "unreachable").length;
  const writes = result.history.filter((e) => e.kind === "client-write");
  const superseded = writes.filter((w, i) => writes.slice(i + 1).some((o) => o.kind === "client-write" && w.kind === "client-write" && o.request.key === w.request.key)).length;
  const handled = Math.max(1, outcomes.length);
  const count = (invariant: Violation["invariant"]) => result.violations.filter((v) => v.invariant === invariant).length;
  return {
    seed: result.scenario.seed,
    requests: writes.length,
    dispatched,
    succeeded: outcomes.filter((e) => e.kind === "outcome" && e.sent.state === "Succeeded").length,
    failed: outcomes.filter((e) => e.kind === "outcome" && e.sent.state === "Failed").length,
    superseded,
    lost: count("no-lost-request"),
    duplicated: count("no-duplicate-dispatch"),
    wedged: count("no-wedge"),
    untrue: count("truth"),
    slow: count("latency"),
    foreign: count("foreign-input"),
    apiWritesPerAction: round(result.counters.actionApiWrites / handled),
    // The action protocol has no read port at all; the only reads are the informer's (re)lists.
    apiReadsPerAction: round(result.counters.informerLists / handled),
    apiConflictsPerAction: round(result.counters.apiConflicts / handled),
    dockerCallsPerAction: round((result.counters.dockerCalls + result.counters.dockerInspects) / handled),
    virtualMs: result.endMs - result.startMs,
    violations: result.violations,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
