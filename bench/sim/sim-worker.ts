/**
 * A worker thread of the simulator bench: runs the seeds it is sent and posts back how many runs and
 * violations it saw. Lets the bench use every CPU (runs are independent and deterministic).
 */
import { runScenario } from "@container-actions/sim-world";
import { twentySteps } from "./twenty-step-scenarios.ts";

declare const self: Worker;

export interface WorkerJob {
  scenario: string;
  seeds: number[];
}

export interface WorkerReport {
  runs: number;
  violations: number;
}

self.onmessage = async (message: MessageEvent<WorkerJob>) => {
  const { scenario, seeds } = message.data;
  let violations = 0;
  for (const seed of seeds) violations += (await runScenario(twentySteps(scenario, seed))).result.violations.length;
  self.postMessage({ runs: seeds.length, violations } satisfies WorkerReport);
};
