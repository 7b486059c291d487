import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker } from "./final-state.ts";

/**
 * No duplicate dispatch: one request id changes the container at most once. Only an id makes a request
 * distinct (architecture.md: "one request id → at most one Docker call"); without one, a restart may run
 * again when the controller dies, or its removal write fails, between its two writes (documented).
 * - Calls that overlap in time are one transition: dockerd serialises them on the container, and a
 *   restart that finds the container already started by a concurrent one does not start it again (a
 *   replacement process can overlap the call its crashed predecessor left running).
 * - A later call that takes effect again is a duplicate, unless something outside the controller
 *   changed the container in between (then start, stop, pause and unpause may rightly act again);
 *   restart has no target state, so for it even that does not excuse a second effect.
 */
export class NoDuplicateDispatch implements Checker {
  private readonly effective = new Map<number, { count: number; endMs: number }>();
  private readonly lastOutside = new Map<string, number>();

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "docker-cli") {
      this.lastOutside.set(event.key, event.atMs);
      return null;
    }
    if (event.kind !== "dispatch" || event.effect !== "changed" || event.request?.requestId === undefined) return null;
    const r = event.request;
    const prior = this.effective.get(r.seq);
    const overlaps = prior !== undefined && event.startedMs < prior.endMs;
    const undone = prior !== undefined && (this.lastOutside.get(event.key) ?? -1) >= prior.endMs;
    if (prior !== undefined && (overlaps || (undone && event.call !== "restart"))) {
      prior.endMs = Math.max(prior.endMs, event.atMs);
      return null;
    }
    const count = (prior?.count ?? 0) + 1;
    this.effective.set(r.seq, { count, endMs: event.atMs });
    if (count < 2) return null;
    return {
      invariant: "no-duplicate-dispatch",
      subject: event.key,
      detail: `request ${r.action}${r.requestId ? `#${r.requestId}` : ""} (write ${r.seq}) changed the container ${count} times`,
    };
  }

  finish(): Violation[] {
    return [];
  }
}
