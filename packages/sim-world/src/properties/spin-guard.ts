/**
 * A spin guard for world runs. A key retried at once instead of after its backoff fails again in the
 * same virtual instant when its failure costs no virtual time (a down daemon refuses at once; a process
 * that has not listed Docker yet answers "not yet" without asking anyone): virtual time then never
 * passes, and the run hangs instead of failing. The guard counts, per controller process, the action
 * passes and the Docker calls made within one virtual millisecond; past a number no sound run comes near,
 * it notes the spin and makes each further one wait a virtual second first, so the run ends and the
 * spin is reported as a violation.
 */
import { createActionReconciler, type ActionReconciler } from "@container-actions/core";
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { Violation } from "../invariants/history.ts";
import { ControllerProcess, type ProcessDeps } from "../world/controller-process.ts";
import type { WorldOptions } from "../world/world.ts";

/**
 * Passes and Docker calls within one virtual millisecond that count as a spin. A sound run makes a few
 * dozen at most in one instant (a full sync describes every container at once); a retry without
 * backoff makes this many within milliseconds of wall time.
 */
export const CALLS_PER_INSTANT_MAX = 1_000;
/** Virtual time each call past the limit waits, so a spinning key's outage ends and the run finishes. */
const SPIN_BREAK_MS = 1_000;

/**
 * `options` with every controller process guarded (the default process only: a replacement process, as
 * the bench's reference one, is left as it is), and the spins its runs report.
 */
export function guardAgainstSpins(options: WorldOptions): { options: WorldOptions; spins: Violation[] } {
  if (options.process !== undefined) return { options, spins: [] };
  const spins: Violation[] = [];
  const process = (deps: ProcessDeps) => {
    const gate = spinGate(deps.clock, deps.namespace, spins);
    const inner = deps.reconciler ?? createActionReconciler;
    return new ControllerProcess({
      ...deps,
      engine: gated(deps.engine, gate),
      source: gated(deps.source, gate),
      reconciler: (ports) => gatedReconciler(inner(ports), gate),
    });
  };
  return { options: { ...options, process }, spins };
}

/** What a gate says to one call: go on at once (null, so a sound run's interleaving is unchanged), or after a wait. */
type Gate = (call: string) => Promise<void> | null;

/** Wraps every method of a port (all of them async) so that each call passes `gate` first. */
function gated<T extends object>(port: T, gate: Gate): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const wait = gate(String(property));
        return wait === null ? value.apply(target, args) : wait.then(() => value.apply(target, args));
      };
    },
  });
}

/** A reconciler whose passes go through `gate`; its other methods are synchronous and pass straight on. */
function gatedReconciler(inner: ActionReconciler, gate: Gate): ActionReconciler {
  return {
    reconcile: (container, attempt) => {
      const wait = gate("reconcile");
      return wait === null ? inner.reconcile(container, attempt) : wait.then(() => inner.reconcile(container, attempt));
    },
    inheritFrom: (containers) => inner.inheritFrom(containers),
    forget: (ref) => inner.forget(ref),
    rememberedKeys: () => inner.rememberedKeys(),
  };
}

function spinGate(clock: VirtualClock, namespace: string, spins: Violation[]): Gate {
  let instantMs = Number.NaN;
  let calls = 0;
  return (call) => {
    const nowMs = clock.nowMs();
    if (nowMs !== instantMs) {
      instantMs = nowMs;
      calls = 0;
    }
    calls++;
    if (calls <= CALLS_PER_INSTANT_MAX) return null;
    if (calls === CALLS_PER_INSTANT_MAX + 1) {
      spins.push({
        invariant: "no-wedge",
        subject: namespace,
        detail: `spin: more than ${CALLS_PER_INSTANT_MAX} passes and Docker calls (${call}, …) within one virtual millisecond: a failing key was retried at once instead of after its backoff`,
      });
    }
    return clock.sleep(SPIN_BREAK_MS);
  };
}
