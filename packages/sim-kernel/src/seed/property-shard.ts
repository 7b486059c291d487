/**
 * Spreading a property's runs over processes: with `SIM_SHARD=k/N` (k from 0), this process runs its
 * share of every property's runs, from a seed derived from `SIM_SEED` and k, so N processes side by side
 * do the work of one with the same total budget. The seed source stays one: `SIM_SEED` and the shard
 * fix every run, and a failure prints the derived seed, which replays it in a plain `bun test` (fast-check's
 * run i depends on the seed and i alone, so a run within the shard's share is a run within the whole budget).
 * Checks that must see a whole budget to judge (a property's teeth) are dealt out whole, one shard each.
 */

export interface PropertyShard {
  /** From 0 to count − 1. */
  index: number;
  count: number;
}

export const NO_SHARD: PropertyShard = { index: 0, count: 1 };

/** The shard from `SIM_SHARD` ("k/N"), or the whole budget when unset; a malformed value is a bug in the caller. */
export function shardFromEnv(env: Record<string, string | undefined> = process.env): PropertyShard {
  const text = env.SIM_SHARD;
  if (text === undefined || text === "") return NO_SHARD;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count) throw new Error(`SIM_SHARD=${text}: expected k/N with 0 <= k < N`);
  return { index, count };
}

/** The fast-check seed of a shard: shard 0 keeps the seed itself, the others a fixed mix of it and their index. */
export function shardSeed(seed: number, shard: PropertyShard): number {
  return shard.index === 0 ? seed : (seed + Math.imul(shard.index, 0x9e3779b9)) | 0;
}

/** This shard's share of `runs`: the shares of all shards add up to `runs`, and differ by at most one. */
export function shareOfRuns(runs: number, shard: PropertyShard): number {
  return Math.floor(runs / shard.count) + (shard.index < runs % shard.count ? 1 : 0);
}

/** Whether the `ordinal`-th whole-budget check of a test file (0, 1, …, in file order) runs in this shard. */
export function ownsWholeCheck(ordinal: number, shard: PropertyShard): boolean {
  return ordinal % shard.count === shard.index;
}
