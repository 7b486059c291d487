/**
 * Test fixtures for the cluster model: a store on a virtual clock with the Container CRD installed,
 * and short names for the requests the tests make. Used by the *.test.ts files beside it only.
 */
import { containerCrd } from "@container-actions/core";
import { VirtualClock } from "@container-actions/sim-kernel";
import type { ApiOutcome, RequestContext } from "./api-request.ts";
import { PatchType } from "./api-request.ts";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import type { JsonObject } from "./json.ts";
import type { KubeStatus } from "./kube-status.ts";
import { CRD_REF, type ResourceRef } from "./resource-registry.ts";

export const CONTAINERS: ResourceRef = { group: "containers.rancherdesktop.io", version: "v1alpha1", resource: "containers" };
export const NS = "default";
export const START_MS = Date.UTC(2026, 0, 1);

/** A store at 2026-01-01T00:00:00Z with the Container CRD created and established (ClusterStore unless `make` says). */
export async function storeWithCrd(options: Partial<ClusterStoreOptions> = {}, make = (o: ClusterStoreOptions): ClusterStore => new ClusterStore(o)): Promise<{ store: ClusterStore; clock: VirtualClock }> {
  const clock = options.clock ?? new VirtualClock(START_MS);
  const store = make({ ...options, clock });
  const created = await store.create(CRD_REF, undefined, containerCrd());
  if (created.kind !== "ok") throw new Error(`CRD: ${JSON.stringify(created)}`);
  return { store, clock };
}

export function container(name: string, meta: JsonObject = {}, extra: JsonObject = {}): JsonObject {
  return { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name, ...meta }, ...extra };
}

export const VALID_STATUS: JsonObject = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };

export function create(store: ClusterStore, body: JsonObject, context?: RequestContext): Promise<ApiOutcome> {
  return store.create(CONTAINERS, NS, body, context);
}

export function merge(store: ClusterStore, name: string, patch: unknown, context?: RequestContext, subresource?: "status"): Promise<ApiOutcome> {
  return store.patch(CONTAINERS, NS, name, PatchType.merge, patch, context, subresource);
}

export function jsonPatch(store: ClusterStore, name: string, ops: unknown, context?: RequestContext, subresource?: "status"): Promise<ApiOutcome> {
  return store.patch(CONTAINERS, NS, name, PatchType.json, ops, context, subresource);
}

/** The object of an ok outcome; fails the test otherwise. */
export function okObject(outcome: ApiOutcome): JsonObject {
  if (outcome.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(outcome.status)}`);
  return outcome.object;
}

/** The Status of a failed outcome; fails the test otherwise. */
export function failure(outcome: ApiOutcome): KubeStatus {
  if (outcome.kind !== "failure") throw new Error(`expected a failure, got ${JSON.stringify(outcome.object)}`);
  return outcome.status;
}

export function metaOf(o: JsonObject): JsonObject {
  return o.metadata as JsonObject;
}
