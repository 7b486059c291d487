import { describe, expect, test } from "bun:test";
import type { JsonObject } from "./json.ts";
import { WEBHOOK_CONFIG_REF } from "./resource-registry.ts";
import type { CallWebhook, WebhookReply, WebhookTarget } from "./validating-admission.ts";
import { CONTAINERS, NS, VALID_STATUS, container, create, failure, merge, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

type Rule = { operations: string[]; resources: string[] };

function webhookConfig(rules: Rule[], extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "containers" },
    webhooks: [
      {
        name: "validate.containers.rancherdesktop.io",
        clientConfig: { url: "https://127.0.0.1:9443/validate", caBundle: "Q0E=" },
        rules: rules.map((r) => ({ ...r, apiGroups: ["containers.rancherdesktop.io"], apiVersions: ["v1alpha1"], scope: "Namespaced" })),
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
        timeoutSeconds: 5,
        ...extra,
      },
    ],
  };
}

/** A webhook that records reviews and answers with `decide`. */
function recorder(decide: (request: JsonObject) => WebhookReply | "allow" | { deny: string; code?: number; reason?: string }) {
  const calls: Array<{ target: WebhookTarget; request: JsonObject }> = [];
  const call: CallWebhook = async (target, review) => {
    const request = review.request as JsonObject;
    calls.push({ target, request });
    const d = decide(request);
    if (d === "allow") return { kind: "reviewed", review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: request.uid, allowed: true } } };
    if ("deny" in d) {
      const status: JsonObject = { message: d.deny };
      if (d.code !== undefined) status.code = d.code;
      if (d.reason !== undefined) status.reason = d.reason;
      return { kind: "reviewed", review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: request.uid, allowed: false, status } } };
    }
    return d;
  };
  return { calls, call };
}

async function setup(rules: Rule[], decide: Parameters<typeof recorder>[0], extra: JsonObject = {}) {
  const hook = recorder(decide);
  const { store, clock } = await storeWithCrd({ callWebhook: hook.call });
  okObject(await store.create(WEBHOOK_CONFIG_REF, undefined, webhookConfig(rules, extra)));
  return { store, clock, calls: hook.calls };
}

