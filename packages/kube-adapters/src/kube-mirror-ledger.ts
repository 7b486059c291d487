import {
  addFinalizerPatch,
  API_VERSION,
  FINALIZER_MIRROR,
  FieldManager,
  KIND,
  mirrorStatusPatch,
  removeFinalizerPatch,
  type JsonPatchOperation,
  type ContainerCache,
  type ContainerRef,
  type MirroredStatus,
  type MirrorLedger,
  type MirrorWrite,
} from "@container-actions/core";
import { containerPath, containersPath, JSON_PATCH, MERGE_PATCH } from "./api-paths.ts";
import type { KubeRequest, KubeTransport } from "./kube-transport.ts";
import { classifyKubeAnswer, mirrorWriteOf, type MirrorOp } from "./status-mapping.ts";

/**
 * {@link MirrorLedger} on the Kubernetes API. Each method is one write with no resourceVersion
 * precondition (addFinalizer may take a second when its first guess about the finalizer list was wrong);
 * the status write never carries lastAction or conditions. The bodies are core's (api/patches.ts).
 */
export class KubeMirrorLedger implements MirrorLedger {
  /** `cache` only tells addFinalizer which JSON Patch form to try first. */
  constructor(
    private readonly kube: KubeTransport,
    private readonly cache: ContainerCache,
  ) {}

  /** POST with the finalizer. 409 AlreadyExists counts as written. */
  create(ref: ContainerRef): Promise<MirrorWrite> {
    return this.write("create", {
      method: "POST",
      path: containersPath(ref.namespace),
      body: { apiVersion: API_VERSION, kind: KIND, metadata: { name: ref.name, namespace: ref.namespace, finalizers: [FINALIZER_MIRROR] } },
      verb: "create",
      resource: "containers",
    });
  }

  /**
   * JSON Patch: append to `/metadata/finalizers` when the list exists, else `test` that it is absent and
   * create it (a plain `add` of the whole list would replace other finalizers). When the cache guessed
   * wrong (422), the other form is tried once.
   */
  async addFinalizer(ref: ContainerRef): Promise<MirrorWrite> {
    const listExists = (this.cache.get(ref)?.metadata.finalizers?.length ?? 0) > 0;
    const first = await this.patchFinalizers(ref, addFinalizerPatch(listExists));
    if (first.kind !== "changed") return first;
    return this.patchFinalizers(ref, addFinalizerPatch(!listExists));
  }

  /** JSON merge patch of the mirrored fields on the status subresource; `absent` fields are sent as null. */
  writeStatus(ref: ContainerRef, status: MirroredStatus, absent: readonly string[]): Promise<MirrorWrite> {
    return this.write("write-status", {
      method: "PATCH",
      path: containerPath(ref, "status"),
      contentType: MERGE_PATCH,
      body: mirrorStatusPatch(status, absent),
      verb: "patch",
      resource: "containers/status",
    });
  }

  /** JSON Patch `[test finalizers/<index> == mirror finalizer, remove it]`; a failed test (422) → changed. */
  removeFinalizer(ref: ContainerRef, index: number): Promise<MirrorWrite> {
    return this.write("remove-finalizer", {
      method: "PATCH",
      path: containerPath(ref),
      contentType: JSON_PATCH,
      body: removeFinalizerPatch(index),
      verb: "patch",
      resource: "containers",
    });
  }

  /** DELETE; with the finalizer on, this only sets deletionTimestamp. 404 → gone. */
  delete(ref: ContainerRef): Promise<MirrorWrite> {
    return this.write("delete", { method: "DELETE", path: containerPath(ref), verb: "delete", resource: "containers" });
  }

  private patchFinalizers(ref: ContainerRef, ops: JsonPatchOperation[]): Promise<MirrorWrite> {
    return this.write("add-finalizer", {
      method: "PATCH",
      path: containerPath(ref),
      contentType: JSON_PATCH,
      body: ops,
      verb: "patch",
      resource: "containers",
    });
  }

  private async write(op: MirrorOp, request: Omit<KubeRequest, "caller" | "query">): Promise<MirrorWrite> {
    const answer = await this.kube.send({ ...request, query: { fieldManager: FieldManager.mirror }, caller: "mirror" });
    return mirrorWriteOf(op, classifyKubeAnswer(answer));
  }
}
