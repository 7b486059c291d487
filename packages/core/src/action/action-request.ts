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
 * When the request was written, in epoch ms, read from `managedFields`: the latest time of the entries
 * that own the action or the request id annotation. The id counts because a rewrite that keeps the
 * action's value changes no ownership of it, so the apiserver keeps that entry's old time (it bumps a
 * time only when the write takes a field); a new id, or the controller's stamp, does take one. The
 * apiserver stamps times with second precision, so the true write time lies in [result, result + 1000).
 * Undefined when no entry owns either (e.g. a server without managedFields).
 */
export function requestWrittenAtMs(metadata: ObjectMeta): number | undefined {
  const keys = [`f:${ANNOTATION_ACTION}`, `f:${ANNOTATION_ACTION_ID}`];
  let latest: number | undefined;
  for (const entry of metadata.managedFields ?? []) {
    const annotations = fieldsAt(entry.fieldsV1, ["f:metadata", "f:annotations"]);
    if (annotations === undefined || !keys.some((key) => key in annotations) || entry.time === undefined) continue;
    const t = Date.parse(entry.time);
    if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

function fieldsAt(fields: unknown, path: string[]): Record<string, unknown> | undefined {
  let node = fields;
  for (const step of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : undefined;
}
