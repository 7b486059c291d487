/**
 * Idle Containers for the scale bench: mirrors written straight into the store with their status, and a
 * mirror source that describes them as Docker would (status unchanged), so a full sync leaves them alone
 * without the cost of thousands of simulated containers. Only the container that gets the request is real.
 */
import { mirrorStatusFromInspect, type DockerInspect, type MirrorSource } from "@container-actions/core";
import type { ClusterStore } from "@container-actions/fake-apiserver";
import { KubeMirrorLedger } from "@container-actions/kube-adapters";
import { controllerKubeTransport, NAMESPACE } from "@container-actions/sim-world";

export interface IdleMirrors {
  ids: Set<string>;
  inspectOf(id: string): DockerInspect;
}

/** Writes `count` mirrors (create with finalizer, then status) as the mirror sync would, bypassing the controller. */
export async function seedIdleMirrors(store: ClusterStore, count: number, template: DockerInspect): Promise<IdleMirrors> {
  // The controller's own mirror ledger; create and writeStatus never read its cache.
  const ledger = new KubeMirrorLedger(controllerKubeTransport(store), { get: () => undefined, list: () => [] });
  const names = new Map<string, string>();
  const inspectOf = (id: string): DockerInspect => ({ ...template, Id: id, Name: names.get(id) ?? template.Name });
  for (let i = 0; i < count; i++) {
    const id = `${"f".repeat(56)}${i.toString(16).padStart(8, "0")}`;
    names.set(id, `/idle-${i}`);
    const ref = { namespace: NAMESPACE, name: id };
    const created = await ledger.create(ref);
    const written = await ledger.writeStatus(ref, mirrorStatusFromInspect(inspectOf(id)), []);
    if (created.kind !== "written" || written.kind !== "written") throw new Error(`idle mirror ${i}: ${created.kind}/${written.kind}`);
  }
  return { ids: new Set(names.keys()), inspectOf };
}

/** Docker's source with the idle containers added: listed, described unchanged, removable. */
export function withIdleContainers(inner: MirrorSource, idle: IdleMirrors): MirrorSource {
  return {
    async list() {
      const listed = await inner.list();
      return listed.kind === "listed" ? { kind: "listed", ids: [...listed.ids, ...idle.ids] } : listed;
    },
    describe: async (id) => (idle.ids.has(id) ? { kind: "found", inspect: idle.inspectOf(id) } : inner.describe(id)),
    remove: async (id) => (idle.ids.delete(id) ? { kind: "removed" } : inner.remove(id)),
  };
}
