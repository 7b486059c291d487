import { isContainerId } from "../api/container-id.ts";
import { FINALIZER_MIRROR } from "../api/names.ts";
import type { Container, ContainerRef } from "../api/container-schema.ts";
import { MIRRORED_OPTIONAL_FIELDS, mirrorStatusFromInspect, mirroredStatusEquals } from "./mirror-status.ts";
import type { MirrorPorts, MirrorWrite } from "./ports.ts";
import type { Ownership } from "../ownership/engine-inventory.ts";

/** What syncing one Docker container came to. `retry` is the only kind that asks to run again. */
export type SyncOutcome =
  | { kind: "unchanged" }
  | { kind: "updated"; writes: number }
  /** Docker no longer has it: the mirror was deleted (its finalizer then completes the removal). */
  | { kind: "removed" }
  | { kind: "retry"; why: string };

/**
 * Makes the mirror of Docker container `id` match Docker (reference-behavior.md §3.4).
 *
 * `cached` is the informer's view of the mirror (undefined when it has none). Level-based: the outcome
 * depends on Docker's state now and the cached mirror, never on which event woke it.
 * Guarantees: never writes lastAction or conditions; writes nothing when the mirror already matches;
 * never re-adds a finalizer to a terminating object; a vanished container deletes its mirror.
 */
export async function syncMirror(id: string, ref: ContainerRef, cached: Container | undefined, ports: MirrorPorts): Promise<SyncOutcome> {
  // A hand-made object named `demo-worker` or by a short ID mirrors nothing, whatever Docker would resolve
  // that name to: it is deleted like the mirror of a vanished container, and Docker is never asked.
  const described = isContainerId(id) ? await ports.source.describe(id) : ({ kind: "gone" } as const);
  if (described.kind === "unreachable") return { kind: "retry", why: `engine unreachable: ${described.detail}` };
  if (described.kind === "gone") {
    if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) return { kind: "unchanged" };
    return settle(await ports.ledger.delete(ref), { kind: "removed" });
  }
  let writes = 0;
  if (cached === undefined) {
    const created = await ports.ledger.create(ref);
    writes++;
    if (created.kind !== "written") return settle(created, { kind: "unchanged" });
  } else if (cached.metadata.deletionTimestamp !== undefined) {
    return { kind: "unchanged" };
  } else if (!(cached.metadata.finalizers ?? []).includes(FINALIZER_MIRROR)) {
    const added = await ports.ledger.addFinalizer(ref, (cached.metadata.finalizers ?? []).length > 0);
    writes++;
    if (added.kind !== "written") return settle(added, { kind: "unchanged" });
  }
  const desired = mirrorStatusFromInspect(described.inspect);
  if (!mirroredStatusEquals(cached?.status, desired)) {
    const absent = MIRRORED_OPTIONAL_FIELDS.filter((f) => cached?.status?.[f] !== undefined && desired[f] === undefined);
    const written = await ports.ledger.writeStatus(ref, desired, absent);
    writes++;
    if (written.kind !== "written") return settle(written, { kind: "unchanged" });
  }
  return writes === 0 ? { kind: "unchanged" } : { kind: "updated", writes };
}

/** What finalizing one terminating mirror came to. */
export type FinalizeOutcome = { kind: "released" } | { kind: "not-ours" } | { kind: "retry"; why: string };

/**
 * Completes a Kubernetes delete of a mirror: force-removes the Docker container, then the finalizer
 * (reference-behavior.md §3.6). NotFound at either step counts as done, so a racing `docker rm` or a
 * second delete is harmless (E26). A Container that is not the engine's own (`ownership`) only loses
 * the finalizer: Docker is never called for it.
 */
export async function finalizeMirror(container: Container, ports: MirrorPorts, ownership: Ownership): Promise<FinalizeOutcome> {
  const index = (container.metadata.finalizers ?? []).indexOf(FINALIZER_MIRROR);
  if (container.metadata.deletionTimestamp === undefined || index < 0) return { kind: "not-ours" };
  if (ownership.kind === "unknown-yet") return { kind: "retry", why: "the engine has not been listed yet" };
  // A foreign Container that carries our finalizer (written by hand) only loses the finalizer: removing
  // "its" Docker container would remove whatever Docker resolves its name to.
  if (ownership.kind === "own") {
    const removed = await ports.source.remove(container.metadata.name);
    if (removed.kind === "unreachable") return { kind: "retry", why: `engine unreachable: ${removed.detail}` };
    if (removed.kind === "refused") return { kind: "retry", why: `engine refused removal: ${removed.message}` };
  }
  const ref = { namespace: container.metadata.namespace ?? "default", name: container.metadata.name };
  const released = await ports.ledger.removeFinalizer(ref, index);
  switch (released.kind) {
    case "written":
    case "gone":
      return { kind: "released" };
    case "changed":
      // Someone else edited the finalizer list meanwhile; the next pass sees it fresh.
      return { kind: "retry", why: "finalizer list changed" };
    case "unavailable":
      return { kind: "retry", why: released.detail };
  }
}

function settle(write: MirrorWrite, ok: SyncOutcome): SyncOutcome {
  switch (write.kind) {
    case "written":
    case "changed":
      return ok;
    case "gone":
      return { kind: "unchanged" };
    case "unavailable":
      return { kind: "retry", why: write.detail };
  }
}
