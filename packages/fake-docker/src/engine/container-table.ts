/**
 * The engine's containers, and how dockerd finds one from what a client wrote in the path: the full
 * id, then the name (with or without its slash), then a unique id prefix (moby `GetContainer`).
 */
import { canonicalName } from "./container-names.ts";
import type { ContainerRecord } from "./container-state.ts";

/** The outcome of resolving a path reference. */
export type ContainerLookup =
  | { kind: "found"; container: ContainerRecord }
  | { kind: "missing" }
  /** More than one id starts with the prefix; dockerd answers 500. */
  | { kind: "ambiguous" };

/** Containers by id, in creation order, with a name index. */
export class ContainerTable {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, ContainerRecord>();

  add(c: ContainerRecord): void {
    this.byId.set(c.id, c);
    this.byName.set(c.name, c);
  }

  delete(c: ContainerRecord): void {
    this.byId.delete(c.id);
    if (this.byName.get(c.name) === c) this.byName.delete(c.name);
  }

  has(c: ContainerRecord): boolean {
    return this.byId.get(c.id) === c;
  }

  /** The container holding `name` (slash optional), if any. */
  withName(name: string): ContainerRecord | undefined {
    return this.byName.get(canonicalName(name));
  }

  lookup(ref: string): ContainerLookup {
    const exact = this.byId.get(ref);
    if (exact !== undefined) return { kind: "found", container: exact };
    const named = ref === "" ? undefined : this.withName(ref);
    if (named !== undefined) return { kind: "found", container: named };
    if (ref === "" || !/^[0-9a-f]+$/.test(ref)) return { kind: "missing" };
    const matches = [...this.byId.values()].filter((c) => c.id.startsWith(ref));
    if (matches.length > 1) return { kind: "ambiguous" };
    const [only] = matches;
    return only === undefined ? { kind: "missing" } : { kind: "found", container: only };
  }

  /** Every container, newest first (the order of `GET /containers/json`). */
  newestFirst(): ContainerRecord[] {
    return [...this.byId.values()].reverse();
  }

  size(): number {
    return this.byId.size;
  }
}
