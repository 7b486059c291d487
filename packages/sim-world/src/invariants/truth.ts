import type { LastAction } from "@container-actions/core";
import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * Truth: mirrors converge to Docker (one mirror per container, same status), every recorded outcome
 * says what the engine really answered (Failed only for a refusal, never for an engine that was not
 * reached), and each mirror's lastAction is the last outcome written for it.
 */
export class Truth implements Checker {
  private readonly lastOutcome = new Map<string, LastAction>();
  private readonly lastEffect = new Map<string, "succeeded" | "failed" | "unknown">();
  /** Requests (by write sequence) whose Docker call took effect. */
  private readonly tookEffect = new Set<string>();

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "deleted") {
      // A re-created mirror starts without lastAction.
      this.lastOutcome.delete(event.key);
      return null;
    }
    if (event.kind === "client-write") {
      // A new request: what happened to an earlier one with the same action says nothing about it.
      const key = requestKey(event.request.key, event.request.action, event.request.requestId);
      this.tookEffect.delete(key);
      this.lastEffect.delete(key);
      return null;
    }
    if (event.kind === "dispatch") {
      if (event.effect === "changed" && event.request !== null) this.tookEffect.add(requestKey(event.key, event.request.action, event.request.requestId));
      const verdict = event.effect === "changed" || event.effect === "no-change" ? "succeeded" : event.effect === "unreachable" ? "unknown" : "failed";
      if (event.request !== null) this.lastEffect.set(requestKey(event.key, event.request.action, event.request.requestId), verdict);
      return null;
    }
    if (event.kind !== "outcome") return null;
    this.lastOutcome.set(event.key, event.lastAction);
    const last = event.lastAction;
    if (last.state === "Failed" && this.tookEffect.has(requestKey(event.key, last.action, last.requestId))) {
      return {
        invariant: "truth",
        subject: event.key,
        detail: `recorded ${last.action} as Failed ("${last.error}") though its Docker call took effect`,
      };
    }
    if (event.lastAction.state === "Failed" && this.lastEffect.get(requestKey(event.key, event.lastAction.action, event.lastAction.requestId)) === "unknown") {
      return {
        invariant: "truth",
        subject: event.key,
        detail: `recorded ${event.lastAction.action} as Failed ("${event.lastAction.error}") though the engine was never reached`,
      };
    }
    return null;
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
      if (expected !== undefined && JSON.stringify(actual) !== JSON.stringify(expected)) {
        out.push({ invariant: "truth", subject: key, detail: `lastAction ${JSON.stringify(actual)} is not the last outcome written ${JSON.stringify(expected)}` });
      }
    }
    return out;
  }
}

/** Requests are told apart by object, action and id; without an id, the latest such write is meant. */
function requestKey(key: string, action: string, requestId: string | undefined): string {
  return `${key} ${action} ${requestId ?? ""}`;
}
