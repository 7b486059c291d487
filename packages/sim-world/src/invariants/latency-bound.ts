import { idOf, type HistoryEvent, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker } from "./final-state.ts";

/**
 * How long a request may stay unresolved in a healthy world: the periodic resync (30 s) plus the
 * restart takeover (11 s) plus a slow stop's grace period (10 s), with room to spare. Backoff left over
 * from the faults must not stretch it: a watch event or the resync runs a key again at once.
 */
export const LATENCY_BOUND_MS = 60_000;

/**
 * Bounded latency: once the world is healthy (faults off), every request is resolved — its outcome
 * written, or it was removed, dropped, replaced by a newer write or deleted with its object — within
 * {@link LATENCY_BOUND_MS} of the later of its write and the end of the faults. A lost wake-up or an
 * uncapped backoff shows here long before the liveness budget (10 minutes) runs out.
 */
export class LatencyBound implements Checker {
  private readonly open: WrittenRequest[] = [];
  private readonly resolvedAtMs = new Map<number, number>();
  private faultsOffAtMs = Number.POSITIVE_INFINITY;

  on(event: HistoryEvent): Violation | null {
    switch (event.kind) {
      case "client-write":
        if (event.request.collapsed) return null;
        this.resolve((w) => w.key === event.request.key, event.request.atMs);
        this.open.push(event.request);
        return null;
      case "invalid-write":
      case "deleted":
        this.resolve((w) => w.key === event.key, event.atMs);
        return null;
      case "outcome":
        this.resolve((w) => w.key === event.key && w.action === event.sent.action && idOf(w) === (event.sent.requestId ?? undefined), event.atMs);
        return null;
      case "cleared":
      case "dropped":
        this.resolve((w) => w.key === event.key && w.action === event.action && idOf(w) === event.requestId, event.atMs);
        return null;
      case "faults-off":
        this.faultsOffAtMs = event.atMs;
        return null;
      default:
        return null;
    }
  }

  finish(): Violation[] {
    const out: Violation[] = [];
    for (const w of this.open) {
      const doneMs = this.resolvedAtMs.get(w.seq);
      if (doneMs === undefined) continue; // never resolved: no-lost-request and no-wedge say so
      const fromMs = Math.max(w.atMs, this.faultsOffAtMs);
      if (doneMs - fromMs > LATENCY_BOUND_MS) {
        out.push({
          invariant: "latency",
          subject: w.key,
          detail: `request ${w.action}${idOf(w) ? `#${idOf(w)}` : ""} (write ${w.seq}) took ${doneMs - fromMs} ms in a healthy world (bound ${LATENCY_BOUND_MS} ms)`,
        });
      }
    }
    return out;
  }

  private resolve(matches: (w: WrittenRequest) => boolean, atMs: number): void {
    for (const w of this.open) if (!this.resolvedAtMs.has(w.seq) && matches(w)) this.resolvedAtMs.set(w.seq, atMs);
  }
}
