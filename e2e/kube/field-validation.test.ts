/**
 * fieldValidation (unknown and repeated fields in a body) on the simulated and the real kube-apiserver.
 *
 * v1.20.2 predates server-side field validation: it ignores the parameter, drops unknown fields and
 * keeps the last of repeated keys without a word. Current servers (Warn by default since 1.27) do the
 * same to the stored object and add a `Warning: 299` per finding, or refuse under Strict. The
 * differential therefore compares what both agree on: the stored objects under the default and under
 * Ignore, and that Ignore warns on neither. The current words (warnings, Strict's errors) are asserted on
 * the simulated server against the texts kubernetes pins in test/integration/apiserver/
 * field_validation_test.go (create and update: handlers/create.go and update.go, transformDecodeError;
 * patches: handlers/patch.go, a 422 on `patch`; apply: handlers/patch.go applyPatcher, go-yaml's
 * `key "k" already set in map`).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CONTAINERS_PATH, type HttpAnswer, KubeBackend, type TestCluster, simulatedAndReal, startCluster } from "./cluster-backends.ts";

const API_VERSION = "containers.rancherdesktop.io/v1alpha1";
const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const APPLY = "application/apply-patch+yaml";
const STATUS = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A create body with an unknown spec and metadata field and repeated keys (labels, status). */
function createBody(name: string): string {
  return `{"apiVersion":"${API_VERSION}","kind":"Container","metadata":{"name":"${name}","labels":{"x":"1","x":"2"},"bogus":1},"spec":{"foo":1,"foo":2}}`;
}

/** What a user sees of an answer: the code and the stored labels, spec and status (or the Status's reason). */
function stored(a: HttpAnswer): unknown {
  const b = a.body;
  if (!isObj(b)) return { code: a.code };
  if (b.kind === "Status") return { code: a.code, reason: b.reason };
  const meta = isObj(b.metadata) ? b.metadata : {};
  const owned = Array.isArray(meta.managedFields) ? meta.managedFields.map((m: Obj) => JSON.stringify(m.fieldsV1)) : [];
  return { code: a.code, labels: meta.labels ?? null, spec: b.spec ?? null, status: b.status ?? null, metaKeys: Object.keys(meta).filter((k) => k === "bogus"), owned };
}

/** The same writes with unknown and repeated fields through every verb, `query` added to each. */
async function writes(cluster: TestCluster, ns: string, query: string): Promise<HttpAnswer[]> {
  const path = (name: string, sub = "", extra = "") => `${CONTAINERS_PATH}/namespaces/${ns}/containers${name === "" ? "" : `/${name}`}${sub}?${query}${extra}`;
  const out: HttpAnswer[] = [];
  out.push(await cluster.request("POST", path(""), createBody("a")));
  const rv = String(((out[0]?.body as Obj).metadata as Obj).resourceVersion);
  out.push(await cluster.request("PUT", path("a"), `{"apiVersion":"${API_VERSION}","kind":"Container","metadata":{"name":"a","resourceVersion":"${rv}","labels":{"y":"1","y":"3"}},"spec":{"bar":true}}`));
  out.push(await cluster.request("PATCH", path("a", "/status"), `{"status":${JSON.stringify({ ...STATUS, junk: 1 }).replace("}", ',"status":"exited"}')}}`, MERGE));
  out.push(await cluster.request("PATCH", path("a"), `[{"op":"add","path":"/metadata/labels/z","value":"1","foo":"bar"},{"op":"add","path":"/spec/q","path":"/metadata/labels/w","value":"2"}]`, JSON_PATCH));
  out.push(await cluster.request("PATCH", path("b", "", "&fieldManager=m"), `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: b\n  labels:\n    k: "1"\n    k: "2"\nspec:\n  foo: 1\n`, APPLY));
  return out;
}

