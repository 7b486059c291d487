/**
 * The reference process's ports: its two resourceVersion-locked writes (the original's
 * `MergeFromWithOptimisticLock` patches) over the world's ClusterPort, and the engine wrapper that
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
import { effectOfReply, type HistoryEvent, type WrittenRequest } from "../invariants/history.ts";
import type { ProcessLife } from "./process-ports.ts";
import { CONTROLLER_USER } from "./store-ledgers.ts";
import type { WorldCounters } from "./world.ts";
import type { ApiAnswer, ClusterPort, WriteOptions } from "./world-ports.ts";

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

const asAction = (subresource?: "status"): WriteOptions => ({
  fieldManager: FieldManager.action,
  user: CONTROLLER_USER,
  ...(subresource ? { subresource } : {}),
});

/** The original's two writes, each a JSON merge patch carrying `metadata.resourceVersion`. */
export class ReferenceLedger {
  constructor(
    private readonly cluster: ClusterPort,
    private readonly life: ProcessLife,
  ) {}

  /** `patchContainerLastAction`'s PATCH: status.lastAction on the status subresource, locked to `resourceVersion`. */
  patchLastAction(ref: ContainerRef, resourceVersion: string, lastAction: LastAction): Promise<LockedWrite> {
    const patch = { ...lastActionPatch(lastAction), metadata: { resourceVersion } };
    return this.write(() => this.cluster.mergePatch(ref, patch, asAction("status")));
  }

  /** `removeActionAnnotation`'s PATCH: both request annotations deleted, locked to `resourceVersion`. */
  removeRequest(ref: ContainerRef, resourceVersion: string): Promise<LockedWrite> {
    const patch = { metadata: { resourceVersion, annotations: { [ANNOTATION_ACTION]: null, [ANNOTATION_ACTION_ID]: null } } };
    return this.write(() => this.cluster.mergePatch(ref, patch, asAction()));
  }

  /** One API write with the process's latency and injected 500s (half of them after the write took effect). */
  private write(send: () => Promise<ApiAnswer>): Promise<LockedWrite> {
    const unavailable: LockedWrite = { kind: "failed", detail: "500 InternalError (injected)" };
    return this.life.call(this.life.options.apiLatencyMsMax, async () => {
      if (this.life.chance(this.life.options.apiFaultChance)) {
        if (this.life.chance([1, 2])) await send();
        return unavailable;
      }
      return locked(await send());
    });
  }
}

function locked(answer: ApiAnswer): LockedWrite {
  if (answer.code === 200 && answer.object !== undefined) return { kind: "written", object: answer.object };
  if (answer.code === 409) return { kind: "conflict" };
  if (answer.code === 404) return { kind: "gone" };
  return { kind: "failed", detail: `${answer.code} ${answer.reason ?? ""}: ${answer.message ?? ""}`.trim() };
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
