/**
 * A worker thread of the chaos scenario pool: runs each scenario it is sent and posts back its
 * summary (and timeline when asked), or the crash.
 */
import type { Scenario } from "@container-actions/sim-world";
import { runOne, type PoolOptions, type ScenarioOutcome } from "./scenario-pool.ts";

declare const self: Worker;

export interface PoolJob extends Omit<PoolOptions, "workers"> {
  scenario: Scenario;
}

export type PoolReply = { kind: "done"; outcome: ScenarioOutcome } | { kind: "crashed"; error: string };

self.onmessage = async (message: MessageEvent<PoolJob>) => {
  const { scenario, ...options } = message.data;
  try {
    self.postMessage({ kind: "done", outcome: await runOne(scenario, options) } satisfies PoolReply);
  } catch (error) {
    self.postMessage({ kind: "crashed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies PoolReply);
  }
};
