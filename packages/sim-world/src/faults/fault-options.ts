/**
 * Every fault the world can inject, one typed object, all off by default. A probability is an integer
 * ratio `[numerator, denominator]`, so a run is the same on every machine.
 */
import { NEVER, type Ratio } from "@container-actions/sim-kernel";

export interface FaultOptions {
  /** Upper bound of the delay before the controller's informer sees a change (the lagging cache). */
  watchLagMsMax: number;
  /** Chance that the informer's watch drops after an event and must relist. */
  watchDropChance: Ratio;
  /** Upper bound of the latency of each controller API call. */
  apiLatencyMsMax: number;
  /** Chance that a controller write answers 500 (half of those after the write took effect). */
  apiFaultChance: Ratio;
  /** Upper bound of the latency of each Docker call. */
  engineLatencyMsMax: number;
  /** Chance that a Docker call finds the engine unreachable. */
  engineUnreachableChance: Ratio;
  /** Chance that a container's PID 1 ignores SIGTERM, so stop and restart wait the 10 s grace period (E18). */
  slowStopChance: Ratio;
  /** Chance that a container runs with restart policy `always`, a concurrent writer of its state. */
  restartPolicyChance: Ratio;
}

export const NO_FAULTS: FaultOptions = {
  watchLagMsMax: 0,
  watchDropChance: NEVER,
  apiLatencyMsMax: 0,
  apiFaultChance: NEVER,
  engineLatencyMsMax: 0,
  engineUnreachableChance: NEVER,
  slowStopChance: NEVER,
  restartPolicyChance: NEVER,
};
