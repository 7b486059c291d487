/**
 * A worker thread of the chaos scenario pool: runs each scenario it is sent and posts back its
 * summary (and timeline when asked), or the crash.
 */
import type { Scenario } from "../scenarios/scenario.ts";
import { runOne, type ScenarioOutcome } from "./scenario-pool.ts";

declare const self: Worker;

export interface PoolJob {
  scenario: Scenario;
  trace: boolean;
}

export type PoolReply = { kind: "done"; outcome: ScenarioOutcome } | { kind: "crashed"; error: string };

self.onmessage = async (message: MessageEvent<PoolJob>) => {
  const { scenario, trace } = message.data;
  try {
    self.postMessage({ kind: "done", outcome: await runOne(scenario, trace) } satisfies PoolReply);
  } catch (error) {
    self.postMessage({ kind: "crashed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies PoolReply);
  }
};
