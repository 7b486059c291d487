import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/**
 * Foreign input never reaches Docker: no state-changing call is made for a Container that mirrors no
 * container the engine ever had, and no call at all by a name that is not a full ID (Docker resolves
 * names and short IDs to whatever container answers to them). Judged on the calls the engine received.
 */
export class ForeignInput implements Checker {
  private readonly calls: Array<{ key: string; what: string }> = [];

  on(event: HistoryEvent): Violation | null {
    if (event.kind === "dispatch" && event.effect !== "unreachable") this.calls.push({ key: event.key, what: event.call });
    if (event.kind === "engine-read" && event.reached && !/^[0-9a-f]{64}$/.test(nameOf(event.key))) {
      return { invariant: "foreign-input", subject: event.key, detail: `Docker ${event.read} by the foreign name "${nameOf(event.key)}"` };
    }
    return null;
  }

  finish(state: FinalState): Violation[] {
    return this.calls
      .filter((c) => !state.containerKeys.has(c.key))
      .map((c) => ({ invariant: "foreign-input" as const, subject: c.key, detail: `Docker ${c.what} for "${nameOf(c.key)}", which mirrors no container the engine had` }));
  }
}

function nameOf(key: string): string {
  return key.slice(key.indexOf("/") + 1);
}
