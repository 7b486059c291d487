/**
 * The status the apiextensions controllers give a CustomResourceDefinition once its names are
 * accepted: NamesAccepted and Established, accepted names, stored versions (what `kubectl wait
 * --for=condition=Established` waits for).
 */
import { type Json, type JsonObject, isJsonObject, cloneJson } from "./json.ts";

/** The established status of `crd` at `now` (RFC 3339, whole seconds). */
export function establishedStatus(crd: JsonObject, now: string): JsonObject {
  const spec = isJsonObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonObject) : [];
  const storage = versions.find((v) => v.storage === true) ?? versions[0];
  const names: JsonObject = isJsonObject(spec.names) ? cloneJson(spec.names) : {};
  if (names.singular === undefined && typeof names.kind === "string") names.singular = names.kind.toLowerCase();
  if (names.listKind === undefined && typeof names.kind === "string") names.listKind = `${names.kind}List`;
  const condition = (type: string, reason: string, message: string): Json => ({ type, status: "True", lastTransitionTime: now, reason, message });
  return {
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found"),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ],
    acceptedNames: names,
    storedVersions: storage !== undefined && typeof storage.name === "string" ? [storage.name] : [],
  };
}
