import type { ActionName } from "@container-actions/core";
import { idOf, type EngineStateSample, type HistoryEvent, type SentLastAction, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker } from "./final-state.ts";

/** The states in which each action's target holds, as Docker itself answers them. */
const TARGET: Record<Exclude<ActionName, "restart">, (s: EngineStateSample) => boolean> = {
  // Docker answers start 304 on any container whose Running flag is set, restart backoff included.
  start: (s) => s.running && !s.paused,
  // A container in restart backoff has no process; a kill leaves it exited without an event.
  stop: (s) => !s.running || s.restarting,
  pause: (s) => s.paused,
  // Unpause's pre-check counts a running, unpaused container (restart backoff included) as done.
  unpause: (s) => s.running && !s.paused,
};

/**
 * A Succeeded start, stop, pause or unpause means Docker held that state: judged on the outcome the
 * controller *sent* against the engine's own states (`engine-state` events, sampled at every Docker
 * event), never the store's echo. The exact rule: some state the container held between the request's
 * first write and the outcome write (both ends included, and the state it was in when the request was
 * written) satisfies the action's target.
 *
 * Why it cannot flag a correct controller: a Succeeded outcome rests on one moment inside that window —
 * a 204 or 304 to its call (the engine completed the change, or found it done) or a pre-check inspect
 * that saw the target — and the controller can only act on a request after it was written and only
 * write the outcome after that moment. The samples hold every state the engine passed through (a second
 * sample catches a change made without an event), so the state of that moment is among them, whatever a
 * concurrent docker CLI call, restart policy or another request does right after.
 */
export class SucceededState implements Checker {
  private readonly samples = new Map<string, Array<{ atMs: number; state: EngineStateSample | null }>>();
  /** Client writes in order; an id-less one gets its stamped id later, on the same object. */
  private readonly writes: WrittenRequest[] = [];
  private readonly outcomes: Array<{ key: string; sent: SentLastAction; atMs: number }> = [];

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "engine-state") {
      const list = this.samples.get(event.key) ?? [];
      list.push({ atMs: event.atMs, state: event.state });
      this.samples.set(event.key, list);
    } else if (event.kind === "client-write" && !event.request.collapsed) {
      this.writes.push(event.request);
    } else if (event.kind === "outcome" && event.sent.state === "Succeeded" && event.sent.action !== "restart") {
      this.outcomes.push({ key: event.key, sent: event.sent, atMs: event.atMs });
    }
    return null;
  }

  finish(): Violation[] {
    const firstWriteMs = new Map<string, number>();
    for (const w of this.writes) {
      const request = requestKey(w.key, w.action, idOf(w));
      if (!firstWriteMs.has(request)) firstWriteMs.set(request, w.atMs);
    }
    const out: Violation[] = [];
    for (const { key, sent, atMs } of this.outcomes) {
      const action = sent.action as Exclude<ActionName, "restart">;
      const id = sent.requestId ?? undefined;
      const sinceMs = firstWriteMs.get(requestKey(key, action, id));
      if (sinceMs === undefined) continue;
      const samples = this.samples.get(key) ?? [];
      const before = samples.findLast((s) => s.atMs < sinceMs);
      const held = [...(before ? [before] : []), ...samples.filter((s) => s.atMs >= sinceMs && s.atMs <= atMs)];
      if (held.some((s) => s.state !== null && TARGET[action](s.state))) continue;
      const seen = [...new Set(held.map((s) => s.state?.status ?? "gone"))].join(", ") || "nothing";
      out.push({ invariant: "truth", subject: key, detail: `recorded ${action}${id ? `#${id}` : ""} as Succeeded, but between its write and that outcome Docker's container was only ${seen}` });
    }
    return out;
  }
}

function requestKey(key: string, action: string, requestId: string | undefined): string {
  return `${key} ${action} ${requestId ?? ""}`;
}
