import type { ActionRequest } from "../action/action-request.ts";
import { daemonErrorText } from "../engine/docker-reply.ts";
import type { ContainerEngine, EngineReply, EngineState, InspectReply } from "../engine/container-engine.ts";

/** What the engine side of one request came to. */
export type DispatchResult =
  /** The container is in the requested state; `called` says whether a state-changing call was made. */
  | { kind: "succeeded"; called: boolean }
  | { kind: "failed"; error: string; called: boolean }
  /** The engine could not be reached: the outcome is unknown and the request must stay pending (E15). */
  | { kind: "unreachable"; detail: string };


/**
 * Makes the one Docker call a request needs, after the pre-checks that keep a replay harmless.
 *
 * Guarantees: at most one state-changing call; pause and unpause inspect first (and once more after a
 * refusal), restart reads Docker's events first.
 * - start/stop: Docker's 304 means the target state already holds → succeeded.
 * - pause on paused → succeeded without a call (Docker would answer 409 "already paused").
 * - unpause on a non-running container → failed "not running" without a call (Docker would say "not
 *   paused", which misleads); unpause on a running, unpaused one → succeeded without a call.
 * - pause or unpause that Docker refuses → one more inspect: if the container is now in the goal state
 *   (paused; running and not paused) → succeeded, as the pre-check would have said; otherwise failed with
 *   Docker's message: a killed predecessor's call for the same request can land between our pre-check
 *   and our call, and Docker refuses ours (409 "already paused" / "not paused") though it took effect.
 * - restart when Docker restarted the container since `restartNotBeforeMs` → succeeded without a call:
 *   that restart was this request's (our own before a crash, or someone's `docker restart`), so a replay
 *   must not interrupt the workload a second time (review S4). The caller sets `restartNotBeforeMs` to
 *   the later of the request's write time (whole seconds, from managedFields) and the previous outcome's
 *   completedAt (the cached one, or one the caller sent whose answer was lost), so an earlier request's
 *   restart within the same second is never mistaken for this one;
 *   a freshly started container has no `restart` event, so a request right after `docker run` runs.
 * Assumptions: Docker's clock and the apiserver's agree to well within a second; Docker still holds
 * the event (dockerd replays its last 256) — if not, the restart runs again.
 */
export async function dispatch(
  engine: ContainerEngine,
  id: string,
  request: ActionRequest,
  restartNotBeforeMs: number | undefined,
): Promise<DispatchResult> {
  switch (request.action) {
    case "start":
    case "stop":
      return fromReply(await engine.perform(id, request.action));
    case "pause": {
      const seen = await engine.inspect(id);
      if (seen.kind !== "found") return fromInspectFailure(seen);
      if (seen.state.paused) return { kind: "succeeded", called: false };
      return afterRefusal(engine, id, await engine.perform(id, "pause"), (state) => state.paused);
    }
    case "unpause": {
      const seen = await engine.inspect(id);
      if (seen.kind !== "found") return fromInspectFailure(seen);
      if (!seen.state.running) return { kind: "failed", error: `cannot unpause container ${id}: not running`, called: false };
      if (!seen.state.paused) return { kind: "succeeded", called: false };
      return afterRefusal(engine, id, await engine.perform(id, "unpause"), (state) => state.running && !state.paused);
    }
    case "restart": {
      if (restartNotBeforeMs !== undefined) {
        const history = await engine.restartedSince(id, restartNotBeforeMs);
        if (history.kind === "unreachable") return history;
        if (history.kind === "restarted") return { kind: "succeeded", called: false };
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

/**
 * The reply to a pause or unpause call; a refusal is looked at again. The pre-check and the call are not
 * atomic: a crashed predecessor's (or a docker CLI user's) call can reach Docker in between, and Docker
 * refuses ours with a conflict although the container is where the request wanted it. So a refusal is
 * decided by one more inspect: the goal state holds → succeeded (the outcome the pre-check gives a
 * replay that arrives a moment later; no second state-changing call). Anything else keeps Docker's
 * refusal as the error; an unreachable engine leaves the request pending (E15).
 */
async function afterRefusal(engine: ContainerEngine, id: string, reply: EngineReply, reached: (state: EngineState) => boolean): Promise<DispatchResult> {
  if (reply.kind !== "refused") return fromReply(reply);
  const seen = await engine.inspect(id);
  if (seen.kind === "unreachable") return seen;
  if (seen.kind === "found" && reached(seen.state)) return { kind: "succeeded", called: true };
  return fromReply(reply);
}

function fromInspectFailure(reply: Exclude<InspectReply, { kind: "found" }>): DispatchResult {
  if (reply.kind === "unreachable") return reply;
  return { kind: "failed", error: daemonErrorText(reply.message), called: false };
}
