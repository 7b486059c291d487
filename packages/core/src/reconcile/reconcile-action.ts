import { isRecorded, readRequestSlot, requestWrittenAtMs, type ActionRequest, type RawRequest } from "../action/action-request.ts";
import { keyOf, refOf, type Container, type ContainerRef, type LastAction } from "../api/container-schema.ts";
import { dispatch } from "./dispatch.ts";
import type { ActionPorts, ClearResult } from "./ports.ts";
import { RequestMemory } from "./request-memory.ts";

/** What one pass over a Container came to. `retry` is the only kind that asks to be run again. */
export type ActionOutcome =
  | { kind: "idle" }
  /**
   * Nothing to do now: the object is terminating (removal wins, E11), the cache predates our own write,
   * or a client replaced the id-less request before it could be given an id (its watch event is coming).
   */
  | { kind: "skipped"; why: "terminating" | "stale-cache" | "superseded" }
  /** The request was handled; `dispatched` is false when an earlier pass had already done the engine side. */
  | { kind: "completed"; lastAction: LastAction | null; dispatched: boolean; cleared: ClearResult["kind"] }
  /** The request (`raw`, as stored) was removed without being run, with a Warning Event saying why. */
  | { kind: "dropped"; why: string; request: RawRequest }
  /** The Container was deleted while its request was being handled: done (review I2). */
  | { kind: "gone" }
  /** A transient failure; the request stays in place and the pass must run again after a backoff. */
  | { kind: "retry"; why: string }
  /** Not yet: run the pass again after `afterMs` (no failure, so no backoff). */
  | { kind: "wait"; afterMs: number; why: string };

/** Attempts to wait for a mirror's status before Docker is asked whether the container exists (E14). */
export const STATUS_WAIT_ATTEMPTS_MAX = 8;

/**
 * How long a new controller process leaves restart requests it inherited alone: longer than Docker's
 * default 10 s stop timeout, so a restart its crashed predecessor left running in dockerd has finished
 * (and shows in StartedAt) before this process decides whether to restart again.
 */
export const RESTART_TAKEOVER_MS = 11_000;

export interface ActionReconciler {
  /** Handles the request on `container`, the latest cached view of it. `attempt` counts failed passes (0 first). */
  reconcile(container: Container, attempt: number): Promise<ActionOutcome>;
  /**
   * Marks the requests these Containers hold — the informer's first list — as possibly inherited from a
   * predecessor process; any request seen later was written after this process started. Until it is
   * called, every request counts as possibly inherited.
   */
  inheritFrom(containers: Container[]): void;
  /** Forgets what was remembered about a deleted object. */
  forget(ref: ContainerRef): void;
  /** Number of keys with remembered state, to show memory stays bounded. */
  rememberedKeys(): number;
}

/**
 * The action protocol for one Container (docs/design/api_containers.md, "How a request is handled").
 *
 * Guarantees:
 * - exactly two API writes per dispatched request with an id (lastAction, then the guarded removal), one
 *   more for an id-less request (the guarded stamp of a server-chosen id, before the Docker call); no API
 *   reads, and no resourceVersion preconditions, hence no conflicts;
 * - a request written while another is handled survives (the removal is a server-side test of the value);
 * - a request is never consumed without an outcome, unless it is invalid, its object is gone, or the
 *   Container is not the engine's own (then it is removed with a Warning Event and Docker is never called);
 * - a stale cached view (older than this reconciler's own write) never triggers a second dispatch, and a
 *   request already recorded in lastAction (same request id and action) is only cleared, never run again
 *   — id-less requests included, since every request carries an id before it is dispatched.
 * Assumptions: per-key serialization (the work queue never runs one key twice at once).
 * Caveats: a crash between the engine call and the first write replays the request; the pre-checks in
 * {@link dispatch} make that harmless for every action.
 */
export function createActionReconciler(ports: ActionPorts, restartTakeoverMs = RESTART_TAKEOVER_MS): ActionReconciler {
  const memory = new RequestMemory();
  const takeover: Takeover = { startedAtMs: ports.clock.nowMs(), ms: restartTakeoverMs, inherited: null };
  return {
    reconcile: (container, attempt) => reconcileAction(container, attempt, ports, memory, takeover),
    inheritFrom(containers) {
      takeover.inherited = new Map();
      for (const c of containers) {
        const slot = readRequestSlot(c.metadata.annotations);
        if (slot.kind === "valid") takeover.inherited.set(keyOf(refOf(c)), slot.request);
      }
    },
    forget: (ref) => memory.forget(keyOf(ref)),
    rememberedKeys: () => memory.size(),
  };
}

