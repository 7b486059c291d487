/**
 * The reference process's ports: its two resourceVersion-locked writes (the original's
 * `MergeFromWithOptimisticLock` patches) over the process's API transport, and the engine wrapper that
 * counts Docker calls and records dispatches for the checkers exactly as ControllerProcess does.
 */
import {
  ANNOTATION_ACTION,
  ANNOTATION_ACTION_ID,
  FieldManager,
  keyOf,
  lastActionPatch,
  type Container,
  type ContainerEngine,
  type ContainerRef,
  type LastAction,
} from "@container-actions/core";
import { containerPath, MERGE_PATCH, statusMessage, type KubeTransport } from "@container-actions/kube-adapters";
import { effectOfReply, type HistoryEvent, type WrittenRequest } from "../invariants/history.ts";
import type { WorldCounters } from "./world.ts";

/** The answer to one resourceVersion-locked write. */
export type LockedWrite =
  /** Written; `object` is the server's answer (the original fills its object in place from it). */
  | { kind: "written"; object: Container }
  /** 409: the object moved on since `resourceVersion`. */
  | { kind: "conflict" }
  /** 404: the Container is gone. */
  | { kind: "gone" }
  /** Anything else (422, 5xx, no answer): an error the pass returns. */
  | { kind: "failed"; detail: string };

/** The original's two writes, each a JSON merge patch carrying `metadata.resourceVersion`. */
export class ReferenceLedger {
  constructor(private readonly kube: KubeTransport) {}

  /** `patchContainerLastAction`'s PATCH: status.lastAction on the status subresource, locked to `resourceVersion`. */
  patchLastAction(ref: ContainerRef, resourceVersion: string, lastAction: LastAction): Promise<LockedWrite> {
    return this.write(containerPath(ref, "status"), "containers/status", { ...lastActionPatch(lastAction), metadata: { resourceVersion } });
  }

  /** `removeActionAnnotation`'s PATCH: both request annotations deleted, locked to `resourceVersion`. */
  removeRequest(ref: ContainerRef, resourceVersion: string): Promise<LockedWrite> {
    return this.write(containerPath(ref), "containers", { metadata: { resourceVersion, annotations: { [ANNOTATION_ACTION]: null, [ANNOTATION_ACTION_ID]: null } } });
  }

  private async write(path: string, resource: string, body: unknown): Promise<LockedWrite> {
    const answer = await this.kube.send({ method: "PATCH", path, query: { fieldManager: FieldManager.action }, contentType: MERGE_PATCH, body, verb: "patch", resource, caller: "action" });
    if (answer.kind === "failed") return { kind: "failed", detail: answer.detail };
    if (answer.status === 200 && answer.body !== undefined) return { kind: "written", object: answer.body as Container };
    if (answer.status === 409) return { kind: "conflict" };
    if (answer.status === 404) return { kind: "gone" };
    return { kind: "failed", detail: `HTTP ${answer.status}: ${statusMessage(answer.body)}` };
  }
}

export interface EngineObserver {
  namespace: string;
  nowMs: () => number;
  counters: WorldCounters;
  record: (event: HistoryEvent) => void;
  /** The client write the request being dispatched on `key` came from. */
  requestOf: (key: string) => WrittenRequest | null;
}

/**
 * Counts what reaches Docker and records each dispatch with its effect (what ControllerProcess's
 * attributedEngine does), so the checkers and the counters see the reference exactly as they see ours.
 */
export function observedEngine(engine: ContainerEngine, o: EngineObserver): ContainerEngine {
  return {
    inspect: (id) => {
      o.counters.dockerInspects++;
      return engine.inspect(id);
    },
    restartedSince: (id, sinceMs) => {
      o.counters.dockerInspects++;
      return engine.restartedSince(id, sinceMs);
    },
    perform: async (id, action) => {
      o.counters.dockerCalls++;
      const key = keyOf({ namespace: o.namespace, name: id });
      const startedMs = o.nowMs();
      const reply = await engine.perform(id, action);
      o.record({ kind: "dispatch", key, request: o.requestOf(key), call: action, effect: effectOfReply(reply), startedMs, atMs: o.nowMs() });
      return reply;
    },
  };
}

/** Records calls that never reached Docker (the process saw the engine unreachable), as ControllerProcess does. */
export function unreachableRecorder(engine: ContainerEngine, o: EngineObserver): ContainerEngine {
  return {
    inspect: (id) => engine.inspect(id),
    restartedSince: (id, sinceMs) => engine.restartedSince(id, sinceMs),
    perform: async (id, action) => {
      const reply = await engine.perform(id, action);
      if (reply.kind === "unreachable") {
        const key = keyOf({ namespace: o.namespace, name: id });
        const atMs = o.nowMs();
        o.record({ kind: "dispatch", key, request: o.requestOf(key), call: action, effect: "unreachable", startedMs: atMs, atMs });
      }
      return reply;
    },
  };
}
