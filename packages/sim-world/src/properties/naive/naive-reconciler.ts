/**
 * Deliberately naive variants of the action protocol, kept as test fixtures: each flaw removes one
 * defence, and the property named for that race must find a counterexample against it. A property that
 * passes on every variant proves nothing.
 */
import {
  dispatch,
  keyOf,
  readRequestSlot,
  refOf,
  requestWrittenAtMs,
  type ActionPorts,
  type ActionReconciler,
  type Container,
  type ContainerCache,
  type ContainerRef,
  type LastAction,
  type RawRequest,
} from "@container-actions/core";

export const Flaw = {
  /** Remove the request with a resourceVersion lock taken from the cached object, retrying on 409 from the cache (review I3). */
  rvLockRemoval: "rv-lock-removal",
  /** Remove the annotation whatever it holds now (no value guard; E6/E7). */
  unguardedRemoval: "unguarded-removal",
  /** Guard the removal on the action value only, not the request id (review S1 unfixed). */
  actionOnlyGuard: "action-only-guard",
  /** Treat NotFound from either write as an error to retry (review I2). */
  notFoundIsError: "not-found-is-error",
  /** Dispatch pause/unpause without looking at Docker first (E1). */
  noPrechecks: "no-prechecks",
  /** Trust any cached view, even one older than our own last write (E1). */
  noStaleFence: "no-stale-fence",
  /** Record a transport failure as a Failed outcome and consume the request (E15). */
  transportConsumes: "transport-consumes",
  /** Restart again on replay, whatever Docker's StartedAt says (review S4). */
  restartReplays: "restart-replays",
  /** Dispatch on a Container without status and retry the rejected write forever (E14). */
  statuslessRetries: "statusless-retries",
  /** Leave an invalid value in place and retry (review S3, the round-1 wedge). */
  invalidRetries: "invalid-retries",
} as const;
export type Flaw = (typeof Flaw)[keyof typeof Flaw];
export const FLAWS = Object.values(Flaw);

/** The extra reach a naive variant needs: the informer cache and an unguarded, optionally locked removal. */
export interface NaivePorts extends ActionPorts {
  cache: ContainerCache;
  /** Merge-patches the request annotations away; with `resourceVersion`, a 409 when the object moved on. */
  removeRequestUnguarded(ref: ContainerRef, resourceVersion?: string): Promise<"removed" | "conflict" | "gone" | "unavailable">;
  /** Removes both request annotations if the action (only) still equals `action`; `superseded` otherwise. */
  removeRequestIfAction(ref: ContainerRef, action: string): Promise<"removed" | "superseded" | "gone" | "unavailable">;
}

/** Client-go's DefaultRetry: 5 attempts. */
const CONFLICT_ATTEMPTS = 5;

