/**
 * The simulated engine's faults, read from the one fault model's engine knobs (all off by default): an
 * unreachable daemon, per-call latency and HTTP 500s. Every random choice is drawn from the engine's
 * PRNG, and only for faults that are on, so a run without faults draws exactly what it would draw
 * without this module. An engine that is down for good is `engineUnreachableChance: [1, 1]`.
 */
import { drawLatencyMs as drawDelayMs, NO_FAULTS, pickKnobs, WIRE_KNOBS, type FaultOptions, type Prng } from "@container-actions/sim-kernel";

/** The knobs of the one fault model the engine reads. */
export type EngineFaults = Pick<FaultOptions, (typeof WIRE_KNOBS.engine)[number]>;

/** No faults: the engine answers at once and always. */
export const NO_ENGINE_FAULTS: EngineFaults = Object.freeze(pickKnobs(NO_FAULTS, WIRE_KNOBS.engine));

/** What the faults decided for one call, before it reaches the engine. */
export type FaultVerdict = { kind: "proceed" } | { kind: "unreachable" } | { kind: "server-error" };

/** The latency of one call, in virtual ms (0 when latency is off, without drawing). */
export function drawLatencyMs(faults: EngineFaults, prng: Prng): number {
  return drawDelayMs(prng, faults.engineLatencyMsMin, faults.engineLatencyMsMax);
}

/** Decides whether the call reaches the engine, and whether it fails with a 500 before taking effect. */
export function drawVerdict(faults: EngineFaults, prng: Prng): FaultVerdict {
  if (prng.happens(faults.engineUnreachableChance)) return { kind: "unreachable" };
  if (prng.happens(faults.engineServerErrorChance)) return { kind: "server-error" };
  return { kind: "proceed" };
}

/** Decides whether a removal fails in the storage driver after the process is gone. */
export function drawRemovalFailure(faults: EngineFaults, prng: Prng): boolean {
  return prng.happens(faults.engineRemovalFailureChance);
}

/** Decides whether an explicit start fails in the runtime. */
export function drawStartFailure(faults: EngineFaults, prng: Prng): boolean {
  return prng.happens(faults.engineStartFailureChance);
}

/** Decides whether a call that took effect answers 500 anyway. */
export function drawLostReply(faults: EngineFaults, prng: Prng): boolean {
  return prng.happens(faults.engineLostReplyChance);
}
