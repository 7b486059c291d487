/**
 * Runs chaos scenarios on worker threads. Each run is a pure function of its scenario (seed included),
 * so spreading runs over threads changes only the wall time: results come back in scenario order, and
 * the report is identical to a serial one. One thread (`workers` 1) runs in this thread, with no pool.
 */
import { createNaiveReconciler, runScenario, type Flaw, type Scenario, type WorldOptions } from "@container-actions/sim-world";
import { summarize, type RunSummary } from "./run-summary.ts";
import type { PoolJob, PoolReply } from "./scenario-worker.ts";

export interface ScenarioOutcome {
  summary: RunSummary;
  /** The run's timeline, when asked for. */
  timeline?: string;
}

/** How the runs are made: threads, timelines, and the real reconciler or a named naive variant. */
export interface PoolOptions {
  workers: number;
  trace: boolean;
  /** A flaw's name, not a reconciler: a worker thread receives plain data and builds the variant itself. */
  naive?: Flaw;
}

/** Runs one scenario here: its summary and, when `trace`, its timeline. */
export async function runOne(scenario: Scenario, options: Omit<PoolOptions, "workers">): Promise<ScenarioOutcome> {
  const naive = options.naive;
  const world: WorldOptions = naive === undefined ? {} : { reconciler: (ports) => createNaiveReconciler(naive, ports) };
  const { result, world: ran } = await runScenario(scenario, world);
  return { summary: summarize(result), ...(options.trace ? { timeline: ran.timeline(result.startMs) } : {}) };
}

/**
 * Runs every scenario on `workers` threads (each takes the next waiting scenario when it is done) and
 * calls `onDone` in scenario order as soon as a prefix is complete. Resolves with all outcomes, in order.
 */
export async function runScenarios(scenarios: Scenario[], options: PoolOptions, onDone: (outcome: ScenarioOutcome, index: number) => void): Promise<ScenarioOutcome[]> {
  const { workers, ...job } = options;
  const outcomes: Array<ScenarioOutcome | undefined> = new Array(scenarios.length);
  let reported = 0;
  const report = () => {
    while (reported < scenarios.length && outcomes[reported] !== undefined) {
      onDone(outcomes[reported] as ScenarioOutcome, reported);
      reported++;
    }
  };
  if (workers <= 1) {
    for (const [i, scenario] of scenarios.entries()) {
      outcomes[i] = await runOne(scenario, job);
      report();
    }
    return outcomes as ScenarioOutcome[];
  }
  const pool = Array.from({ length: Math.min(workers, scenarios.length) }, () => new Worker(new URL("./scenario-worker.ts", import.meta.url)));
  let next = 0;
  try {
    await Promise.all(
      pool.map(async (worker) => {
        for (let i = next++; i < scenarios.length; i = next++) {
          const reply = await ask(worker, { scenario: scenarios[i] as Scenario, ...job });
          if (reply.kind === "crashed") throw new Error(`run ${i} (seed ${scenarios[i]?.seed}) crashed in a worker: ${reply.error}`);
          outcomes[i] = reply.outcome;
          report();
        }
      }),
    );
  } finally {
    for (const worker of pool) worker.terminate();
  }
  return outcomes as ScenarioOutcome[];
}

function ask(worker: Worker, job: PoolJob): Promise<PoolReply> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (m: MessageEvent<PoolReply>) => resolve(m.data);
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(job);
  });
}
