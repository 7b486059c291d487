/**
 * Seeds: the one PRNG a run draws from, and the parser for decimal or commit-hash seeds. Imports nothing but fast-check, for the seed every property shares.
 */
export { Prng } from "./prng.ts";
export { parseSeed } from "./parse-seed.ts";
export { ALWAYS, isCertain, NEVER, type Ratio } from "./ratio.ts";
export { drawLatencyMs } from "./latency.ts";
export { fastCheckSeed, replayCommands, runningTestFile, seedFromEnv } from "./fast-check-seed.ts";
export { NO_SHARD, ownsWholeCheck, type PropertyShard, shardFromEnv, shardSeed, shareOfRuns } from "./property-shard.ts";
