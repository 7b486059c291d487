/**
 * The lagging informer cache: a watch whose events reach the client late — each after a delay drawn
 * from the run's PRNG, never out of order — and that may drop, as a broken connection does: pending
 * events are lost and the client hears only that the watch ended, so it must list and watch again.
 * The one lag model of the simulation: the wire face's lagged watches (control API) and the world's
 * lagging informer both deliver through it.
 * Does not model: reordering (the apiserver never reorders one watch), duplicated events.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import { drawLatencyMs, NO_FAULTS, pickKnobs, WIRE_KNOBS, type FaultOptions, type Prng } from "@container-actions/sim-kernel";
import { type WatchEndReason, type WatchEvent, type WatchHandle, WatchEndReason as EndReason } from "./watch-hub.ts";

/** The knobs of the one fault model a lagged watch reads. */
export type WatchLagOptions = Pick<FaultOptions, (typeof WIRE_KNOBS.watch)[number]>;
export const NO_WATCH_LAG: WatchLagOptions = pickKnobs(NO_FAULTS, WIRE_KNOBS.watch);

/** A lagged watch: stop() ends it quietly, drop() ends it as the network would (onEnd("dropped")). */
export interface LaggedWatchHandle extends WatchHandle {
  drop(): void;
  /** Events received from the store and not yet delivered. */
  pending(): number;
}

/**
 * Starts `start` (a store or API watch, of any event type) and delivers what it emits through the
 * virtual clock. Delivery times never decrease, so order is kept; a server-side end is reported after
 * the events before it. `options` may be a function, read at each draw, for lag that turns on and off
 * during a run (the world's fault phases).
 */
export function laggedWatch<E = WatchEvent>(
  start: (onEvent: (event: E) => void, onEnd: (reason: WatchEndReason) => void) => { stop(): void },
  options: Partial<WatchLagOptions> | (() => WatchLagOptions),
  deps: { clock: VirtualClock; prng: Prng },
  onEvent: (event: E) => void,
  onEnd?: (reason: WatchEndReason) => void,
): LaggedWatchHandle {
  const fixed = typeof options === "function" ? undefined : { ...NO_FAULTS, ...options };
  const current = typeof options === "function" ? options : () => fixed!;
  const { clock, prng } = deps;
  const timers = new Set<() => void>();
  let lastDueMs = clock.nowMs();
  let stopped = false;
  let inner: { stop(): void } | undefined;

  const end = (reason: WatchEndReason | undefined) => {
    if (stopped) return;
    stopped = true;
    inner?.stop();
    for (const cancel of timers) cancel();
    timers.clear();
    if (reason !== undefined) onEnd?.(reason);
  };

  const later = (fire: () => void) => {
    const o = current();
    const lag = drawLatencyMs(prng, o.watchLagMsMin, o.watchLagMsMax);
    lastDueMs = Math.max(lastDueMs, clock.nowMs() + lag);
    const cancel = clock.setTimer(lastDueMs - clock.nowMs(), () => {
      timers.delete(cancel);
      if (!stopped) fire();
    });
    timers.add(cancel);
  };

  inner = start(
    (event) => {
      if (stopped) return;
      later(() => {
        onEvent(event);
        if (!stopped && prng.happens(current().watchDropChance)) end(EndReason.dropped);
      });
    },
    (reason) => {
      if (stopped) return;
      later(() => end(reason));
    },
  );
  if (stopped) inner.stop();

  return {
    stop: () => end(undefined),
    drop: () => end(EndReason.dropped),
    pending: () => timers.size,
    get stopped() {
      return stopped;
    },
  };
}
