/**
 * Container names: validation as dockerd does it, and generated names (`adjective_surname`, like moby's
 * namesgenerator) drawn from the engine's PRNG.
 */
import type { Prng } from "@container-actions/sim-kernel";

const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const ADJECTIVES = [
  "admiring", "brave", "clever", "dreamy", "eager", "focused", "gracious", "happy", "jolly", "keen",
  "loving", "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed", "sharp", "tender", "vigilant",
] as const;
const SURNAMES = [
  "albattani", "babbage", "curie", "darwin", "euclid", "fermi", "galileo", "hopper", "goodall", "jepsen",
  "kepler", "lovelace", "mcclintock", "noether", "pasteur", "ritchie", "shannon", "turing", "wozniak", "yalow",
] as const;

/** True when dockerd accepts `name` (an optional leading slash, then at least two allowed characters). */
export function isValidContainerName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** `name` with exactly one leading slash, as Docker stores it. */
export function canonicalName(name: string): string {
  return name.startsWith("/") ? name : `/${name}`;
}

/** How many random names to try before numbering them. */
const NAME_DRAWS_MAX = 100;

/** A generated name not in `taken`; after a clash it appends a digit, as moby does on retry. */
export function generateName(prng: Prng, taken: (name: string) => boolean): string {
  const base = `/${prng.pick(ADJECTIVES)}_${prng.pick(SURNAMES)}`;
  if (!taken(base)) return base;
  for (let retry = 1; retry < NAME_DRAWS_MAX; retry++) {
    const name = `/${prng.pick(ADJECTIVES)}_${prng.pick(SURNAMES)}${prng.below(10)}`;
    if (!taken(name)) return name;
  }
  let n = NAME_DRAWS_MAX; // finitely many names are taken, so this ends
  while (taken(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** A 64-hex container id from the PRNG. */
export function generateId(prng: Prng): string {
  let id = "";
  for (let i = 0; i < 8; i++) id += prng.u32().toString(16).padStart(8, "0");
  return id;
}
