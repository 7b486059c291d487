/**
 * The one fault options type of the simulation: every knob of every fault wrapper — the fake
 * apiserver's requests and watches and the fake engine, which the world's controller processes reach
 * through their real adapters — in one object, all off by default. The properties, the chaos scenarios, the console and the control API all set this type; each
 * wrapper reads the knobs of its layer. A probability is a {@link Ratio}, so a run is the same on every
 * machine.
 */
import { NEVER, type Ratio } from "../seed/ratio.ts";

/** The apiserver's request verbs, for knobs that differ per verb. */
export type ApiVerb = "get" | "list" | "create" | "update" | "patch" | "delete";
/** A chance per verb; a verb left out never has the fault. */
export type PerVerb<V extends ApiVerb = ApiVerb> = Partial<Record<V, Ratio>>;

export interface FaultOptions {
  /** Smallest delay before a watcher (the controller's informer) sees a change. */
  watchLagMsMin: number;
  /** Largest delay before a watcher sees a change (the lagging cache); 0 turns lag off. */
  watchLagMsMax: number;
  /** Chance that a watch drops right after delivering an event, so the watcher must relist. */
  watchDropChance: Ratio;
  /** Smallest latency of each apiserver request. */
  apiLatencyMsMin: number;
  /** Upper bound of the latency of each apiserver request (drawn once per request, before it is served). */
  apiLatencyMsMax: number;
  /** Chance that an update, patch or delete answers 409 Conflict without being applied (the wire apiserver). */
  apiConflictChance: PerVerb<"update" | "patch" | "delete">;
  /** Chance that a request answers 429 TooManyRequests without being served (the wire apiserver). */
  apiTooManyRequestsChance: PerVerb;
  /** The Retry-After (seconds) an injected 429 carries. */
  apiRetryAfterS: number;
  /** Chance that a request answers 500 InternalError; `onWrites(r)` gives every write verb the same chance. */
  apiInternalErrorChance: PerVerb;
  /** Of the injected 500s on writes, the chance that the write took effect before the error. */
  apiInternalErrorAppliedChance: Ratio;
  /** Chance that a request times out: the client gets 504 after `apiTimeoutMs` (the wire apiserver). */
  apiTimeoutChance: PerVerb;
  /** Of the timed-out writes, the chance that the write took effect anyway. */
  apiTimeoutAppliedChance: Ratio;
  /** How long a timed-out request keeps the client waiting. */
  apiTimeoutMs: number;
  /** Smallest latency of each Docker call. */
  engineLatencyMsMin: number;
  /** Upper bound of the latency of each Docker call (0 turns engine latency off). */
  engineLatencyMsMax: number;
  /** Chance that a Docker call finds the engine unreachable, without any effect ([1, 1]: the engine is down). */
  engineUnreachableChance: Ratio;
  /** Chance that a Docker call answers HTTP 500 without doing anything (the wire engine). */
  engineServerErrorChance: Ratio;
  /** Chance that a Docker call takes effect and still answers HTTP 500: the reply lost (the wire engine). */
  engineLostReplyChance: Ratio;
  /**
   * Chance that a removal fails in the storage driver after the process was killed (a mount still busy):
   * dockerd leaves the container `dead` with the error in State.Error and answers 500 (moby
   * `cleanupContainer` → `SetRemovalError`); a later removal may succeed (the wire engine).
   */
  engineRemovalFailureChance: Ratio;
  /**
   * Chance that an explicit start (API start, or restart's second half) fails in the runtime: dockerd
   * answers 500, the container stays down with the error in State.Error and exit code 128 if it was 0
   * (moby `containerStart`'s deferred `SetError`); the next start that works clears it (the wire engine).
   */
  engineStartFailureChance: Ratio;
  /** Chance that a container's PID 1 ignores SIGTERM, so stop and restart wait the 10 s grace period (E18). */
  slowStopChance: Ratio;
  /** Chance that a container runs with restart policy `always`, a concurrent writer of its state. */
  restartPolicyChance: Ratio;
}

