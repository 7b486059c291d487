import { describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "@container-actions/core";
import { ADMISSION_PATH, ADMISSION_PATH_ALIAS } from "./admission-routes.ts";
import { containerReview, setActionReview } from "./admission-fixtures.ts";
import { createLogger, createWebhookMetrics, memoryDestination } from "./observability/index.ts";
import { admissionApp } from "./webhook-app.ts";

const ENGINE = "system:serviceaccount:container-actions:controller";

function harness(options: { engineIdentities?: string[]; maxBodyBytes?: number } = {}) {
  const metrics = createWebhookMetrics();
  const logs = memoryDestination();
  const app = admissionApp({
    admission: { engineIdentities: options.engineIdentities ?? [] },
    metrics,
    logger: createLogger("debug", logs),
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
  });
  const post = async (body: unknown, init: { raw?: boolean; path?: string; headers?: Record<string, string> } = {}) => {
    const response = await app.handle(
      new Request(`http://localhost${init.path ?? ADMISSION_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...init.headers },
        body: init.raw ? (body as BodyInit) : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) as Record<string, any>, contentType: response.headers.get("content-type") };
  };
  const metric = async (name: string) => (await metrics.registry.getSingleMetricAsString(name)).split("\n").filter((l) => !l.startsWith("#"));
  return { post, logs: logs.lines, metric };
}

describe("admission: HTTP shapes", () => {
  test("allowed update: 200, same apiVersion/kind, uid echoed, allowed true, nothing else", async () => {
    const { post } = harness();
    const r = await post(setActionReview("restart", "uid-allowed-1"));
    expect(r.status).toBe(200);
    expect(r.contentType).toContain("application/json");
    expect(r.json).toEqual({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "uid-allowed-1", allowed: true } });
  });

  test("invalid action on update: denied with 403 Forbidden status naming the annotation and value", async () => {
    const { post } = harness();
    const r = await post(setActionReview("bogus", "uid-denied-1"));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      response: {
        uid: "uid-denied-1",
        allowed: false,
        status: {
          code: 403,
          reason: "Forbidden",
          message: `invalid ${ANNOTATION_ACTION} annotation "bogus": must be one of start, stop, pause, unpause, restart`,
        },
      },
    });
  });

  test("action annotation on create: denied, 'not allowed on create' (review I1)", async () => {
    const { post } = harness();
    for (const value of ["start", "bogus"]) {
      const r = await post(containerReview({ operation: "CREATE", annotations: { [ANNOTATION_ACTION]: value } }));
      expect(r.json.response.allowed).toBe(false);
      expect(r.json.response.status.message).toContain("not allowed on create");
      expect(r.json.response.status.message).toContain(ANNOTATION_ACTION);
      expect(r.json.response.status.message).toContain(`"${value}"`);
    }
  });

  test("create without the annotation: allowed", async () => {
    const { post } = harness();
    expect((await post(containerReview({ operation: "CREATE" }))).json.response.allowed).toBe(true);
  });

  test("malformed request id on update: denied with the id in the message", async () => {
    const { post } = harness();
    const r = await post(containerReview({ annotations: { [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "-bad id-" } }));
    expect(r.json.response.allowed).toBe(false);
    expect(r.json.response.status.message).toContain(`"-bad id-"`);
  });

  test("a stored bad value left untouched: allowed (E10)", async () => {
    const { post } = harness();
    const stored = { [ANNOTATION_ACTION]: "bogus" };
    const r = await post(containerReview({ oldAnnotations: stored, annotations: { ...stored, unrelated: "x" } }));
    expect(r.json.response.allowed).toBe(true);
  });

  test("engine identities: only the engine may create; everyone may update", async () => {
    const { post } = harness({ engineIdentities: [ENGINE] });
    const byAlice = await post(containerReview({ operation: "CREATE", username: "alice" }));
    expect(byAlice.json.response.allowed).toBe(false);
    expect(byAlice.json.response.status.message).toContain('"alice"');
    expect((await post(containerReview({ operation: "CREATE", username: ENGINE }))).json.response.allowed).toBe(true);
    expect((await post(setActionReview("stop"))).json.response.allowed).toBe(true);
  });

  test("dryRun requests get the same verdict", async () => {
    const { post } = harness();
    const denied = await post(containerReview({ annotations: { [ANNOTATION_ACTION]: "bogus" }, dryRun: true }));
    expect(denied.json.response.allowed).toBe(false);
    const allowed = await post(containerReview({ annotations: { [ANNOTATION_ACTION]: "stop" }, dryRun: true }));
    expect(allowed.json.response.allowed).toBe(true);
  });

  test("DELETE (not registered, but if sent): allowed", async () => {
    const { post } = harness();
    expect((await post(containerReview({ operation: "DELETE" }))).json.response.allowed).toBe(true);
  });

  test("the short alias path answers the same", async () => {
    const { post } = harness();
    const r = await post(setActionReview("bogus"), { path: ADMISSION_PATH_ALIAS });
    expect(r.json.response.allowed).toBe(false);
  });
});

describe("admission: other resources are allowed with a warning, never judged", () => {
  test("another group's resource", async () => {
    const { post } = harness();
    const r = await post(
      containerReview({ operation: "CREATE", resource: { group: "apps", version: "v1", resource: "deployments" }, annotations: { [ANNOTATION_ACTION]: "bogus" } }),
    );
    expect(r.status).toBe(200);
    expect(r.json.response.allowed).toBe(true);
    expect(r.json.response.status).toBeUndefined();
    expect(r.json.response.warnings).toEqual(["container-actions webhook does not judge apps/v1/deployments; allowed unchecked"]);
  });

  test("the containers/status subresource", async () => {
    const { post } = harness();
    const r = await post(containerReview({ subResource: "status", annotations: { [ANNOTATION_ACTION]: "bogus" } }));
    expect(r.json.response.allowed).toBe(true);
    expect(r.json.response.warnings[0]).toContain("containers/status");
  });
});

describe("admission: bad input is a 400 with a JSON error, never a crash", () => {
  const good = () => setActionReview("stop") as { request: Record<string, unknown> } & Record<string, unknown>;
  const cases: [string, unknown, string][] = [
    ["a JSON array", [], "must be a JSON object"],
    ["a JSON string", "hello", "must be a JSON object"],
    ["null", null, "must be a JSON object"],
    ["wrong apiVersion (v1beta1)", { ...good(), apiVersion: "admission.k8s.io/v1beta1" }, "apiVersion must be admission.k8s.io/v1"],
    ["no apiVersion", { ...good(), apiVersion: undefined }, "apiVersion must be"],
    ["wrong kind", { ...good(), kind: "Pod" }, "kind must be AdmissionReview"],
    ["no request", { ...good(), request: undefined }, "request is missing"],
    ["request null", { ...good(), request: null }, "request is missing"],
    ["no uid", { ...good(), request: { ...good().request, uid: undefined } }, "/request/uid"],
    ["empty uid", { ...good(), request: { ...good().request, uid: "" } }, "/request/uid"],
    ["no operation", { ...good(), request: { ...good().request, operation: undefined } }, "/request/operation"],
    ["unknown operation", { ...good(), request: { ...good().request, operation: "PATCH" } }, "/request/operation"],
    ["no resource", { ...good(), request: { ...good().request, resource: undefined } }, "/request/resource"],
    ["no kind", { ...good(), request: { ...good().request, kind: undefined } }, "/request/kind"],
    ["resource without group", { ...good(), request: { ...good().request, resource: { version: "v1alpha1", resource: "containers" } } }, "/request/resource/group"],
    ["userInfo.username not a string", { ...good(), request: { ...good().request, userInfo: { username: 7 } } }, "/request/userInfo/username"],
    ["UPDATE without object", { ...good(), request: { ...good().request, object: undefined } }, "/request/object is required for UPDATE"],
    ["UPDATE without oldObject", { ...good(), request: { ...good().request, oldObject: null } }, "/request/oldObject is required for UPDATE"],
    ["annotations not a string map", { ...good(), request: { ...good().request, object: { metadata: { annotations: { a: 1 } } } } }, "/request/object/metadata/annotations"],
    ["object not an object", { ...good(), request: { ...good().request, object: "x" } }, "/request/object"],
  ];
  for (const [name, body, phrase] of cases) {
    test(name, async () => {
      const { post } = harness();
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.json.error).toBe("BadRequest");
      expect(r.json.message).toContain(phrase);
    });
  }

  test("not JSON", async () => {
    const { post } = harness();
    const r = await post("{not json", { raw: true });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain("body is not JSON");
  });

  test("empty body", async () => {
    const { post } = harness();
    const r = await post("", { raw: true });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain("empty body");
  });

  test("a body over the size cap (declared length)", async () => {
    const { post } = harness({ maxBodyBytes: 2048 });
    const big = setActionReview("stop") as { request: { object: { metadata: Record<string, unknown> } } };
    big.request.object.metadata.labels = { padding: "x".repeat(4096) };
    const r = await post(big);
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("body exceeds 2048 bytes");
  });

  test("a body over the size cap (streamed, no length)", async () => {
    const { post } = harness({ maxBodyBytes: 2048 });
    const chunk = new TextEncoder().encode("x".repeat(1000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const r = await post(stream, { raw: true });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("body exceeds 2048 bytes");
  });

  test("a body just under the cap is read", async () => {
    const body = JSON.stringify(setActionReview("stop"));
    const { post } = harness({ maxBodyBytes: Buffer.byteLength(body) });
    expect((await post(body, { raw: true })).status).toBe(200);
  });
});

describe("admission: metrics and logs", () => {
  test("requests counted by operation and result; denials by rule; latency observed", async () => {
    const { post, metric } = harness();
    await post(setActionReview("stop"));
    await post(setActionReview("bogus"));
    await post(setActionReview("bogus"));
    await post(containerReview({ operation: "CREATE", annotations: { [ANNOTATION_ACTION]: "stop" } }));
    await post(containerReview({ resource: { group: "", version: "v1", resource: "pods" } }));
    await post("nope", { raw: true });
    const requests = await metric("container_actions_webhook_requests_total");
    expect(requests).toContain('container_actions_webhook_requests_total{operation="UPDATE",result="allowed"} 1');
    expect(requests).toContain('container_actions_webhook_requests_total{operation="UPDATE",result="denied"} 2');
    expect(requests).toContain('container_actions_webhook_requests_total{operation="CREATE",result="denied"} 1');
    expect(requests).toContain('container_actions_webhook_requests_total{operation="UPDATE",result="unjudged"} 1');
    expect(requests).toContain('container_actions_webhook_requests_total{operation="unknown",result="malformed"} 1');
    const denials = await metric("container_actions_webhook_denials_total");
    expect(denials).toContain('container_actions_webhook_denials_total{rule="invalid-action"} 2');
    expect(denials).toContain('container_actions_webhook_denials_total{rule="action-on-create"} 1');
    const latency = await metric("container_actions_webhook_request_duration_seconds");
    expect(latency).toContain('container_actions_webhook_request_duration_seconds_count{operation="UPDATE"} 4');
  });

  test("a denial is logged with who, what and why", async () => {
    const { post, logs } = harness();
    await post(containerReview({ uid: "uid-log", username: "mallory", annotations: { [ANNOTATION_ACTION]: "Stop" } }));
    const denial = logs.find((l) => l.msg === "admission denied");
    expect(denial).toMatchObject({
      uid: "uid-log",
      user: "mallory",
      operation: "UPDATE",
      object: expect.stringMatching(/^default\/[0-9a-f]{64}$/),
      rule: "invalid-action",
      reason: expect.stringContaining('"Stop"'),
    });
  });
});
