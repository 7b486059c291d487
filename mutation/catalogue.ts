/** The mutation catalogue: every mutant `bun run mutate` applies, one at a time. */
import { EDGE_MUTANTS } from "./catalogue-edges.ts";
import { RECONCILE_MUTANTS } from "./catalogue-reconcile.ts";
import type { Mutant } from "./mutant.ts";

export const CATALOGUE: Mutant[] = [...RECONCILE_MUTANTS, ...EDGE_MUTANTS];
