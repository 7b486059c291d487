import { idOf, type HistoryEvent, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * No lost request: every valid request a client wrote was handled (its outcome written to lastAction),
 * or superseded by a later write to the same slot before it was removed, or its mirror was deleted, or
 * — only for an object that mirrors no container — dropped (with a Warning, unless the answer to the
 * removal was lost).
 * A request removed without an outcome while no newer write replaced it is lost — unless the slot then
 * held exactly a request already handled (same action, same id, its own or the one the controller
 * stamped): a client that writes only the action can restore a pending request it replaced (A, B, A
 * before A's removal), and nothing in the slot tells the two apart; the write merges into the handled
 * request, as an unchanged write does (S1). Clients that send an id, or `action-id: null`, never merge.
 */
export class NoLostRequest implements Checker {
  private readonly writes: WrittenRequest[] = [];
  private readonly handled = new Set<number>();
  private readonly settled = new Set<number>();
  private readonly removals: Array<{ request: WrittenRequest; atMs: number }> = [];
  /** Writes already reported lost online, at their drop: each lost request is reported once. */
  private readonly reportedLost = new Set<number>();
  private readonly invalid: Array<{ key: string; atMs: number }> = [];

  on(event: HistoryEvent): Violation | null {
    switch (event.kind) {
      case "client-write":
        // An unchanged write is no new request: it merges into the one already pending (S1).
        if (!event.request.collapsed) this.writes.push(event.request);
        return null;
      case "invalid-write":
        // Not a request that can be handled, but it does replace whatever the slot held.
        this.invalid.push({ key: event.key, atMs: event.atMs });
        return null;
      case "outcome": {
        const sentId = event.sent.requestId ?? undefined;
        const match = this.latestUnhandled(event.key, event.atMs, (w) => w.action === event.sent.action && idOf(w) === sentId);
        if (match) this.handled.add(match.seq);
        return null;
      }
      case "cleared": {
        const match = this.latestUnhandled(event.key, event.atMs, (w) => w.action === event.action && idOf(w) === event.requestId);
        // Judged at the end: the outcome or the drop report of the same pass may come later in the log.
        if (match) this.removals.push({ request: match, atMs: event.atMs });
        return null;
      }
      case "dropped": {
        // An invalid value is dropped by design; only a valid request's drop needs judging.
        const match = this.latestUnhandled(event.key, event.atMs, (w) => w.action === event.action && idOf(w) === event.requestId);
        if (match === undefined) return null;
        if (!event.mirror) {
          this.settled.add(match.seq);
          return null;
        }
        this.reportedLost.add(match.seq);
        return this.lost(match, `on a real mirror was dropped: ${event.why}`);
      }
      case "deleted":
        for (const w of this.writes) if (w.key === event.key) this.settled.add(w.seq);
        return null;
      default:
        return null;
    }
  }

  finish(state: FinalState): Violation[] {
    const out: Violation[] = [];
    const reported = new Set(this.reportedLost);
    for (const { request, atMs } of this.removals) {
      if (reported.has(request.seq) || this.handled.has(request.seq) || this.settled.has(request.seq) || this.superseded(request, atMs) || this.mergedIntoHandled(request)) continue;
      if (!state.containerKeys.has(request.key)) continue;
      reported.add(request.seq);
      out.push(this.lost(request, "was removed without an outcome"));
    }
    for (const w of this.writes) {
      if (reported.has(w.seq) || this.handled.has(w.seq) || this.settled.has(w.seq) || this.superseded(w, Number.POSITIVE_INFINITY) || this.mergedIntoHandled(w)) continue;
      if (!state.mirrors.has(w.key)) continue;
      out.push(this.lost(w, "never got an outcome"));
    }
    return out;
  }

  private lost(w: WrittenRequest, what: string): Violation {
    return { invariant: "no-lost-request", subject: w.key, detail: `request ${w.action}${idOf(w) ? `#${idOf(w)}` : ""} (write ${w.seq}) ${what}` };
  }

  /** The newest write on `key` at or before `atMs` that `matches` and is not yet handled. */
  private latestUnhandled(key: string, atMs: number, matches: (w: WrittenRequest) => boolean): WrittenRequest | undefined {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const w = this.writes[i] as WrittenRequest;
      if (w.key === key && w.atMs <= atMs && matches(w) && !this.handled.has(w.seq)) return w;
    }
    return undefined;
  }

  /** True when an earlier write of the same request (same action and id) on the same slot was handled. */
  private mergedIntoHandled(w: WrittenRequest): boolean {
    const id = idOf(w);
    return id !== undefined && this.writes.some((o) => o.key === w.key && o.seq < w.seq && o.action === w.action && idOf(o) === id && this.handled.has(o.seq));
  }

  /** True when a later client write replaced `w` in its slot at or before `beforeMs`. */
  private superseded(w: WrittenRequest, beforeMs: number): boolean {
    return (
      this.writes.some((o) => o.key === w.key && o.seq > w.seq && o.atMs <= beforeMs) ||
      this.invalid.some((i) => i.key === w.key && i.atMs >= w.atMs && i.atMs <= beforeMs)
    );
  }
}