describe("fieldValidation: simulated vs real kube-apiserver (what v1.20 and current servers agree on)", () => {
  const clusters = simulatedAndReal();

  for (const [label, query] of [
    ["the default", ""],
    ["Ignore", "fieldValidation=Ignore"],
  ] as const) {
    test(`under ${label}, unknown fields are dropped and the last of repeated keys is kept, through every verb`, async () => {
      const fake = await writes(clusters.simulated, await clusters.simulated.freshNamespace("fv-diff"), query);
      const truth = await writes(clusters.real, await clusters.real.freshNamespace("fv-diff"), query);
      // Owners only for the apply (the last write): /status entries differ by design (KNOWN-GAPS).
      const seen = (answers: HttpAnswer[]) => answers.map(stored).map((x, i) => (i === answers.length - 1 ? x : { ...(x as Obj), owned: undefined }));
      expect(seen(fake)).toEqual(seen(truth));
      expect(truth.map(stored)[0]).toMatchObject({ code: 201, labels: { x: "2" }, spec: {}, status: null, metaKeys: [] });
      if (query !== "") for (const answers of [fake, truth]) expect(answers.map((a) => a.headers.get("warning"))).toEqual([null, null, null, null, null]);
    });
  }

  test("built-in kinds drop the fields their Go types lack (a Lease, a Namespace), under the default and Ignore", async () => {
    const answers = async (cluster: TestCluster) => {
      const ns = await cluster.freshNamespace("fv-builtin");
      const out: unknown[] = [];
      for (const query of ["", "?fieldValidation=Ignore"]) {
        const lease = await cluster.request("POST", `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases${query}`, `{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l${query.length}"},"spec":{"holderIdentity":"a","foo":1},"top":2}`);
        const namespace = await cluster.request("POST", `/api/v1/namespaces${query}`, { apiVersion: "v1", kind: "Namespace", metadata: { name: `${ns}-${query.length}` }, spec: { bar: 1 }, status: { baz: 2 } });
        for (const a of [lease, namespace]) {
          const b = a.body as Obj;
          out.push({ code: a.code, keys: Object.keys(b).sort(), spec: b.spec, status: b.status ?? null, owned: JSON.stringify(((b.metadata as Obj).managedFields as Obj[])[0]?.fieldsV1) });
        }
      }
      return out;
    };
    expect(await answers(clusters.simulated)).toEqual(await answers(clusters.real));
  });

  test("kubectl apply --validate=strict refuses an unknown field and creates nothing (v1.20 in kubectl, current servers on the server)", async () => {
    for (const cluster of [clusters.simulated, clusters.real]) {
      const ns = await cluster.freshNamespace("fv-kubectl");
      // An unknown ObjectMeta field: v1.20's published schema lets any field into the Container's spec.
      const manifest = `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: k\n  bogus: 1\n`;
      const refused = await cluster.kubectl(["-n", ns, "apply", "--validate=strict", "-f", "-"], { stdin: manifest });
      expect({ backend: cluster.backend, code: refused.code }).toEqual({ backend: cluster.backend, code: 1 });
      expect(refused.stderr).toContain("bogus");
      const get = await cluster.kubectl(["-n", ns, "get", "container", "k"]);
      expect(get.code).toBe(1);
    }
  });
});

