/**
 * The fields of the built-in Go types the fake serves, so that decoding drops (and fieldValidation
 * reports) what the typed decoder would: kube-apiserver decodes a built-in body into its Go struct, and
 * a key the struct lacks is gone (`unknown field "spec.foo"` under Warn or Strict, silently under Ignore
 * and on v1.20). Field lists follow k8s.io/api of current releases (core/v1 Namespace and Event,
 * coordination/v1 Lease, admissionregistration/v1 ValidatingWebhookConfiguration, apiextensions/v1
 * CustomResourceDefinition). A CRD's `openAPIV3Schema` and `subresources.status` are kept whole: their
 * Go types are open-ended (JSONSchemaProps) and not modelled field by field.
 */
import { type Json, type JsonObject, isJsonObject } from "./json.ts";

/** `true`: a value kept whole; an object: its known fields; a one-item array: a list of such items. */
type Shape = true | { readonly [field: string]: Shape } | readonly [Shape];

const ANY = true;
const STRING_MAP = ANY;
const LABEL_SELECTOR: Shape = { matchLabels: STRING_MAP, matchExpressions: [{ key: ANY, operator: ANY, values: ANY }] };
const CONDITION: Shape = { type: ANY, status: ANY, observedGeneration: ANY, lastTransitionTime: ANY, reason: ANY, message: ANY };
const OBJECT_REFERENCE: Shape = { kind: ANY, namespace: ANY, name: ANY, uid: ANY, apiVersion: ANY, resourceVersion: ANY, fieldPath: ANY };
const SERVICE_REFERENCE: Shape = { namespace: ANY, name: ANY, path: ANY, port: ANY };
const CLIENT_CONFIG: Shape = { url: ANY, service: SERVICE_REFERENCE, caBundle: ANY };
const CRD_NAMES: Shape = { plural: ANY, singular: ANY, shortNames: ANY, kind: ANY, listKind: ANY, categories: ANY };

/** Top-level fields of each built-in resource besides apiVersion, kind and metadata. */
const SHAPES: Readonly<Record<string, { readonly [field: string]: Shape }>> = {
  "/namespaces": { spec: { finalizers: ANY }, status: { phase: ANY, conditions: [CONDITION] } },
  "/events": {
    involvedObject: OBJECT_REFERENCE,
    reason: ANY,
    message: ANY,
    source: { component: ANY, host: ANY },
    firstTimestamp: ANY,
    lastTimestamp: ANY,
    count: ANY,
    type: ANY,
    eventTime: ANY,
    series: { count: ANY, lastObservedTime: ANY },
    action: ANY,
    related: OBJECT_REFERENCE,
    reportingComponent: ANY,
    reportingInstance: ANY,
  },
  "coordination.k8s.io/leases": {
    spec: { holderIdentity: ANY, leaseDurationSeconds: ANY, acquireTime: ANY, renewTime: ANY, leaseTransitions: ANY, strategy: ANY, preferredHolder: ANY },
  },
  "admissionregistration.k8s.io/validatingwebhookconfigurations": {
    webhooks: [
      {
        name: ANY,
        clientConfig: CLIENT_CONFIG,
        rules: [{ operations: ANY, apiGroups: ANY, apiVersions: ANY, resources: ANY, scope: ANY }],
        failurePolicy: ANY,
        matchPolicy: ANY,
        namespaceSelector: LABEL_SELECTOR,
        objectSelector: LABEL_SELECTOR,
        sideEffects: ANY,
        timeoutSeconds: ANY,
        admissionReviewVersions: ANY,
        matchConditions: [{ name: ANY, expression: ANY }],
      },
    ],
  },
  "apiextensions.k8s.io/customresourcedefinitions": {
    spec: {
      group: ANY,
      names: CRD_NAMES,
      scope: ANY,
      versions: [
        {
          name: ANY,
          served: ANY,
          storage: ANY,
          deprecated: ANY,
          deprecationWarning: ANY,
          schema: { openAPIV3Schema: ANY },
          subresources: { status: ANY, scale: { specReplicasPath: ANY, statusReplicasPath: ANY, labelSelectorPath: ANY } },
          additionalPrinterColumns: [{ name: ANY, type: ANY, format: ANY, description: ANY, priority: ANY, jsonPath: ANY }],
          selectableFields: [{ jsonPath: ANY }],
        },
      ],
      conversion: { strategy: ANY, webhook: { clientConfig: CLIENT_CONFIG, conversionReviewVersions: ANY } },
      preserveUnknownFields: ANY,
    },
    status: { conditions: [CONDITION], acceptedNames: CRD_NAMES, storedVersions: ANY },
  },
};

function prune(value: Json | undefined, shape: Shape, path: string, unknown: string[]): void {
  if (shape === true) return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((item, i) => prune(item, shape[0] as Shape, `${path}[${i}]`, unknown));
    return;
  }
  if (!isJsonObject(value)) return;
  const fields = shape as { readonly [field: string]: Shape };
  for (const key of Object.keys(value)) {
    const child = fields[key];
    if (child === undefined) {
      unknown.push(`${path}.${key}`);
      delete value[key];
    } else prune(value[key], child, `${path}.${key}`, unknown);
  }
}

/**
 * Drops, in place, the fields of a built-in object (below apiVersion, kind and metadata) its Go type
 * lacks, and appends their paths in document order, as the typed strict decoder reports them, with
 * ObjectMeta's (`metadataUnknown`) where metadata stands. Resources without a known shape keep theirs.
 */
export function pruneBuiltinUnknownFields(ref: { group: string; resource: string }, obj: JsonObject, metadataUnknown: readonly string[], unknown: string[]): void {
  const shape = SHAPES[`${ref.group}/${ref.resource}`];
  if (!Object.hasOwn(obj, "metadata")) unknown.push(...metadataUnknown);
  for (const key of Object.keys(obj)) {
    if (key === "metadata") unknown.push(...metadataUnknown);
    if (shape === undefined || key === "apiVersion" || key === "kind" || key === "metadata") continue;
    const child = shape[key];
    if (child === undefined) {
      unknown.push(key);
      delete obj[key];
    } else prune(obj[key], child, key, unknown);
  }
}
