import type { Prng } from "@container-actions/sim-kernel";
import { NO_FAULTS, onWrites, type FaultOptions, type Ratio } from "@container-actions/sim-kernel";

/** 500s on every write verb at `ratio`, half of them after the write took effect. */
function writeFaults(ratio: Ratio): Pick<FaultOptions, "apiInternalErrorChance" | "apiInternalErrorAppliedChance"> {
  return ratio[0] === 0 ? { apiInternalErrorChance: {}, apiInternalErrorAppliedChance: [0, 1] } : { apiInternalErrorChance: onWrites(ratio), apiInternalErrorAppliedChance: [1, 2] };
}

/** Named fault mixes: `calm` has none, `lite` a little of each, `swarm` a seed-chosen subset at very different weights. */
export const PRESETS = ["calm", "lite", "swarm"] as const;
export type Preset = (typeof PRESETS)[number];

export function presetFaults(preset: Preset, prng: Prng): FaultOptions {
  switch (preset) {
    case "calm":
      return NO_FAULTS;
    case "lite":
      return {
        ...NO_FAULTS,
        watchLagMsMax: 50,
        watchDropChance: [1, 100],
        apiLatencyMsMax: 5,
        ...writeFaults([1, 50]),
        engineLatencyMsMax: 20,
        engineUnreachableChance: [1, 50],
        slowStopChance: [1, 10],
        restartPolicyChance: [1, 10],
      };
    case "swarm": {
      // Swarm testing: each fault is on or off by the seed, with weights far apart, so rare
      // combinations get runs where they dominate.
      const on = () => prng.chance(1, 2);
      const weight = () => prng.pick([1, 5, 20, 50]);
      return {
        ...NO_FAULTS,
        watchLagMsMax: on() ? prng.pick([10, 100, 1000, 5000]) : 0,
        watchDropChance: on() ? [weight(), 100] : [0, 1],
        apiLatencyMsMax: on() ? prng.pick([1, 10, 100]) : 0,
        ...writeFaults(on() ? [weight(), 100] : [0, 1]),
        engineLatencyMsMax: on() ? prng.pick([1, 50, 500]) : 0,
        engineUnreachableChance: on() ? [weight(), 100] : [0, 1],
        slowStopChance: on() ? [weight(), 100] : [0, 1],
        restartPolicyChance: on() ? [weight(), 100] : [0, 1],
      };
    }
  }
}
