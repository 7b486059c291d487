/**
 * One reconcile pass of the original Go project's engine reconciler, the performance reference
 * (docs/design/reference-behavior.md §2.2–§2.9): list every Container from the cache,
 * and for each annotated one dispatch, then write lastAction, then remove the request — both writes
 * JSON merge patches locked to a resourceVersion, each retried on 409 with client-go's DefaultRetry
 * (5 attempts, 10 ms apart, jitter 0.1) re-reading the cache. Then the finalizers of terminating mirrors.
 *
 * Guarantees (the original's, not this project's): a value-guarded removal, NotFound counted as done,
 * per-container errors joined so one failure does not stop the others; any error fails the pass, and the
 * caller requeues its one key with backoff — so a write that exhausts its retries replays the Docker call.
 * Caveats, on purpose: no stale-cache fence, no request ids in the guard, restart without a history
 * check, and a Docker transport error recorded as Failed (§2.5).
 * Differs from the original only where the world needs it: the request id annotation, when present, is
 * copied into lastAction (so outcomes can be attributed) and removed with the action; finalizers use
 * core's finalizeMirror; one cache List serves both loops of a pass (the original lists twice).
 */
import {
  ANNOTATION_ACTION,
  dispatch,
  FINALIZER_MIRROR,
  finalizeMirror,
  keyOf,
  readRequestSlot,
  refOf,
  type ActionOutcome,
  type ActionRequest,
  type Container,
  type ContainerEngine,
  type ContainerRef,
  type ControllerReport,
  type LastAction,
  type MirrorPorts,
} from "@container-actions/core";
import type { Prng } from "@container-actions/sim-kernel";
import type { ReferenceLedger } from "./reference-ports.ts";

/** client-go's retry.DefaultRetry: 5 steps of 10 ms, factor 1, jitter 0.1. */
export const CONFLICT_ATTEMPTS_MAX = 5;
const CONFLICT_RETRY_MS = 10;
const CONFLICT_RETRY_JITTER_MS_MAX = 1;

/** What the passes cost, counted as they run. */
export interface ReferenceStats {
  /** Reconcile passes of the one key. */
  passes: number;
  /** Containers returned by the cache List at the start of each pass. */
  listed: number;
  /** Cache Gets inside the retry loops. */
  gets: number;
}

export interface ReferencePassDeps {
  cache: { get(ref: ContainerRef): Container | undefined; list(): Container[] };
  ledger: ReferenceLedger;
  engine: ContainerEngine;
  /** For the finalizers of terminating mirrors. */
  mirror: MirrorPorts;
  clock: { nowMs(): number; sleep(ms: number): Promise<void> };
  /** Draws the retry jitter. */
  prng: Prng;
  stats: ReferenceStats;
  /** Called just before the Docker call of `request` on `key`. */
  beforeDispatch: (key: string, request: ActionRequest) => void;
  report: (report: ControllerReport) => void;
}

/** Runs one pass over every cached Container; "retry" when any container's step failed. */
export async function referencePass(deps: ReferencePassDeps, attempt: number): Promise<"done" | "retry"> {
  deps.stats.passes++;
  const all = deps.cache.list();
  deps.stats.listed += all.length;
  let failed = false;
  for (const container of all) {
    if (container.metadata.deletionTimestamp !== undefined) continue;
    if (container.metadata.annotations?.[ANNOTATION_ACTION] === undefined) continue;
    const startMs = deps.clock.nowMs();
    const outcome = await processContainerAction(container, deps);
    if (outcome.kind === "retry") failed = true;
    deps.report({ kind: "action", key: keyOf(refOf(container)), attempt, durationMs: deps.clock.nowMs() - startMs, outcome });
  }
  for (const container of all) {
    if (container.metadata.deletionTimestamp === undefined || !(container.metadata.finalizers ?? []).includes(FINALIZER_MIRROR)) continue;
    const startMs = deps.clock.nowMs();
    // The original trusted every name: no ownership guard.
    const outcome = await finalizeMirror(container, deps.mirror, { kind: "own" });
    if (outcome.kind === "retry") failed = true;
    deps.report({ kind: "finalize", key: keyOf(refOf(container)), attempt, durationMs: deps.clock.nowMs() - startMs, outcome });
  }
  return failed ? "retry" : "done";
}

