/**
 * What the engine did, as it did it: each Docker event of an engine becomes an `engine-state` history
 * event carrying the container's inspect State at that moment, read from the model past faults and
 * latency. A second sample follows once the daemon's step ends, when the state moved on without an event
 * of its own (a SIGKILL thaws a paused container silently), so every state the container held between
 * two events is in the history. The truth checkers judge the controller's outcomes against these.
 */
import { keyOf } from "@container-actions/core";
import type { SimulatedDocker } from "@container-actions/fake-docker";
import type { EngineStateSample, HistoryEvent } from "../invariants/history.ts";

export function recordEngineStates(docker: SimulatedDocker, namespace: string, record: (event: HistoryEvent) => void): () => void {
  const sample = (id: string): EngineStateSample | null => {
    const state = docker.peekInspect(id)?.State as { Status: string; Running: boolean; Paused: boolean; Restarting: boolean } | undefined;
    return state === undefined ? null : { status: state.Status, running: state.Running, paused: state.Paused, restarting: state.Restarting };
  };
  return docker.observeEvents((event) => {
    const key = keyOf({ namespace, name: event.id });
    const now = sample(event.id);
    record({ kind: "engine-state", key, cause: event.Action, state: now, atMs: docker.clock.nowMs() });
    queueMicrotask(() => {
      const settled = sample(event.id);
      if (JSON.stringify(settled) !== JSON.stringify(now)) record({ kind: "engine-state", key, cause: `after ${event.Action}`, state: settled, atMs: docker.clock.nowMs() });
    });
  });
}
