/**
 * The actors of a scenario, apart from the controller: GUI clients writing requests, users of kubectl
 * and the docker CLI, containers whose process exits, and the OS killing the controller. Each step is
 * what a real one would send, through the same store and Docker model.
 */
import {
  ANNOTATION_ACTION,
  ANNOTATION_ACTION_ID,
  API_VERSION,
  FieldManager,
  KIND,
  keyOf,
  requestIdProblem,
  type ContainerRef,
} from "@container-actions/core";
import { idOf, type HistoryEvent, type WrittenRequest } from "../invariants/history.ts";
import type { Step } from "../scenarios/scenario.ts";
import { flushMicrotasks, type Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { FaultState } from "./process-life.ts";
import type { ClusterPort, DockerPort } from "./world-ports.ts";

export const NAMESPACE = "default";
/** How long the world's clock runs at a time while a `docker run` waits on the engine. */
const RUN_POLL_MS = 10;
const GUI_USER = "gui-user";
/** The field manager of a client that writes by server-side apply. */
const SSA_MANAGER = "kubectl-apply";

export interface ActorEnv {
  /** The namespace of this engine's mirrors (one per engine in a fleet). */
  namespace: string;
  /** The containers another engine of the fleet has created, for cross-namespace mischief. */
  peerIds: (engine: number) => readonly string[];
  cluster: ClusterPort;
  docker: DockerPort;
  clock: VirtualClock;
  prng: Prng;
  faults: FaultState;
  record: (event: HistoryEvent) => void;
  runFor: (ms: number) => Promise<void>;
  /** SIGKILLs the controller, waits `downMs`, starts a new one. */
  crash: (downMs: number) => Promise<void>;
}

export class Actors {
  /** Docker containers in the order they were created: a step's container index points here. */
  readonly ids: string[] = [];
  /** Every request a client wrote, in order. */
  readonly writes: WrittenRequest[] = [];
  private seq = 0;

  constructor(private readonly env: ActorEnv) {}

  /**
   * The client write a request on `key` came from (the latest with that action and id), or null. An
   * unchanged write is no request of its own: it merged into the one it found pending.
   */
  attribute(key: string, action: string, requestId: string | undefined): WrittenRequest | null {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const w = this.writes[i] as WrittenRequest;
      if (w.key === key && !w.collapsed && w.action === action && idOf(w) === requestId) return w;
    }
    return null;
  }

  /**
   * Notes the id the controller stamped on an id-less request: the stamp's test held, so the slot held
   * exactly the latest write that changed it, an id-less `action`.
   */
  stamped(key: string, action: string, requestId: string): void {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const w = this.writes[i] as WrittenRequest;
      if (w.key !== key || w.collapsed) continue;
      if (w.action === action && idOf(w) === undefined) w.stampedId = requestId;
      return;
    }
  }

  /** Carries out one step of the scenario. */
  async perform(step: Step): Promise<void> {
    switch (step.kind) {
      case "request":
        return this.request(this.ref(step.container), step.action, step.withId ? this.idFor(step.container, step.action, step.reuseId === true) : undefined, true, step.keepsId === true);
      case "apply-request":
        return this.applyRequest(this.ref(step.container), step.action, step.withId ? `r${this.seq + 1}` : undefined);
      case "invalid-request":
        return this.invalidRequest(this.ref(step.container), step.value, step.id);
      case "docker": {
        const id = this.idOf(step.container);
        if (id === undefined) return;
        // An out-of-band call may change the container at any moment until dockerd answers it (a slow
        // stop unpauses and kills late), so the checkers hear of it when it starts and when it ends.
        const key = keyOf({ namespace: this.env.namespace, name: id });
        const record = (done: boolean) => this.env.record({ kind: "docker-cli", key, op: step.op, done, atMs: this.env.clock.nowMs() });
        record(false);
        if (step.op === "exit") this.env.docker.exitProcess(id, 1);
        else void this.env.docker.cli(step.op, id).then(() => record(true));
        return;
      }
      case "docker-run":
        await this.dockerRun();
        return;
      case "delete": {
        const ref = this.ref(step.container);
        const answer = await this.env.cluster.delete(ref, { fieldManager: "kubectl", user: GUI_USER });
        if (answer.code === 200 || answer.code === 202) this.env.record({ kind: "deleted", key: keyOf(ref), atMs: this.env.clock.nowMs() });
        return;
      }
      case "force-delete": {
        const ref = this.ref(step.container);
        const user = { fieldManager: "kubectl", user: GUI_USER };
        const stripped = await this.env.cluster.mergePatch(ref, { metadata: { finalizers: null } }, user);
        const answer = await this.env.cluster.delete(ref, user);
        // A terminating object goes as soon as its finalizers are stripped, so the delete itself may find it gone.
        const gone = answer.code === 200 || answer.code === 202 || (stripped.code === 200 && answer.code === 404);
        if (gone) this.env.record({ kind: "deleted", key: keyOf(ref), forced: true, atMs: this.env.clock.nowMs() });
        return;
      }
      case "statusless-request": {
        const real = this.idOf(step.container ?? 0);
        const name =
          step.name === "docker-name" && real !== undefined
            ? `c${this.ids.indexOf(real)}`
            : step.name === "short-id" && real !== undefined
              ? real.slice(0, 12)
              : this.env.prng.u32().toString(16).padStart(8, "0").repeat(8);
        return this.handMade(name, step.action);
      }
      case "cross-engine-request": {
        const theirs = this.env.peerIds(step.owner);
        if (theirs.length === 0) return;
        return this.handMade(theirs[step.container % theirs.length] as string, step.action);
      }
      case "create-with-request": {
        const id = this.idOf(step.container);
        if (id === undefined) return;
        const metadata = { name: id, namespace: this.env.namespace, annotations: { [ANNOTATION_ACTION]: step.action, [ANNOTATION_ACTION_ID]: `r${this.seq + 1}` } };
        const answer = await this.env.cluster.create({ apiVersion: API_VERSION, kind: KIND, metadata }, { fieldManager: "kubectl", user: GUI_USER });
        this.env.record({ kind: "create-with-request", key: keyOf({ namespace: this.env.namespace, name: id }), action: step.action, admitted: answer.code === 201, atMs: this.env.clock.nowMs() });
        return;
      }
      case "crash":
        return this.env.crash(step.downMs);
      case "engine-outage":
        this.env.docker.setUnreachable(true);
        this.env.record({ kind: "engine-outage", atMs: this.env.clock.nowMs(), untilMs: this.env.clock.nowMs() + step.ms });
        this.env.clock.setTimer(step.ms, () => this.env.docker.setUnreachable(false));
        return;
      case "wait":
        return this.env.runFor(step.ms);
    }
  }

  /** A Container made by hand (no webhook) in this engine's namespace, then a request on it. */
  private async handMade(name: string, action: string): Promise<void> {
    const ref = { namespace: this.env.namespace, name };
    await this.env.cluster.create({ apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace: this.env.namespace } }, { fieldManager: "kubectl", user: GUI_USER, admission: false });
    return this.request(ref, action, undefined, false);
  }

  private async request(ref: ContainerRef, action: string, requestId: string | undefined, admission: boolean, keepsId = false): Promise<void> {
    const annotations = keepsId && requestId === undefined ? { [ANNOTATION_ACTION]: action } : { [ANNOTATION_ACTION]: action, [ANNOTATION_ACTION_ID]: requestId ?? null };
    const prior = this.env.cluster.peek(ref)?.metadata;
    const before = prior?.resourceVersion;
    // The merge patch leaves an id it does not mention in place: the request then goes by that id.
    const slotId = ANNOTATION_ACTION_ID in annotations ? requestId : prior?.annotations?.[ANNOTATION_ACTION_ID];
    const answer = await this.env.cluster.mergePatch(ref, { metadata: { annotations } }, { fieldManager: FieldManager.console, user: GUI_USER, admission });
    if (answer.code !== 200) return;
    if (slotId !== undefined && slotId !== null && requestIdProblem(slotId) !== null) {
      // An action-only write kept a malformed id an earlier (unadmitted) write left in the slot: what
      // the client caused is an invalid request, which is dropped by design.
      this.env.record({ kind: "invalid-write", key: keyOf(ref), value: action, atMs: this.env.clock.nowMs() });
      return;
    }
    const collapsed = answer.object?.metadata.resourceVersion === before;
    const request: WrittenRequest = {
      key: keyOf(ref),
      action: action as WrittenRequest["action"],
      ...(slotId ? { requestId: slotId } : {}),
      seq: ++this.seq,
      atMs: this.env.clock.nowMs(),
      ...(collapsed ? { collapsed } : {}),
    };
    this.writes.push(request);
    this.env.record({ kind: "client-write", request });
  }

  /** An SSA write of the request: what the slot then holds is the request (an id it does not apply may stay). */
  private async applyRequest(ref: ContainerRef, action: string, requestId: string | undefined): Promise<void> {
    const prior = this.env.cluster.peek(ref)?.metadata;
    const annotations = { [ANNOTATION_ACTION]: action, ...(requestId === undefined ? {} : { [ANNOTATION_ACTION_ID]: requestId }) };
    const config = { apiVersion: API_VERSION, kind: KIND, metadata: { name: ref.name, namespace: ref.namespace, annotations } };
    const answer = await this.env.cluster.apply(ref, config, { fieldManager: SSA_MANAGER, user: GUI_USER, force: true });
    if (answer.code !== 200) return;
    const slotId = answer.object?.metadata.annotations?.[ANNOTATION_ACTION_ID];
    if (slotId !== undefined && requestIdProblem(slotId) !== null) {
      this.env.record({ kind: "invalid-write", key: keyOf(ref), value: action, atMs: this.env.clock.nowMs() });
      return;
    }
    const same = prior?.annotations?.[ANNOTATION_ACTION] === action && prior?.annotations?.[ANNOTATION_ACTION_ID] === slotId;
    const request: WrittenRequest = {
      key: keyOf(ref),
      action: action as WrittenRequest["action"],
      ...(slotId ? { requestId: slotId } : {}),
      seq: ++this.seq,
      atMs: this.env.clock.nowMs(),
      ...(same ? { collapsed: true } : {}),
    };
    this.writes.push(request);
    this.env.record({ kind: "client-write", request });
  }

  private async invalidRequest(ref: ContainerRef, value: string, id: string | undefined): Promise<void> {
    const patch = { metadata: { annotations: { [ANNOTATION_ACTION]: value, [ANNOTATION_ACTION_ID]: id ?? null } } };
    const answer = await this.env.cluster.mergePatch(ref, patch, { fieldManager: FieldManager.console, user: GUI_USER, admission: false });
    if (answer.code === 200) this.env.record({ kind: "invalid-write", key: keyOf(ref), value, atMs: this.env.clock.nowMs() });
  }

  /**
   * `docker run -d`: slow-stopping or restart-always as the faults draw it. The engine's fault gate may
   * delay the call in virtual time, so the world's clock runs while it waits.
   */
  async dockerRun(): Promise<void> {
    const slowStop = this.env.faults.active && this.env.prng.chance(...this.env.faults.options.slowStopChance);
    const restartAlways = this.env.faults.active && this.env.prng.chance(...this.env.faults.options.restartPolicyChance);
    let id: string | undefined;
    void this.env.docker.run({ name: `c${this.ids.length}`, slowStop, restartAlways }).then((got) => {
      id = got;
    });
    await flushMicrotasks();
    while (id === undefined) await this.env.runFor(RUN_POLL_MS);
    this.ids.push(id);
  }

  /** A fresh id, or — to reuse one — the latest request's id on the object if it never went with `action`. */
  private idFor(container: number, action: string, reuse: boolean): string {
    const key = keyOf(this.ref(container));
    const latest = reuse ? this.writes.findLast((w) => w.key === key && idOf(w) !== undefined) : undefined;
    const id = latest === undefined ? undefined : idOf(latest);
    if (id !== undefined && !this.writes.some((w) => w.key === key && w.action === action && idOf(w) === id)) return id;
    return `r${this.seq + 1}`;
  }

  private idOf(index: number): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids[index % this.ids.length];
  }

  private ref(index: number): ContainerRef {
    return { namespace: this.env.namespace, name: this.idOf(index) ?? "missing" };
  }
}
