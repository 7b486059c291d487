/**
 * Differential test of the fake apiserver against a real kube-apiserver v1.20.2: fast-check generates
 * request sequences, both servers get the same ones over HTTPS (client certificates), and their
 * answers must agree — status codes, reasons, messages (names, uids and resourceVersions blanked),
 * the object fields the project relies on, and the event types a watch from the start sees.
 * Where they differ the real server is right; what cannot match is listed in KNOWN-GAPS.md.
 * Replay: SIM_SEED=<seed printed in the title> bun test e2e/kube/apiserver-differential.test.ts
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CONTAINERS_PATH, simulatedAndReal, type TestCluster } from "./cluster-backends.ts";
import { OBJECT_NAMES, type Step, StepClient, normalizeAnswer, normalizeBuiltin, sequenceArb } from "./differential-client.ts";

const RUNS = Number(process.env.DIFF_RUNS ?? 60);

interface RunRecord {
  answers: unknown[];
  events: string[];
}

function eventSummary(e: unknown): string {
  const ev = e as { type?: string; object?: { metadata?: { name?: string; deletionTimestamp?: string }; status?: { lastAction?: { state?: string } } } };
  const m = ev.object?.metadata;
  return `${ev.type} ${m?.name ?? ""}${m?.deletionTimestamp !== undefined ? " terminating" : ""}`;
}

/** Runs the steps in a fresh namespace, with a watch from the namespace's creation. */
async function run(cluster: TestCluster, steps: readonly Step[]): Promise<RunRecord> {
  const created = await cluster.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { generateName: "diff-" } });
  if (created.code !== 201) throw new Error(`namespace: ${created.code} ${JSON.stringify(created.body)}`);
  const ns = (created.body as { metadata: { name: string } }).metadata.name;
  // Watch from a Container's resourceVersion: the real watch cache of Containers has seen it (a
  // namespace's could be ahead of that cache, and the real server would then wait and maybe answer
  // "Too large resource version").
  const marker = await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${ns}/containers`, {
    apiVersion: "containers.rancherdesktop.io/v1alpha1",
    kind: "Container",
    metadata: { name: "start-marker" },
  });
  const meta = (marker.body as { metadata: { resourceVersion: string } }).metadata;
  const collect = async (query: string) => {
    const watch = await cluster.watchStream(`${CONTAINERS_PATH}/namespaces/${ns}/containers?watch=true&resourceVersion=${meta.resourceVersion}${query}`);
    const events: string[] = [];
    const done = (async () => {
      for await (const e of watch.lines) {
        const summary = eventSummary(e);
        if (summary.startsWith("ADDED end-marker")) return;
        events.push(summary);
      }
    })();
    return { watch, events, done };
  };
  // Everything, and a label-selected view (objects entering and leaving the selection).
  const all = await collect("");
  const selected = await collect(`&labelSelector=${encodeURIComponent("app=web")}`);
  const client = new StepClient(cluster, ns);
  const answers: unknown[] = [];
  for (const step of steps) answers.push(normalizeAnswer(await client.send(step), ns));
  // A last object marks the end of the stream, so both servers are compared over the same span.
  await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${ns}/containers`, {
    apiVersion: "containers.rancherdesktop.io/v1alpha1",
    kind: "Container",
    metadata: { name: "end-marker", labels: { app: "web" } },
  });
  await Promise.race([Promise.all([all.done, selected.done]), Bun.sleep(5000)]);
  all.watch.stop();
  selected.watch.stop();
  return { answers, events: [...all.events, "--- app=web ---", ...selected.events] };
}

describe(`apiserver differential: simulated vs real kube-apiserver v1.20.2 (fast-check seed ${fc.readConfigureGlobal().seed}, ${RUNS} runs)`, () => {
  const clusters = simulatedAndReal();

  test("the same request sequences get the same answers and the same watch events", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (steps) => {
        const [fake, truth] = [await run(clusters.simulated, steps), await run(clusters.real, steps)];
        if (process.env.DIFF_DEBUG === "1") console.log(JSON.stringify({ steps, truth }));
        for (let i = 0; i < steps.length; i++) {
          expect({ step: i, request: steps[i], answer: fake.answers[i] }).toEqual({ step: i, request: steps[i], answer: truth.answers[i] });
        }
        expect(fake.events).toEqual(truth.events);
      }),
      { numRuns: RUNS, endOnFailure: process.env.DIFF_SHRINK !== "1" },
    );
  }, 120_000);

  test("a watch from before the history window gets 410 Expired as its only event", async () => {
    for (const cluster of [clusters.simulated, clusters.real]) {
      const watch = await cluster.watchStream(`${CONTAINERS_PATH}/namespaces/default/containers?watch=true&resourceVersion=1`);
      const first = await watch.lines.next();
      watch.stop();
      const event = first.value as { type: string; object: { code: number; reason: string; message: string } };
      expect(event.type).toBe("ERROR");
      expect(event.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
      expect(event.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    }
  });

  test("built-in resources the controller uses (leases, events, namespaces) answer alike", async () => {
    const script = async (cluster: TestCluster) => {
      const answers: unknown[] = [];
      const created = await cluster.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { generateName: "diff-builtin-" } });
      const ns = (created.body as { metadata: { name: string } }).metadata.name;
      const leases = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
      const lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "leader" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } };
      const first = await cluster.request("POST", leases, lease);
      answers.push(normalizeBuiltin(first, ns));
      answers.push(normalizeBuiltin(await cluster.request("POST", leases, lease), ns));
      answers.push(normalizeBuiltin(await cluster.request("PUT", `${leases}/leader`, lease), ns));
      answers.push(normalizeBuiltin(await cluster.request("PUT", `${leases}/leader`, { ...lease, metadata: { name: "leader", resourceVersion: "1" } }), ns));
      const rv = (first.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      answers.push(normalizeBuiltin(await cluster.request("PUT", `${leases}/leader?fieldManager=renew`, { ...lease, metadata: { name: "leader", resourceVersion: rv }, spec: { holderIdentity: "b" } }), ns));
      const event = { apiVersion: "v1", kind: "Event", metadata: { generateName: "c1." }, involvedObject: { kind: "Container", name: "c1", namespace: ns }, reason: "Invalid", message: "m", type: "Warning" };
      answers.push(normalizeBuiltin(await cluster.request("POST", `/api/v1/namespaces/${ns}/events`, event), ns));
      answers.push(normalizeBuiltin(await cluster.request("POST", `/api/v1/namespaces/${ns}/events`, { ...event, involvedObject: { kind: "Container", name: "c1", namespace: "elsewhere" } }), ns));
      answers.push(normalizeBuiltin(await cluster.request("GET", `/api/v1/namespaces/${ns}/events?fieldSelector=reason%3DInvalid`), ns));
      answers.push(normalizeBuiltin(await cluster.request("DELETE", `/api/v1/namespaces/${ns}`), ns));
      answers.push(normalizeBuiltin(await cluster.request("DELETE", `/api/v1/namespaces/${ns}`), ns));
      answers.push(normalizeBuiltin(await cluster.request("POST", leases, { ...lease, metadata: { name: "late" } }), ns));
      return answers;
    };
    expect(await script(clusters.simulated)).toEqual(await script(clusters.real));
  });

  test("object names used by the generator are valid on both", () => {
    expect(OBJECT_NAMES.every((n) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n))).toBe(true);
  });
});
