/**
 * A controller process built the way the original Go project is (reference-behavior.md §2.2): ONE
 * reconcile key for everything — every Container event, every resync enqueues it, and a pass lists all
 * Containers (reference-reconciler.ts) — in one worker, requeued with backoff on any error. The mirror
 * sync is this project's (core's syncMirror on a per-id queue, fed by Docker's events), so a comparison
 * with ControllerProcess differs only in how requests are handled.
 *
 * It takes the same ProcessDeps and runs on the same ports, faults, mortality and lagging informer as
 * ControllerProcess; `bench/pipeline` and `bench/scale` measure both side by side. Pass
 * `{ process: referenceProcess }` in WorldOptions to run a scenario with it.
 * Does not model: the App object and its conditions, image/volume mirrors, the watcher's SSA status
 * writes (the mirror writes are this project's merge patches), `deps.reconciler` (naive variants).
 */
import {
  DEFAULT_BACKOFF,
  syncMirror,
  WorkQueue,
  type ActionRequest,
  type ControllerReport,
  type MirrorPorts,
  type ProcessResult,
} from "@container-actions/core";
import type { WrittenRequest } from "../invariants/history.ts";
import type { ProcessDeps } from "./controller-process.ts";
import { KubeMirrorLedger, type KubeTransport } from "@container-actions/kube-adapters";
import { worldKubeTransport } from "./in-process-kube.ts";
import { mortalEngine, mortalSource, mortalTransport, ProcessLife } from "./process-life.ts";
import { LaggingInformer } from "./lagging-informer.ts";
import { observedEngine, ReferenceLedger, unreachableRecorder, type EngineObserver } from "./reference-ports.ts";
import { referencePass, type ReferencePassDeps, type ReferenceStats } from "./reference-reconciler.ts";

/** The one key of the original's engine reconciler (its App object). */
const APP_KEY = "app";
const FULL_SYNC_RETRY_MS = 1_000;

export class ReferenceProcess {
  readonly life: ProcessLife;
  readonly stats: ReferenceStats = { passes: 0, listed: 0, gets: 0 };
  /** The one-key queue: concurrency 1, as controller-runtime runs one key. */
  readonly app: WorkQueue;
  readonly mirrors: WorkQueue;
  private readonly informer: LaggingInformer;
  private readonly kube: KubeTransport;
  private readonly mirrorPorts: MirrorPorts;
  private readonly pass: ReferencePassDeps;
  private readonly current = new Map<string, WrittenRequest | null>();
  private dockerHandle: { stop(): void } | null = null;
  private cancelResync: (() => void) | null = null;

  constructor(private readonly deps: ProcessDeps) {
    this.life = new ProcessLife();
    this.kube = mortalTransport(worldKubeTransport({ ...deps.apiserver, faults: deps.faults, clock: deps.clock, prng: deps.prng }), this.life);
    this.informer = new LaggingInformer({ ...deps, life: this.life, onChange: () => this.app.add(APP_KEY) });
    this.mirrorPorts = { source: mortalSource(deps.source, this.life), ledger: new KubeMirrorLedger(this.kube, this.informer) };
    this.pass = this.passDeps();
    const common = { timers: deps.clock, backoff: DEFAULT_BACKOFF };
    this.app = new WorkQueue({ ...common, concurrency: 1, process: (_key, attempt) => referencePass(this.pass, attempt) });
    this.mirrors = new WorkQueue({ ...common, concurrency: deps.concurrency, process: (id, attempt) => this.syncOne(id, attempt) });
  }

  /** Lists, starts watching, follows Docker's events, runs the full sync and schedules resyncs. */
  start(): void {
    this.informer.start();
    this.dockerHandle = this.deps.docker.subscribe((event) => {
      if (this.life.alive) this.mirrors.add(event.id);
    });
    void this.fullSync();
  }

  /** SIGKILL: nothing in memory survives, nothing not yet sent is sent. */
  kill(): void {
    this.life.alive = false;
    this.informer.stop();
    this.dockerHandle?.stop();
    this.cancelResync?.();
    void this.app.shutdown();
    void this.mirrors.shutdown();
  }

  /** Why this process is not idle, or null. */
  pending(): string | null {
    if (this.informer.catchingUp()) return "informer catching up";
    if (!this.app.isIdle()) return "action queue busy";
    if (!this.mirrors.isIdle()) return "mirror queue busy";
    return null;
  }

  private passDeps(): ReferencePassDeps {
    const observer: EngineObserver = {
      namespace: this.deps.namespace,
      nowMs: () => this.deps.clock.nowMs(),
      counters: this.deps.counters,
      record: (event) => this.deps.record(event),
      requestOf: (key) => this.current.get(key) ?? null,
    };
    return {
      cache: this.informer,
      ledger: new ReferenceLedger(this.kube),
      engine: unreachableRecorder(mortalEngine(observedEngine(this.deps.engine, observer), this.life), observer),
      mirror: this.mirrorPorts,
      clock: this.deps.clock,
      prng: this.deps.prng,
      stats: this.stats,
      beforeDispatch: (key, request) => this.noteDispatch(key, request),
      report: (report) => this.report(report),
    };
  }

  private noteDispatch(key: string, request: ActionRequest): void {
    this.current.set(key, this.deps.attribute(key, request.action, request.requestId));
  }

  private report(report: ControllerReport): void {
    if (this.life.alive) this.deps.report(report);
  }

  private async syncOne(id: string, attempt: number): Promise<ProcessResult> {
    const ref = { namespace: this.deps.namespace, name: id };
    const startMs = this.deps.clock.nowMs();
    const outcome = await syncMirror(id, ref, this.informer.get(ref), this.mirrorPorts);
    this.report({ kind: "mirror", id, attempt, durationMs: this.deps.clock.nowMs() - startMs, outcome });
    return outcome.kind === "retry" ? "retry" : "done";
  }

  /** Lists Docker, enqueues every container and cached mirror and the one key; then every resync period. */
  private async fullSync(): Promise<void> {
    const listed = await this.mirrorPorts.source.list();
    if (!this.life.alive) return;
    if (listed.kind === "listed") {
      for (const id of listed.ids) this.mirrors.add(id);
      for (const container of this.informer.list()) this.mirrors.add(container.metadata.name);
      this.app.add(APP_KEY);
    }
    const next = listed.kind === "listed" ? this.deps.resyncMs : FULL_SYNC_RETRY_MS;
    this.cancelResync = this.deps.clock.setTimer(next, () => void this.fullSync());
  }
}

/** A WorldOptions `process` factory that runs the reference instead of ControllerProcess. */
export function referenceProcess(deps: ProcessDeps): ReferenceProcess {
  return new ReferenceProcess(deps);
}