describe("validating admission webhooks", () => {
  test("the AdmissionReview v1 request carries what the apiserver sends", async () => {
    const { store, calls } = await setup([{ operations: ["CREATE", "UPDATE"], resources: ["containers"] }], () => "allow");
    await create(store, container("x"), { fieldManager: "me", user: { username: "alice", groups: ["devs"] } });
    await merge(store, "x", { metadata: { annotations: { a: "1" } } });
    expect(calls.length).toBe(2);
    const [c, u] = calls.map((x) => x.request);
    expect(c).toMatchObject({
      kind: { group: "containers.rancherdesktop.io", version: "v1alpha1", kind: "Container" },
      resource: { group: "containers.rancherdesktop.io", version: "v1alpha1", resource: "containers" },
      requestKind: { group: "containers.rancherdesktop.io", version: "v1alpha1", kind: "Container" },
      name: "x",
      namespace: NS,
      operation: "CREATE",
      userInfo: { username: "alice", groups: ["devs"] },
      oldObject: null,
      dryRun: false,
      options: { kind: "CreateOptions", apiVersion: "meta.k8s.io/v1", fieldManager: "me" },
    });
    expect(String(c?.uid)).toMatch(/^[0-9a-f-]{36}$/);
    expect(u).toMatchObject({ operation: "UPDATE", options: { kind: "UpdateOptions" } });
    expect(metaOf(u?.object as JsonObject).annotations).toEqual({ a: "1" });
    expect(metaOf(u?.oldObject as JsonObject).annotations).toBeUndefined();
    expect(calls[0]?.target).toMatchObject({ url: "https://127.0.0.1:9443/validate", caBundle: "Q0E=", timeoutSeconds: 5, configurationName: "containers" });
  });

  test("a denial: the webhook's code (400 when it gives none) and 'admission webhook ... denied the request: ...'", async () => {
    const { store } = await setup([{ operations: ["CREATE"], resources: ["containers"] }], (r) =>
      String(metaOf(r.object as JsonObject).name) === "plain" ? { deny: "no" } : { deny: "invalid action", code: 403, reason: "Forbidden" },
    );
    expect(failure(await create(store, container("plain")))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'admission webhook "validate.containers.rancherdesktop.io" denied the request: no',
      code: 400,
    });
    expect(failure(await create(store, container("x")))).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: 'admission webhook "validate.containers.rancherdesktop.io" denied the request: invalid action',
    });
    expect(failure(store.get(CONTAINERS, NS, "x")).code).toBe(404);
  });

  test("an unreachable webhook: 500 InternalError under failurePolicy Fail, ignored under Ignore", async () => {
    const unreachable = () => ({ kind: "unreachable" as const, detail: 'Post "https://127.0.0.1:9443/validate?timeout=5s": dial tcp 127.0.0.1:9443: connect: connection refused' });
    const fail = await setup([{ operations: ["CREATE"], resources: ["containers"] }], unreachable, { failurePolicy: "Fail" });
    expect(failure(await create(fail.store, container("x")))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'Internal error occurred: failed calling webhook "validate.containers.rancherdesktop.io": Post "https://127.0.0.1:9443/validate?timeout=5s": dial tcp 127.0.0.1:9443: connect: connection refused',
      reason: "InternalError",
      details: {
        causes: [{ message: 'failed calling webhook "validate.containers.rancherdesktop.io": Post "https://127.0.0.1:9443/validate?timeout=5s": dial tcp 127.0.0.1:9443: connect: connection refused' }],
      },
      code: 500,
    });
    const ignore = await setup([{ operations: ["CREATE"], resources: ["containers"] }], unreachable, { failurePolicy: "Ignore" });
    expect(okObject(await create(ignore.store, container("x")))).toBeTruthy();
  });

  test("a webhook slower than timeoutSeconds times out on the virtual clock", async () => {
    const { store, clock } = await storeWithCrd({ callWebhook: () => new Promise<WebhookReply>(() => {}) });
    await store.create(WEBHOOK_CONFIG_REF, undefined, webhookConfig([{ operations: ["CREATE"], resources: ["containers"] }]));
    const pending = create(store, container("x"));
    clock.advance(5_000);
    expect(failure(await pending).message).toBe(
      'Internal error occurred: failed calling webhook "validate.containers.rancherdesktop.io": Post "https://127.0.0.1:9443/validate?timeout=5s": context deadline exceeded',
    );
  });

  test("a wrong response uid is an invalid response", async () => {
    const { store } = await setup([{ operations: ["CREATE"], resources: ["containers"] }], () => ({
      kind: "reviewed",
      review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "other", allowed: true } },
    }));
    expect(failure(await create(store, container("x"))).message).toContain('received invalid webhook response: expected response.uid="');
  });

  test("status writes match only rules that list containers/status; DELETE only when configured", async () => {
    const main = await setup([{ operations: ["CREATE", "UPDATE"], resources: ["containers"] }], () => "allow");
    await create(main.store, container("x"));
    await merge(main.store, "x", { status: VALID_STATUS }, {}, "status");
    await main.store.delete(CONTAINERS, NS, "x");
    expect(main.calls.map((c) => `${String(c.request.operation)} ${String(c.request.subResource ?? "")}`)).toEqual(["CREATE "]);

    const status = await setup([{ operations: ["*"], resources: ["containers/status"] }], () => "allow");
    await create(status.store, container("x"));
    await merge(status.store, "x", { status: VALID_STATUS }, {}, "status");
    await status.store.delete(CONTAINERS, NS, "x");
    expect(status.calls.map((c) => `${String(c.request.operation)} ${String(c.request.subResource ?? "")}`)).toEqual(["UPDATE status"]);

    const deletes = await setup([{ operations: ["DELETE"], resources: ["*"] }], () => "allow");
    await create(deletes.store, container("x"));
    await deletes.store.delete(CONTAINERS, NS, "x");
    expect(deletes.calls.map((c) => `${String(c.request.operation)} ${c.request.object === null} ${String(metaOf(c.request.oldObject as JsonObject).name)}`)).toEqual([
      "DELETE true x",
    ]);
  });

  test("object selectors filter on labels; skipAdmission writes as if no webhook existed", async () => {
    const { store, calls } = await setup([{ operations: ["CREATE"], resources: ["containers"] }], () => ({ deny: "no" }), {
      objectSelector: { matchLabels: { checked: "yes" } },
    });
    expect(okObject(await create(store, container("free")))).toBeTruthy();
    expect(failure(await create(store, container("c", { labels: { checked: "yes" } }))).code).toBe(400);
    expect(okObject(await create(store, container("d", { labels: { checked: "yes" } }), { skipAdmission: true }))).toBeTruthy();
    expect(calls.length).toBe(1);
  });

  test("a write whose object changed during admission is evaluated again against the new object", async () => {
    let release: (() => void) | undefined;
    const hook: CallWebhook = async (_t, review) => {
      const request = review.request as JsonObject;
      if (request.operation === "UPDATE" && release === undefined) await new Promise<void>((r) => (release = r));
      return { kind: "reviewed", review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: request.uid, allowed: true } } };
    };
    const { store } = await storeWithCrd({ callWebhook: hook });
    await store.create(WEBHOOK_CONFIG_REF, undefined, webhookConfig([{ operations: ["CREATE", "UPDATE"], resources: ["containers"] }]));
    await create(store, container("x"));
    const slow = merge(store, "x", { metadata: { annotations: { slow: "1" } } });
    for (let i = 0; i < 20 && release === undefined; i++) await Promise.resolve();
    expect(release).toBeDefined();
    await merge(store, "x", { metadata: { annotations: { fast: "1" } } }, { skipAdmission: true });
    release?.();
    expect(metaOf(okObject(await slow)).annotations).toEqual({ fast: "1", slow: "1" });
  });
});
