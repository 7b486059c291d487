import type { ActionRequest } from "../action/action-request.ts";
import { daemonErrorText } from "../engine/docker-reply.ts";
import type { ContainerEngine, EngineReply, InspectReply } from "../engine/container-engine.ts";

/** What the engine side of one request came to. */
export type DispatchResult =
  /** The container is in the requested state; `called` says whether a state-changing call was made. */
  | { kind: "succeeded"; called: boolean }
  | { kind: "failed"; error: string; called: boolean }
  /** The engine could not be reached: the outcome is unknown and the request must stay pending (E15). */
  | { kind: "unreachable"; detail: string };

/**
 * A restart counts as already done when the container started at least this long after the request was
 * written: the request time comes from managedFields, which the apiserver truncates to whole seconds.
 */
export const RESTART_DONE_MARGIN_MS = 1000;

/**
 * Makes the one Docker call a request needs, after the pre-checks that keep a replay harmless.
 *
 * Guarantees: at most one state-changing call; pause, unpause and restart inspect first (one extra read).
 * - start/stop: Docker's 304 means the target state already holds → succeeded.
 * - pause on paused → succeeded without a call (Docker would answer 409 "already paused").
 * - unpause on a non-running container → failed "not running" without a call (Docker would say "not
 *   paused", which misleads); unpause on a running, unpaused one → succeeded without a call.
 * - restart when the container started after the request was written → succeeded without a call: the
 *   restart already happened (our own before a crash, or the restart policy's), so a replay must not
 *   interrupt the workload again (review S4).
 * Assumptions: Docker's clock and the apiserver's agree to within {@link RESTART_DONE_MARGIN_MS}.
 */
export async function dispatch(
  engine: ContainerEngine,
  id: string,
  request: ActionRequest,
  requestWrittenAtMs: number | undefined,
): Promise<DispatchResult> {
  switch (request.action) {
    case "start":
    case "stop":
      return fromReply(await engine.perform(id, request.action));
    case "pause": {
      const seen = await engine.inspect(id);
      if (seen.kind !== "found") return fromInspectFailure(seen);
      if (seen.state.paused) return { kind: "succeeded", called: false };
      return fromReply(await engine.perform(id, "pause"));
    }
    case "unpause": {
      const seen = await engine.inspect(id);
      if (seen.kind !== "found") return fromInspectFailure(seen);
      if (!seen.state.running) return { kind: "failed", error: `cannot unpause container ${id}: not running`, called: false };
      if (!seen.state.paused) return { kind: "succeeded", called: false };
      return fromReply(await engine.perform(id, "unpause"));
    }
    case "restart": {
      if (requestWrittenAtMs !== undefined) {
        const seen = await engine.inspect(id);
        if (seen.kind !== "found") return fromInspectFailure(seen);
        const startedAtMs = seen.state.startedAtMs;
        if (startedAtMs !== undefined && startedAtMs >= requestWrittenAtMs + RESTART_DONE_MARGIN_MS) {
          return { kind: "succeeded", called: false };
        }
      }
      return fromReply(await engine.perform(id, "restart"));
    }
  }
}

function fromReply(reply: EngineReply): DispatchResult {
  switch (reply.kind) {
    case "done":
    case "already":
      return { kind: "succeeded", called: true };
    case "refused":
    case "gone":
      return { kind: "failed", error: daemonErrorText(reply.message), called: true };
    case "unreachable":
      return reply;
  }
}

function fromInspectFailure(reply: Exclude<InspectReply, { kind: "found" }>): DispatchResult {
  if (reply.kind === "unreachable") return reply;
  return { kind: "failed", error: daemonErrorText(reply.message), called: false };
}
