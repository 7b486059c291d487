/**
 * The resources the fake apiserver serves: a few built-ins (namespaces, events, leases, validating
 * webhook configurations, CRDs) and every kind a stored CustomResourceDefinition registers, with what
 * discovery, validation and Table printing need to know about each.
 */
import type { SchemaNode } from "./structural-schema.ts";
import type { NameRule } from "./object-meta.ts";
import { type Json, type JsonObject, isJsonObject } from "./json.ts";

/** Names one resource of one API version: `{ group: "", version: "v1", resource: "namespaces" }`. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

/** A column of `kubectl get`, from a CRD's additionalPrinterColumns or a built-in printer. */
export interface PrinterColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  jsonPath: string;
}

/** Everything the store and the wire face know about one served resource version. */
export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** A `/status` subresource exists: main writes keep the old status, status writes keep everything else. */
  statusSubresource: boolean;
  /** The structural schema of a custom resource (absent for built-ins, which are stored as given). */
  schema?: SchemaNode;
  /** True for kinds registered by a CRD. */
  custom: boolean;
  /** Whether a PUT without resourceVersion overwrites (namespaces, events) or is refused with 422. */
  unconditionalUpdate: boolean;
  /** metadata.generation: "none", or bumped whenever anything but metadata (and status) changes. */
  generation: "none" | "non-metadata";
  nameRule: NameRule;
  /** Field labels the resource accepts in a fieldSelector. */
  fieldLabels: string[];
  printerColumns: PrinterColumn[];
  /** The CRD that registered this kind. */
  crdName?: string;
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}

export function refKey(r: ResourceRef): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

const NAME_COLUMN: PrinterColumn = {
  name: "Name",
  type: "string",
  format: "name",
  description:
    "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names",
  priority: 0,
  jsonPath: ".metadata.name",
};

function ageColumn(description: string): PrinterColumn {
  return { name: "Age", type: "date", format: "", description, priority: 0, jsonPath: ".metadata.creationTimestamp" };
}

const CRD_AGE_DESCRIPTION = "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp";
const BUILTIN_AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const META_FIELDS = ["metadata.name", "metadata.namespace"];

function builtin(info: Omit<ResourceInfo, "custom" | "printerColumns" | "verbs"> & { printerColumns?: PrinterColumn[]; verbs?: string[] }): ResourceInfo {
  return {
    custom: false,
    verbs: ALL_VERBS,
    printerColumns: [NAME_COLUMN, ageColumn(BUILTIN_AGE_DESCRIPTION)],
    ...info,
  };
}

/** The built-in resources, always served. */
export function builtinResources(): ResourceInfo[] {
  return [
    builtin({
      group: "",
      version: "v1",
      resource: "namespaces",
      singular: "",
      kind: "Namespace",
      listKind: "NamespaceList",
      namespaced: false,
      shortNames: ["ns"],
      categories: [],
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
      statusSubresource: true,
      unconditionalUpdate: true,
      generation: "none",
      nameRule: "label",
      fieldLabels: ["metadata.name", "status.phase"],
      printerColumns: [
        NAME_COLUMN,
        { name: "Status", type: "string", format: "", description: "The status of the namespace", priority: 0, jsonPath: ".status.phase" },
        ageColumn(BUILTIN_AGE_DESCRIPTION),
      ],
    }),
    builtin({
      group: "",
      version: "v1",
      resource: "events",
      singular: "",
      kind: "Event",
      listKind: "EventList",
      namespaced: true,
      shortNames: ["ev"],
      categories: [],
      statusSubresource: false,
      unconditionalUpdate: true,
      generation: "none",
      nameRule: "none",
      fieldLabels: [
        ...META_FIELDS,
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
      ],
    }),
    builtin({
      group: "coordination.k8s.io",
      version: "v1",
      resource: "leases",
      singular: "",
      kind: "Lease",
      listKind: "LeaseList",
      namespaced: true,
      shortNames: [],
      categories: [],
      statusSubresource: false,
      unconditionalUpdate: false,
      generation: "none",
      nameRule: "subdomain",
      fieldLabels: META_FIELDS,
    }),
    builtin({
      group: "admissionregistration.k8s.io",
      version: "v1",
      resource: "validatingwebhookconfigurations",
      singular: "",
      kind: "ValidatingWebhookConfiguration",
      listKind: "ValidatingWebhookConfigurationList",
      namespaced: false,
      shortNames: [],
      categories: ["api-extensions"],
      statusSubresource: false,
      unconditionalUpdate: false,
      generation: "non-metadata",
      nameRule: "subdomain",
      fieldLabels: ["metadata.name"],
    }),
    builtin({
      group: "apiextensions.k8s.io",
      version: "v1",
      resource: "customresourcedefinitions",
      singular: "",
      kind: "CustomResourceDefinition",
      listKind: "CustomResourceDefinitionList",
      namespaced: false,
      shortNames: ["crd", "crds"],
      categories: ["api-extensions"],
      statusSubresource: true,
      unconditionalUpdate: false,
      generation: "non-metadata",
      nameRule: "subdomain",
      fieldLabels: ["metadata.name"],
    }),
  ];
}