/** `processContainerAction`: dispatch first, then the locked status patch, then the locked removal. */
async function processContainerAction(listed: Container, deps: ReferencePassDeps): Promise<ActionOutcome> {
  const ref = refOf(listed);
  const slot = readRequestSlot(listed.metadata.annotations);
  if (slot.kind === "empty") return { kind: "idle" };
  const observedAt = new Date(deps.clock.nowMs()).toISOString();
  if (slot.kind === "invalid") {
    const removed = await removeRequest(ref, listed, slot.raw.action, deps);
    if (removed.kind === "retry" || removed.kind === "gone") return removed;
    return { kind: "dropped", why: `${slot.reason}; request removed`, request: slot.raw };
  }
  const { request } = slot;
  deps.beforeDispatch(keyOf(ref), request);
  const result = await dispatch(deps.engine, ref.name, request, undefined);
  const lastAction: LastAction = {
    action: request.action,
    state: result.kind === "succeeded" ? "Succeeded" : "Failed",
    ...(result.kind === "failed" ? { error: result.error } : result.kind === "unreachable" ? { error: result.detail } : {}),
    ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
    observedAt,
    completedAt: new Date(deps.clock.nowMs()).toISOString(),
  };
  const patched = await patchLastAction(ref, lastAction, deps);
  if (patched.kind !== "written") return patched;
  const removed = await removeRequest(ref, patched.object, request.action, deps);
  if (removed.kind === "retry" || removed.kind === "gone") return removed;
  return { kind: "completed", lastAction, dispatched: true, cleared: removed.kind === "removed" ? "cleared" : "superseded" };
}

type Patched = { kind: "written"; object: Container } | { kind: "gone" } | { kind: "retry"; why: string };

/** `patchContainerLastAction`: every attempt reads the cache and locks the patch to what it read. */
async function patchLastAction(ref: ContainerRef, lastAction: LastAction, deps: ReferencePassDeps): Promise<Patched> {
  for (let attempt = 0; attempt < CONFLICT_ATTEMPTS_MAX; attempt++) {
    if (attempt > 0) await retryPause(deps);
    deps.stats.gets++;
    const cached = deps.cache.get(ref);
    if (cached === undefined) return { kind: "gone" };
    const answer = await deps.ledger.patchLastAction(ref, cached.metadata.resourceVersion ?? "", lastAction);
    if (answer.kind === "conflict") continue;
    if (answer.kind === "failed") return { kind: "retry", why: `failed to patch lastAction: ${answer.detail}` };
    return answer;
  }
  return { kind: "retry", why: `failed to patch lastAction: conflict after ${CONFLICT_ATTEMPTS_MAX} attempts` };
}

type Removed = { kind: "removed" } | { kind: "superseded" } | { kind: "gone" } | { kind: "retry"; why: string };

/**
 * `removeActionAnnotation`: the first attempt uses `first` (the status patch's answer), later ones the
 * cache; removes only while the action still equals `observed`, locked to the object's resourceVersion.
 */
async function removeRequest(ref: ContainerRef, first: Container, observed: string, deps: ReferencePassDeps): Promise<Removed> {
  let current: Container | undefined = first;
  for (let attempt = 0; attempt < CONFLICT_ATTEMPTS_MAX; attempt++) {
    if (attempt > 0) {
      await retryPause(deps);
      deps.stats.gets++;
      current = deps.cache.get(ref);
    }
    if (current === undefined) return { kind: "gone" };
    const value = current.metadata.annotations?.[ANNOTATION_ACTION];
    if (value === undefined) return { kind: "removed" };
    if (value !== observed) return { kind: "superseded" };
    const answer = await deps.ledger.removeRequest(ref, current.metadata.resourceVersion ?? "");
    if (answer.kind === "conflict") continue;
    if (answer.kind === "failed") return { kind: "retry", why: `failed to remove action annotation: ${answer.detail}` };
    return answer.kind === "gone" ? answer : { kind: "removed" };
  }
  return { kind: "retry", why: `failed to remove action annotation: conflict after ${CONFLICT_ATTEMPTS_MAX} attempts` };
}

function retryPause(deps: ReferencePassDeps): Promise<void> {
  return deps.clock.sleep(CONFLICT_RETRY_MS + deps.prng.between(0, CONFLICT_RETRY_JITTER_MS_MAX));
}
