import { describe, expect, test } from "bun:test";
import { FINALIZER_MIRROR, type Container, type ContainerCache, type LastAction, type MirroredStatus } from "@container-actions/core";
import { clearRequestPatch } from "@container-actions/core";
import { KubeActionLedger } from "./kube-action-ledger.ts";
import { KubeEventRecorder } from "./kube-event-recorder.ts";
import { addFinalizerPatch } from "@container-actions/core";
import { KubeMirrorLedger } from "./kube-mirror-ledger.ts";
import type { KubeAnswer, KubeRequest, KubeTransport } from "./kube-transport.ts";

/** Records requests and answers each from a script (default: 200 with resourceVersion "7"). */
class ScriptedTransport implements KubeTransport {
  readonly requests: KubeRequest[] = [];
  constructor(private readonly answers: KubeAnswer[] = []) {}
  async send(request: KubeRequest): Promise<KubeAnswer> {
    this.requests.push(request);
    return this.answers.shift() ?? { kind: "answered", status: 200, body: { metadata: { resourceVersion: "7" } } };
  }
}

const ref = { namespace: "ns", name: "abc" };
const BASE = "/apis/containers.rancherdesktop.io/v1alpha1/namespaces/ns/containers";

describe("KubeActionLedger.recordOutcome", () => {
  test("one merge patch on /status, fieldManager container-actions-action, no resourceVersion, absent optional fields nulled", async () => {
    const kube = new ScriptedTransport();
    const lastAction: LastAction = { action: "stop", state: "Succeeded", observedAt: "2026-01-01T00:00:00.000Z", completedAt: "2026-01-01T00:00:01.000Z" };
    expect(await new KubeActionLedger(kube).recordOutcome(ref, lastAction)).toEqual({ kind: "written", resourceVersion: "7" });
    expect(kube.requests).toEqual([
      {
        method: "PATCH",
        path: `${BASE}/abc/status`,
        query: { fieldManager: "container-actions-action" },
        contentType: "application/merge-patch+json",
        body: { status: { lastAction: { ...lastAction, error: null, requestId: null } } },
        verb: "patch",
        resource: "containers/status",
        caller: "action",
      },
    ]);
    expect(JSON.stringify(kube.requests[0]?.body)).not.toContain("resourceVersion");
  });

  test("a Failed outcome with a request id sends both", async () => {
    const kube = new ScriptedTransport();
    const lastAction: LastAction = { action: "pause", state: "Failed", error: "Error response from daemon: x is not running", requestId: "r1", observedAt: "t", completedAt: "t" };
    await new KubeActionLedger(kube).recordOutcome(ref, lastAction);
    expect((kube.requests[0]?.body as { status: { lastAction: unknown } }).status.lastAction).toEqual(lastAction);
  });
});

describe("KubeActionLedger.clearRequest", () => {
  test("without an id: test action, test id == null, remove action", async () => {
    const kube = new ScriptedTransport();
    expect(await new KubeActionLedger(kube).clearRequest(ref, { action: "stop" })).toEqual({ kind: "cleared", resourceVersion: "7" });
    expect(kube.requests[0]).toMatchObject({ method: "PATCH", path: `${BASE}/abc`, contentType: "application/json-patch+json", query: { fieldManager: "container-actions-action" } });
    expect(kube.requests[0]?.body).toEqual([
      { op: "test", path: "/metadata/annotations/containers.rancherdesktop.io~1action", value: "stop" },
      { op: "test", path: "/metadata/annotations/containers.rancherdesktop.io~1action-id", value: null },
      { op: "remove", path: "/metadata/annotations/containers.rancherdesktop.io~1action" },
    ]);
  });

  test("with an id (core's clearRequestPatch): both tested and both removed", () => {
    expect(clearRequestPatch({ action: "restart", requestId: "b" })).toEqual([
      { op: "test", path: "/metadata/annotations/containers.rancherdesktop.io~1action", value: "restart" },
      { op: "test", path: "/metadata/annotations/containers.rancherdesktop.io~1action-id", value: "b" },
      { op: "remove", path: "/metadata/annotations/containers.rancherdesktop.io~1action" },
      { op: "remove", path: "/metadata/annotations/containers.rancherdesktop.io~1action-id" },
    ]);
  });

  test("a failed test (422) is a newer request: superseded", async () => {
    const kube = new ScriptedTransport([{ kind: "answered", status: 422, body: { message: "the server rejected our request" } }]);
    expect(await new KubeActionLedger(kube).clearRequest(ref, { action: "stop" })).toEqual({ kind: "superseded" });
  });
});

function cacheWith(container?: Partial<Container["metadata"]>): ContainerCache {
  const c = container && ({ apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "abc", namespace: "ns", ...container } } as Container);
  return { get: () => c, list: () => (c ? [c] : []) };
}

