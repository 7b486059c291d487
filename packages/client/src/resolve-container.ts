/**
 * Finds the mirror of a Docker container the way the docker CLI finds the container: a full ID, else an
 * exact name (the mirror's `status.name`), else a unique ID prefix.
 */
import { isContainerId, type Container } from "@container-actions/core";
import type { ContainerApi } from "./container-api.ts";
import { toContainerApi, type KubeLike } from "./kube-like.ts";

export type Resolution =
  | { kind: "found"; container: Container }
  | { kind: "not-found"; message: string }
  /** A prefix that several IDs share; `candidates` are their full IDs. */
  | { kind: "ambiguous"; message: string; candidates: string[] }
  | { kind: "unavailable"; detail: string };

/** The mirror in `namespace` that `nameOrId` designates (one GET for a full ID, else one LIST). */
export async function resolveContainer(kube: KubeLike | ContainerApi, namespace: string, nameOrId: string): Promise<Resolution> {
  const api = toContainerApi(kube);
  if (isContainerId(nameOrId)) {
    const got = await api.get(namespace, nameOrId);
    if (got.kind === "ok") return { kind: "found", container: got.value };
    if (got.kind === "unavailable") return got;
    return { kind: "not-found", message: `No such container: ${nameOrId} (no Container of that ID in namespace ${namespace})` };
  }
  const listed = await api.list(namespace);
  if (listed.kind === "unavailable") return listed;
  if (listed.kind !== "ok") return { kind: "not-found", message: listed.message };
  return pickContainer(listed.value.items, nameOrId, namespace);
}

/** Docker's order of lookup over the mirrors `items`: exact name, then unique ID prefix. Pure. */
export function pickContainer(items: readonly Container[], nameOrId: string, namespace: string): Resolution {
  const bare = nameOrId.replace(/^\//, "");
  const byName = items.find((c) => c.status?.name === bare);
  if (byName !== undefined) return { kind: "found", container: byName };
  const byPrefix = bare === "" ? [] : items.filter((c) => c.metadata.name.startsWith(bare));
  if (byPrefix.length === 1) return { kind: "found", container: byPrefix[0] as Container };
  if (byPrefix.length > 1) {
    const candidates = byPrefix.map((c) => c.metadata.name);
    return { kind: "ambiguous", message: `multiple containers found with provided prefix: ${bare}`, candidates };
  }
  return { kind: "not-found", message: `No such container: ${bare} (no Container of that name or ID prefix in namespace ${namespace})` };
}
