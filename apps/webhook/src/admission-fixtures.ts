/** AdmissionReview bodies for tests and the benchmark: a Container request with the given parts. */
import { ANNOTATION_ACTION, GROUP, PLURAL, VERSION } from "@container-actions/core";

export interface ReviewParts {
  uid?: string;
  operation?: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  username?: string;
  annotations?: Record<string, string>;
  oldAnnotations?: Record<string, string>;
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  dryRun?: boolean;
}

export const CONTAINER_ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";

/** A review of a Container write, shaped like what kube-apiserver v1.20 sends. */
export function containerReview(parts: ReviewParts = {}): Record<string, unknown> {
  const operation = parts.operation ?? "UPDATE";
  const resource = parts.resource ?? { group: GROUP, version: VERSION, resource: PLURAL };
  const object = (annotations: Record<string, string> | undefined) => ({
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Container",
    metadata: { name: CONTAINER_ID, namespace: "default", ...(annotations ? { annotations } : {}) },
    spec: {},
    status: { name: "web", namespace: "moby", path: "nginx", image: "sha256:abc", status: "running" },
  });
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: parts.uid ?? "705ab4f5-6393-11e8-b7cc-42010a800002",
      kind: { group: resource.group, version: resource.version, kind: "Container" },
      resource,
      requestKind: { group: resource.group, version: resource.version, kind: "Container" },
      requestResource: resource,
      ...(parts.subResource ? { subResource: parts.subResource } : {}),
      name: CONTAINER_ID,
      namespace: "default",
      operation,
      userInfo: { username: parts.username ?? "alice", groups: ["system:authenticated"] },
      ...(operation === "DELETE" ? {} : { object: object(parts.annotations) }),
      ...(operation === "UPDATE" || operation === "DELETE" ? { oldObject: object(parts.oldAnnotations) } : {}),
      dryRun: parts.dryRun ?? false,
      options: { apiVersion: "meta.k8s.io/v1", kind: operation === "CREATE" ? "CreateOptions" : "UpdateOptions" },
    },
  };
}

/** A review that sets the action annotation to `value` on an existing Container. */
export function setActionReview(value: string, uid?: string): Record<string, unknown> {
  return containerReview({ operation: "UPDATE", annotations: { [ANNOTATION_ACTION]: value }, ...(uid ? { uid } : {}) });
}
