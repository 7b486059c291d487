/**
 * A model factory for World that tallies every call the world makes on the cluster store (the
 * controller's, the actors' and the checkers'), so a run's cost can be told per store operation.
 */
import { createWorldModels } from "@container-actions/sim-world";
import type { ModelFactory } from "@container-actions/sim-world";
import type { ClusterPort } from "@container-actions/sim-world";

export interface StoreTally {
  /** create, merge patch, JSON patch, delete. */
  writes: number;
  /** get of one object. */
  gets: number;
  /** lists (each copies every object of the namespace). */
  lists: number;
  /** objects returned by those lists. */
  listedObjects: number;
}

export function zeroTally(): StoreTally {
  return { writes: 0, gets: 0, lists: 0, listedObjects: 0 };
}

export function countingModels(tally: StoreTally): ModelFactory {
  return async (prng, clock, admission) => {
    const models = await createWorldModels(prng, clock, admission);
    return { ...models, cluster: countingCluster(models.cluster, tally) };
  };
}

function countingCluster(inner: ClusterPort, tally: StoreTally): ClusterPort {
  return {
    create: (c, o) => (tally.writes++, inner.create(c, o)),
    mergePatch: (r, p, o) => (tally.writes++, inner.mergePatch(r, p, o)),
    jsonPatch: (r, ops, o) => (tally.writes++, inner.jsonPatch(r, ops, o)),
    apply: (r, c, o) => (tally.writes++, inner.apply(r, c, o)),
    delete: (r, o) => (tally.writes++, inner.delete(r, o)),
    peek: (r) => (tally.gets++, inner.peek(r)),
    list: (ns) => {
      const listed = inner.list(ns);
      tally.lists++;
      tally.listedObjects += listed.items.length;
      return listed;
    },
    watch: (ns, rv, on, end) => inner.watch(ns, rv, on, end),
  };
}
