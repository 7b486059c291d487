/**
 * What decoding into kube-apiserver's Go types adds to built-in objects: struct fields that are always
 * serialized (an Event's `source: {}` and null timestamps, a Lease's `spec: {}`), the defaulting
 * functions (a Namespace's phase, a webhook's failurePolicy, matchPolicy, selectors, timeout and rule
 * scope, a CRD's conversion strategy), and the zero object the field manager compares a new object with.
 */
import { type Json, type JsonObject, isJsonObject } from "./json.ts";
import type { SchemaNode } from "./structural-schema.ts";

type Builtin = "namespaces" | "events" | "leases" | "validatingwebhookconfigurations" | "customresourcedefinitions";

function which(group: string, resource: string): Builtin | undefined {
  if (group === "" && (resource === "namespaces" || resource === "events")) return resource;
  if (group === "coordination.k8s.io" && resource === "leases") return "leases";
  if (group === "admissionregistration.k8s.io" && resource === "validatingwebhookconfigurations") return resource;
  if (group === "apiextensions.k8s.io" && resource === "customresourcedefinitions") return resource;
  return undefined;
}

function setDefault(obj: JsonObject, key: string, value: Json): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Fills what the Go types and defaulting functions would, in place. */
export function applyBuiltinDefaults(ref: { group: string; resource: string }, obj: JsonObject): void {
  switch (which(ref.group, ref.resource)) {
    case "namespaces": {
      setDefault(obj, "spec", {});
      setDefault(obj, "status", {});
      if (isJsonObject(obj.status)) setDefault(obj.status, "phase", "Active");
      return;
    }
    case "events":
      setDefault(obj, "involvedObject", {});
      setDefault(obj, "source", {});
      for (const k of ["firstTimestamp", "lastTimestamp", "eventTime"]) if (obj[k] === undefined) obj[k] = null;
      setDefault(obj, "reportingComponent", "");
      setDefault(obj, "reportingInstance", "");
      return;
    case "leases":
      setDefault(obj, "spec", {});
      return;
    case "validatingwebhookconfigurations": {
      const hooks = Array.isArray(obj.webhooks) ? obj.webhooks : [];
      for (const w of hooks) {
        if (!isJsonObject(w)) continue;
        setDefault(w, "failurePolicy", "Fail");
        setDefault(w, "matchPolicy", "Equivalent");
        setDefault(w, "namespaceSelector", {});
        setDefault(w, "objectSelector", {});
        setDefault(w, "timeoutSeconds", 10);
        for (const r of Array.isArray(w.rules) ? w.rules : []) if (isJsonObject(r)) setDefault(r, "scope", "*");
      }
      return;
    }
    case "customresourcedefinitions":
      // apiextensions/v1 defaulting: no conversion webhook means `strategy: None` (v1.20 and current alike).
      if (isJsonObject(obj.spec)) setDefault(obj.spec, "conversion", { strategy: "None" });
      return;
    case undefined:
      return;
  }
}

/** The zero value of a built-in type as the field manager sees it (its always-present struct fields). */
export function zeroObject(ref: { group: string; resource: string }): JsonObject {
  switch (which(ref.group, ref.resource)) {
    case "namespaces":
      return { spec: {}, status: {} };
    case "events":
      return { involvedObject: {}, source: {}, reportingComponent: "", reportingInstance: "" };
    case "leases":
      return { spec: {} };
    default:
      return {};
  }
}

/** List semantics of built-in fields the field manager needs (webhooks are a map keyed by name). */
export function builtinFieldSchema(ref: { group: string; resource: string }): SchemaNode | undefined {
  if (which(ref.group, ref.resource) !== "validatingwebhookconfigurations") return undefined;
  return {
    type: "object",
    properties: { webhooks: { type: "array", items: { type: "object" }, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] } },
  };
}
