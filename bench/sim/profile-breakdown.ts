/**
 * Where a simulator run's CPU time goes, from a `bun --cpu-prof` profile (Chrome .cpuprofile format):
 * each sample is charged to the innermost frame that belongs to this repository (native frames such as
 * Object.entries are charged to their caller), then grouped by area; and, separately, the share of
 * samples with a given function anywhere on the stack (cloneJson, structuredClone, …). Shares of samples
 * are ratios, so they hold up on a noisy machine.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface Breakdown {
  samples: number;
  /** Share of samples by area, innermost repository frame (self time). */
  byArea: Record<string, number>;
  /** Share of samples with the named function (or file) anywhere on the stack. */
  onStack: Record<string, number>;
  /** The repository functions with the most self samples: `file:function` → share. */
  hottest: Array<{ frame: string; share: number }>;
}

/** Areas by path prefix under the repository; the first match wins. */
const AREAS: Array<[string, string]> = [
  ["packages/fake-apiserver/src/cluster/managed-fields.ts", "store: managedFields"],
  ["packages/fake-apiserver/src/cluster/incremental-managed-fields.ts", "store: managedFields"],
  ["packages/fake-apiserver/src/cluster/frozen-json.ts", "store: JSON clone, compare, sort"],
  ["packages/fake-apiserver/src/cluster/structural-schema.ts", "store: schema validation and pruning"],
  ["packages/fake-apiserver/src/cluster/json.ts", "store: JSON clone, compare, sort"],
  ["packages/fake-apiserver/src/cluster/json-merge-patch.ts", "store: patch application"],
  ["packages/fake-apiserver/src/cluster/json-patch.ts", "store: patch application"],
  ["packages/fake-apiserver/src/cluster/validating-admission.ts", "admission (webhook call)"],
  ["packages/core/src/admission/", "admission (webhook call)"],
  ["packages/fake-apiserver/src/cluster/", "store: other (pipeline, watch, metadata)"],
  ["packages/fake-docker/src/engine/", "Docker model"],
  ["packages/sim-world/src/invariants/", "invariant checkers"],
  ["packages/core/src/", "core (the controller's own code)"],
  ["packages/sim-world/src/", "world, clock, process wrappers"],
  ["packages/sim-kernel/src/", "world, clock, process wrappers"],
];
const RUNTIME = "runtime (native code with no repository caller, GC, event loop)";
/** Functions whose presence anywhere on the stack is worth a line of its own. */
const ON_STACK: Array<[string, (frame: ProfileNode["callFrame"]) => boolean]> = [
  ["cloneJson (the store's deep copy)", (f) => f.functionName === "cloneJson"],
  ["structuredClone", (f) => f.functionName === "structuredClone"],
  ["store: managedFields (managed-fields.ts, incremental-managed-fields.ts)", (f) => f.url.endsWith("managed-fields.ts")],
  ["deepFreeze (the fast store's freeze at write)", (f) => f.functionName === "deepFreeze"],
  ["store: schema (structural-schema.ts)", (f) => f.url.endsWith("cluster/structural-schema.ts")],
  ["sortKeys (canonical key order)", (f) => f.functionName === "sortKeys" || f.functionName === "sortKeysSharing"],
  ["JSON.stringify / JSON.parse", (f) => f.url === "" && (f.functionName === "stringify" || f.functionName === "parse")],
];

export function breakdownOf(profileFile: string, repoRoot: string, hottestCount = 12): Breakdown {
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const root = repoRoot.endsWith("/") ? repoRoot : `${repoRoot}/`;
  const pathOf = (url: string) => (url.startsWith("file://") ? url.slice("file://".length) : url);
  const inRepo = (n: ProfileNode) => pathOf(n.callFrame.url).startsWith(root) && !n.callFrame.url.includes("/node_modules/");

  const area = new Map<string, number>();
  const stack = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const sample of profile.samples) {
    const chain: ProfileNode[] = [];
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node !== undefined) chain.push(node);
    }
    const own = chain.find(inRepo);
    const path = own === undefined ? undefined : pathOf(own.callFrame.url).slice(root.length);
    const name = path === undefined ? RUNTIME : (AREAS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? "other repository code");
    area.set(name, (area.get(name) ?? 0) + 1);
    if (own !== undefined) {
      const frame = `${path}:${own.callFrame.functionName || "(anonymous)"}`;
      frames.set(frame, (frames.get(frame) ?? 0) + 1);
    }
    for (const [label, matches] of ON_STACK) if (chain.some((n) => matches(n.callFrame))) stack.set(label, (stack.get(label) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const share = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / total]));
  return {
    samples: total,
    byArea: share(area),
    onStack: Object.fromEntries(ON_STACK.map(([label]) => [label, (stack.get(label) ?? 0) / total])),
    hottest: [...frames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, hottestCount)
      .map(([frame, n]) => ({ frame, share: n / total })),
  };
}
