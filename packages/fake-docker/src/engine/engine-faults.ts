/**
 * Faults the simulated engine can inject, all off by default: an unreachable daemon, per-call latency
 * and HTTP 500s. Every random choice is drawn from the engine's PRNG, and only for faults that are on,
 * so a run without faults draws exactly what it would draw without this module.
 */
import { drawLatencyMs as drawDelayMs, NEVER, type Prng, type Ratio } from "@container-actions/sim-kernel";

/** The engine's fault knobs. */
export interface EngineFaults {
  /** When true, every API call fails at the transport level (no HTTP answer), like a missing socket. */
  unreachable: boolean;
  /** Chance that one API call fails at the transport level, without any effect. */
  unreachableChance: Ratio;
  /** The smallest extra delay before each API call takes effect, in virtual ms. */
  latencyMsMin: number;
  /** The largest extra delay before each API call takes effect, in virtual ms (0 turns latency off). */
  latencyMsMax: number;
  /** Chance that an API call answers HTTP 500 without doing anything. */
  serverErrorChance: Ratio;
  /** Chance that an API call takes effect and still answers HTTP 500 (the reply lost its way). */
  serverErrorAfterEffectChance: Ratio;
}

/** No faults: the engine answers at once and always. */
export const NO_ENGINE_FAULTS: EngineFaults = Object.freeze({
  unreachable: false,
  unreachableChance: NEVER,
  latencyMsMin: 0,
  latencyMsMax: 0,
  serverErrorChance: NEVER,
  serverErrorAfterEffectChance: NEVER,
});

/** What the faults decided for one call, before it reaches the engine. */
export type FaultVerdict = { kind: "proceed" } | { kind: "unreachable" } | { kind: "server-error" };

/** The latency of one call, in virtual ms (0 when latency is off, without drawing). */
export function drawLatencyMs(faults: EngineFaults, prng: Prng): number {
  return drawDelayMs(prng, faults.latencyMsMin, faults.latencyMsMax);
}

/** Decides whether the call reaches the engine, and whether it fails with a 500 before taking effect. */
export function drawVerdict(faults: EngineFaults, prng: Prng): FaultVerdict {
  if (faults.unreachable || prng.happens(faults.unreachableChance)) return { kind: "unreachable" };
  if (prng.happens(faults.serverErrorChance)) return { kind: "server-error" };
  return { kind: "proceed" };
}

/** Decides whether a call that took effect answers 500 anyway. */
export function drawLostReply(faults: EngineFaults, prng: Prng): boolean {
  return prng.happens(faults.serverErrorAfterEffectChance);
}
