import { idOf, type HistoryEvent, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker } from "./final-state.ts";

/**
 * No duplicate dispatch: one request changes the container at most once — id-less requests included.
 * A request is its object, action and id (its own, or the one the controller stamped on it before any
 * Docker call); a request that never got an id is its client write. No exception is left: the core
 * controller stamps every id-less request before its Docker call, so every replay (stale view, crash,
 * lost answer) finds the id in lastAction. Only the naive variants dispatch id-less requests.
 * - Calls that overlap in time are one transition: dockerd serialises them on the container, and a
 *   restart that finds the container already started by a concurrent one does not start it again (a
 *   replacement process can overlap the call its crashed predecessor left running).
 * - A later call that takes effect again is a duplicate, unless something outside the controller
 *   changed the container in between (then start, stop, pause and unpause may rightly act again);
 *   restart has no target state, so for it even that does not excuse a second effect.
 */
export class NoDuplicateDispatch implements Checker {
  private readonly effective = new Map<string, { count: number; endMs: number }>();
  private readonly lastOutside = new Map<string, number>();

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "docker-cli") {
      this.lastOutside.set(event.key, event.atMs);
      return null;
    }
    if (event.kind !== "dispatch" || event.effect !== "changed" || event.request === null) return null;
    const r = event.request;
    const identity = identityOf(r);
    const prior = this.effective.get(identity);
    const overlaps = prior !== undefined && event.startedMs < prior.endMs;
    const undone = prior !== undefined && (this.lastOutside.get(event.key) ?? -1) >= prior.endMs;
    if (prior !== undefined && (overlaps || (undone && event.call !== "restart"))) {
      prior.endMs = Math.max(prior.endMs, event.atMs);
      return null;
    }
    const count = (prior?.count ?? 0) + 1;
    this.effective.set(identity, { count, endMs: event.atMs });
    if (count < 2) return null;
    return {
      invariant: "no-duplicate-dispatch",
      subject: event.key,
      detail: `request ${r.action}${idOf(r) ? `#${idOf(r)}` : ""} (write ${r.seq}) changed the container ${count} times`,
    };
  }

  finish(): Violation[] {
    return [];
  }
}

function identityOf(r: WrittenRequest): string {
  const id = idOf(r);
  return id === undefined ? `write ${r.seq}` : `${r.key} ${r.action} ${id}`;
}
