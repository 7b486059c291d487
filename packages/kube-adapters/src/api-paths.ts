import { GROUP, PLURAL, VERSION, type ContainerRef } from "@container-actions/core";

/** The collection of Containers in `namespace`. */
export function containersPath(namespace: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}`;
}

/** One Container, or its status subresource. */
export function containerPath(ref: ContainerRef, subresource?: "status"): string {
  const base = `${containersPath(ref.namespace)}/${encodeURIComponent(ref.name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}

export const MERGE_PATCH = "application/merge-patch+json";
export const JSON_PATCH = "application/json-patch+json";