export function createNaiveReconciler(flaw: Flaw, ports: NaivePorts): ActionReconciler {
  const fence = new Map<string, number>();
  const has = (f: Flaw) => f === flaw;
  return {
    forget: (ref) => fence.delete(keyOf(ref)),
    // The naive variants have no restart takeover.
    inheritFrom: () => {},
    rememberedKeys: () => fence.size,
    async reconcile(container) {
      const slot = readRequestSlot(container.metadata.annotations);
      if (slot.kind === "empty") return { kind: "idle" };
      if (container.metadata.deletionTimestamp !== undefined) return { kind: "skipped", why: "terminating" };
      const ref = refOf(container);
      const key = keyOf(ref);
      const rv = Number(container.metadata.resourceVersion);
      if (!has(Flaw.noStaleFence) && rv < (fence.get(key) ?? 0)) return { kind: "skipped", why: "stale-cache" };
      if (slot.kind === "invalid") {
        if (has(Flaw.invalidRetries)) return { kind: "retry", why: "invalid value rejected by the lastAction enum" };
        return settle(await remove(container, slot.raw), null, slot.raw);
      }
      const request = slot.request;
      if (container.status === undefined && !has(Flaw.statuslessRetries)) {
        return settle(await remove(container, request), null, request);
      }
      const observedAt = new Date(ports.clock.nowMs()).toISOString();
      const written = has(Flaw.restartReplays) ? undefined : requestWrittenAtMs(container.metadata);
      const result =
        has(Flaw.noPrechecks) && (request.action === "pause" || request.action === "unpause")
          ? await performOnly(ports.engine, ref.name, request.action)
          : await dispatch(ports.engine, ref.name, request, written);
      if (result.kind === "unreachable" && !has(Flaw.transportConsumes)) return { kind: "retry", why: result.detail };
      const lastAction: LastAction = {
        action: request.action,
        state: result.kind === "succeeded" ? "Succeeded" : "Failed",
        ...(result.kind === "failed" ? { error: result.error } : result.kind === "unreachable" ? { error: result.detail } : {}),
        ...(request.requestId ? { requestId: request.requestId } : {}),
        observedAt,
        completedAt: new Date(ports.clock.nowMs()).toISOString(),
      };
      const recorded = await ports.ledger.recordOutcome(ref, lastAction);
      if (recorded.kind === "gone") return has(Flaw.notFoundIsError) ? { kind: "retry", why: "NotFound" } : { kind: "gone" };
      if (recorded.kind !== "written") return { kind: "retry", why: recorded.kind };
      fence.set(key, Number(recorded.resourceVersion));
      return settle(await remove(container, request), lastAction, null);

      async function remove(view: Container, raw: RawRequest): Promise<"removed" | "superseded" | "gone" | "retry"> {
        if (has(Flaw.unguardedRemoval)) return map(await ports.removeRequestUnguarded(ref));
        if (has(Flaw.actionOnlyGuard)) {
          const answer = await ports.removeRequestIfAction(ref, raw.action);
          return answer === "unavailable" ? "retry" : answer;
        }
        if (has(Flaw.rvLockRemoval)) {
          // The round-2 code: compare the value, then patch with the cached object's resourceVersion.
          let current: Container | undefined = view;
          for (let i = 0; i < CONFLICT_ATTEMPTS; i++) {
            if (current === undefined) return "gone";
            const slotNow = readRequestSlot(current.metadata.annotations);
            if (slotNow.kind === "empty" || (slotNow.kind === "valid" ? slotNow.request : slotNow.raw).action !== raw.action) return "superseded";
            const answer = await ports.removeRequestUnguarded(ref, current.metadata.resourceVersion);
            if (answer !== "conflict") return map(answer);
            current = ports.cache.get(ref);
          }
          return "retry";
        }
        const cleared = await ports.ledger.clearRequest(ref, raw);
        if (cleared.kind === "cleared") fence.set(key, Number(cleared.resourceVersion));
        return cleared.kind === "cleared" ? "removed" : cleared.kind === "unavailable" ? "retry" : cleared.kind;
      }

      function map(answer: "removed" | "conflict" | "gone" | "unavailable") {
        return answer === "removed" ? "removed" : answer === "gone" ? (has(Flaw.notFoundIsError) ? "retry" : "gone") : "retry";
      }

      function settle(removal: "removed" | "superseded" | "gone" | "retry", outcome: LastAction | null, dropped: RawRequest | null) {
        if (removal === "retry") return { kind: "retry" as const, why: "removal failed" };
        if (removal === "gone") return { kind: "gone" as const };
        if (dropped !== null) return { kind: "dropped" as const, why: "naive drop", request: dropped };
        return { kind: "completed" as const, lastAction: outcome, dispatched: true, cleared: removal === "removed" ? ("cleared" as const) : ("superseded" as const) };
      }
    },
  };
}

async function performOnly(engine: ActionPorts["engine"], id: string, action: "pause" | "unpause") {
  const reply = await engine.perform(id, action);
  switch (reply.kind) {
    case "done":
    case "already":
      return { kind: "succeeded" as const, called: true };
    case "unreachable":
      return reply;
    default:
      return { kind: "failed" as const, error: `Error response from daemon: ${reply.message}`, called: true };
  }
}
