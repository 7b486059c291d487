import { DEFAULT_BACKOFF, RESTART_TAKEOVER_MS, STATUS_WAIT_ATTEMPTS_MAX, backoffDelayMs } from "@container-actions/core";
import { NO_FAULTS, type FaultOptions } from "@container-actions/sim-kernel";
import { idOf, type HistoryEvent, type Violation, type WrittenRequest } from "./history.ts";
import type { Checker } from "./final-state.ts";

/** Docker's default stop timeout: the longest a stop or restart of a container ignoring SIGTERM takes (E18). */
const DOCKER_STOP_TIMEOUT_MS = 10_000;

/** The status wait (E14): the backoffs of its first attempts before Docker is asked, all from a fresh key. */
const STATUS_WAIT_MS = Array.from({ length: STATUS_WAIT_ATTEMPTS_MAX }, (_, n) => backoffDelayMs(DEFAULT_BACKOFF, n)).reduce((a, b) => a + b, 0);

/** A handful of API round trips and macrotask turns in a healthy world (no latency injected). */
const ROUND_TRIPS_MS = 1_000;

/**
 * What the protocol promises a request once the world is healthy and its key is not backing off, from
 * core's own constants and never from the periodic resync: an inherited restart waits out the takeover;
 * the key's running pass may be in a slow stop, and the request's own call may be one (Docker's stop
 * timeout, twice); a request on a mirror without status yet waits for it; plus a few API round trips.
 */
export const PROTOCOL_MS = RESTART_TAKEOVER_MS + 2 * DOCKER_STOP_TIMEOUT_MS + STATUS_WAIT_MS + ROUND_TRIPS_MS;

/** How long a key that has been failing since `streakStartMs` may wait at `healthyMs` for its next try: the backoff cap, or the time it has failed (exponential backoff never waits longer than it has already waited, plus one base step). */
export function leftoverBackoffMs(healthyMs: number, streakStartMs: number): number {
  return Math.min(DEFAULT_BACKOFF.maxMs, Math.max(0, healthyMs - streakStartMs) + DEFAULT_BACKOFF.baseMs);
}

/**
 * Bounded latency: a request is resolved — its outcome written, or it was removed, dropped, replaced by
 * a newer write or deleted with its object — within {@link PROTOCOL_MS} plus the backoff its key may
 * have left over, counted from the first healthy moment at or after its write. Healthy means: no engine
 * outage, no controller down after a crash, and — unless the scenario's faults only slow containers
 * down — the faults switched off. The leftover backoff is what exponential backoff with core's cap
 * allows a key whose backoff was last reset at `streakStart` (the cap when it never was).
 *
 * The bound never counts on the periodic resync: a world that runs with a resync longer than the run
 * still meets it, so a lost wake-up, a wait that is not requeued, a backoff that is not reset after a
 * success or not capped after a long outage all show.
 */
export class LatencyBound implements Checker {
  private readonly open: WrittenRequest[] = [];
  private readonly resolvedAtMs = new Map<number, number>();
  /** Intervals [from, to) in which the world is not healthy. */
  private readonly unhealthy: Array<[number, number]> = [];
  /** Per key, when a pass ended without a retry after failed ones: the work queue then forgets its backoff. */
  private readonly donesMs = new Map<string, number[]>();
  /** When each controller process after a crash started, with an empty queue. */
  private readonly processStartsMs: number[] = [];
  private readonly faultsAreCalm: boolean;
  private readonly inFlightMs: number;
  /** When the faults of a scenario that has failing ones began: the run's first event. */
  private startMs: number | null = null;

  constructor(faults: FaultOptions = NO_FAULTS) {
    // Containers that stop slowly or restart by policy make no call fail; the other knobs do.
    const failing = { ...faults, slowStopChance: NO_FAULTS.slowStopChance, restartPolicyChance: NO_FAULTS.restartPolicyChance };
    this.faultsAreCalm = JSON.stringify(failing) === JSON.stringify(NO_FAULTS);
    // What was in flight when the faults stopped still lands: a lagging watch event, a slow call there and back.
    this.inFlightMs = faults.watchLagMsMax + 2 * faults.apiLatencyMsMax + 2 * faults.engineLatencyMsMax;
  }

