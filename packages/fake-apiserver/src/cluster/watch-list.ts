/**
 * Watch-list (KEP-3157): a watch with `sendInitialEvents=true` and `resourceVersionMatch=NotOlderThan`
 * streams the current objects as ADDED, then (when it allows bookmarks) one BOOKMARK annotated
 * `k8s.io/initial-events-end: "true"` at the resourceVersion of that state, then live changes;
 * `sendInitialEvents=false` starts at the resourceVersion without the initial objects. The options are
 * validated as apimachinery's validateWatchOptions does with the WatchList gate on (the default of
 * current servers: on in 1.32 and 1.34; 1.33 shipped it off): 422 on `ListOptions.meta.k8s.io`.
 */
import { type FieldError, forbiddenField, notSupported } from "./field-errors.ts";
import { type KubeStatus, invalid } from "./kube-status.ts";
import type { WatchOptions } from "./api-request.ts";

export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

/** The 422 for watch options a WatchList-enabled apiserver refuses, or undefined. */
export function watchListOptionsProblem(options: WatchOptions): KubeStatus | undefined {
  const match = options.resourceVersionMatch ?? "";
  const errors: FieldError[] = [];
  if (options.sendInitialEvents !== undefined && match !== "NotOlderThan") {
    errors.push(forbiddenField("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
  }
  if (match !== "") {
    if (options.sendInitialEvents === undefined) errors.push(forbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
    if (match !== "NotOlderThan") errors.push(notSupported("resourceVersionMatch", match, ["NotOlderThan"]));
  }
  return errors.length === 0 ? undefined : invalid({ group: "meta.k8s.io", kind: "ListOptions" }, "", errors);
}

/** The annotated bookmark that ends a watch-list's initial objects. */
export function initialEventsEndBookmark(base: { apiVersion: string; kind: string }, resourceVersion: string): { type: "BOOKMARK"; object: { apiVersion: string; kind: string; metadata: { resourceVersion: string; annotations: Record<string, string> } } } {
  return { type: "BOOKMARK", object: { ...base, metadata: { resourceVersion, annotations: { [INITIAL_EVENTS_END_ANNOTATION]: "true" } } } };
}
