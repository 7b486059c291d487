/**
 * SimulatedDocker: a deterministic model of dockerd 20.10 (API 1.41) container lifecycle on the
 * virtual clock, answering each call as the HTTP API would (status code and JSON body).
 */
import { isCertain, type Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { planCreate, type CreateContainerBody } from "./container-create.ts";
import { ContainerLifecycle } from "./container-lifecycle.ts";
import type { LogEntry } from "./container-logs.ts";
import { ContainerStreams, type WaitAnswer } from "./container-streams.ts";
import type { LogsRequest, LogsStream } from "./logs-query.ts";
import { generateId, generateName, canonicalName } from "./container-names.ts";
import { hasLiveProcess, newContainer, statusOf, type ContainerRecord } from "./container-state.ts";
import { ContainerTable } from "./container-table.ts";
import { includeInList, inspectView, listFilterProblem, listView } from "./container-views.ts";
import { DockerEventLog, eventToJson, type DockerEvent } from "./docker-events.ts";
import { FilterArgs } from "./docker-filters.ts";
import { DockerMessages as M } from "./docker-messages.ts";
import { emptyAnswer, errorAnswer, jsonAnswer, type DockerResponse } from "./docker-response.ts";
import { drawLatencyMs, drawLostReply, drawRemovalFailure, drawStartFailure, drawVerdict, NO_ENGINE_FAULTS, type EngineFaults } from "./engine-faults.ts";
import { ImageTable, type ImageRecord } from "./image-table.ts";
import { parseSignal, SIGKILL } from "./process-signals.ts";
import { subscribeEvents, type EventsAnswer, type EventsQuery } from "./events-query.ts";
import { infoView, versionView } from "./system-views.ts";

/** Dockerd's default grace period between SIGTERM and SIGKILL, in seconds. */
export const STOP_TIMEOUT_S_DEFAULT = 10;

/** What a simulation's own process exit did. */
export type ProcessExitResult = { kind: "exited" } | { kind: "not-running" } | { kind: "frozen" } | { kind: "missing" };

/** The `filters` of a list or events query: Docker's JSON text, or the same as an object. */
export type FiltersParam = string | Record<string, string[]> | undefined;

/** The engine's dependencies: its clock and its PRNG (ids, pids, durations and faults all draw from it). */
export interface SimulatedDockerOptions {
  clock: VirtualClock;
  prng: Prng;
  /** Images besides `local/busybox:latest`. */
  images?: ImageRecord[];
}

/**
 * A simulated Docker engine. Every API method resolves like the HTTP call would, after the virtual time
 * the daemon would take (stop and restart wait out the grace period). Out-of-band actors are plain
 * calls: a user's `docker stop` is {@link stop}; a crash is {@link exitProcess}.
 *
 * The container's command runs as process-model.ts reads it (`true`, `false`, `sleep N`, `echo`, `cat`,
 * `sh -c` scripts of those and `exit N`; anything else runs until a signal or {@link exitProcess}).
 *
 * Does not model: commands beyond process-model.ts's (no shell loops, pipes or redirections but `>&2`),
 * which programs the image holds (the test image lacks `false`, `echo` and `cat`: dockerd fails the
 * start with exit 127, the model runs them), stdin, TTYs, log drivers other than json-file, images
 * beyond a tag table (no pull, build, delete), networks,
 * volumes, ports, exec, health checks, OOM kills, rename, update, events of types other
 * than container, daemon restart (so `unless-stopped` behaves as `always`), StopSignal,
 * create's networking warnings, list filters other than id/name/status/label/exited/ancestor,
 * create options beyond Image/Cmd/Entrypoint/Labels/StopTimeout/HostConfig.{Init,RestartPolicy,
 * NetworkMode}, the time create/start/pause take (instant unless latency is injected), and races
 * dockerd itself has (docker-differential.test.ts lists the ones it tolerates).
 */
export class SimulatedDocker {
  readonly clock: VirtualClock;
  private readonly prng: Prng;
  private readonly images: ImageTable;
  private readonly containers = new ContainerTable();
  private readonly eventLog: DockerEventLog;
  private readonly lifecycle: ContainerLifecycle;
  private readonly streams: ContainerStreams;
  private faults: EngineFaults = NO_ENGINE_FAULTS;

  constructor(options: SimulatedDockerOptions) {
    this.clock = options.clock;
    this.prng = options.prng;
    this.images = new ImageTable();
    for (const image of options.images ?? []) this.images.add(image);
    this.eventLog = new DockerEventLog(this.clock);
    this.streams = new ContainerStreams({
      clock: this.clock,
      exited: (c, code) => this.lifecycle.exited(c, code),
      autoRemove: (c) => this.destroy(c),
      emit: (c, action) => this.lifecycle.emit(c, action),
    });
    this.lifecycle = new ContainerLifecycle(this.clock, this.prng, this.eventLog, (c) => this.streams.started(c));
  }

  /** Changes the injected faults; fields left out keep their value. */
  setFaults(faults: Partial<EngineFaults>): void {
    this.faults = { ...this.faults, ...faults };
  }

  /** `POST /containers/create?name=`: 201 `{Id, Warnings}`, or 400/404/409. */
  async create(body: CreateContainerBody, query: { name?: string } = {}): Promise<DockerResponse> {
    return this.call(() => {
      const plan = planCreate(body, query.name, this.images, this.containers);
      if (plan.kind === "refused") return plan.answer;
      const id = generateId(this.prng);
      const name = plan.name === undefined ? generateName(this.prng, (n) => this.containers.withName(n) !== undefined) : canonicalName(plan.name);
      const c = newContainer(id, name, this.clock.nowMs(), plan.spec);
      this.containers.add(c);
      this.lifecycle.emit(c, "create");
      return jsonAnswer(201, { Id: id, Warnings: [] });
    });
  }

  /** `POST /containers/{id}/start`: 204; 304 when running; 409 when paused or dead. */
  async start(ref: string): Promise<DockerResponse> {
    return this.withContainer(ref, (c) => {
      if (c.flags.paused) return errorAnswer(409, M.startPaused());
      if (c.flags.running) return emptyAnswer(304);
      if (c.flags.removalInProgress || c.flags.dead) return errorAnswer(409, M.markedForRemoval());
      if (this.startFails(c)) return errorAnswer(500, c.flags.error);
      this.lifecycle.startExplicitly(c);
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/stop?t=`: 204 once the process is gone (after the grace period if need be); 304 when not running. */
  async stop(ref: string, query: { t?: number | string } = {}): Promise<DockerResponse> {
    return this.withContainer(ref, async (c) => {
      const timeoutS = this.stopTimeout(c, query.t);
      if (typeof timeoutS === "string") return errorAnswer(500, timeoutS);
      if (!c.flags.running) return emptyAnswer(304);
      await this.lifecycle.stop(c, timeoutS);
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/restart?t=`: stop if running, then start; 204, or 500 for a dead container. */
  async restart(ref: string, query: { t?: number | string } = {}): Promise<DockerResponse> {
    return this.withContainer(ref, async (c) => {
      const timeoutS = this.stopTimeout(c, query.t);
      if (typeof timeoutS === "string") return errorAnswer(500, timeoutS);
      if (c.flags.running) await this.lifecycle.stop(c, timeoutS);
      if (!this.containers.has(c)) return errorAnswer(500, M.restartFailed(ref, M.noSuchContainer(c.id)));
      if (c.flags.removalInProgress || c.flags.dead) return errorAnswer(500, M.restartFailed(ref, M.markedForRemoval()));
      // Started by a concurrent restart (or start) meanwhile: moby's containerStart then returns at once,
      // and containerRestart still logs its own `restart` event (measured: two concurrent restarts give
      // one `start` and two `restart`s).
      if (!c.flags.running) {
        if (this.startFails(c)) return errorAnswer(500, M.restartFailed(ref, c.flags.error));
        this.lifecycle.startExplicitly(c);
      }
      this.lifecycle.emit(c, "restart");
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/pause`: 204; 409 when not running, already paused or restarting. */
  async pause(ref: string): Promise<DockerResponse> {
    return this.withContainer(ref, (c) => {
      if (!c.flags.running) return errorAnswer(409, M.notRunning(c.id));
      if (c.flags.paused) return errorAnswer(409, M.alreadyPaused(c.id));
      if (c.flags.restarting) return errorAnswer(409, M.restarting(c.id));
      c.flags.paused = true;
      this.lifecycle.emit(c, "pause");
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/unpause`: 204; 500 (not 409) when not paused. */
  async unpause(ref: string): Promise<DockerResponse> {
    return this.withContainer(ref, (c) => {
      if (!c.flags.paused) return errorAnswer(500, M.notPaused(c.id));
      c.flags.paused = false;
      this.lifecycle.emit(c, "unpause");
      this.lifecycle.thawed(c);
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/kill?signal=`: 204 (for SIGKILL once the process is gone); 409 when not running. */
  async kill(ref: string, query: { signal?: string } = {}): Promise<DockerResponse> {
    const parsed = parseSignal(query.signal);
    if (parsed.kind === "invalid") return this.call(() => errorAnswer(400, M.invalidSignal(parsed.raw)));
    return this.withContainer(ref, async (c) => {
      if (!c.flags.running) return errorAnswer(409, M.cannotKill(ref, M.notRunning(c.id)));
      if (parsed.signal === SIGKILL) await this.lifecycle.killAndWait(c);
      else this.lifecycle.signal(c, parsed.signal);
      return emptyAnswer(204);
    }, (message) => M.cannotKill(ref, message));
  }

  /**
   * `DELETE /containers/{id}?force=`: 204; 409 when running or paused without force, or while another
   * removal runs. A removal the storage driver fails (`engineRemovalFailureChance`) leaves the container
   * `dead`, its State.Error set, and answers 500, as moby's `cleanupContainer` does: Dead is set before
   * the layer is released, `SetRemovalError` records the error, and RemovalInProgress is reset on the way
   * out, so a later removal tries again.
   */
  async remove(ref: string, query: { force?: boolean } = {}): Promise<DockerResponse> {
    return this.withContainer(ref, async (c) => {
      if (c.flags.removalInProgress) return errorAnswer(409, M.removalInProgress(ref));
      if (c.flags.running && query.force !== true) return errorAnswer(409, M.removeRunning(statusOf(c.flags), c.id));
      c.flags.removalInProgress = true;
      if (c.flags.running) await this.lifecycle.killAndWait(c);
      if (drawRemovalFailure(this.faults, this.prng)) {
        Object.assign(c.flags, { removalInProgress: false, dead: true, error: M.removalFailed(c.id) });
        return errorAnswer(500, c.flags.error);
      }
      this.destroy(c);
      return emptyAnswer(204);
    });
  }

  /** `POST /containers/{id}/wait?condition=`: registered at once (dockerd commits its 200 then), answered when the condition holds. */
  async wait(ref: string, query: { condition?: string } = {}): Promise<WaitAnswer | DockerResponse> {
    return this.openStream(ref, (c) => this.streams.wait(c, query.condition));
  }

  /** `GET /containers/{id}/logs`: what the container wrote (logs-query.ts); live entries to `onEntry` when following. */
  async logs(ref: string, request: LogsRequest, onEntry: (entry: LogEntry) => void, onEnd: () => void): Promise<LogsStream | DockerResponse> {
    return this.openStream(ref, (c) => this.streams.readLogs(c, request, onEntry, onEnd));
  }

  /** `POST /containers/{id}/attach?stream=1`: an `attach` event, then the writes until the process next stops (before a start, it waits for it). */
  async attach(ref: string, request: { stdout: boolean; stderr: boolean; logs: boolean }, onEntry: (entry: LogEntry) => void, onEnd: () => void): Promise<LogsStream | DockerResponse> {
    return this.openStream(ref, (c) => this.streams.attach(c, request, onEntry, onEnd));
  }

  /** `GET /containers/{id}/json`: 200 with the inspect document. */
  async inspect(ref: string): Promise<DockerResponse> {
    return this.withContainer(ref, (c) => jsonAnswer(200, inspectView(c)));
  }

  /** `GET /containers/json?all=&filters=`: 200 with the rows, newest first; 400 for a bad filter. */
  async list(query: { all?: boolean; filters?: FiltersParam } = {}): Promise<DockerResponse> {
    return this.call(() => {
      const parsed = FilterArgs.parse(typeof query.filters === "object" ? JSON.stringify(query.filters) : query.filters);
      if (parsed.kind === "invalid") return errorAnswer(500, parsed.message);
      const problem = listFilterProblem(parsed.filters);
      if (problem !== undefined) return errorAnswer(400, problem);
      const rows = this.containers.newestFirst().filter((c) => includeInList(c, query.all === true, parsed.filters));
      return jsonAnswer(200, rows.map((c) => listView(c, this.clock.nowMs())));
    });
  }

  /** `GET /events`: replays `since`..`until` and then streams live events to `onEvent` until `until`. */
  async events(query: EventsQuery, onEvent: (event: DockerEvent) => void, onEnd: () => void): Promise<EventsAnswer> {
    const gated = await this.gate();
    if (gated !== undefined) return gated;
    return subscribeEvents(this.eventLog, query, onEvent, onEnd);
  }

  /** `GET /_ping`: 200 "OK". */
  async ping(): Promise<DockerResponse> {
    return this.call(() => jsonAnswer(200, "OK"));
  }

  /** `GET /version`. */
  async version(): Promise<DockerResponse> {
    return this.call(() => jsonAnswer(200, versionView()));
  }

  /** `GET /info`, with container counts and SystemTime from the virtual clock. */
  async info(): Promise<DockerResponse> {
    return this.call(() => {
      const all = this.containers.newestFirst();
      return jsonAnswer(200, infoView(all, this.images.count(), this.clock.nowMs(), this.eventLog.listeners()));
    });
  }

  /** Simulation hook: PID 1 exits on its own with `code` (a crash, or the command finishing). */
  exitProcess(ref: string, code: number): ProcessExitResult {
    const found = this.containers.lookup(ref);
    if (found.kind !== "found") return { kind: "missing" };
    const c = found.container;
    if (!hasLiveProcess(c)) return { kind: "not-running" };
    if (c.flags.paused) return { kind: "frozen" };
    this.lifecycle.exited(c, code);
    return { kind: "exited" };
  }

  /** Simulation hook: a stopped container becomes `dead` (what a failed removal leaves). Returns false if it cannot. */
  markDead(ref: string): boolean {
    const found = this.containers.lookup(ref);
    if (found.kind !== "found" || found.container.flags.running) return false;
    found.container.flags.dead = true;
    return true;
  }

  /** The inspect document of `ref` now, bypassing faults and latency (for invariants and consoles). */
  peekInspect(ref: string): Record<string, unknown> | undefined {
    const found = this.containers.lookup(ref);
    return found.kind === "found" ? inspectView(found.container) : undefined;
  }

  /** Every container's inspect document now, newest first, bypassing faults and latency. */
  peekAll(): Array<Record<string, unknown>> {
    return this.containers.newestFirst().map(inspectView);
  }

  /**
   * Calls `observe` with every event the moment it is logged, bypassing faults and latency (for
   * invariants: what the engine did, as it did it). Returns the function that stops it.
   */
  observeEvents(observe: (event: DockerEvent) => void): () => void {
    return this.eventLog.observe(observe);
  }

  /** Every event so far, in order. */
  eventHistory(): readonly DockerEvent[] {
    return this.eventLog.all();
  }

  /** The event history as `/events` would print it, one JSON object a line. */
  eventLogJson(): string {
    return this.eventLog.all().map(eventToJson).join("\n");
  }

  /**
   * An injected runtime failure of an explicit start (`engineStartFailureChance`): no process, no event;
   * State.Error holds the runtime's error and a zero exit code becomes 128, as moby's `containerStart`
   * leaves a start that failed. A start that works clears the error (`setRunning`).
   */
  private startFails(c: ContainerRecord): boolean {
    if (!drawStartFailure(this.faults, this.prng)) return false;
    Object.assign(c.flags, { error: M.startFailed(), exitCode: c.flags.exitCode === 0 ? 128 : c.flags.exitCode });
    return true;
  }

  /** Takes a stopped container out of the engine: `destroy`, and its waits answer. */
  private destroy(c: ContainerRecord): void {
    c.flags.removalInProgress = true;
    this.lifecycle.retire(c);
    this.containers.delete(c);
    this.lifecycle.emit(c, "destroy");
    this.streams.removed(c);
  }

  private stopTimeout(c: ContainerRecord, t: number | string | undefined): number | string {
    if (t === undefined || t === "") return c.spec.stopTimeoutS ?? STOP_TIMEOUT_S_DEFAULT;
    if (typeof t === "number") return Math.trunc(t);
    return /^[+-]?\d+$/.test(t) ? Number(t) : M.notAnInteger(t);
  }

  /** Opens a stream on the container `ref` names, gated like every call; a reply lost to a fault closes it. */
  private async openStream<T extends { kind: string; close(): void }>(ref: string, open: (c: ContainerRecord) => T | DockerResponse): Promise<T | DockerResponse> {
    let opened: T | undefined;
    const gated = await this.withContainer(ref, (c) => {
      const answer = open(c);
      if (answer.kind === "http" || answer.kind === "unreachable") return answer as DockerResponse;
      opened = answer as T;
      return emptyAnswer(204);
    });
    if (opened !== undefined && gated.kind === "http" && gated.statusCode === 204) return opened;
    (opened as T | undefined)?.close();
    return gated;
  }

  /** Runs `act` on the container `ref` names, answering 404/500 as dockerd does when it names none. */
  private withContainer(
    ref: string,
    act: (c: ContainerRecord) => DockerResponse | Promise<DockerResponse>,
    wrap: (message: string) => string = (m) => m,
  ): Promise<DockerResponse> {
    return this.call(() => {
      const found = this.containers.lookup(ref);
      if (found.kind === "missing") return errorAnswer(404, wrap(M.noSuchContainer(ref)));
      if (found.kind === "ambiguous") return errorAnswer(500, wrap(M.ambiguousPrefix(ref)));
      return act(found.container);
    });
  }

  private async call(act: () => DockerResponse | Promise<DockerResponse>): Promise<DockerResponse> {
    const refused = await this.gate();
    if (refused !== undefined) return refused;
    const answer = await act();
    return drawLostReply(this.faults, this.prng) ? errorAnswer(500, M.injectedFault()) : answer;
  }

  /** Applies the faults to one call before it acts: a transport failure, a delay, or an injected 500. */
  private async gate(): Promise<DockerResponse | undefined> {
    const unreachable: DockerResponse = { kind: "unreachable", detail: M.unreachable("unix:///var/run/docker.sock") };
    // A daemon that is down refuses at once: no delay, and nothing drawn.
    if (isCertain(this.faults.engineUnreachableChance)) return unreachable;
    const latencyMs = drawLatencyMs(this.faults, this.prng);
    if (latencyMs > 0) await this.clock.sleep(latencyMs);
    const verdict = drawVerdict(this.faults, this.prng);
    if (verdict.kind === "unreachable") return unreachable;
    if (verdict.kind === "server-error") return errorAnswer(500, M.injectedFault());
    return undefined;
  }
}
