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
 * - A later call that takes effect again is a duplicate, unless something else changed the container in
 *   between — someone outside the controller (an out-of-band call counts from its start until dockerd
 *   answers it: a slow `docker stop` unpauses and kills late), or the controller's own call for another request (a
 *   restart a crashed predecessor left running can start a container a stop had just stopped: the stop
 *   must then act again, or the latest request would not hold). Then start, stop, pause and unpause may
 *   rightly act again; restart has no target state, so for it even that does not excuse a second effect.
 */
export class NoDuplicateDispatch implements Checker {
  private readonly effective = new Map<string, { count: number; endMs: number }>();
  /**
   * Which round of an id each write belongs to: an action-only write can put an id back in the slot
   * with an action it had before (another client reused the id, or A, B, A). Written after that
   * request's outcome, or after another request replaced it in the slot, it is a new request (the user
   * asked again), not a replay of the earlier one.
   */
  private readonly round = new Map<string, number>();
  private readonly roundOfWrite = new Map<number, number>();
  private readonly recorded = new Set<string>();
  private readonly lastInSlot = new Map<string, string>();
  private readonly seen = new Set<string>();
  /** When the container was last changed by anyone but the request in question, by key. */
  private readonly changes = new Map<string, Array<{ by: string; atMs: number }>>();
  /** Out-of-band calls dockerd has not answered yet, by key: each may change the container at any moment. */
  private readonly outsideInFlight = new Map<string, number>();

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "outcome") {
      if (event.sent.requestId) this.recorded.add(`${event.key} ${event.sent.action} ${event.sent.requestId}`);
      return null;
    }
    if (event.kind === "client-write" && !event.request.collapsed) {
      const base = baseIdentity(event.request);
      const replacedMeanwhile = this.seen.has(base) && this.lastInSlot.get(event.request.key) !== base;
      this.seen.add(base);
      if (this.recorded.delete(base) || replacedMeanwhile) this.round.set(base, (this.round.get(base) ?? 0) + 1);
      this.lastInSlot.set(event.request.key, base);
      this.roundOfWrite.set(event.request.seq, this.round.get(base) ?? 0);
      return null;
    }
    if (event.kind === "docker-cli") {
      this.outsideInFlight.set(event.key, (this.outsideInFlight.get(event.key) ?? 0) + (event.done ? -1 : 1));
      this.noteChange(event.key, "outside", event.atMs);
      return null;
    }
    if (event.kind !== "dispatch" || event.effect !== "changed") return null;
    const r = event.request;
    if (r === null) {
      this.noteChange(event.key, "unknown", event.atMs);
      return null;
    }
    const identity = `${baseIdentity(r)} round ${this.roundOfWrite.get(r.seq) ?? 0}`;
    this.noteChange(event.key, identity, event.atMs);
    const prior = this.effective.get(identity);
    const overlaps = prior !== undefined && event.startedMs < prior.endMs;
    const undone =
      prior !== undefined && ((this.outsideInFlight.get(event.key) ?? 0) > 0 || (this.changes.get(event.key) ?? []).some((c) => c.by !== identity && c.atMs >= prior.endMs));
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

  private noteChange(key: string, by: string, atMs: number): void {
    const list = this.changes.get(key) ?? [];
    list.push({ by, atMs });
    this.changes.set(key, list);
  }
}

function baseIdentity(r: WrittenRequest): string {
  const id = idOf(r);
  return id === undefined ? `write ${r.seq}` : `${r.key} ${r.action} ${id}`;
}
