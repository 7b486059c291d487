/**
 * Small in-memory fakes of the reconcile ports for core's own example tests: a one-object ledger and a
 * one-container engine that count every call. The simulator (packages/fake-docker, packages/sim-world) is the full model.
 *
 * Does not model: watches, caches, concurrency, Docker's event stream, API faults other than the ones a
 * test sets by hand.
 */
import type { RawRequest } from "../action/action-request.ts";
import type { ActionName, Container, ContainerRef, LastAction } from "../api/container-schema.ts";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, API_VERSION, KIND } from "../api/names.ts";
import { isContainerId } from "../api/container-id.ts";
import type { OwnershipJudge } from "../ownership/engine-inventory.ts";
import type { ContainerEngine, EngineReply, EngineState, InspectReply, RestartHistoryReply } from "../engine/container-engine.ts";
import type { ActionLedger, ClearResult, ContainerEvent, EventRecorder, RecordResult, RequestIds, StampResult } from "./ports.ts";

export const CONTAINER_ID = "c0ffee".padEnd(64, "0");

/**
 * An ownership judge for tests whose engine has every container: every full ID is its own, and any other
 * name (a Docker name, a short ID) is foreign, as with the real inventory.
 */
export const OWN_ALL: OwnershipJudge = {
  judge: (name) => (isContainerId(name) ? { kind: "own" } : { kind: "foreign", why: `"${name}" is not a full 64-hex Docker container ID` }),
};

export function mirror(annotations: Record<string, string>, extra: Partial<Container["metadata"]> = {}): Container {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: CONTAINER_ID, namespace: "default", resourceVersion: "10", annotations, ...extra },
    status: { name: "web", namespace: "moby", path: "/bin/sleep", image: "sha256:1", status: "running" },
  };
}

export function request(action: string, requestId?: string): Record<string, string> {
  return requestId === undefined
    ? { [ANNOTATION_ACTION]: action }
    : { [ANNOTATION_ACTION]: action, [ANNOTATION_ACTION_ID]: requestId };
}

type Scripted<T> = T | undefined;

/** A ledger over one stored object. `next*` fields script the next answer instead of the real effect. */
export class FakeLedger implements ActionLedger {
  writes = 0;
  records: LastAction[] = [];
  nextRecord: Scripted<RecordResult>;
  nextClear: Scripted<ClearResult>;
  nextStamp: Scripted<StampResult>;
  stamps: string[] = [];
  private rv: number;

  constructor(public stored: Container | undefined) {
    this.rv = Number(stored?.metadata.resourceVersion ?? "10");
  }

  async recordOutcome(_ref: ContainerRef, lastAction: LastAction): Promise<RecordResult> {
    this.writes++;
    const scripted = this.take("nextRecord");
    if (scripted !== undefined) return scripted;
    if (this.stored === undefined) return { kind: "gone" };
    if (this.stored.status === undefined) return { kind: "rejected", detail: "status.image: Required value" };
    this.stored.status.lastAction = lastAction;
    this.records.push(lastAction);
    return { kind: "written", resourceVersion: this.bump() };
  }

  async clearRequest(_ref: ContainerRef, raw: RawRequest): Promise<ClearResult> {
    this.writes++;
    const scripted = this.take("nextClear");
    if (scripted !== undefined) return scripted;
    if (this.stored === undefined) return { kind: "gone" };
    const annotations = this.stored.metadata.annotations ?? {};
    if (annotations[ANNOTATION_ACTION] !== raw.action || annotations[ANNOTATION_ACTION_ID] !== raw.requestId) {
      return { kind: "superseded" };
    }
    delete annotations[ANNOTATION_ACTION];
    delete annotations[ANNOTATION_ACTION_ID];
    return { kind: "cleared", resourceVersion: this.bump() };
  }

  async stampRequestId(_ref: ContainerRef, action: string, requestId: string): Promise<StampResult> {
    this.writes++;
    const scripted = this.take("nextStamp");
    if (scripted !== undefined) return scripted;
    if (this.stored === undefined) return { kind: "gone" };
    const annotations = this.stored.metadata.annotations ?? {};
    if (annotations[ANNOTATION_ACTION] !== action || annotations[ANNOTATION_ACTION_ID] !== undefined) return { kind: "superseded" };
    annotations[ANNOTATION_ACTION_ID] = requestId;
    this.stamps.push(requestId);
    return { kind: "stamped", resourceVersion: this.bump() };
  }

