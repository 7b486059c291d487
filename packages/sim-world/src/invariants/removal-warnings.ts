import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker } from "./final-state.ts";

/**
 * The reasons core gives a request it removes without running it (reconcile-action.ts, `drop`), each
 * emitted as a Warning Event on the Container once the removal is answered: a Container that is not the
 * engine's own (`ForeignContainer`), a value outside the enum or a malformed id (`InvalidAction`), an
 * object that never got a mirrored status and names no container Docker has (`NotMirrored`), an outcome
 * the apiserver refused (`OutcomeRejected`). A request replaced by a newer write, or whose object was
 * deleted, is not dropped and gets no Event: the newer request's outcome, or the deletion, is the answer.
 */
export const DROP_REASONS = ["ForeignContainer", "InvalidAction", "NotMirrored", "OutcomeRejected"] as const;

/**
 * Removal warnings: every request the controller removed unrun — the `dropped` it reported, which it
 * does only once the removal was answered — was announced by a Warning Event on that Container in the
 * same pass, whose reason is one of {@link DROP_REASONS} and whose message is the reason the controller
 * gave, so `kubectl describe` tells the user why the request never ran. A drop on an object that mirrors
 * a real container is never `ForeignContainer`, and an `OutcomeRejected` follows a refused outcome write.
 */
export class RemovalWarnings implements Checker {
  /** The Warning Events of the current instant, by key. */
  private warnings = new Map<string, Array<Extract<HistoryEvent, { kind: "k8s-event" }>>>();
  private warningsAtMs = Number.NEGATIVE_INFINITY;
  private readonly rejectedKeys = new Set<string>();

  on(event: HistoryEvent): Violation | null {
    switch (event.kind) {
      case "k8s-event":
        if (event.type !== "Warning") return null;
        if (event.atMs !== this.warningsAtMs) {
          this.warnings = new Map();
          this.warningsAtMs = event.atMs;
        }
        this.warnings.set(event.key, [...(this.warnings.get(event.key) ?? []), event]);
        return null;
      case "rejected":
        this.rejectedKeys.add(event.key);
        return null;
      case "dropped": {
        const request = `${event.action}${event.requestId ? `#${event.requestId}` : ""}`;
        // The Event is emitted right before the pass reports its drop, at the same virtual instant.
        const said = event.atMs === this.warningsAtMs ? (this.warnings.get(event.key) ?? []).find((w) => w.message === event.why) : undefined;
        if (said === undefined) return this.violation(event.key, `request ${request} was removed unrun without a Warning Event saying why ("${event.why}")`);
        if (!(DROP_REASONS as readonly string[]).includes(said.reason)) return this.violation(event.key, `request ${request} was removed with a Warning of reason ${said.reason}, not one of ${DROP_REASONS.join(", ")}`);
        if (said.reason === "ForeignContainer" && event.mirror) return this.violation(event.key, `request ${request} on a real mirror was removed as foreign`);
        if (said.reason === "OutcomeRejected" && !this.rejectedKeys.has(event.key)) return this.violation(event.key, `request ${request} was removed as OutcomeRejected though no outcome write was refused`);
        return null;
      }
      default:
        return null;
    }
  }

  finish(): Violation[] {
    return [];
  }

  private violation(subject: string, detail: string): Violation {
    return { invariant: "removal-warnings", subject, detail };
  }
}