describe("fieldValidation: current servers' words, on the simulated apiserver", () => {
  const clusters = {} as { simulated: TestCluster };
  beforeAll(async () => {
    clusters.simulated = await startCluster({ backend: KubeBackend.simulated });
  }, 90_000);
  afterAll(async () => {
    await clusters.simulated?.stop();
  });
  const warnings = (a: HttpAnswer) => a.headers.get("warning");

  test("Warn (the default): one Warning: 299 per repeated key, then per dropped field (ObjectMeta's, then the schema's, each sorted)", async () => {
    const cluster = clusters.simulated;
    const ns = await cluster.freshNamespace("fv-warn");
    const created = await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${ns}/containers`, createBody("w"));
    expect(created.code).toBe(201);
    expect(warnings(created)).toBe('299 - "duplicate field \\"metadata.labels.x\\"", 299 - "duplicate field \\"spec.foo\\"", 299 - "unknown field \\"metadata.bogus\\"", 299 - "unknown field \\"spec.foo\\""');
    // kubectl validates strictly unless told otherwise (--validate=strict is its default since 1.25); with
    // warn it relies on the server, which the OpenAPI document says takes fieldValidation.
    const kubectl = await cluster.kubectl(["-n", ns, "create", "--validate=warn", "-f", "-"], { stdin: `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: k\nspec:\n  foo: 1\n` });
    expect({ code: kubectl.code, stderr: kubectl.stderr.trim() }).toEqual({ code: 0, stderr: 'Warning: unknown field "spec.foo"' });
    const strict = await cluster.kubectl(["-n", ns, "create", "-f", "-"], { stdin: `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: k2\nspec:\n  foo: 1\n` });
    expect([strict.code, strict.stderr.trim()]).toEqual([1, 'Error from server (BadRequest): error when creating "STDIN": Container in version "v1alpha1" cannot be handled as a Container: strict decoding error: unknown field "spec.foo"']);
  });

  test("Strict: create 400, merge patch and JSON Patch 422 on `patch`, apply 400 with go-yaml's lines; nothing is written", async () => {
    const cluster = clusters.simulated;
    const ns = await cluster.freshNamespace("fv-strict");
    const base = `${CONTAINERS_PATH}/namespaces/${ns}/containers`;
    const refusedCreate = await cluster.request("POST", `${base}?fieldValidation=Strict`, createBody("s"));
    expect([refusedCreate.code, (refusedCreate.body as Obj).reason, (refusedCreate.body as Obj).message]).toEqual([
      400,
      "BadRequest",
      'Container in version "v1alpha1" cannot be handled as a Container: strict decoding error: duplicate field "metadata.labels.x", duplicate field "spec.foo", unknown field "metadata.bogus", unknown field "spec.foo"',
    ]);
    const bogus = await cluster.request("POST", `${base}?fieldValidation=Bogus`, createBody("s"));
    expect([bogus.code, (bogus.body as Obj).message]).toEqual([422, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"']);
    expect((await cluster.request("POST", base, { apiVersion: API_VERSION, kind: "Container", metadata: { name: "s" } })).code).toBe(201);
    const merge = await cluster.request("PATCH", `${base}/s/status?fieldValidation=Strict`, `{"status":{"name":"web","name":"db","junk":1}}`, MERGE);
    const mergeBody = merge.body as Obj;
    expect([merge.code, mergeBody.reason]).toEqual([422, "Invalid"]);
    expect(String(mergeBody.message)).toStartWith(' "" is invalid: patch: Invalid value: "{\\"apiVersion\\":');
    expect(String(mergeBody.message)).toEndWith('strict decoding error: duplicate field "status.name", unknown field "status.junk"');
    expect(((mergeBody.details as Obj).causes as Obj[]).map((c) => [c.reason, c.field])).toEqual([["FieldValueInvalid", "patch"]]);
    const jsonPatch = await cluster.request("PATCH", `${base}/s?fieldValidation=Strict`, `[{"op":"add","path":"/spec","value":{"u":1},"foo":"bar"},{"op":"add","path":"/spec/v","path":"/spec/w","value":2}]`, JSON_PATCH);
    expect(jsonPatch.code).toBe(422);
    expect(String((jsonPatch.body as Obj).message)).toEndWith('strict decoding error: json patch unknown field "[0].foo", json patch duplicate field "[1].path", unknown field "spec.u", unknown field "spec.w"');
    const apply = await cluster.request("PATCH", `${base}/s?fieldManager=m&fieldValidation=Strict`, `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: s\n  labels:\n    k: "1"\n    k: "2"\n`, APPLY);
    expect([apply.code, (apply.body as Obj).message]).toEqual([400, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "k" already set in map']);
    const warned = await cluster.request("PATCH", `${base}/s?fieldManager=m`, `apiVersion: ${API_VERSION}\nkind: Container\nmetadata:\n  name: s\n  labels:\n    k: "1"\n    k: "2"\n`, APPLY);
    expect([warned.code, warnings(warned)]).toEqual([200, '299 - "line 7: key \\"k\\" already set in map"']);
    const after = await cluster.request("GET", `${base}/s`);
    expect([((after.body as Obj).metadata as Obj).labels, (after.body as Obj).spec ?? null, (after.body as Obj).status ?? null]).toEqual([{ k: "2" }, null, null]);
  });
});