  private bump(): string {
    this.rv++;
    if (this.stored !== undefined) this.stored.metadata.resourceVersion = String(this.rv);
    return String(this.rv);
  }

  private take<K extends "nextRecord" | "nextClear" | "nextStamp">(field: K): this[K] {
    const value = this[field];
    this[field] = undefined as this[K];
    return value;
  }
}

/** One Docker container with Docker's answers per state (docker-engine.md). */
export class FakeEngine implements ContainerEngine {
  calls: Array<ActionName | "inspect" | "events"> = [];
  /** Times of Docker `restart` events. */
  restarts: number[] = [];
  unreachable = false;
  exists = true;
  state: EngineState = { status: "running", running: true, paused: false, restarting: false, startedAtMs: 1_000 };
  nowMs = 5_000;
  /**
   * Runs as each call reaches the engine, before it is answered: what someone else did in between, e.g. a
   * crashed predecessor's pause landing after our pre-check. `n` counts calls of that kind, from 1.
   */
  beforeCall: ((call: ActionName | "inspect" | "events", n: number) => void) | undefined;

  private reach(call: ActionName | "inspect" | "events"): void {
    this.calls.push(call);
    this.beforeCall?.(call, this.calls.filter((c) => c === call).length);
  }

  async inspect(_id: string): Promise<InspectReply> {
    this.reach("inspect");
    if (this.unreachable) return { kind: "unreachable", detail: "connect ENOENT /var/run/docker.sock" };
    if (!this.exists) return { kind: "gone", message: `No such container: ${CONTAINER_ID}` };
    return { kind: "found", state: { ...this.state } };
  }

  async restartedSince(_id: string, sinceMs: number): Promise<RestartHistoryReply> {
    this.reach("events");
    if (this.unreachable) return { kind: "unreachable", detail: "connect ENOENT /var/run/docker.sock" };
    return this.restarts.some((t) => t >= sinceMs) ? { kind: "restarted" } : { kind: "not-restarted" };
  }

  async perform(id: string, action: ActionName): Promise<EngineReply> {
    this.reach(action);
    if (this.unreachable) return { kind: "unreachable", detail: "connect ENOENT /var/run/docker.sock" };
    if (!this.exists) return { kind: "gone", message: `No such container: ${id}` };
    const s = this.state;
    switch (action) {
      case "start":
        if (s.paused) return { kind: "refused", message: "cannot start a paused container, try unpause instead" };
        if (s.running) return { kind: "already" };
        return this.become("running", true);
      case "stop":
        if (!s.running) return { kind: "already" };
        this.state = { ...s, status: "exited", running: false, paused: false };
        return { kind: "done" };
      case "pause":
        if (!s.running) return { kind: "refused", message: `Container ${id} is not running` };
        if (s.paused) return { kind: "refused", message: `Container ${id} is already paused` };
        this.state = { ...s, status: "paused", paused: true };
        return { kind: "done" };
      case "unpause":
        if (!s.paused) return { kind: "refused", message: `Container ${id} is not paused` };
        this.state = { ...s, status: "running", paused: false };
        return { kind: "done" };
      case "restart":
        this.restarts.push(this.nowMs + 1_000);
        return this.become("running", true);
    }
  }

  /** State-changing calls, without inspects and event reads. */
  actionCalls(): ActionName[] {
    return this.calls.filter((c): c is ActionName => c !== "inspect" && c !== "events");
  }

  private become(status: EngineState["status"], started: boolean): EngineReply {
    this.nowMs += 1_000;
    this.state = { status, running: true, paused: false, restarting: false, startedAtMs: started ? this.nowMs : this.state.startedAtMs };
    return { kind: "done" };
  }
}

export class FakeEvents implements EventRecorder {
  recorded: ContainerEvent[] = [];
  record(_ref: ContainerRef, event: ContainerEvent): void {
    this.recorded.push(event);
  }
}

/** Request ids `srv-1`, `srv-2`, … in order, as the controller would mint UUIDs. */
export function countingIds(): RequestIds {
  let n = 0;
  return { newRequestId: () => `srv-${++n}` };
}

/** A clock that moves 1 ms on each read, so observedAt < completedAt. */
export function steppingClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  return { nowMs: () => now++ };
}