export const CRD_REF: ResourceRef = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };
export const NAMESPACE_REF: ResourceRef = { group: "", version: "v1", resource: "namespaces" };
export const WEBHOOK_CONFIG_REF: ResourceRef = { group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations" };

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function str(v: Json | undefined, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

/** The resources a CustomResourceDefinition (v1) registers: one per served version. */
export function resourcesOfCrd(crd: JsonObject): ResourceInfo[] {
  const spec = isJsonObject(crd.spec) ? crd.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const group = str(spec.group);
  const out: ResourceInfo[] = [];
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  for (const v of versions) {
    if (!isJsonObject(v) || v.served === false) continue;
    const subresources = isJsonObject(v.subresources) ? v.subresources : {};
    const schemaHolder = isJsonObject(v.schema) ? v.schema : {};
    const schema = isJsonObject(schemaHolder.openAPIV3Schema) ? (schemaHolder.openAPIV3Schema as unknown as SchemaNode) : undefined;
    const columns = Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : [];
    const printerColumns: PrinterColumn[] = [NAME_COLUMN];
    for (const c of columns) {
      if (!isJsonObject(c)) continue;
      const jsonPath = str(c.jsonPath);
      printerColumns.push({
        name: str(c.name),
        type: str(c.type, "string"),
        format: str(c.format),
        description: str(c.description, `Custom resource definition column (in JSONPath format): ${jsonPath}`),
        priority: typeof c.priority === "number" ? c.priority : 0,
        jsonPath,
      });
    }
    if (columns.length === 0) printerColumns.push(ageColumn(CRD_AGE_DESCRIPTION));
    const info: ResourceInfo = {
      group,
      version: str(v.name),
      resource: str(names.plural),
      singular: str(names.singular, str(names.kind).toLowerCase()),
      kind: str(names.kind),
      listKind: str(names.listKind, `${str(names.kind)}List`),
      namespaced: spec.scope !== "Cluster",
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      verbs: ALL_VERBS,
      statusSubresource: isJsonObject(subresources.status),
      unconditionalUpdate: false,
      custom: true,
      generation: "non-metadata",
      nameRule: "subdomain",
      fieldLabels: spec.scope === "Cluster" ? ["metadata.name"] : META_FIELDS,
      printerColumns,
      crdName: str(isJsonObject(crd.metadata) ? crd.metadata.name : undefined),
    };
    if (schema !== undefined) info.schema = schema;
    out.push(info);
  }
  return out;
}

/** The served resources, looked up by group, version and plural name. */
export class ResourceRegistry {
  private readonly byKey = new Map<string, ResourceInfo>();

  constructor(initial: readonly ResourceInfo[] = builtinResources()) {
    for (const r of initial) this.add(r);
  }

  add(info: ResourceInfo): void {
    this.byKey.set(refKey(info), info);
  }

  /** Forgets every resource a CRD registered; returns what was removed. */
  removeCrd(crdName: string): ResourceInfo[] {
    const removed = [...this.byKey.values()].filter((r) => r.crdName === crdName);
    for (const r of removed) this.byKey.delete(refKey(r));
    return removed;
  }

  find(ref: ResourceRef): ResourceInfo | undefined {
    return this.byKey.get(refKey(ref));
  }

  all(): ResourceInfo[] {
    return [...this.byKey.values()];
  }

  /** Group/version pairs served, the core group first, then groups in registration order. */
  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.byKey.values()) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
    return [...seen.values()].sort((a, b) => (a.group === "" ? -1 : b.group === "" ? 1 : 0));
  }
}
