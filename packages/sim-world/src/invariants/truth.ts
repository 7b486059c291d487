import type { LastAction } from "@container-actions/core";
import { idOf, mergeLastAction, type HistoryEvent, type SentLastAction, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * Truth: mirrors converge to Docker (one mirror per container, same status), and every outcome the
 * controller sent says what the engine really did. Judged on the merge patch the controller *sent*,
 * merged by this checker's own reading of RFC 7386 onto the previous outcome — never on the store's echo:
 * - Failed only for a refusal: never when the engine was not reached, never when the call took effect
 *   and nothing changed the container since (a replay after someone undid it may rightly fail);
 * - `error` present exactly when the state is Failed, after the merge (a Succeeded outcome that does not
 *   null a previous failure's `error` keeps it);
 * - the request id recorded is the request's own (a merge that keeps the previous request's id lies);
 * - a Succeeded restart means Docker restarted the container after the request was written (a restart
 *   call that took effect and finished then — this request's, possibly by a crashed predecessor, or one
 *   already running for an earlier request). The write time is known to the controller in whole seconds
 *   only (managedFields), so a restart finished earlier in the same second counts — but never one that
 *   finished before the previous outcome on the object was recorded (its completedAt, which the
 *   controller reads too): that restart was the previous request's. That documented limit (a restart
 *   after the previous outcome, in the second of the write, before it) is the only one excused;
 * - each mirror's lastAction ends as the merge of every outcome sent to it.
 */
export class Truth implements Checker {
  private readonly lastOutcome = new Map<string, LastAction>();
  private readonly lastEffect = new Map<string, "succeeded" | "failed" | "unknown">();
  /** Requests (by object, action and id) whose Docker call took effect. */
  private readonly tookEffect = new Set<string>();
  /** Out-of-band calls dockerd has not answered yet, by key. */
  private readonly outsideInFlight = new Map<string, number>();
  /** When each container's effective restarts finished, by key, and the number of the event that told. */
  private readonly restartsDone = new Map<string, Array<{ atMs: number; seq: number }>>();
  /** The number of the last outcome event of each key, and whose request it was. */
  private readonly lastOutcomeSeq = new Map<string, { seq: number; request: string; before: number }>();
  private seq = 0;
  private readonly writes: WrittenRequest[] = [];
  /** Requests (by object, action and id) whose outcome was written. */
  private readonly recorded = new Set<string>();

  on(event: HistoryEvent): Violation | null {
    this.seq++;
    if (event.kind === "deleted") {
      // A re-created mirror starts without lastAction.
      this.lastOutcome.delete(event.key);
      this.lastOutcomeSeq.delete(event.key);
      return null;
    }
    if (event.kind === "client-write") {
      // An id-less write is a new request: what happened to an earlier one with the same action says
      // nothing about it. A write with an id (sent, or kept in the slot) is the request of that id.
      if (idOf(event.request) === undefined) this.reset(event.request.key, event.request.action, undefined);
      // An id back in the slot with an action whose outcome is already recorded: a new request.
      else if (!event.request.collapsed && this.recorded.delete(requestKey(event.request.key, event.request.action, idOf(event.request)))) {
        this.reset(event.request.key, event.request.action, idOf(event.request));
      }
      if (!event.request.collapsed) this.writes.push(event.request);
      return null;
    }
    if (event.kind === "docker-cli") {
      // An out-of-band call may act at any moment until dockerd answers it (a slow stop unpauses and
      // kills late): effects before its start or its answer may be undone, and none during it is sure.
      this.outsideInFlight.set(event.key, (this.outsideInFlight.get(event.key) ?? 0) + (event.done ? -1 : 1));
      this.undoneBy(event.key, undefined);
      return null;
    }
    if (event.kind === "engine-read") {
      // The latest contact decides: a pre-check that reached the engine after an unreachable call did
      // reach it, and one that did not leaves the outcome unknown.
      if (event.request !== null) this.lastEffect.set(requestKey(event.key, event.request.action, idOf(event.request)), event.reached ? "succeeded" : "unknown");
      return null;
    }
    if (event.kind === "dispatch") {
      if (event.effect === "changed" && event.call === "restart") this.restartsDone.set(event.key, [...(this.restartsDone.get(event.key) ?? []), { atMs: event.atMs, seq: this.seq }]);
      if (event.request === null) return null;
      const key = requestKey(event.key, event.request.action, idOf(event.request));
      if (event.effect === "changed") this.undoneBy(event.key, key);
      if (event.effect === "changed" && (this.outsideInFlight.get(event.key) ?? 0) === 0) this.tookEffect.add(key);
      const verdict = event.effect === "changed" || event.effect === "no-change" ? "succeeded" : event.effect === "unreachable" ? "unknown" : "failed";
      this.lastEffect.set(key, verdict);
      return null;
    }
    if (event.kind !== "outcome") return null;
    return this.judge(event.key, event.sent);
  }

