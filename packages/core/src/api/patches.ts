/**
 * The exact bodies of every write the controller makes, as plain data, so each transport (client-node,
 * the simulated store) sends the same bytes and the rules live in one place.
 */
import type { RawRequest } from "../action/action-request.ts";
import type { LastAction } from "./container-schema.ts";
import type { MirroredStatus } from "../mirror/mirror-status.ts";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, FINALIZER_MIRROR } from "./names.ts";

export type JsonPatchOperation =
  | { op: "test" | "add" | "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function jsonPointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

const ACTION_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION)}`;
const ACTION_ID_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION_ID)}`;

/** Optional lastAction fields: a merge patch must null them when absent, or the previous outcome's survive. */
const LAST_ACTION_OPTIONAL = ["error", "requestId"] as const;

/** Merge patch for the status subresource that sets lastAction and nothing else. */
export function lastActionPatch(lastAction: LastAction): { status: { lastAction: Record<string, unknown> } } {
  // A merge patch merges lastAction field by field: without the nulls, a Succeeded outcome would keep
  // the previous failure's `error`, and a request without id the previous request's `requestId`.
  const body: Record<string, unknown> = { ...lastAction };
  for (const field of LAST_ACTION_OPTIONAL) if (lastAction[field] === undefined) body[field] = null;
  return { status: { lastAction: body } };
}

/**
 * JSON Patch that removes a request only if the slot still holds exactly it: both annotations are
 * tested (a `null` test passes only when the id annotation is absent, as the apiserver's json-patch
 * implements it), so any newer write makes the test fail with 422 and survives.
 */
export function clearRequestPatch(request: RawRequest): JsonPatchOperation[] {
  return [
    { op: "test", path: ACTION_PATH, value: request.action },
    { op: "test", path: ACTION_ID_PATH, value: request.requestId ?? null },
    { op: "remove", path: ACTION_PATH },
    ...(request.requestId === undefined ? [] : [{ op: "remove" as const, path: ACTION_ID_PATH }]),
  ];
}

/**
 * JSON Patch that gives an id-less request the server-chosen id `requestId`, only if the slot still holds
 * exactly that request (`action`, no id: a `null` test passes only on a missing key). A failed test
 * (422) means a client wrote a newer request meanwhile. After it, the request is handled like any
 * request with an id, so its outcome is recognised however stale a later view of it is.
 */
export function stampRequestIdPatch(action: string, requestId: string): JsonPatchOperation[] {
  return [
    { op: "test", path: ACTION_PATH, value: action },
    { op: "test", path: ACTION_ID_PATH, value: null },
    { op: "add", path: ACTION_ID_PATH, value: requestId },
  ];
}

/** JSON Patch that removes the mirror finalizer at `index` only if it is still there. */
export function removeFinalizerPatch(index: number): JsonPatchOperation[] {
  return [
    { op: "test", path: `/metadata/finalizers/${index}`, value: FINALIZER_MIRROR },
    { op: "remove", path: `/metadata/finalizers/${index}` },
  ];
}

/**
 * JSON Patch that appends the mirror finalizer. Without a list it creates one — guarded by a `null` test,
 * because `add` on an existing list would replace it and drop another controller's finalizer.
 */
export function addFinalizerPatch(hasList: boolean): JsonPatchOperation[] {
  return hasList
    ? [{ op: "add", path: "/metadata/finalizers/-", value: FINALIZER_MIRROR }]
    : [
        { op: "test", path: "/metadata/finalizers", value: null },
        { op: "add", path: "/metadata/finalizers", value: [FINALIZER_MIRROR] },
      ];
}

/** Merge patch for the status subresource with the mirrored fields, removing `absent` ones. */
export function mirrorStatusPatch(status: MirroredStatus, absent: readonly string[]): { status: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...status };
  for (const field of absent) body[field] = null;
  return { status: body };
}
