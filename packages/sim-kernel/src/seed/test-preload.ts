/** bun test preload (bunfig.toml): seeds every fast-check property in the process from one source. */
import { configureFastCheckSeed } from "./fast-check-seed.ts";

const seed = configureFastCheckSeed();
const shard = process.env.SIM_SHARD === undefined ? "" : `, shard SIM_SHARD=${process.env.SIM_SHARD}`;
console.log(`fast-check seed ${seed}${process.env.SIM_SEED === undefined ? " (random; set SIM_SEED to replay)" : ` (SIM_SEED=${process.env.SIM_SEED}${shard})`}`);
