/**
 * The one fault options type of the simulation: every knob of every fault wrapper — the world's
 * controller processes, the fake apiserver's watches and the fake engine — in one object, all off by
 * default. The properties, the chaos scenarios, the console and the control API all set this type; each
 * wrapper reads the knobs of its layer. A probability is a {@link Ratio}, so a run is the same on every
 * machine.
 */
import { NEVER, type Ratio } from "../seed/ratio.ts";

export interface FaultOptions {
  /** Smallest delay before a watcher (the controller's informer) sees a change. */
  watchLagMsMin: number;
  /** Largest delay before a watcher sees a change (the lagging cache); 0 turns lag off. */
  watchLagMsMax: number;
  /** Chance that a watch drops right after delivering an event, so the watcher must relist. */
  watchDropChance: Ratio;
  /** Upper bound of the latency of each controller API call, each way. */
  apiLatencyMsMax: number;
  /** Chance that a controller write answers 500 (half of those after the write took effect). */
  apiFaultChance: Ratio;
  /** Smallest latency of each Docker call (the wire engine; the world's processes draw from 0). */
  engineLatencyMsMin: number;
  /** Upper bound of the latency of each Docker call (0 turns engine latency off). */
  engineLatencyMsMax: number;
  /** Chance that a Docker call finds the engine unreachable, without any effect ([1, 1]: the engine is down). */
  engineUnreachableChance: Ratio;
  /** Chance that a Docker call answers HTTP 500 without doing anything (the wire engine). */
  engineServerErrorChance: Ratio;
  /** Chance that a Docker call takes effect and still answers HTTP 500: the reply lost (the wire engine). */
  engineLostReplyChance: Ratio;
  /** Chance that a container's PID 1 ignores SIGTERM, so stop and restart wait the 10 s grace period (E18). */
  slowStopChance: Ratio;
  /** Chance that a container runs with restart policy `always`, a concurrent writer of its state. */
  restartPolicyChance: Ratio;
}

export const NO_FAULTS: FaultOptions = Object.freeze({
  watchLagMsMin: 0,
  watchLagMsMax: 0,
  watchDropChance: NEVER,
  apiLatencyMsMax: 0,
  apiFaultChance: NEVER,
  engineLatencyMsMin: 0,
  engineLatencyMsMax: 0,
  engineUnreachableChance: NEVER,
  engineServerErrorChance: NEVER,
  engineLostReplyChance: NEVER,
  slowStopChance: NEVER,
  restartPolicyChance: NEVER,
});

/** The options of a saved scenario or a client, with every knob it leaves out off: old saves stay readable. */
export function faultOptions(partial: Partial<FaultOptions> | undefined): FaultOptions {
  return { ...NO_FAULTS, ...partial };
}
