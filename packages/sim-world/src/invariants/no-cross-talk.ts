import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/** What the checker knows of a fleet: which engine a namespace belongs to, and what each engine had. */
export interface FleetView {
  engineOf(namespace: string): number | undefined;
  /** Every container engine `engine` ever created, by full ID. */
  had(engine: number): readonly string[];
}

/**
 * No cross-talk in a fleet of engines, each with its own controller and namespace on one cluster:
 * - every call an engine *received* (counted at the engine, not at the caller) that changes or removes
 *   a container is for a container that engine had, and every read is by a full ID;
 * - every call the controller of namespace k made is for a container of engine k — which, with the
 *   first, means it went to engine k (the engines' ID spaces are disjoint);
 * - after the run, every Container in namespace k mirrors a container engine k has.
 * Judged on what the engines received and what the controllers sent; the store is only read at the end.
 */
export class NoCrossTalk implements Checker {
  private readonly violations: Violation[] = [];

  constructor(private readonly fleet: FleetView) {}

  /** Told by engine `engine`'s model of each call it receives, before it runs. */
  received(engine: number, id: string, call: string, changes: boolean): void {
    const subject = `engine-${engine}/${id}`;
    if (changes && !this.fleet.had(engine).includes(id)) {
      this.violations.push({ invariant: "no-cross-talk", subject, detail: `engine ${engine} received ${call} for "${id}", a container it never had` });
    } else if (!/^[0-9a-f]{64}$/.test(id)) {
      this.violations.push({ invariant: "no-cross-talk", subject, detail: `engine ${engine} received ${call} by the name "${id}", which Docker would resolve` });
    }
  }

  on(event: HistoryEvent): Violation | null {
    const reached = (event.kind === "dispatch" && event.effect !== "unreachable") || (event.kind === "engine-read" && event.reached);
    if (!reached) return null;
    const [namespace, id] = split(event.key);
    const engine = this.fleet.engineOf(namespace);
    if (engine !== undefined && this.fleet.had(engine).includes(id)) return null;
    const what = event.kind === "dispatch" ? event.call : event.read;
    return { invariant: "no-cross-talk", subject: event.key, detail: `the controller of namespace ${namespace} called Docker (${what}) for "${id}", not a container of engine ${engine ?? "none"}` };
  }

  finish(state: FinalState): Violation[] {
    const strays = [...state.mirrors.keys()]
      .filter((key) => !state.docker.has(key))
      .map((key) => ({ invariant: "no-cross-talk" as const, subject: key, detail: `Container in namespace ${split(key)[0]} mirrors no container of its engine` }));
    return [...this.violations, ...strays];
  }
}

function split(key: string): [string, string] {
  const at = key.indexOf("/");
  return [key.slice(0, at), key.slice(at + 1)];
}
