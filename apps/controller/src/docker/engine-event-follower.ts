import type Docker from "dockerode";
import type { Timers } from "@container-actions/core";
import { DEFAULT_DOCKER_TIMEOUTS, dockerFailureOf, timedCall, type DockerCallObserver, type DockerTimeouts } from "@container-actions/docker-adapters";
import { ReconnectBackoff } from "../reconnect/index.ts";

/** Container event actions that can change a mirror (reference-behavior.md §3.3, plus kill and oom). */
export const MIRRORED_EVENT_ACTIONS: ReadonlySet<string> = new Set([
  "create", "start", "stop", "die", "pause", "unpause", "restart", "rename", "destroy", "kill", "oom",
]);

/** What the follower needs from Docker. */
export interface EngineEventSource {
  /** The daemon's clock (`GET /info` → SystemTime) in Unix seconds. */
  daemonTimeSec(): Promise<number>;
  /** `GET /events?since=<sinceSec>&filters={"type":["container"]}`; the stream ends when the daemon goes away. */
  openEvents(sinceSec: number, signal: AbortSignal): Promise<AsyncIterable<Uint8Array | string> & { destroy?: () => void }>;
}

/** {@link EngineEventSource} on dockerode. */
export class DockerodeEventSource implements EngineEventSource {
  constructor(
    private readonly docker: Docker,
    private readonly observe?: DockerCallObserver,
    private readonly timeouts: DockerTimeouts = DEFAULT_DOCKER_TIMEOUTS,
  ) {}

  async daemonTimeSec(): Promise<number> {
    const info = (await timedCall(this.observe, "info", "events", () =>
      (this.docker.info as (opts: object) => Promise<unknown>).call(this.docker, { abortSignal: AbortSignal.timeout(this.timeouts.readMs) }),
    )) as { SystemTime?: string };
    const ms = Date.parse(info.SystemTime ?? "");
    // Fallback as rdd's: host time minus 2 minutes (replaying a little too much is harmless).
    return Math.floor((Number.isNaN(ms) ? Date.now() - 120_000 : ms) / 1000);
  }

  async openEvents(sinceSec: number, signal: AbortSignal) {
    const stream = await timedCall(this.observe, "events", "events", () =>
      (this.docker.getEvents as (opts: object) => Promise<unknown>).call(this.docker, { since: sinceSec, filters: { type: ["container"] }, abortSignal: signal }),
    );
    return stream as unknown as AsyncIterable<Uint8Array | string> & { destroy?: () => void };
  }
}

export interface EngineEventFollowerOptions {
  source: EngineEventSource;
  /** A container event that can change its mirror; de-duplication is the queue's job. */
  onEvent: (id: string, action: string) => void;
  /** Runs once the stream is open after each (re)connect: the full sync, which events replayed since `since` complete. */
  onConnected: () => Promise<void>;
  onReachability?: (reachable: boolean) => void;
  timers: Timers;
  backoff?: ReconnectBackoff;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
}

/**
 * Follows Docker's event stream and keeps following it.
 *
 * Guarantees: `since` is read from the **daemon's** clock before the stream opens and before the full sync
 * runs, so a change during the sync is replayed by the stream (E24); when the stream ends or cannot be
 * opened (the engine stopped or restarted) it reconnects after a backoff (250 ms doubling to 30 s, reset on
 * a successful connect) and runs the full sync again, which repairs whatever happened meanwhile.
 * Caveats: a daemon that keeps the connection open but sends nothing is not detected (the periodic resync
 * still repairs mirrors).
 */
export class EngineEventFollower {
  private readonly backoff: ReconnectBackoff;
  private stopped = true;
  private connected = false;
  private abort: AbortController | undefined;
  private cancelSleep: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: EngineEventFollowerOptions) {
    this.backoff = options.backoff ?? new ReconnectBackoff();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.cancelSleep?.();
    await this.loop;
  }

  isConnected(): boolean {
    return this.connected;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.followOnce();
      if (this.stopped) break;
      const delayMs = this.backoff.nextDelayMs();
      this.options.log.warn({ retryInMs: delayMs }, "Docker event stream closed; reconnecting");
      await new Promise<void>((resolve) => {
        const cancel = this.options.timers.setTimer(delayMs, resolve);
        this.cancelSleep = () => {
          cancel();
          resolve();
        };
      });
      this.cancelSleep = undefined;
    }
  }

  private async followOnce(): Promise<void> {
    this.abort = new AbortController();
    try {
      const sinceSec = await this.options.source.daemonTimeSec();
      const stream = await this.options.source.openEvents(sinceSec, this.abort.signal);
      this.setConnected(true);
      this.backoff.reset();
      this.options.log.info({ sinceSec }, "Following Docker events");
      const sync = this.options.onConnected().catch((error) => this.options.log.warn({ error: String(error) }, "Full sync failed"));
      this.abort.signal.addEventListener("abort", () => stream.destroy?.(), { once: true });
      await this.read(stream);
      await sync;
    } catch (error) {
      if (!this.stopped) {
        const failure = dockerFailureOf(error);
        this.options.log.warn({ failure }, "Docker event stream failed");
      }
    } finally {
      this.setConnected(false);
    }
  }

  private async read(stream: AsyncIterable<Uint8Array | string>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of stream) {
      buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        this.handleLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    }
    if (buffered.trim() !== "") this.handleLine(buffered);
  }

  private handleLine(line: string): void {
    const event = parseEvent(line);
    if (event !== null && MIRRORED_EVENT_ACTIONS.has(event.action)) this.options.onEvent(event.id, event.action);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    if (!this.stopped) this.options.onReachability?.(connected);
  }
}

/** One line of `/events`: the container id and action, or null for anything else. */
export function parseEvent(line: string): { id: string; action: string } | null {
  if (line.trim() === "") return null;
  let event: { Type?: unknown; Action?: unknown; status?: unknown; id?: unknown; Actor?: { ID?: unknown } };
  try {
    event = JSON.parse(line);
  } catch {
    return null;
  }
  if (event.Type !== undefined && event.Type !== "container") return null;
  const action = typeof event.Action === "string" ? event.Action : typeof event.status === "string" ? event.status : undefined;
  const id = typeof event.Actor?.ID === "string" ? event.Actor.ID : typeof event.id === "string" ? event.id : undefined;
  return action === undefined || id === undefined ? null : { id, action };
}
