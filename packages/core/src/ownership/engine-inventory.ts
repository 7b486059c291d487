import { isContainerId } from "../api/container-id.ts";
import type { MirrorSource } from "../mirror/ports.ts";

/** Whether a Container belongs to this controller's engine. */
export type Ownership =
  /** A full ID the engine has listed or described: requests on it may reach Docker. */
  | { kind: "own" }
  /** Not a container of this engine: its requests are removed with a Warning Event, never sent to Docker. */
  | { kind: "foreign"; why: string }
  /** A full ID, but the engine has not been listed yet (a fresh process): ask again later. */
  | { kind: "unknown-yet" };

/** Judges ownership from what the engine reported; reads nothing, calls nothing. */
export interface OwnershipJudge {
  /** The ownership of the Container named `name`. Pure: same inventory, same answer. */
  judge(name: string): Ownership;
}

/**
 * The container IDs this controller's engine reported, from its mirror source: every list and every
 * describe that found a container. A Container named anything else is foreign.
 *
 * Guarantees: a name that is not a full 64-hex ID is foreign at once, before any list; an ID is never
 * called foreign before the engine was listed once (a fresh process must not drop its own requests).
 * Memory stays bounded: an ID is forgotten when its mirror is deleted. A forgotten ID is not foreign
 * at once, though: the informer may tell of a mirror's deletion after the mirror sync has already
 * described the container again and re-created the mirror (a force-deleted mirror, a lagging cache),
 * so until Docker answers for it again — a describe that finds it, or the next full list — it is
 * unknown-yet. (A describe that finds nothing decides nothing: the mirror of a container removed out of
 * band keeps its requests reaching Docker, which answers "No such container".)
 * Caveats: an ID listed once stays known until its mirror is deleted; a request on a mirror whose
 * container vanished meanwhile still reaches Docker with the full ID and records Docker's "No such
 * container".
 */
export class EngineInventory implements OwnershipJudge {
  private readonly ids = new Set<string>();
  /** IDs forgotten since the last list, until Docker answers for them again (bounded by the list). */
  private readonly forgotten = new Set<string>();
  private listed = false;

  /** The engine listed `ids` (every container it has): whatever it did not list is not its own. */
  noteListed(ids: readonly string[]): void {
    for (const id of ids) this.noteFound(id);
    this.forgotten.clear();
    this.listed = true;
  }

  /** The engine described container `id`. */
  noteFound(id: string): void {
    if (!isContainerId(id)) return;
    this.ids.add(id);
    this.forgotten.delete(id);
  }

  /** The mirror named `id` was deleted. */
  forget(id: string): void {
    if (this.ids.delete(id)) this.forgotten.add(id);
  }

  judge(name: string): Ownership {
    if (!isContainerId(name)) return { kind: "foreign", why: `"${name}" is not a full 64-hex Docker container ID` };
    if (this.ids.has(name)) return { kind: "own" };
    if (!this.listed || this.forgotten.has(name)) return { kind: "unknown-yet" };
    return { kind: "foreign", why: `${name} is not a container of this controller's engine` };
  }

  /** Number of IDs held, to show memory stays bounded. */
  size(): number {
    return this.ids.size + this.forgotten.size;
  }

  /** `source`, noting every container it lists or describes in this inventory. */
  tracking(source: MirrorSource): MirrorSource {
    return {
      list: async () => {
        const listed = await source.list();
        if (listed.kind === "listed") this.noteListed(listed.ids);
        return listed;
      },
      describe: async (id) => {
        const described = await source.describe(id);
        if (described.kind === "found" && described.inspect.Id === id) this.noteFound(id);
        return described;
      },
      remove: (id) => source.remove(id),
    };
  }
}