describe("KubeMirrorLedger", () => {
  test("create: POST with the finalizer; 409 AlreadyExists counts as written", async () => {
    const kube = new ScriptedTransport([{ kind: "answered", status: 409, body: { reason: "AlreadyExists" } }]);
    expect(await new KubeMirrorLedger(kube, cacheWith()).create(ref)).toEqual({ kind: "written" });
    expect(kube.requests[0]).toMatchObject({
      method: "POST",
      path: BASE,
      query: { fieldManager: "container-actions-mirror" },
      body: { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "abc", namespace: "ns", finalizers: [FINALIZER_MIRROR] } },
      caller: "mirror",
    });
  });

  test("addFinalizer: appends when the cached list has entries", async () => {
    const kube = new ScriptedTransport();
    await new KubeMirrorLedger(kube, cacheWith({ finalizers: ["other/x"] })).addFinalizer(ref);
    expect(kube.requests.map((r) => r.body)).toEqual([addFinalizerPatch(true)]);
    expect(addFinalizerPatch(true)).toEqual([{ op: "add", path: "/metadata/finalizers/-", value: FINALIZER_MIRROR }]);
  });

  test("addFinalizer: creates the list behind a null test when the cache has none; on 422 tries the other form once", async () => {
    const kube = new ScriptedTransport([{ kind: "answered", status: 422, body: {} }]);
    expect(await new KubeMirrorLedger(kube, cacheWith({})).addFinalizer(ref)).toEqual({ kind: "written" });
    expect(kube.requests.map((r) => r.body)).toEqual([addFinalizerPatch(false), addFinalizerPatch(true)]);
    expect(addFinalizerPatch(false)).toEqual([
      { op: "test", path: "/metadata/finalizers", value: null },
      { op: "add", path: "/metadata/finalizers", value: [FINALIZER_MIRROR] },
    ]);
  });

  test("writeStatus: merge patch on /status with absent fields nulled, and no lastAction or conditions", async () => {
    const kube = new ScriptedTransport();
    const status: MirroredStatus = { name: "n", namespace: "moby", path: "sleep", image: "sha256:1", status: "exited", pid: 0, exitCode: 143 };
    await new KubeMirrorLedger(kube, cacheWith()).writeStatus(ref, status, ["error", "ports"]);
    expect(kube.requests[0]).toMatchObject({ method: "PATCH", path: `${BASE}/abc/status`, contentType: "application/merge-patch+json", query: { fieldManager: "container-actions-mirror" } });
    expect(kube.requests[0]?.body).toEqual({ status: { name: "n", namespace: "moby", path: "sleep", image: "sha256:1", status: "exited", pid: 0, exitCode: 143, error: null, ports: null } });
  });

  test("removeFinalizer: test the index holds our finalizer, then remove it; a failed test is `changed`", async () => {
    const kube = new ScriptedTransport([{ kind: "answered", status: 422, body: {} }]);
    expect(await new KubeMirrorLedger(kube, cacheWith()).removeFinalizer(ref, 1)).toEqual({ kind: "changed" });
    expect(kube.requests[0]?.body).toEqual([
      { op: "test", path: "/metadata/finalizers/1", value: FINALIZER_MIRROR },
      { op: "remove", path: "/metadata/finalizers/1" },
    ]);
  });

  test("delete: DELETE; 404 gone", async () => {
    const kube = new ScriptedTransport([{ kind: "answered", status: 404, body: {} }]);
    expect(await new KubeMirrorLedger(kube, cacheWith()).delete(ref)).toEqual({ kind: "gone" });
    expect(kube.requests[0]).toMatchObject({ method: "DELETE", path: `${BASE}/abc`, verb: "delete" });
  });
});

describe("KubeEventRecorder", () => {
  const options = (failures: string[], nowMs = () => 1_800_000_000_000) => ({
    component: "container-actions-controller",
    instance: "i1",
    uidOf: () => "uid-1",
    nowMs,
    onFailure: (_ref: unknown, reason: string, detail: string) => void failures.push(`${reason}: ${detail}`),
  });

  test("creates a core/v1 Event with involvedObject, source, timestamps and count", async () => {
    const kube = new ScriptedTransport();
    const recorder = new KubeEventRecorder(kube, options([]));
    recorder.record(ref, { type: "Normal", reason: "ActionSucceeded", message: "stop succeeded" });
    await recorder.flush();
    expect(kube.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/namespaces/ns/events", caller: "events", resource: "events" });
    expect(kube.requests[0]?.body).toMatchObject({
      involvedObject: { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", namespace: "ns", name: "abc", uid: "uid-1" },
      reason: "ActionSucceeded",
      message: "stop succeeded",
      type: "Normal",
      source: { component: "container-actions-controller" },
      firstTimestamp: "2027-01-15T08:00:00Z",
      lastTimestamp: "2027-01-15T08:00:00Z",
      count: 1,
    });
  });

  test("a repeat within the window bumps count on the first Event", async () => {
    const kube = new ScriptedTransport();
    const recorder = new KubeEventRecorder(kube, options([]));
    const event = { type: "Warning" as const, reason: "ActionFailed", message: "pause failed" };
    recorder.record(ref, event);
    await recorder.flush();
    recorder.record(ref, event);
    await recorder.flush();
    const name = (kube.requests[0]?.body as { metadata: { name: string } }).metadata.name;
    expect(kube.requests[1]).toMatchObject({ method: "PATCH", path: `/api/v1/namespaces/ns/events/${name}`, body: { count: 2 } });
  });

  test("best effort: a failed write is reported, never thrown", async () => {
    const failures: string[] = [];
    const kube = new ScriptedTransport([{ kind: "failed", detail: "ECONNREFUSED" }]);
    const recorder = new KubeEventRecorder(kube, options(failures));
    expect(() => recorder.record(ref, { type: "Normal", reason: "R", message: "m" })).not.toThrow();
    await recorder.flush();
    expect(failures).toEqual(["R: ECONNREFUSED"]);
  });
});