async function reconcileAction(
  container: Container,
  attempt: number,
  ports: ActionPorts,
  memory: RequestMemory,
  takeover: Takeover,
): Promise<ActionOutcome> {
  const slot = readRequestSlot(container.metadata.annotations);
  if (slot.kind === "empty") return { kind: "idle" };
  if (container.metadata.deletionTimestamp !== undefined) return { kind: "skipped", why: "terminating" };
  const ref = refOf(container);
  const key = keyOf(ref);
  if (memory.isStale(key, container.metadata.resourceVersion)) return { kind: "skipped", why: "stale-cache" };

  const owner = ports.owner.judge(ref.name);
  if (owner.kind === "unknown-yet") return { kind: "retry", why: "the engine has not been listed yet" };
  if (owner.kind === "foreign") {
    // A hand-made Container named like a Docker name, a short ID or another engine's container: Docker
    // would resolve the name, so the request must never reach it (see "Ownership" in the design doc).
    const raw = slot.kind === "valid" ? slot.request : slot.raw;
    return drop(ref, raw, "ForeignContainer", `${owner.why}; request removed, Docker not called`, ports, memory);
  }
  if (slot.kind === "invalid") return drop(ref, slot.raw, "InvalidAction", `${slot.reason}; request removed`, ports, memory);

  const seen = slot.request;
  const lastAction = container.status?.lastAction;
  const writtenAtMs = requestWrittenAtMs(container.metadata);
  if (isRecorded(seen, lastAction)) {
    return clear(ref, seen, lastAction ?? null, false, ports, memory);
  }
  if (container.status === undefined) {
    // No status means no mirror yet (or a hand-written object, E14): lastAction cannot be written without
    // the mirror's required fields. A real mirror gets its status within moments — unless Docker is
    // flaky or the cache lags, so after the first attempts one inspect asks Docker: a container it has
    // keeps its request waiting; anything else is dropped.
    if (attempt < STATUS_WAIT_ATTEMPTS_MAX) return { kind: "retry", why: "awaiting mirror status" };
    const known = await ports.engine.inspect(ref.name);
    if (known.kind === "found") return { kind: "retry", why: "awaiting the mirror status of a container Docker has" };
    if (known.kind === "unreachable") return { kind: "retry", why: `awaiting mirror status; engine unreachable: ${known.detail}` };
    return drop(ref, seen, "NotMirrored", "the Container has no mirrored status; request removed", ports, memory);
  }

  const nowMs = ports.clock.nowMs();
  if (seen.action === "restart" && inherited(key, seen, takeover) && nowMs < takeover.startedAtMs + takeover.ms) {
    // A restart request older than this process may be mid-flight in dockerd for a crashed predecessor
    // (its stop grace period). Deciding now could restart a second time; its StartedAt will tell soon.
    return { kind: "wait", afterMs: takeover.startedAtMs + takeover.ms - nowMs, why: "a predecessor's restart may still be running" };
  }
  const named = await nameRequest(ref, seen, ports, memory);
  if ("kind" in named) return named;
  const { request } = named;
  // A stamped request cannot have been run before its stamp; a same-value rewrite (which keeps the
  // action's managedFields time) must not take an earlier request's restart for its own.
  const notBeforeMs = named.stampedAtMs === undefined ? writtenAtMs : Math.max(writtenAtMs ?? named.stampedAtMs, named.stampedAtMs);
  const raw: RawRequest = request;
  const observedAt = isoTime(ports.clock.nowMs());
  const result = await dispatch(ports.engine, ref.name, request, restartNotBefore(notBeforeMs, memory.previousOutcome(key, request, lastAction)));
  if (result.kind === "unreachable") return { kind: "retry", why: `engine unreachable: ${result.detail}` };

  const outcome: LastAction = {
    action: request.action,
    state: result.kind === "succeeded" ? "Succeeded" : "Failed",
    ...(result.kind === "failed" ? { error: result.error } : {}),
    ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
    observedAt,
    completedAt: isoTime(ports.clock.nowMs()),
  };
  memory.noteOutcomeSent(key, outcome);
  const recorded = await ports.ledger.recordOutcome(ref, outcome);
  switch (recorded.kind) {
    case "gone":
      memory.forget(key);
      return { kind: "gone" };
    case "unavailable":
      return { kind: "retry", why: `recording the outcome: ${recorded.detail}` };
    case "rejected":
      memory.settleOutcome(key);
      return drop(ref, raw, "OutcomeRejected", `the outcome could not be recorded (${recorded.detail}); request removed`, ports, memory);
    case "written":
      memory.noteWrite(key, recorded.resourceVersion);
      memory.settleOutcome(key);
  }
  ports.events.record(ref, outcomeEvent(outcome));
  return clear(ref, raw, outcome, true, ports, memory);
}