  on(event: HistoryEvent): Violation | null {
    const atMs = event.kind === "client-write" ? event.request.atMs : event.atMs;
    this.startMs ??= atMs;
    switch (event.kind) {
      case "client-write":
        if (event.request.collapsed) return null;
        this.resolve((w) => w.key === event.request.key, event.request.atMs);
        this.open.push(event.request);
        return null;
      case "invalid-write":
      case "deleted":
        this.resolve((w) => w.key === event.key, event.atMs);
        return null;
      case "backoff-reset":
        this.done(event.key, event.atMs);
        return null;
      case "outcome":
        this.resolve((w) => w.key === event.key && w.action === event.sent.action && idOf(w) === (event.sent.requestId ?? undefined), event.atMs);
        return null;
      case "cleared":
      case "dropped":
        this.resolve((w) => w.key === event.key && w.action === event.action && idOf(w) === event.requestId, event.atMs);
        return null;
      case "engine-outage":
        this.unhealthy.push([event.atMs, event.untilMs]);
        return null;
      case "crash":
        // The next process starts with a fresh queue: no key carries a backoff over.
        this.unhealthy.push([event.atMs, event.atMs + (event.downMs ?? 0)]);
        this.processStartsMs.push(event.atMs + (event.downMs ?? 0));
        return null;
      case "faults-off":
        if (!this.faultsAreCalm) this.unhealthy.push([this.startMs, event.atMs + this.inFlightMs]);
        return null;
      default:
        return null;
    }
  }

  finish(): Violation[] {
    const out: Violation[] = [];
    for (const w of this.open) {
      const doneMs = this.resolvedAtMs.get(w.seq);
      if (doneMs === undefined) continue; // never resolved: no-lost-request and no-wedge say so
      const healthyMs = this.healthyFrom(w.atMs);
      const boundMs = PROTOCOL_MS + leftoverBackoffMs(healthyMs, this.streakStart(w.key, healthyMs));
      if (doneMs - healthyMs > boundMs) {
        out.push({
          invariant: "latency",
          subject: w.key,
          detail: `request ${w.action}${idOf(w) ? `#${idOf(w)}` : ""} (write ${w.seq}) took ${doneMs - healthyMs} ms once the world was healthy (bound ${boundMs} ms: protocol ${PROTOCOL_MS} ms + the key's leftover backoff)`,
        });
      }
    }
    return out;
  }

  /** The first healthy moment at or after `atMs`. */
  private healthyFrom(atMs: number): number {
    let t = atMs;
    for (let moved = true; moved; ) {
      moved = false;
      for (const [from, to] of this.unhealthy) {
        if (from <= t && t < to) {
          t = to;
          moved = true;
        }
      }
    }
    return t;
  }

  /**
   * When the key's current failure streak may have begun: the last reset of its backoff before `atMs` —
   * a pass that ended without a retry after failed ones, or a new process — and unknown (any time, so the
   * cap) without one. A key whose passes never failed has no backoff to leave over.
   */
  private streakStart(key: string, atMs: number): number {
    const resets = [...(this.donesMs.get(key) ?? []), ...this.processStartsMs].filter((t) => t <= atMs);
    return resets.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...resets);
  }

  private done(key: string, atMs: number): void {
    const dones = this.donesMs.get(key) ?? [];
    dones.push(atMs);
    this.donesMs.set(key, dones);
  }

  private resolve(matches: (w: WrittenRequest) => boolean, atMs: number): void {
    for (const w of this.open) if (!this.resolvedAtMs.has(w.seq) && matches(w)) this.resolvedAtMs.set(w.seq, atMs);
  }
}
