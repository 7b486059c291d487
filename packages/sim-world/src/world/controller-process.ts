/**
 * One simulated controller process: the real core controller (queues, action protocol, mirror sync) fed
 * by a lagging informer over the store's watch and by Docker's event stream, writing through the
 * controller's real KubeActionLedger and KubeMirrorLedger over an in-process transport to the fake
 * apiserver, and calling Docker through its real dockerode adapters (world-models.ts). Faults are the
 * wire's (FaultyCluster, the engine's gate); the process adds only mortality. Killing it loses
 * everything in memory, as SIGKILL does.
 */
import {
  ContainerController,
  createActionReconciler,
  DEFAULT_BACKOFF,
  EngineInventory,
  keyOf,
  readRequestSlot,
  type ActionPorts,
  type ActionReconciler,
  type ContainerCache,
  type ContainerEngine,
  type ContainerRef,
  type ControllerReport,
  type MirrorSource,
  type RequestIds,
} from "@container-actions/core";
import type { ClusterStore, KubeApi } from "@container-actions/fake-apiserver";
import { containerPath, JSON_PATCH, KubeActionLedger, KubeMirrorLedger, MERGE_PATCH, type KubeTransport } from "@container-actions/kube-adapters";
import { effectOfReply, type HistoryEvent, type WrittenRequest } from "../invariants/history.ts";
import type { NaivePorts } from "../properties/naive/naive-reconciler.ts";
import type { Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { worldKubeTransport } from "./in-process-kube.ts";
import { mortalEngine, mortalSource, mortalTransport, ProcessLife, type FaultState } from "./process-life.ts";
import type { WorldCounters } from "./world.ts";
import { LaggingInformer } from "./lagging-informer.ts";
import type { ClusterPort, DockerPort } from "./world-ports.ts";

export type ReconcilerFactory = (ports: NaivePorts) => ActionReconciler;

export interface ProcessDeps {
  namespace: string;
  clock: VirtualClock;
  prng: Prng;
  faults: FaultState;
  /** The store as the informer and the naive variants' guards read it. */
  cluster: ClusterPort;
  /** What the process's API requests reach: the store, through the world's recorder (`api`). */
  apiserver: { store: ClusterStore; api: KubeApi };
  docker: DockerPort;
  /** The engine's ports: the controller's real dockerode adapters over the in-process engine. */
  engine: ContainerEngine;
  source: MirrorSource;
  reconciler?: ReconcilerFactory;
  /** The ids the controller gives id-less requests: one seeded stream for the whole run, across crashes. */
  ids: RequestIds;
  record: (event: HistoryEvent) => void;
  /** The client write a request on `key` came from, or null when no write matches. */
  attribute: (key: string, action: string, requestId: string | undefined) => WrittenRequest | null;
  counters: WorldCounters;
  /** What the controller reports of each key it handled. */
  report: (report: ControllerReport) => void;
  /** The server's answer to each action-protocol write this process received, by key (`gone`, `superseded`, `HTTP 500`…). */
  told?: (key: string, answer: string) => void;
  concurrency: number;
  resyncMs: number;
}

const FULL_SYNC_RETRY_MS = 1_000;

export class ControllerProcess {
  readonly life: ProcessLife;
  readonly controller: ContainerController;
  private readonly informer: LaggingInformer;
  /** The process's connection to the apiserver, through which every write of it goes. */
  private readonly kube: KubeTransport;
  private readonly source: MirrorSource;
  private readonly current = new Map<string, WrittenRequest | null>();
  private dockerHandle: { stop(): void } | null = null;
  private cancelResync: (() => void) | null = null;

  constructor(private readonly deps: ProcessDeps) {
    this.life = new ProcessLife();
    this.kube = mortalTransport(worldKubeTransport({ ...deps.apiserver, faults: deps.faults, clock: deps.clock, prng: deps.prng }), this.life);
    this.source = mortalSource(deps.source, this.life);
    this.informer = new LaggingInformer({
      ...deps,
      life: this.life,
      onChange: (container, deleted) => this.controller.onContainer(container, deleted),
      onSynced: () => this.controller.onSynced(),
    });
    const cacheView: ContainerCache = this.informer;
    const inventory = new EngineInventory();
    const action: ActionPorts = {
      engine: this.observedEngine(mortalEngine(this.attributedEngine(deps.engine), this.life)),
      owner: inventory,
      ledger: new KubeActionLedger(this.toldTransport(this.kube)),
      // Events are emitted in-process; a killed process emits nothing more.
      events: { record: (ref, event) => this.life.alive && deps.record({ kind: "k8s-event", key: keyOf(ref), ...event, atMs: deps.clock.nowMs() }) },
      clock: deps.clock,
      ids: deps.ids,
    };
    const reconciler = this.attributed(
      deps.reconciler ? deps.reconciler({ ...action, cache: cacheView, removeRequestUnguarded: (ref, rv) => this.removeUnguarded(ref, rv), removeRequestIfAction: (ref, action) => this.removeIfAction(ref, action) }) : createActionReconciler(action),
    );
    this.controller = new ContainerController({
      namespace: deps.namespace,
      cache: cacheView,
      action,
      mirror: { source: this.source, ledger: new KubeMirrorLedger(this.kube, cacheView) },
      inventory,
      timers: deps.clock,
      concurrency: deps.concurrency,
      backoff: DEFAULT_BACKOFF,
      reconciler,
      report: (report) => {
        if (this.life.alive) deps.report(report);
      },
    });
  }

  /** Lists, starts watching, follows Docker's events, runs the full sync and schedules resyncs. */
  start(): void {
    this.informer.start();
    this.dockerHandle = this.deps.docker.subscribe((event) => {
      if (this.life.alive) this.controller.onEngineEvent(event.id);
    });
    void this.fullSync();
  }

  /** SIGKILL: nothing in memory survives, nothing not yet sent is sent. */
  kill(): void {
    this.life.alive = false;
    this.informer.stop();
    this.dockerHandle?.stop();
    this.cancelResync?.();
    void this.controller.shutdown();
  }

  /** Why this process is not idle, or null. */
  pending(): string | null {
    if (this.informer.catchingUp()) return "informer catching up";
    if (!this.controller.actions.isIdle()) return "action queue busy";
    if (!this.controller.mirrors.isIdle()) return "mirror queue busy";
    return null;
  }

  /** Lists Docker and enqueues everything; an unreachable engine is retried soon, then every resync period. */
  private async fullSync(): Promise<void> {
    const listed = await this.source.list();
    if (!this.life.alive) return;
    if (listed.kind === "listed") this.controller.resync(listed.ids);
    const next = listed.kind === "listed" ? this.deps.resyncMs : FULL_SYNC_RETRY_MS;
    this.cancelResync = this.deps.clock.setTimer(next, () => void this.fullSync());
  }

  /** Notes which client write each reconcile works on, so Docker calls can be charged to requests. */
  private attributed(inner: ActionReconciler): ActionReconciler {
    return {
      ...inner,
      reconcile: (container, attempt) => {
        const slot = readRequestSlot(container.metadata.annotations);
        const key = keyOf({ namespace: container.metadata.namespace ?? this.deps.namespace, name: container.metadata.name });
        this.current.set(key, slot.kind === "valid" ? this.deps.attribute(key, slot.request.action, slot.request.requestId) : null);
        this.deps.told?.(key, "nothing yet");
        return inner.reconcile(container, attempt);
      },
    };
  }

  /**
   * Notes the server's answer to each action-protocol write this process receives (after faults), for
   * the no-wedge check of I2: `gone` for a 404, `superseded` for a 422 on the guarded request slot (a
   * JSON Patch test failed). Read on the wire, not from the ledger, so the adapters' own mapping of
   * status codes is under test too.
   */
  private toldTransport(inner: KubeTransport): KubeTransport {
    return {
      send: async (request) => {
        const answer = await inner.send(request);
        const addressed = /\/namespaces\/([^/]+)\/containers\/([^/]+)(\/status)?$/.exec(request.path);
        if (this.life.alive && addressed !== null) {
          const key = keyOf({ namespace: decodeURIComponent(addressed[1] ?? ""), name: decodeURIComponent(addressed[2] ?? "") });
          const status = answer.kind === "answered" ? answer.status : 0;
          const slotPatch = addressed[3] === undefined && request.contentType === JSON_PATCH;
          this.deps.told?.(key, status === 404 ? "gone" : status === 422 && slotPatch ? "superseded" : answer.kind === "answered" ? `HTTP ${status}` : "no answer");
        }
        return answer;
      },
    };
  }

  /** Records what Docker really did for each call that reached it, even if the process died before the answer. */
  private attributedEngine(engine: ContainerEngine): ContainerEngine {
    const counters = this.deps.counters;
    return {
      inspect: (id) => {
        counters.dockerInspects++;
        return engine.inspect(id);
      },
      restartedSince: (id, sinceMs) => {
        counters.dockerInspects++;
        return engine.restartedSince(id, sinceMs);
      },
      perform: async (id, action) => {
        counters.dockerCalls++;
        const key = keyOf({ namespace: this.deps.namespace, name: id });
        const request = this.current.get(key) ?? null;
        const startedMs = this.deps.clock.nowMs();
        const reply = await engine.perform(id, action);
        this.deps.record({ kind: "dispatch", key, request, call: action, effect: effectOfReply(reply), startedMs, atMs: this.deps.clock.nowMs() });
        return reply;
      },
    };
  }

  /** Records calls that never reached Docker (the process saw the engine unreachable), and every pre-check read. */
  private observedEngine(engine: ContainerEngine): ContainerEngine {
    const read = <T extends { kind: string }>(id: string, what: "inspect" | "events", reply: T): T => {
      const key = keyOf({ namespace: this.deps.namespace, name: id });
      this.deps.record({ kind: "engine-read", key, request: this.current.get(key) ?? null, read: what, reached: reply.kind !== "unreachable", atMs: this.deps.clock.nowMs() });
      return reply;
    };
    return {
      inspect: async (id) => read(id, "inspect", await engine.inspect(id)),
      restartedSince: async (id, sinceMs) => read(id, "events", await engine.restartedSince(id, sinceMs)),
      perform: async (id, action) => {
        const reply = await engine.perform(id, action);
        if (reply.kind === "unreachable") {
          const key = keyOf({ namespace: this.deps.namespace, name: id });
          const atMs = this.deps.clock.nowMs();
          this.deps.record({ kind: "dispatch", key, request: this.current.get(key) ?? null, call: action, effect: "unreachable", startedMs: atMs, atMs });
        }
        return reply;
      },
    };
  }

  /** The naive variants' removals go through the same transport, so they see the same faults. */
  private async removeIfAction(ref: ContainerRef, action: string): Promise<"removed" | "superseded" | "gone" | "unavailable"> {
    const hasId = this.deps.cluster.peek(ref)?.metadata.annotations?.["containers.rancherdesktop.io/action-id"] !== undefined;
    const ops = [
      { op: "test" as const, path: ACTION_POINTER, value: action },
      { op: "remove" as const, path: ACTION_POINTER },
      ...(hasId ? [{ op: "remove" as const, path: ACTION_ID_POINTER }] : []),
    ];
    const code = await this.naiveWrite(ref, JSON_PATCH, ops);
    if (code === 200) return "removed";
    if (code === 422) return "superseded";
    if (code === 404) return "gone";
    return "unavailable";
  }

  private async removeUnguarded(ref: ContainerRef, resourceVersion?: string): Promise<"removed" | "conflict" | "gone" | "unavailable"> {
    const patch = { metadata: { annotations: { "containers.rancherdesktop.io/action": null, "containers.rancherdesktop.io/action-id": null }, ...(resourceVersion ? { resourceVersion } : {}) } };
    const code = await this.naiveWrite(ref, MERGE_PATCH, patch);
    if (code === 200) return "removed";
    if (code === 409) return "conflict";
    if (code === 404) return "gone";
    return "unavailable";
  }

  /** One naive PATCH of the main resource; its HTTP status, or 0 for no answer. */
  private async naiveWrite(ref: ContainerRef, contentType: string, body: unknown): Promise<number> {
    const answer = await this.kube.send({ method: "PATCH", path: containerPath(ref), query: { fieldManager: "naive" }, contentType, body, verb: "patch", resource: "containers", caller: "action" });
    return answer.kind === "answered" ? answer.status : 0;
  }
}

/** A guard on the action value alone: the request id is removed with it, whatever it is. */
const ACTION_POINTER = "/metadata/annotations/containers.rancherdesktop.io~1action";
const ACTION_ID_POINTER = "/metadata/annotations/containers.rancherdesktop.io~1action-id";
