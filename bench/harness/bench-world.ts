/**
 * A world for the bench: the simulator's models (cluster store, Docker model, virtual clock) and one
 * controller process — ours (ControllerProcess, the real core controller) or the reference
 * (ReferenceProcess, the original Go project's one-key strategy) — driven like World drives a scenario,
 * but with the bench's own actors and with the counts the bench reports.
 *
 * Does not model: invariant checking (World does that; the pipeline bench runs World for it), crashes.
 */
import { createActionReconciler, type ActionName, type ControllerReport, type MirrorSource } from "@container-actions/core";
import type { FaultOptions } from "@container-actions/sim-world";
import type { HistoryEvent, WrittenRequest } from "@container-actions/sim-world";
import type { KubeApi } from "@container-actions/fake-apiserver";
import { faultOptions, pickKnobs, Prng, WIRE_KNOBS } from "@container-actions/sim-kernel";
import { runFor, VirtualClock } from "@container-actions/sim-kernel";
import { ControllerProcess, type ProcessDeps } from "@container-actions/sim-world";
import { countingLists, recordingApi, storeCluster } from "@container-actions/sim-world";
import { ReferenceProcess } from "@container-actions/sim-world";
import { createWorldModels } from "@container-actions/sim-world";
import { NAMESPACE, zeroCounters, type WorldCounters, type WorldModels } from "@container-actions/sim-world";
import type { ClusterPort } from "@container-actions/sim-world";
import { FieldManager, ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "@container-actions/core";

export const STRATEGIES = ["ours", "reference"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface BenchWorldOptions {
  strategy: Strategy;
  seed: number;
  faults: FaultOptions;
  /** Keys processed at once per queue (the controller's default is 4; the reference's action key always runs alone). */
  concurrency: number;
  /** Period of the full resync, virtual ms. */
  resyncMs: number;
  /** Wraps Docker's mirror source, e.g. to describe idle mirrors that have no simulated container. */
  source?: (inner: MirrorSource) => MirrorSource;
}

/** What the action path has cost so far; the bench reports differences of two snapshots. */
export interface WorkCounts {
  /** Reconcile passes of the action path: ours one per key taken, the reference one per pass of its key. */
  actionPasses: number;
  /** Containers the action path read from the informer cache. */
  examined: number;
  /** Passes of the mirror sync (the same code in both processes). */
  mirrorPasses: number;
  /** Requests to the apiserver that read: informer (re)lists and reads by the action path. */
  apiReads: number;
  /** Writes by the action path (lastAction and request removal). */
  actionWrites: number;
  /** 409 answers to action-path writes. */
  conflicts: number;
  /** Writes by the mirror sync (creates, finalizers, status). */
  mirrorWrites: number;
  /** State-changing Docker calls. */
  dockerCalls: number;
  /** Docker reads by the action path (inspect, restart history). */
  dockerReads: number;
}

const GUI_USER = "gui-user";

/** The parts a bench world is built from; `BenchWorld.create` makes them. */
interface BenchWorldParts {
  clock: VirtualClock;
  models: WorldModels;
  /** The store as the controller sees it: every write counted and recorded (recording-api.ts). */
  cluster: ClusterPort;
  /** What the controller's requests reach: the store behind the recorder. */
  api: KubeApi;
  counters: WorldCounters;
  listeners: Set<(event: HistoryEvent) => void>;
  prng: Prng;
}

export class BenchWorld {
  readonly clock: VirtualClock;
  readonly models: WorldModels;
  readonly cluster: ClusterPort;
  private readonly api: KubeApi;
  readonly counters: WorldCounters;
  readonly ids: string[] = [];
  private readonly listeners: Set<(event: HistoryEvent) => void>;
  private readonly prng: Prng;
  private readonly writes: WrittenRequest[] = [];
  private readonly passes = { action: 0, mirror: 0 };
  private reconciled = 0;
  private seq = 0;
  private requestIds = 0;
  private process: ControllerProcess | ReferenceProcess | null = null;

  private constructor(
    readonly options: BenchWorldOptions,
    parts: BenchWorldParts,
  ) {
    ({ clock: this.clock, models: this.models, cluster: this.cluster, api: this.api, counters: this.counters, listeners: this.listeners, prng: this.prng } = parts);
  }

  static async create(options: BenchWorldOptions): Promise<BenchWorld> {
    const prng = new Prng(options.seed);
    const clock = new VirtualClock();
    const models = await createWorldModels(prng.fork(), clock);
    const counters = zeroCounters();
    const listeners = new Set<(event: HistoryEvent) => void>();
    const emit = (event: HistoryEvent) => {
      for (const listener of listeners) listener(event);
    };
    const api = recordingApi(models.store, (ref) => models.cluster.peek(ref), emit, () => clock.nowMs(), counters);
    const cluster = countingLists(storeCluster(models.store, api), counters);
    return new BenchWorld(options, { clock, models, cluster, api, counters, listeners, prng });
  }

  /** Subscribes to the run's history events (client writes, outcomes, removals, dispatches). */
  onEvent(listener: (event: HistoryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `docker run -d` of `count` containers (restart policy `always` when asked). */
  async dockerRun(count: number, restartAlways: boolean): Promise<void> {
    for (let i = 0; i < count; i++) this.ids.push(await this.models.docker.run({ name: `c${this.ids.length}`, slowStop: false, restartAlways }));
  }

  /** Starts the controller process: list, watch, Docker events, full sync. */
  start(): void {
    // The engine's one fault gate carries the run's engine faults (the apiserver's are the process's FaultyCluster).
    this.models.docker.setEngineFaults(pickKnobs(faultOptions(this.options.faults), WIRE_KNOBS.engine));
    const deps: ProcessDeps = {
      namespace: NAMESPACE,
      clock: this.clock,
      prng: this.prng.fork(),
      faults: { options: this.options.faults, active: true },
      cluster: this.cluster,
      apiserver: { store: this.models.store, api: this.api },
      docker: this.models.docker,
      engine: this.models.engine,
      source: this.options.source ? this.options.source(this.models.source) : this.models.source,
      ids: { newRequestId: () => `b${(this.requestIds++).toString(36)}` },
      record: (event) => this.emit(event),
      attribute: (key, action, requestId) => this.attribute(key, action, requestId),
      counters: this.counters,
      report: (report) => this.count(report),
      concurrency: this.options.concurrency,
      resyncMs: this.options.resyncMs,
    };
    this.process = this.options.strategy === "ours" ? new ControllerProcess({ ...deps, reconciler: (ports) => this.countingReconciler(ports) }) : new ReferenceProcess(deps);
    this.process.start();
  }

  /** Stops the process (its timers die with it), so a finished world costs nothing more. */
  stop(): void {
    this.process?.kill();
  }

  /** Null when the process is idle: informer caught up, both queues empty. */
  pending(): string | null {
    return this.process === null ? "not started" : this.process.pending();
  }

  /** True when every container of `ids` has a mirror with Docker's status. */
  async mirrored(ids: readonly string[] = this.ids): Promise<boolean> {
    const statuses = await this.models.docker.statuses();
    return ids.every((id) => this.models.cluster.peek({ namespace: NAMESPACE, name: id })?.status?.status === statuses.get(id));
  }

  work(): WorkCounts {
    const reference = this.process instanceof ReferenceProcess ? this.process.stats : undefined;
    const c = this.counters;
    return {
      actionPasses: reference ? reference.passes : this.passes.action,
      examined: reference ? reference.listed + reference.gets : this.reconciled,
      mirrorPasses: this.passes.mirror,
      apiReads: c.informerLists,
      actionWrites: c.actionApiWrites,
      conflicts: c.apiConflicts,
      mirrorWrites: c.apiWrites - c.actionApiWrites,
      dockerCalls: c.dockerCalls,
      dockerReads: c.dockerInspects,
    };
  }

  /** A GUI client's request: a merge patch of both annotations, as api_containers.md shows. */
  async request(index: number, action: ActionName, requestId: string): Promise<WrittenRequest | null> {
    const id = this.ids[index];
    if (id === undefined) throw new Error(`no container ${index}`);
    const ref = { namespace: NAMESPACE, name: id };
    const annotations = { [ANNOTATION_ACTION]: action, [ANNOTATION_ACTION_ID]: requestId };
    const answer = await this.cluster.mergePatch(ref, { metadata: { annotations } }, { fieldManager: FieldManager.console, user: GUI_USER });
    if (answer.code !== 200) return null;
    const request: WrittenRequest = { key: `${NAMESPACE}/${id}`, action, requestId, seq: ++this.seq, atMs: this.clock.nowMs() };
    this.writes.push(request);
    this.emit({ kind: "client-write", request });
    return request;
  }

  /** Runs the world for `ms` of virtual time, letting every reply settle between timers. */
  runFor(ms: number): Promise<void> {
    return runFor(this.clock, ms);
  }

  /** Runs in `sliceMs` slices until `done()` holds or `budgetMs` of virtual time is spent; false on the budget. */
  async runUntil(done: () => boolean | Promise<boolean>, budgetMs: number, sliceMs = 100): Promise<boolean> {
    const deadline = this.clock.nowMs() + budgetMs;
    while (!(await done())) {
      if (this.clock.nowMs() >= deadline) return false;
      await this.runFor(sliceMs);
    }
    return true;
  }

  private emit(event: HistoryEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private count(report: ControllerReport): void {
    if (report.kind === "mirror") this.passes.mirror++;
    else this.passes.action++;
  }

  /** Core's own reconciler, counting the Containers it is handed (each pass reads exactly one). */
  private countingReconciler(ports: Parameters<typeof createActionReconciler>[0]) {
    const inner = createActionReconciler(ports);
    return { ...inner, reconcile: (container: Parameters<typeof inner.reconcile>[0], attempt: number) => (this.reconciled++, inner.reconcile(container, attempt)) };
  }

  private attribute(key: string, action: string, requestId: string | undefined): WrittenRequest | null {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const w = this.writes[i] as WrittenRequest;
      if (w.key === key && w.action === action && w.requestId === requestId) return w;
    }
    return null;
  }
}

