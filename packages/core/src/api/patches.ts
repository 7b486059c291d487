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

/** Merge patch for the status subresource that sets lastAction and nothing else. */
export function lastActionPatch(lastAction: LastAction): { status: { lastAction: LastAction } } {
  // A merge patch replaces lastAction's fields one by one; an `error` absent from a Succeeded outcome
  // must be removed explicitly, or a stale error would survive under state Succeeded.
  return { status: { lastAction: { ...lastAction, ...(lastAction.error === undefined ? { error: null } : {}) } as LastAction } };
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

/** JSON Patch that removes the mirror finalizer at `index` only if it is still there. */
export function removeFinalizerPatch(index: number): JsonPatchOperation[] {
  return [
    { op: "test", path: `/metadata/finalizers/${index}`, value: FINALIZER_MIRROR },
    { op: "remove", path: `/metadata/finalizers/${index}` },
  ];
}

/** JSON Patch that appends the mirror finalizer (creating the list when there is none). */
export function addFinalizerPatch(hasList: boolean): JsonPatchOperation[] {
  return hasList
    ? [{ op: "add", path: "/metadata/finalizers/-", value: FINALIZER_MIRROR }]
    : [{ op: "add", path: "/metadata/finalizers", value: [FINALIZER_MIRROR] }];
}

/** Merge patch for the status subresource with the mirrored fields, removing `absent` ones. */
export function mirrorStatusPatch(status: MirroredStatus, absent: readonly string[]): { status: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...status };
  for (const field of absent) body[field] = null;
  return { status: body };
}
