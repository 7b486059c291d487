import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, FieldManager, jsonPointerToken, keyOf } from "@container-actions/core";
import type { HistoryEvent, SentLastAction } from "../invariants/history.ts";
import { CONTROLLER_USER } from "./store-ledgers.ts";
import type { WorldCounters } from "./world.ts";
import type { ApiAnswer, ClusterPort, JsonPatchOp, WriteOptions } from "./world-ports.ts";

const ACTION_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION)}`;
const ACTION_ID_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION_ID)}`;

/**
 * Watches what reaches the store: every lastAction written, every request id stamped and every request a
 * controller removed, as history events, and what the controller's requests cost. It sees the store's
 * side, so a write whose answer a dying process never received still counts. An outcome is recorded as
 * the body the controller sent — never as the store's merge of it — so the checkers judge what was sent.
 */
export function recordingCluster(
  inner: ClusterPort,
  record: (event: HistoryEvent) => void,
  nowMs: () => number,
  counters: WorldCounters,
): ClusterPort {
  const count = <T>(options: WriteOptions, answer: ApiAnswer<T>, key?: string): ApiAnswer<T> => {
    if (options.user !== CONTROLLER_USER) return answer;
    if (answer.code === 404 && key !== undefined && options.fieldManager !== FieldManager.mirror) record({ kind: "not-found", key, atMs: nowMs() });
    counters.apiWrites++;
    if (options.fieldManager === FieldManager.action || options.fieldManager === "naive") counters.actionApiWrites++;
    if (answer.code === 409 && options.fieldManager !== FieldManager.mirror) counters.apiConflicts++;
    return answer;
  };
  const cleared = (key: string, action: unknown, requestId: unknown) =>
    record({ kind: "cleared", key, action: String(action), ...(typeof requestId === "string" ? { requestId } : {}), atMs: nowMs() });

  return {
    create: async (c, o) => count(o, await inner.create(c, o)),
    delete: async (r, o) => count(o, await inner.delete(r, o), keyOf(r)),
    peek: (r) => inner.peek(r),
    apply: async (r, c, o) => count(o, await inner.apply(r, c, o), keyOf(r)),
    list: (ns) => {
      counters.informerLists++;
      return inner.list(ns);
    },
    watch: (ns, rv, on, end) => inner.watch(ns, rv, on, end),
    async mergePatch(ref, patch, options) {
      // Only the naive variants remove requests by merge patch; what they removed is what was there.
      const removes = options.user === CONTROLLER_USER && (patch as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations?.[ANNOTATION_ACTION] === null;
      const before = removes ? inner.peek(ref)?.metadata.annotations : undefined;
      const answer = count(options, await inner.mergePatch(ref, patch, options), keyOf(ref));
      const key = keyOf(ref);
      if (answer.code === 422 && options.subresource === "status" && options.fieldManager === FieldManager.action) {
        record({ kind: "rejected", key, message: answer.message ?? "", atMs: nowMs() });
      }
      if (answer.code !== 200) return answer;
      const sent = (patch as { status?: { lastAction?: SentLastAction } }).status?.lastAction;
      if (options.subresource === "status" && options.user === CONTROLLER_USER && sent !== undefined) {
        record({ kind: "outcome", key, sent: structuredClone(sent), atMs: nowMs() });
      }
      if (before?.[ANNOTATION_ACTION] !== undefined) cleared(key, before[ANNOTATION_ACTION], before[ANNOTATION_ACTION_ID]);
      return answer;
    },
    async jsonPatch(ref, ops, options) {
      const answer = count(options, await inner.jsonPatch(ref, ops, options), keyOf(ref));
      if (answer.code === 200 && ops.some((op) => op.op === "remove" && op.path === ACTION_PATH)) {
        cleared(keyOf(ref), testedValue(ops, ACTION_PATH), testedValue(ops, ACTION_ID_PATH));
      }
      const stamp = ops.find((op) => op.op === "add" && op.path === ACTION_ID_PATH);
      if (answer.code === 200 && options.user === CONTROLLER_USER && stamp !== undefined && "value" in stamp) {
        record({ kind: "stamped", key: keyOf(ref), action: String(testedValue(ops, ACTION_PATH)), requestId: String(stamp.value), atMs: nowMs() });
      }
      return answer;
    },
  };
}

function testedValue(ops: JsonPatchOp[], path: string): unknown {
  const test = ops.find((op) => op.op === "test" && op.path === path);
  return test !== undefined && "value" in test ? test.value : undefined;
}
