/**
 * Validation of manifests against the Kubernetes OpenAPI schemas, through the generated validators of
 * kubernetes-models 5.1.0 (one model class per apiVersion/kind). A kind without a model here fails:
 * a new kind in deploy/ must be added, never skipped.
 * Does not check: unknown fields (the models accept them; the apiserver dry run in rbac.test.ts and
 * kubectl's schema validation do reject them for every kind v1.20 serves), CEL or other server-side
 * validation.
 */
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ValidatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import type { KubeObject } from "./rendered-manifests.ts";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: any) => Validatable;

const MODELS: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "apiextensions.k8s.io/v1/CustomResourceDefinition": CustomResourceDefinition,
  "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration": ValidatingWebhookConfiguration,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": ValidatingAdmissionPolicy,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": ValidatingAdmissionPolicyBinding,
};

/** The schema problems of one object (empty when it validates). */
export function schemaProblems(object: KubeObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (model === undefined) return [`no schema for ${object.apiVersion} ${object.kind}: add its kubernetes-models class to e2e/deploy/support/kubernetes-schemas.ts`];
  try {
    new model(structuredClone(object)).validate();
    return [];
  } catch (error) {
    return [String(error instanceof Error ? error.message : error)];
  }
}
