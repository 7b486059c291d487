import { ACTION_NAMES, type ActionName, type LastAction, type ObjectMeta } from "../api/container-schema.ts";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "../api/names.ts";

/** One client request: the action and, when the client set one, its id. */
export interface ActionRequest {
  action: ActionName;
  requestId?: string;
}

/** What the request slot of a Container holds. */
export type RequestSlot =
  | { kind: "empty" }
  | { kind: "valid"; request: ActionRequest }
  /** A value that got past admission (webhook absent); `raw` is exactly what is stored, for a guarded removal. */
  | { kind: "invalid"; raw: RawRequest; reason: string };

/** The two annotations as stored, unparsed. */
export interface RawRequest {
  action: string;
  requestId?: string;
}

/** Like a Kubernetes label value: 1–63 characters, alphanumeric at both ends; fits UUIDs and ULIDs. */
const REQUEST_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export function isActionName(value: string): value is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(value);
}

/** Why `value` is not a valid action, or null when it is one. */
export function actionProblem(value: string): string | null {
  if (isActionName(value)) return null;
  return `invalid ${ANNOTATION_ACTION} annotation "${value}": must be one of ${ACTION_NAMES.join(", ")}`;
}

/** Why `value` is not a valid request id, or null when it is one. */
export function requestIdProblem(value: string): string | null {
  if (REQUEST_ID.test(value)) return null;
  return (
    `invalid ${ANNOTATION_ACTION_ID} annotation "${value}": must be 1-63 characters of ` +
    `[A-Za-z0-9._-], beginning and ending with a letter or digit`
  );
}

/** Reads the request slot from annotations. A request id without an action is no request. */
export function readRequestSlot(annotations: Record<string, string> | undefined): RequestSlot {
  const action = annotations?.[ANNOTATION_ACTION];
  if (action === undefined) return { kind: "empty" };
  const requestId = annotations?.[ANNOTATION_ACTION_ID];
  const raw: RawRequest = requestId === undefined ? { action } : { action, requestId };
  const problem = actionProblem(action) ?? (requestId === undefined ? null : requestIdProblem(requestId));
  if (problem !== null) return { kind: "invalid", raw, reason: problem };
  return { kind: "valid", request: requestId === undefined ? { action: action as ActionName } : { action: action as ActionName, requestId } };
}

/**
 * True when `lastAction` already records this request (a crash came between the two writes, or the view
 * is stale). Only a request id makes that knowable: without one, an outcome of the same action may be
 * this request's or an earlier one's, and guessing "earlier" never loses a request.
 */
export function isRecorded(request: ActionRequest, lastAction: LastAction | undefined): boolean {
  return request.requestId !== undefined && lastAction?.requestId === request.requestId && lastAction.action === request.action;
}

/**
 * When the request was written, in epoch ms, read from `managedFields`: the later of the times its two
 * annotations, the action and the request id, got their current values. A field got its value at the
 * earliest time among the entries that own it: a manager that writes the same value later — a
 * server-side apply of what another client wrote — becomes a co-owner with its own, later time, though
 * the slot did not change (S1), so taking the latest would date a pending request after the restart
 * made for it, and a replay would restart again. The later of the two fields, because a new request may
 * change only one of them: a new id beside an action some manager has owned since an older request
 * (a stamp is such an id). The apiserver bumps an entry's time only when the write takes a field, and
 * stamps times with second precision, so the true write time lies in [result, result + 1000).
 * Undefined when no entry owns either (e.g. a server without managedFields).
 */
export function requestWrittenAtMs(metadata: ObjectMeta): number | undefined {
  let writtenAtMs: number | undefined;
  for (const key of [`f:${ANNOTATION_ACTION}`, `f:${ANNOTATION_ACTION_ID}`]) {
    const setAtMs = fieldSetAtMs(metadata, key);
    if (setAtMs !== undefined && (writtenAtMs === undefined || setAtMs > writtenAtMs)) writtenAtMs = setAtMs;
  }
  return writtenAtMs;
}

/** When the annotation field `key` got its current value: the earliest time of the entries that own it. */
function fieldSetAtMs(metadata: ObjectMeta, key: string): number | undefined {
  let earliestMs: number | undefined;
  for (const entry of metadata.managedFields ?? []) {
    const annotations = fieldsAt(entry.fieldsV1, ["f:metadata", "f:annotations"]);
    if (annotations === undefined || !(key in annotations) || entry.time === undefined) continue;
    const t = Date.parse(entry.time);
    if (!Number.isNaN(t) && (earliestMs === undefined || t < earliestMs)) earliestMs = t;
  }
  return earliestMs;
}

function fieldsAt(fields: unknown, path: string[]): Record<string, unknown> | undefined {
  let node = fields;
  for (const step of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : undefined;
}
