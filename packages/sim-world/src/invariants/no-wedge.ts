import { ANNOTATION_ACTION } from "@container-actions/core";
import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * No wedge: once faults stop, the world settles within the liveness budget — no request annotation is
 * left, no deletion hangs on our finalizer, and no queue still retries.
 */
export class NoWedge implements Checker {
  on(_event: HistoryEvent): Violation | null {
    return null;
  }

  finish(state: FinalState): Violation[] {
    const out: Violation[] = [];
    if (state.pending !== null) out.push({ invariant: "no-wedge", subject: "world", detail: `not settled: ${state.pending}` });
    for (const [key, c] of state.mirrors) {
      const value = c.metadata.annotations?.[ANNOTATION_ACTION];
      if (value !== undefined) out.push({ invariant: "no-wedge", subject: key, detail: `request "${value}" still pending` });
      if (c.metadata.deletionTimestamp !== undefined) out.push({ invariant: "no-wedge", subject: key, detail: "deletion never completed" });
    }
    return out;
  }
}
