import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * A client's delete of a mirror removes its Docker container: once the world has settled, no container
 * whose mirror was deleted without force is left in the engine. The mirror's finalizer holds the object
 * until the controller's force-remove succeeded, so a removal Docker refused (a 409 while another runs,
 * a 500 from a failed removal) must be retried, never released; a released finalizer with the container
 * still there brings the mirror back and the container stays, which is what this catches.
 *
 * Excused exactly when the user took the finalizer away (a forced delete, `forced`, of the same object
 * at any time): then Kubernetes no longer waits for the controller, and the container rightly stays.
 * Only keys of containers the run created are judged: a hand-made Container mirrors nothing.
 */
export class DeletionRemoves implements Checker {
  private readonly deleted = new Set<string>();
  private readonly forced = new Set<string>();

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "deleted") (event.forced ? this.forced : this.deleted).add(event.key);
    return null;
  }

  finish(state: FinalState): Violation[] {
    const out: Violation[] = [];
    for (const key of this.deleted) {
      if (this.forced.has(key) || !state.containerKeys.has(key) || !state.docker.has(key)) continue;
      out.push({ invariant: "truth", subject: key, detail: `the mirror was deleted, but Docker still has the container (${state.docker.get(key)})` });
    }
    return out;
  }
}
