/**
 * The one latency draw of every fault wrapper (the world's processes, the fake apiserver's requests and
 * watches, the fake engine's calls), so a latency knob means the same everywhere.
 */
import type { Prng } from "./prng.ts";

/**
 * A delay in [minMs, maxMs], or 0 without drawing when `maxMs` is 0 (latency off), so a run without
 * latency draws exactly what it would draw without the knob. A minimum above the maximum is read as
 * the maximum.
 */
export function drawLatencyMs(prng: Prng, minMs: number, maxMs: number): number {
  if (maxMs <= 0) return 0;
  return prng.between(Math.max(0, Math.min(minMs, maxMs)), maxMs);
}
