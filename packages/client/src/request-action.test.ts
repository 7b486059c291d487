import { describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, type LastAction } from "@container-actions/core";
import { requestAction } from "./request-action.ts";
import { FakeContainerApi } from "./testing/fake-container-api.ts";

const ID = "ab".repeat(32);
const OTHER = "cd".repeat(32);
const at = "2026-12-04T15:00:00.000Z";

/** The controller's two writes for the request in the slot: lastAction, then the guarded removal. */
function handle(api: FakeContainerApi, name: string, outcome: Pick<LastAction, "state" | "error"> = { state: "Succeeded" }): void {
  let slot: Record<string, string> = {};
  api.update(name, (c) => {
    slot = c.metadata.annotations ?? {};
    const requestId = slot[ANNOTATION_ACTION_ID];
    c.status!.lastAction = { action: slot[ANNOTATION_ACTION] as LastAction["action"], ...outcome, ...(requestId ? { requestId } : {}), observedAt: at, completedAt: at };
  });
  api.update(name, (c) => {
    c.metadata.annotations = {};
  });
}

function setup() {
  const api = new FakeContainerApi();
  api.add(ID, "web");
  return api;
}

describe("requestAction", () => {
  test("succeeded: the lastAction of this request, with a fresh id per call", async () => {
    const api = setup();
    api.onAnnotate = () => handle(api, ID);
    const first = await requestAction(api, { namespace: "default", container: ID, action: "restart" });
    const second = await requestAction(api, { namespace: "default", container: ID, action: "restart" });
    expect(first).toMatchObject({ kind: "succeeded", lastAction: { action: "restart", state: "Succeeded" } });
    expect(second.kind).toBe("succeeded");
    expect(first.requestId).not.toBe(second.requestId);
    if (first.kind === "succeeded") expect(first.lastAction.requestId).toBe(first.requestId);
  });

  test("failed: Docker's error", async () => {
    const api = setup();
    const error = "Error response from daemon: Container x is not running";
    api.onAnnotate = () => handle(api, ID, { state: "Failed", error });
    expect(await requestAction(api, { namespace: "default", container: ID, action: "pause" })).toMatchObject({ kind: "failed", error });
  });

  test("denied: the webhook's message, nothing written", async () => {
    const api = setup();
    api.deny = () => 'admission webhook "containers.rancherdesktop.io" denied the request: invalid containers.rancherdesktop.io/action annotation "bogus"';
    const result = await requestAction(api, { namespace: "default", container: ID, action: "bogus" as never });
    expect(result).toMatchObject({ kind: "denied", code: 400 });
    if (result.kind === "denied") expect(result.message).toContain('"bogus"');
  });

  test("not found: no such Container, or deleted while waiting", async () => {
    const api = setup();
    expect((await requestAction(api, { namespace: "default", container: OTHER, action: "stop" })).kind).toBe("not-found");
    api.onAnnotate = () => api.remove(ID);
    expect((await requestAction(api, { namespace: "default", container: ID, action: "stop" })).kind).toBe("not-found");
  });

  test("superseded: another request replaced it before it ran, and that one ran", async () => {
    const api = setup();
    api.onAnnotate = (written) => {
      if (written.metadata.annotations?.[ANNOTATION_ACTION_ID] === "theirs") return;
      api.update(ID, (c) => (c.metadata.annotations = { [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "theirs" }));
      handle(api, ID);
    };
    expect(await requestAction(api, { namespace: "default", container: ID, action: "restart" })).toMatchObject({
      kind: "superseded",
      by: { action: "stop", requestId: "theirs" },
    });
  });

  test("a replacement written while this request is handled is not supersession: this one completes", async () => {
    const api = setup();
    api.onAnnotate = (written) => {
      const mine = written.metadata.annotations?.[ANNOTATION_ACTION_ID] as string;
      // The controller took our request; another client writes meanwhile; ours completes, theirs stays.
      api.update(ID, (c) => (c.metadata.annotations = { [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "theirs" }));
      api.update(ID, (c) => (c.status!.lastAction = { action: "restart", state: "Succeeded", requestId: mine, observedAt: at, completedAt: at }));
    };
    expect(await requestAction(api, { namespace: "default", container: ID, action: "restart" })).toMatchObject({ kind: "succeeded" });
  });

  test("dropped: removed without an outcome and never replaced (the controller refused it)", async () => {
    const api = setup();
    api.onAnnotate = () => api.update(ID, (c) => (c.metadata.annotations = {}));
    expect((await requestAction(api, { namespace: "default", container: ID, action: "stop" })).kind).toBe("dropped");
  });

  test("timeout: no outcome in time; the request stays pending", async () => {
    const api = setup();
    const result = await requestAction(api, { namespace: "default", container: ID, action: "stop" }, { timeoutMs: 50 });
    expect(result).toMatchObject({ kind: "timeout", timeoutMs: 50 });
    const stored = await api.get("default", ID);
    expect(stored.kind === "ok" ? stored.value.metadata.annotations?.[ANNOTATION_ACTION] : undefined).toBe("stop");
    expect(api.watchCount()).toBe(0);
  });

  test("aborted by the caller's signal", async () => {
    const api = setup();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    expect((await requestAction(api, { namespace: "default", container: ID, action: "stop" }, { signal: abort.signal })).kind).toBe("aborted");
  });

  test("wait: false returns once written", async () => {
    const api = setup();
    expect((await requestAction(api, { namespace: "default", container: ID, action: "stop" }, { wait: false })).kind).toBe("requested");
  });

  test("a dropped watch is resumed from a fresh read: the outcome written meanwhile is found", async () => {
    const api = setup();
    api.onAnnotate = () => {
      api.dropWatches();
      handle(api, ID);
    };
    expect((await requestAction(api, { namespace: "default", container: ID, action: "stop" })).kind).toBe("succeeded");
  });

  test("a Docker name or a short ID is resolved to its mirror", async () => {
    const api = setup();
    api.onAnnotate = (c) => handle(api, c.metadata.name);
    expect(await requestAction(api, { namespace: "default", container: "web", action: "stop" })).toMatchObject({ kind: "succeeded" });
    expect(await requestAction(api, { namespace: "default", container: ID.slice(0, 6), action: "start" })).toMatchObject({ kind: "succeeded" });
    expect(await requestAction(api, { namespace: "default", container: "nope", action: "start" })).toMatchObject({ kind: "not-found" });
  });

  test("API server unreachable: unavailable, nothing written", async () => {
    const api = setup();
    api.unavailable = true;
    expect(await requestAction(api, { namespace: "default", container: ID, action: "stop" })).toMatchObject({ kind: "unavailable", written: false });
  });
});
