/**
 * What the Container's current state says about one request, judged from the object alone (pure). The
 * protocol (docs/design/api_containers.md): the controller writes `status.lastAction` first, then removes
 * the request; one slot per Container, latest wins, and a request being handled is not interrupted.
 */
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, type Container, type LastAction } from "@container-actions/core";

/** Where a request stands. */
export type RequestProgress =
  /** Not decided yet; `replaced` once the slot was seen holding someone else's request. */
  | { kind: "pending"; replaced: boolean }
  /** Handled: `lastAction` carries this request's id. */
  | { kind: "done"; lastAction: LastAction }
  /** Another request replaced it before it ran: that one was handled, or the slot is empty without this one's outcome. */
  | { kind: "superseded"; by: { action: string; requestId?: string } | null }
  /** Removed without an outcome and never replaced: the controller refused to run it (see its Warning Events). */
  | { kind: "dropped" };

/**
 * Judges `container` for the request `requestId`, given whether it was already seen replaced.
 * Guarantees: `done` only on this request's own outcome; a replacement written while this request is
 * handled is not taken for supersession (this one still completes, and lastAction says so).
 * Caveat: judged from the states the caller saw; if the watch missed the one that carried this
 * request's outcome and a newer outcome overwrote it, the request is reported superseded.
 */
export function judgeProgress(container: Container, requestId: string, replacedBefore: boolean): RequestProgress {
  const lastAction = container.status?.lastAction;
  if (lastAction?.requestId === requestId) return { kind: "done", lastAction };
  const annotations = container.metadata.annotations ?? {};
  const action = annotations[ANNOTATION_ACTION];
  const slotId = annotations[ANNOTATION_ACTION_ID];
  if (action !== undefined && slotId === requestId) return { kind: "pending", replaced: replacedBefore };
  if (action !== undefined) {
    // The replacement already ran: this request, no longer in the slot, never will.
    if (slotId !== undefined && lastAction?.requestId === slotId) return { kind: "superseded", by: { action: lastAction.action, requestId: slotId } };
    return { kind: "pending", replaced: true };
  }
  if (!replacedBefore) return { kind: "dropped" };
  return { kind: "superseded", by: lastAction === undefined ? null : { action: lastAction.action, ...(lastAction.requestId !== undefined ? { requestId: lastAction.requestId } : {}) } };
}
