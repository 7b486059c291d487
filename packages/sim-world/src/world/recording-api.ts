import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, FieldManager, GROUP, jsonPointerToken, keyOf, PLURAL, type Container, type ContainerRef } from "@container-actions/core";
import { codeOf, PatchType, type KubeApi } from "@container-actions/fake-apiserver";
import type { HistoryEvent, SentLastAction } from "../invariants/history.ts";
import { CONTROLLER_USER } from "./in-process-kube.ts";
import type { WorldCounters } from "./world.ts";
import type { JsonPatchOp } from "./world-ports.ts";

const ACTION_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION)}`;
const ACTION_ID_PATH = `/metadata/annotations/${jsonPointerToken(ANNOTATION_ACTION_ID)}`;

/**
 * Watches what reaches the store: every lastAction written, every request id stamped and every request a
 * controller removed, as history events, and what the controller's requests cost. It sits right in front
 * of the store — behind the wire's fault wrapper — so a write whose answer a dying process never received
 * still counts, and so does a write an injected 500 let through. Every write goes through it: the
 * controller's (its real adapters, over the in-process transport) and the actors'. An outcome is recorded
 * as the body the controller sent — never as the store's merge of it — so the checkers judge what was sent.
 */
export function recordingApi(
  inner: KubeApi,
  peek: (ref: ContainerRef) => Container | undefined,
  record: (event: HistoryEvent) => void,
  nowMs: () => number,
  counters: WorldCounters,
): KubeApi {
  const cleared = (key: string, action: unknown, requestId: unknown) =>
    record({ kind: "cleared", key, action: String(action), ...(typeof requestId === "string" ? { requestId } : {}), atMs: nowMs() });

  return {
    watch: (ref, options, onEvent, onEnd) => inner.watch(ref, options, onEvent, onEnd),
    async request(req) {
      if (req.resource.group !== GROUP || req.resource.resource !== PLURAL || req.verb === "get" || req.verb === "list") return inner.request(req);
      const user = req.context?.user?.username ?? "";
      const fieldManager = req.context?.fieldManager ?? "";
      const named = req.verb === "create" ? undefined : { namespace: req.namespace ?? "default", name: req.name };
      const key = named === undefined ? undefined : keyOf(named);
      const patch = req.verb === "patch" ? req.patch : undefined;
      const merge = req.verb === "patch" && req.patchType === PatchType.merge;
      // Only the naive variants remove requests by merge patch; what they removed is what was there.
      const removes = merge && user === CONTROLLER_USER && (patch as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations?.[ANNOTATION_ACTION] === null;
      const before = removes && named !== undefined ? peek(named)?.metadata.annotations : undefined;
      const outcome = await inner.request(req);
      const code = codeOf(outcome);
      if (user === CONTROLLER_USER) {
        if (code === 404 && key !== undefined && fieldManager !== FieldManager.mirror) record({ kind: "not-found", key, atMs: nowMs() });
        counters.apiWrites++;
        if (fieldManager === FieldManager.action || fieldManager === "naive") counters.actionApiWrites++;
        if (code === 409 && fieldManager !== FieldManager.mirror) counters.apiConflicts++;
      }
      if (req.verb !== "patch" || key === undefined) return outcome;
      const subresource = req.subresource;
      if (merge) {
        if (code === 422 && subresource === "status" && fieldManager === FieldManager.action) {
          record({ kind: "rejected", key, message: outcome.kind === "failure" ? (outcome.status.message ?? "") : "", atMs: nowMs() });
        }
        if (code !== 200) return outcome;
        const sent = (patch as { status?: { lastAction?: SentLastAction } }).status?.lastAction;
        if (subresource === "status" && user === CONTROLLER_USER && sent !== undefined) record({ kind: "outcome", key, sent: structuredClone(sent), atMs: nowMs() });
        if (before?.[ANNOTATION_ACTION] !== undefined) cleared(key, before[ANNOTATION_ACTION], before[ANNOTATION_ACTION_ID]);
        return outcome;
      }
      if (req.patchType !== PatchType.json || code !== 200 || !Array.isArray(patch)) return outcome;
      const ops = patch as JsonPatchOp[];
      if (ops.some((op) => op.op === "remove" && op.path === ACTION_PATH)) cleared(key, testedValue(ops, ACTION_PATH), testedValue(ops, ACTION_ID_PATH));
      const stamp = ops.find((op) => op.op === "add" && op.path === ACTION_ID_PATH);
      if (user === CONTROLLER_USER && stamp !== undefined && "value" in stamp) {
        record({ kind: "stamped", key, action: String(testedValue(ops, ACTION_PATH)), requestId: String(stamp.value), atMs: nowMs() });
      }
      return outcome;
    },
  };
}

/** Counts the lists that fill or refill an informer. */
export function countingLists<T extends { list(namespace: string): unknown }>(cluster: T, counters: WorldCounters): T {
  return {
    ...cluster,
    list: (namespace: string) => {
      counters.informerLists++;
      return cluster.list(namespace);
    },
  };
}

function testedValue(ops: JsonPatchOp[], path: string): unknown {
  const test = ops.find((op) => op.op === "test" && op.path === path);
  return test !== undefined && "value" in test ? test.value : undefined;
}