  finish(state: FinalState): Violation[] {
    const out: Violation[] = [];
    for (const [key, status] of state.docker) {
      const mirror = state.mirrors.get(key);
      if (mirror === undefined) out.push({ invariant: "truth", subject: key, detail: "Docker container has no mirror" });
      else if (mirror.status?.status !== status) {
        out.push({ invariant: "truth", subject: key, detail: `mirror says ${mirror.status?.status ?? "nothing"}, Docker says ${status}` });
      }
    }
    for (const [key, mirror] of state.mirrors) {
      if (!state.docker.has(key)) out.push({ invariant: "truth", subject: key, detail: "mirror of a container Docker no longer has" });
      const expected = this.lastOutcome.get(key);
      const actual = mirror.status?.lastAction;
      if (expected !== undefined && canonical(actual) !== canonical(expected)) {
        out.push({ invariant: "truth", subject: key, detail: `lastAction ${JSON.stringify(actual)} is not the merge of the outcomes sent ${JSON.stringify(expected)}` });
      }
    }
    return out;
  }

  private judge(key: string, sent: SentLastAction): Violation | null {
    const id = sent.requestId ?? undefined;
    const request = requestKey(key, sent.action, id);
    // The previous outcome is another request's: the same outcome sent again (its answer was lost)
    // leaves the bound where the first one found it.
    const last = this.lastOutcomeSeq.get(key);
    const previousSeq = last === undefined ? 0 : last.request === request ? last.before : last.seq;
    this.lastOutcomeSeq.set(key, { seq: this.seq, request, before: previousSeq });
    const merged = mergeLastAction(this.lastOutcome.get(key), sent);
    this.lastOutcome.set(key, merged);
    this.recorded.add(request);
    const what = `${sent.action}${id ? `#${id}` : ""}`;
    const violation = (detail: string): Violation => ({ invariant: "truth", subject: key, detail });
    if ((merged.error !== undefined) !== (merged.state === "Failed")) {
      return violation(`recorded ${what} as ${merged.state} ${merged.error === undefined ? "without an error" : `with error "${merged.error}"`} (after merging the patch sent)`);
    }
    if (merged.requestId !== id) return violation(`recorded ${what} under request id ${merged.requestId ?? "none"} (after merging the patch sent)`);
    if (merged.state === "Failed" && this.tookEffect.has(request)) return violation(`recorded ${what} as Failed ("${merged.error}") though its Docker call took effect`);
    if (merged.state === "Failed" && this.lastEffect.get(request) === "unknown") {
      return violation(`recorded ${what} as Failed ("${merged.error}") though the engine was never reached`);
    }
    if (merged.state === "Succeeded" && sent.action === "restart") {
      const written = this.writes.findLast((w) => w.key === key && w.action === "restart" && idOf(w) === id);
      const sinceMs = written === undefined ? Number.NEGATIVE_INFINITY : Math.floor(written.atMs / 1000) * 1000;
      // The same-second excuse ends where the previous outcome was recorded: a restart until then was
      // that request's, and the controller knows it (lastAction.completedAt). Judged by the order of
      // events, not milliseconds: in a world without latency both can fall in one millisecond.
      if (!(this.restartsDone.get(key) ?? []).some((done) => done.atMs >= sinceMs && done.seq > previousSeq)) {
        return violation(`recorded ${what} as Succeeded though Docker did not restart the container after it was written`);
      }
    }
    return null;
  }

  /**
   * Someone else changed the container (the docker CLI, or the controller for another request): an
   * earlier effect may be undone, so a replay of its request that now fails tells the truth (a crash or
   * a lost answer replays a request; the replay sees today's container).
   */
  private undoneBy(key: string, except: string | undefined): void {
    for (const request of this.tookEffect) if (request.startsWith(`${key} `) && request !== except) this.tookEffect.delete(request);
  }

  private reset(key: string, action: string, requestId: string | undefined): void {
    this.tookEffect.delete(requestKey(key, action, requestId));
    this.lastEffect.delete(requestKey(key, action, requestId));
  }
}

/** JSON with sorted keys: the store keeps its own field order. */
function canonical(value: LastAction | undefined): string {
  return value === undefined ? "undefined" : JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}

/** Requests are told apart by object, action and id; without an id, the latest such write is meant. */
function requestKey(key: string, action: string, requestId: string | undefined): string {
  return `${key} ${action} ${requestId ?? ""}`;
}