/**
 * Gives an id-less request a server-chosen id before anything else happens to it (one guarded write), so
 * from here on it is an ordinary request with an id: its outcome records the id, and a stale view of a
 * version that still holds the request also holds the id, which `isRecorded` then recognises — the
 * id-less double dispatch of a lagging cache or a crash between the two writes cannot happen.
 */
async function nameRequest(
  ref: ContainerRef,
  seen: ActionRequest,
  ports: ActionPorts,
  memory: RequestMemory,
): Promise<{ request: ActionRequest; stampedAtMs?: number } | ActionOutcome> {
  if (seen.requestId !== undefined) return { request: seen };
  const requestId = ports.ids.newRequestId();
  const stampedAtMs = ports.clock.nowMs();
  const stamped = await ports.ledger.stampRequestId(ref, seen.action, requestId);
  switch (stamped.kind) {
    case "unavailable":
      return { kind: "retry", why: `naming the request: ${stamped.detail}` };
    case "gone":
      memory.forget(keyOf(ref));
      return { kind: "gone" };
    case "superseded":
      return { kind: "skipped", why: "superseded" };
    case "stamped":
      memory.noteWrite(keyOf(ref), stamped.resourceVersion);
      return { request: { action: seen.action, requestId }, stampedAtMs };
  }
}

async function clear(
  ref: ContainerRef,
  raw: RawRequest,
  lastAction: LastAction | null,
  dispatched: boolean,
  ports: ActionPorts,
  memory: RequestMemory,
): Promise<ActionOutcome> {
  const key = keyOf(ref);
  const cleared = await ports.ledger.clearRequest(ref, raw);
  switch (cleared.kind) {
    case "unavailable":
      return { kind: "retry", why: `removing the handled request: ${cleared.detail}` };
    case "gone":
      memory.forget(key);
      return { kind: "gone" };
    case "cleared":
      memory.noteWrite(key, cleared.resourceVersion);
      break;
    case "superseded":
      break;
  }
  return { kind: "completed", lastAction, dispatched, cleared: cleared.kind };
}

async function drop(
  ref: ContainerRef,
  raw: RawRequest,
  reason: string,
  message: string,
  ports: ActionPorts,
  memory: RequestMemory,
): Promise<ActionOutcome> {
  const cleared = await ports.ledger.clearRequest(ref, raw);
  switch (cleared.kind) {
    case "unavailable":
      return { kind: "retry", why: `removing a request that cannot run: ${cleared.detail}` };
    case "gone":
      memory.forget(keyOf(ref));
      return { kind: "gone" };
    case "superseded":
      // A newer request replaced the bad one before we removed it; that one gets its own pass.
      return { kind: "completed", lastAction: null, dispatched: false, cleared: "superseded" };
    case "cleared":
      memory.noteWrite(keyOf(ref), cleared.resourceVersion);
      ports.events.record(ref, { type: "Warning", reason, message });
      return { kind: "dropped", why: message, request: raw };
  }
}

/**
 * The earliest time a Docker restart can belong to this request: not before it was written, and not
 * before the previous outcome was recorded (a restart until then was that request's). Undefined when
 * the write time is unknown: then nothing can be proven done, and the restart runs.
 */
function restartNotBefore(writtenAtMs: number | undefined, previous: LastAction | undefined): number | undefined {
  if (writtenAtMs === undefined) return undefined;
  const previousMs = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous.completedAt) + 1;
  return Math.max(writtenAtMs, previousMs);
}

/** When this process started, how long inherited restarts wait, and which requests it inherited (null: not yet known). */
interface Takeover {
  startedAtMs: number;
  ms: number;
  inherited: Map<string, ActionRequest> | null;
}

/** True when the request may be a predecessor's: it was in the first list, or that list is not in yet. */
function inherited(key: string, request: ActionRequest, takeover: Takeover): boolean {
  if (takeover.inherited === null) return true;
  const first = takeover.inherited.get(key);
  return first !== undefined && first.action === request.action && first.requestId === request.requestId;
}

/**
 * The Event of an outcome. It names the action and the outcome, not the request id: every request has an
 * id now (stamped when the client sent none), so an id would make each Event unique, and repeated equal
 * outcomes would no longer be counted on one Event. The id is in `lastAction.requestId`.
 */
function outcomeEvent(lastAction: LastAction) {
  return lastAction.state === "Succeeded"
    ? { type: "Normal" as const, reason: "ActionSucceeded", message: `${lastAction.action} succeeded` }
    : { type: "Warning" as const, reason: "ActionFailed", message: `${lastAction.action} failed: ${lastAction.error}` };
}

/** Millisecond precision, so consecutive outcomes are ordered even within one second. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
