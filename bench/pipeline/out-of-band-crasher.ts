/**
 * A concurrent writer of status: containers whose main process exits by itself now and then (restart
 * policy `always` brings them back), so the mirror sync writes their status while actions are handled —
 * the race of reference-behavior.md §2.9 ("residual risk").
 */
import { Prng } from "@container-actions/sim-kernel";
import type { BenchWorld } from "../harness/bench-world.ts";

export interface Crasher {
  /** Process exits that happened (a paused or stopped container cannot exit; those draws do nothing). */
  crashes(): number;
  stop(): void;
}

/** Each container's process exits on average once per `periodMs` (virtual), drawn from `seed`. */
export function startCrasher(world: BenchWorld, seed: number, periodMs: number): Crasher {
  const prng = new Prng(seed);
  const gapMs = Math.max(1, Math.round(periodMs / world.ids.length));
  let crashes = 0;
  let cancel = () => {};
  const tick = () => {
    const id = prng.pick(world.ids);
    if (world.models.simulatedDocker.exitProcess(id, 1).kind === "exited") crashes++;
    cancel = world.clock.setTimer(prng.between(1, 2 * gapMs), tick);
  };
  cancel = world.clock.setTimer(prng.between(1, 2 * gapMs), tick);
  return { crashes: () => crashes, stop: () => cancel() };
}
