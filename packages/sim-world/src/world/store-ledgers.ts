/**
 * Core's ledger ports over the simulated cluster: the same request bodies the real controller sends
 * (core's patch builders), answered by the store with the apiserver's status codes.
 */
import {
  addFinalizerPatch,
  API_VERSION,
  clearRequestPatch,
  FieldManager,
  FINALIZER_MIRROR,
  KIND,
  lastActionPatch,
  mirrorStatusPatch,
  removeFinalizerPatch,
  stampRequestIdPatch,
  type ActionLedger,
  type ClearResult,
  type MirrorLedger,
  type MirrorWrite,
  type RecordResult,
  type StampResult,
} from "@container-actions/core";
import type { ApiAnswer, ClusterPort, WriteOptions } from "./world-ports.ts";

/** The identity the simulated controller writes as. */
export const CONTROLLER_USER = "system:serviceaccount:container-actions:controller";

const asAction = (subresource?: "status"): WriteOptions => ({
  fieldManager: FieldManager.action,
  user: CONTROLLER_USER,
  ...(subresource ? { subresource } : {}),
});
const asMirror = (subresource?: "status"): WriteOptions => ({
  fieldManager: FieldManager.mirror,
  user: CONTROLLER_USER,
  ...(subresource ? { subresource } : {}),
});

export function storeActionLedger(cluster: ClusterPort): ActionLedger {
  return {
    async recordOutcome(ref, lastAction): Promise<RecordResult> {
      const answer = await cluster.mergePatch(ref, lastActionPatch(lastAction), asAction("status"));
      if (answer.code === 200) return { kind: "written", resourceVersion: answer.object?.metadata.resourceVersion ?? "" };
      if (answer.code === 404) return { kind: "gone" };
      if (answer.code === 422) return { kind: "rejected", detail: answer.message ?? "Invalid" };
      return { kind: "unavailable", detail: describe(answer) };
    },
    async clearRequest(ref, request): Promise<ClearResult> {
      const answer = await cluster.jsonPatch(ref, clearRequestPatch(request), asAction());
      if (answer.code === 200) return { kind: "cleared", resourceVersion: answer.object?.metadata.resourceVersion ?? "" };
      if (answer.code === 404) return { kind: "gone" };
      if (answer.code === 422) return { kind: "superseded" };
      return { kind: "unavailable", detail: describe(answer) };
    },
    async stampRequestId(ref, action, requestId): Promise<StampResult> {
      const answer = await cluster.jsonPatch(ref, stampRequestIdPatch(action, requestId), asAction());
      if (answer.code === 200) return { kind: "stamped", resourceVersion: answer.object?.metadata.resourceVersion ?? "" };
      if (answer.code === 404) return { kind: "gone" };
      if (answer.code === 422) return { kind: "superseded" };
      return { kind: "unavailable", detail: describe(answer) };
    },
  };
}

export function storeMirrorLedger(cluster: ClusterPort): MirrorLedger {
  return {
    async create(ref) {
      const answer = await cluster.create(
        { apiVersion: API_VERSION, kind: KIND, metadata: { name: ref.name, namespace: ref.namespace, finalizers: [FINALIZER_MIRROR] } },
        asMirror(),
      );
      return answer.code === 409 ? { kind: "written" } : write(answer);
    },
    async addFinalizer(ref, hasList) {
      return write(await cluster.jsonPatch(ref, addFinalizerPatch(hasList), asMirror()));
    },
    async writeStatus(ref, status, absent) {
      return write(await cluster.mergePatch(ref, mirrorStatusPatch(status, absent), asMirror("status")));
    },
    async removeFinalizer(ref, index) {
      return write(await cluster.jsonPatch(ref, removeFinalizerPatch(index), asMirror()));
    },
    async delete(ref) {
      return write(await cluster.delete(ref, asMirror()));
    },
  };
}

function write(answer: ApiAnswer<unknown>): MirrorWrite {
  if (answer.code === 200 || answer.code === 201 || answer.code === 202) return { kind: "written" };
  if (answer.code === 404) return { kind: "gone" };
  if (answer.code === 422 || answer.code === 409) return { kind: "changed" };
  return { kind: "unavailable", detail: describe(answer) };
}

function describe(answer: ApiAnswer<unknown>): string {
  return `${answer.code} ${answer.reason ?? ""}: ${answer.message ?? ""}`.trim();
}