export const NO_FAULTS: FaultOptions = Object.freeze({
  watchLagMsMin: 0,
  watchLagMsMax: 0,
  watchDropChance: NEVER,
  apiLatencyMsMin: 0,
  apiLatencyMsMax: 0,
  apiConflictChance: {},
  apiTooManyRequestsChance: {},
  apiRetryAfterS: 1,
  apiInternalErrorChance: {},
  apiInternalErrorAppliedChance: NEVER,
  apiTimeoutChance: {},
  apiTimeoutAppliedChance: NEVER,
  apiTimeoutMs: 60_000,
  engineLatencyMsMin: 0,
  engineLatencyMsMax: 0,
  engineUnreachableChance: NEVER,
  engineServerErrorChance: NEVER,
  engineLostReplyChance: NEVER,
  engineRemovalFailureChance: NEVER,
  engineStartFailureChance: NEVER,
  slowStopChance: NEVER,
  restartPolicyChance: NEVER,
});

/** The knobs each wire wrapper reads, by layer: its options type is the `Pick` of its list. */
export const WIRE_KNOBS = {
  watch: ["watchLagMsMin", "watchLagMsMax", "watchDropChance"],
  apiserver: [
    "apiConflictChance",
    "apiTooManyRequestsChance",
    "apiRetryAfterS",
    "apiInternalErrorChance",
    "apiInternalErrorAppliedChance",
    "apiTimeoutChance",
    "apiTimeoutAppliedChance",
    "apiTimeoutMs",
    "apiLatencyMsMin",
    "apiLatencyMsMax",
  ],
  engine: ["engineUnreachableChance", "engineLatencyMsMin", "engineLatencyMsMax", "engineServerErrorChance", "engineLostReplyChance", "engineRemovalFailureChance", "engineStartFailureChance"],
} as const satisfies Record<string, ReadonlyArray<keyof FaultOptions>>;

/** The knobs `keys` of `options`: the part of the one model one wrapper (or one control route) reads. */
export function pickKnobs<K extends keyof FaultOptions>(options: FaultOptions, keys: readonly K[]): Pick<FaultOptions, K> {
  return Object.fromEntries(keys.map((k) => [k, options[k]])) as Pick<FaultOptions, K>;
}

/** The write verbs of the apiserver: the ones a controller's ledgers send. */
export const WRITE_VERBS = ["create", "update", "patch", "delete"] as const satisfies readonly ApiVerb[];

/** The same chance on every write verb: `apiInternalErrorChance: onWrites([1, 10])`. */
export function onWrites(ratio: Ratio): PerVerb {
  return Object.fromEntries(WRITE_VERBS.map((verb) => [verb, ratio]));
}

/**
 * A knob older saves carry: `apiFaultChance` was the world's own wrapper around the controller's writes —
 * a 500 on any write, half of them after the write took effect. It is the wire's 500 on every write verb
 * now, applied half the time unless the save says otherwise.
 */
export interface LegacyFaultOptions {
  apiFaultChance?: Ratio;
}

/** The options of a saved scenario or a client, with every knob it leaves out off: old saves stay readable. */
export function faultOptions(partial: (Partial<FaultOptions> & LegacyFaultOptions) | undefined): FaultOptions {
  const { apiFaultChance, ...rest } = partial ?? {};
  if (apiFaultChance === undefined || apiFaultChance[0] === 0) return { ...NO_FAULTS, ...rest };
  // A save that wrote every knob carries the wire's applied chance as NEVER: that never meant the world's.
  const applied = rest.apiInternalErrorAppliedChance;
  return {
    ...NO_FAULTS,
    ...rest,
    apiInternalErrorChance: { ...onWrites(apiFaultChance), ...rest.apiInternalErrorChance },
    apiInternalErrorAppliedChance: applied !== undefined && applied[0] > 0 ? applied : [1, 2],
  };
}
