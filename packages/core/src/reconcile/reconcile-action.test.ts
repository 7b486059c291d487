import { describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, type ActionName, type Container } from "../api/index.ts";
import { CONTAINER_ID, countingIds, FakeEngine, FakeEvents, FakeLedger, mirror, OWN_ALL, request, steppingClock } from "./fake-ports.ts";
import { createActionReconciler, STATUS_WAIT_ATTEMPTS_MAX } from "./reconcile-action.ts";
import { EngineInventory } from "../ownership/index.ts";

function setup(container: Container | undefined = mirror(request("stop"))) {
  const ledger = new FakeLedger(container);
  const engine = new FakeEngine();
  const events = new FakeEvents();
  const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger, events, clock: steppingClock(), ids: countingIds() }, 0);
  return { ledger, engine, events, reconciler, container: container as Container };
}

/** managedFields saying the action annotation was written at `timeMs` (whole seconds, as the apiserver stamps). */
function writtenAt(timeMs: number): Container["metadata"] {
  return {
    name: CONTAINER_ID,
    managedFields: [
      {
        manager: "kubectl-annotate",
        operation: "Update",
        time: new Date(Math.floor(timeMs / 1000) * 1000).toISOString().replace(".000", ""),
        fieldsV1: { "f:metadata": { "f:annotations": { [`f:${ANNOTATION_ACTION}`]: {} } } },
      },
    ],
  };
}

describe("action protocol: cost per dispatched action", () => {
  const cases: Array<{ action: ActionName; from: "running" | "paused" | "exited"; calls: Array<ActionName | "inspect"> }> = [
    { action: "stop", from: "running", calls: ["stop"] },
    { action: "start", from: "exited", calls: ["start"] },
    { action: "pause", from: "running", calls: ["inspect", "pause"] },
    { action: "unpause", from: "paused", calls: ["inspect", "unpause"] },
    { action: "restart", from: "running", calls: ["restart"] },
  ];
  for (const { action, from, calls } of cases) {
    test(`${action} with an id: 2 writes, 0 reads, one Docker call${calls.length > 1 ? " after one inspect" : ""}`, async () => {
      const { ledger, engine, reconciler, container } = setup(mirror(request(action, "r-1")));
      engine.state = {
        status: from,
        running: from !== "exited",
        paused: from === "paused",
        restarting: false,
        startedAtMs: 1_000,
      };
      const outcome = await reconciler.reconcile(container, 0);
      expect(outcome).toMatchObject({ kind: "completed", dispatched: true, cleared: "cleared" });
      expect(ledger.writes).toBe(2);
      expect(engine.calls).toEqual(calls);
      expect(container.status?.lastAction).toMatchObject({ action, state: "Succeeded" });
      expect(container.status?.lastAction?.error).toBeUndefined();
      expect(container.metadata.annotations?.[ANNOTATION_ACTION]).toBeUndefined();
    });
  }
});

describe("action protocol: id-less requests get a server-chosen id first", () => {
  test("one guarded stamp before the Docker call (3 writes), and the outcome records the id", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("restart")));
    const outcome = await reconciler.reconcile(container, 0);
    expect(outcome).toMatchObject({ kind: "completed", dispatched: true, cleared: "cleared" });
    expect(ledger.writes).toBe(3);
    expect(ledger.stamps).toEqual(["srv-1"]);
    expect(engine.actionCalls()).toEqual(["restart"]);
    expect(container.status?.lastAction).toMatchObject({ action: "restart", state: "Succeeded", requestId: "srv-1" });
    expect(container.metadata.annotations).toEqual({});
  });

  test("a client replaced the request before the stamp: skipped, nothing called, the newer one is untouched", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("restart")));
    const stale = structuredClone(container);
    container.metadata.annotations = request("stop");
    expect(await reconciler.reconcile(stale, 0)).toEqual({ kind: "skipped", why: "superseded" });
    expect(engine.calls).toEqual([]);
    expect(ledger.stored?.metadata.annotations).toEqual(request("stop"));
  });

  test("the stamp's answer is lost: retry, nothing called", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("stop")));
    ledger.nextStamp = { kind: "unavailable", detail: "timeout" };
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(engine.calls).toEqual([]);
  });

  test("superseded removal, then a stale view of the version that still holds the restart: no second restart", async () => {
    // The id-less double restart: lastAction written (version N), a client's newer request makes the
    // removal fail, the lagging cache then delivers version N with the old restart in it.
    const { ledger, engine, reconciler, container } = setup(mirror(request("restart")));
    ledger.nextClear = { kind: "superseded" };
    await reconciler.reconcile(container, 0);
    const versionN = structuredClone(container);
    container.metadata.annotations = { ...request("stop"), [ANNOTATION_ACTION_ID]: "srv-1" };
    expect(await reconciler.reconcile(versionN, 0)).toMatchObject({ kind: "completed", dispatched: false });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });
});

describe("action protocol: outcomes", () => {
  test("start on a running container: Docker's 304 is success", async () => {
    const { engine, reconciler, container } = setup(mirror(request("start")));
    await reconciler.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual(["start"]);
    expect(container.status?.lastAction?.state).toBe("Succeeded");
  });

  test("pause on a stopped container: Failed with Docker's 'not running'", async () => {
    const { engine, events, reconciler, container } = setup(mirror(request("pause")));
    engine.state = { status: "exited", running: false, paused: false, restarting: false };
    await reconciler.reconcile(container, 0);
    const last = container.status?.lastAction;
    expect(last?.state).toBe("Failed");
    expect(last?.error).toContain("not running");
    expect(last?.error).toStartWith("Error response from daemon: ");
    expect(events.recorded).toEqual([expect.objectContaining({ type: "Warning", reason: "ActionFailed" })]);
  });

  test("unpause on a stopped container: Failed 'not running' without calling unpause", async () => {
    const { engine, reconciler, container } = setup(mirror(request("unpause")));
    engine.state = { status: "exited", running: false, paused: false, restarting: false };
    await reconciler.reconcile(container, 0);
    expect(container.status?.lastAction).toMatchObject({ state: "Failed", error: `cannot unpause container ${CONTAINER_ID}: not running` });
    expect(engine.actionCalls()).toEqual([]);
  });

  test("pause on a paused container: Succeeded without a second pause", async () => {
    const { engine, reconciler, container } = setup(mirror(request("pause")));
    engine.state = { status: "paused", running: true, paused: true, restarting: false };
    await reconciler.reconcile(container, 0);
    expect(container.status?.lastAction?.state).toBe("Succeeded");
    expect(engine.actionCalls()).toEqual([]);
  });

  test("unpause on a running container: Succeeded without a call", async () => {
    const { engine, reconciler, container } = setup(mirror(request("unpause")));
    await reconciler.reconcile(container, 0);
    expect(container.status?.lastAction?.state).toBe("Succeeded");
    expect(engine.actionCalls()).toEqual([]);
  });

  test("Docker container gone: Failed with 'No such container', request cleared", async () => {
    const { engine, reconciler, container } = setup(mirror(request("stop")));
    engine.exists = false;
    const outcome = await reconciler.reconcile(container, 0);
    expect(outcome.kind).toBe("completed");
    expect(container.status?.lastAction?.error).toContain("No such container");
  });

  test("request id is echoed into lastAction and observedAt precedes completedAt", async () => {
    const { reconciler, container } = setup(mirror(request("stop", "req-1")));
    await reconciler.reconcile(container, 0);
    const last = container.status?.lastAction;
    expect(last?.requestId).toBe("req-1");
    expect(Date.parse(last!.observedAt) < Date.parse(last!.completedAt)).toBe(true);
    expect(container.metadata.annotations?.[ANNOTATION_ACTION_ID]).toBeUndefined();
  });

  test("no request: nothing is read, written or called", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror({}));
    expect(await reconciler.reconcile(container, 0)).toEqual({ kind: "idle" });
    expect(ledger.writes + engine.calls.length).toBe(0);
  });
});

describe("action protocol: bad input and edge cases", () => {
  test("invalid value (S3): removed with a Warning, no lastAction, no Docker call", async () => {
    const { ledger, engine, events, reconciler, container } = setup(mirror(request("bogus")));
    const outcome = await reconciler.reconcile(container, 0);
    expect(outcome.kind).toBe("dropped");
    expect(container.metadata.annotations?.[ANNOTATION_ACTION]).toBeUndefined();
    expect(container.status?.lastAction).toBeUndefined();
    expect(engine.calls).toEqual([]);
    expect(ledger.writes).toBe(1);
    expect(events.recorded[0]).toMatchObject({ type: "Warning", reason: "InvalidAction" });
    expect(events.recorded[0]?.message).toContain('"bogus"');
  });

  test("malformed request id: dropped like an invalid action", async () => {
    const { engine, reconciler, container } = setup(mirror(request("stop", "-no good-")));
    expect((await reconciler.reconcile(container, 0)).kind).toBe("dropped");
    expect(engine.calls).toEqual([]);
  });

  test("terminating object: skipped, nothing called (removal wins, E11)", async () => {
    const { ledger, engine, reconciler, container } = setup(
      mirror(request("restart"), { deletionTimestamp: "2026-01-01T00:00:00Z" }),
    );
    expect(await reconciler.reconcile(container, 0)).toEqual({ kind: "skipped", why: "terminating" });
    expect(ledger.writes + engine.calls.length).toBe(0);
  });

  test("mirror deleted after dispatch (I2): NotFound on the status write is done, not an error", async () => {
    const { ledger, reconciler, container } = setup(mirror(request("stop", "r-1")));
    ledger.nextRecord = { kind: "gone" };
    expect(await reconciler.reconcile(container, 0)).toEqual({ kind: "gone" });
    expect(ledger.writes).toBe(1);
  });

  test("mirror deleted between the two writes (I2): NotFound on removal is done", async () => {
    const { ledger, reconciler, container } = setup(mirror(request("stop")));
    ledger.nextClear = { kind: "gone" };
    expect(await reconciler.reconcile(container, 0)).toEqual({ kind: "gone" });
  });

  test("newer request written during dispatch: removal is superseded and the new request survives", async () => {
    const { ledger, reconciler, container } = setup(mirror(request("pause", "r-1")));
    const stale = structuredClone(container);
    container.metadata.annotations = request("stop", "r-2");
    const outcome = await reconciler.reconcile(stale, 0);
    expect(outcome).toMatchObject({ kind: "completed", cleared: "superseded" });
    expect(ledger.stored?.metadata.annotations?.[ANNOTATION_ACTION]).toBe("stop");
  });

  test("no status yet on a container Docker has: keeps waiting, never dropped (a flaky engine delays the mirror)", async () => {
    const container = mirror(request("stop"));
    delete container.status;
    const { engine, reconciler } = setup(container);
    expect(await reconciler.reconcile(container, STATUS_WAIT_ATTEMPTS_MAX)).toMatchObject({ kind: "retry" });
    expect(engine.calls).toEqual(["inspect"]);
    expect(container.metadata.annotations).toEqual(request("stop"));
  });

  for (const name of ["demo-worker", "c0ffee000000", "C0FFEE".padEnd(64, "0")]) {
    test(`foreign name ${JSON.stringify(name.slice(0, 16))}: removed with a Warning, no Docker call at all`, async () => {
      const container = mirror(request("stop"), { name });
      const { engine, events, reconciler } = setup(container);
      expect((await reconciler.reconcile(container, 0)).kind).toBe("dropped");
      expect(engine.calls).toEqual([]);
      expect(events.recorded[0]).toMatchObject({ type: "Warning", reason: "ForeignContainer" });
    });
  }

  test("no status yet (E14): waits, then drops with a Warning instead of retrying forever", async () => {
    const container = mirror(request("stop"));
    delete container.status;
    const { engine, events, reconciler } = setup(container);
    engine.exists = false;
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(engine.calls).toEqual([]);
    const outcome = await reconciler.reconcile(container, STATUS_WAIT_ATTEMPTS_MAX);
    expect(outcome.kind).toBe("dropped");
    expect(container.metadata.annotations?.[ANNOTATION_ACTION]).toBeUndefined();
    expect(events.recorded[0]).toMatchObject({ reason: "NotMirrored" });
  });

  test("engine unreachable (E15): request kept, nothing written, retry", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("stop", "r-1")));
    engine.unreachable = true;
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(ledger.writes).toBe(0);
    expect(container.metadata.annotations).toEqual(request("stop", "r-1"));
    engine.unreachable = false;
    expect(await reconciler.reconcile(container, 1)).toMatchObject({ kind: "completed" });
    expect(engine.state.status).toBe("exited");
    expect(container.status?.lastAction?.state).toBe("Succeeded");
  });

  test("status write unavailable: retry; the replay is harmless", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("stop")));
    ledger.nextRecord = { kind: "unavailable", detail: "503" };
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(await reconciler.reconcile(container, 1)).toMatchObject({ kind: "completed" });
    expect(container.status?.lastAction?.state).toBe("Succeeded");
    expect(engine.state.status).toBe("exited");
  });

  test("removal unavailable, with a request id: the retry sees the id in lastAction and only removes", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("restart", "r-1")));
    ledger.nextClear = { kind: "unavailable", detail: "timeout" };
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    const outcome = await reconciler.reconcile(container, 1);
    expect(outcome).toMatchObject({ kind: "completed", dispatched: false });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("removal unavailable, without an id: the stamped id makes the retry only remove (exactly once)", async () => {
    const { ledger, engine, reconciler, container } = setup(mirror(request("restart")));
    ledger.nextClear = { kind: "unavailable", detail: "timeout" };
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(await reconciler.reconcile(container, 1)).toMatchObject({ kind: "completed", dispatched: false });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("status write rejected (422): request dropped with a Warning, no retry loop", async () => {
    const { ledger, events, reconciler, container } = setup(mirror(request("stop")));
    ledger.nextRecord = { kind: "rejected", detail: "status.image: Required value" };
    expect((await reconciler.reconcile(container, 0)).kind).toBe("dropped");
    expect(events.recorded.map((e) => e.reason)).toContain("OutcomeRejected");
  });
});

describe("action protocol: replays never act twice", () => {
  test("stale cache (I3/E1): a view older than our own write does not dispatch again", async () => {
    const { engine, reconciler, container } = setup(mirror(request("restart")));
    const stale = structuredClone(container);
    await reconciler.reconcile(container, 0);
    expect(await reconciler.reconcile(stale, 0)).toEqual({ kind: "skipped", why: "stale-cache" });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("crash after the status write: a recorded request id is only cleared (2 writes before, 1 after)", async () => {
    const container = mirror(request("restart", "r-7"));
    container.status!.lastAction = {
      action: "restart",
      state: "Succeeded",
      requestId: "r-7",
      observedAt: "2026-01-01T00:00:00.000Z",
      completedAt: "2026-01-01T00:00:01.000Z",
    };
    const { ledger, engine, reconciler } = setup(container);
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "completed", dispatched: false });
    expect(engine.calls).toEqual([]);
    expect(ledger.writes).toBe(1);
  });

  test("id-less restart: only restarts after its stamp count, so an earlier request's unrecorded restart is not taken for its own", async () => {
    // A same-value rewrite keeps the action's managedFields time: the write time alone would date this
    // request before a predecessor's restart for the request it replaced.
    const { engine } = setup();
    const container = mirror(request("restart"), writtenAt(10_000));
    const clock = { nowMs: () => 20_000 };
    const fresh = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock, ids: countingIds() }, 0);
    engine.restarts = [12_000];
    await fresh.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("restart replayed after a crash (S4): Docker restarted it after the request → no second restart", async () => {
    const { engine } = setup();
    const requestMs = 10_000;
    const container = mirror(request("restart", "r-1"), writtenAt(requestMs));
    const fresh = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock: steppingClock(), ids: countingIds() }, 0);
    engine.restarts = [requestMs + 2_500];
    await fresh.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual([]);
    expect(container.status?.lastAction?.state).toBe("Succeeded");
  });

  test("restart with no Docker restart since the request (e.g. right after docker run): restarts", async () => {
    const { engine } = setup();
    const container = mirror(request("restart"), writtenAt(10_000));
    const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock: steppingClock(), ids: countingIds() }, 0);
    engine.state = { status: "running", running: true, paused: false, restarting: false, startedAtMs: 9_999 };
    await reconciler.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("restart replayed within the same second as the request: still no second restart", async () => {
    const { engine } = setup();
    const container = mirror(request("restart", "r-1"), writtenAt(10_300));
    const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock: steppingClock(), ids: countingIds() }, 0);
    engine.restarts = [10_450];
    await reconciler.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual([]);
  });

  test("two restart requests (with ids) within one second: the first one's restart does not count for the second", async () => {
    const { engine } = setup();
    const container = mirror(request("restart", "b"), writtenAt(10_700));
    container.status!.lastAction = { action: "restart", state: "Succeeded", requestId: "a", observedAt: new Date(10_200).toISOString(), completedAt: new Date(10_400).toISOString() };
    const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock: steppingClock(), ids: countingIds() }, 0);
    engine.restarts = [10_350];
    await reconciler.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  /** Restart#a runs (Docker's restart event at 11 000 ms) and its lastAction write's answer is lost. */
  async function restartWithLostOutcome() {
    const engine = new FakeEngine();
    engine.nowMs = 10_000;
    const first = mirror(request("restart", "a"), writtenAt(10_000));
    const ledger = new FakeLedger(first);
    const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger, events: new FakeEvents(), clock: { nowMs: () => 11_000 }, ids: countingIds() }, 0);
    ledger.nextRecord = { kind: "unavailable", detail: "500" };
    expect(await reconciler.reconcile(first, 0)).toMatchObject({ kind: "retry" });
    expect(engine.restarts).toEqual([11_000]);
    return { engine, ledger, reconciler, first };
  }

  test("an outcome whose answer was lost still ends the restart window: the next request in that second restarts", async () => {
    // The lost answer may hide an applied write (completedAt 11 000) that the cache does not show yet: no
    // version came back for the fence. Restart#b, written in the same second, must not take #a's restart.
    const { engine, ledger, reconciler } = await restartWithLostOutcome();
    await reconciler.reconcile(mirror(request("restart", "b"), writtenAt(11_000)), 0);
    expect(engine.actionCalls()).toEqual(["restart", "restart"]);
    expect(ledger.records.at(-1)).toMatchObject({ requestId: "b", state: "Succeeded" });
  });

  test("an outcome whose answer was lost does not end its own request's window: the retry does not restart again", async () => {
    const { engine, reconciler, first } = await restartWithLostOutcome();
    expect(await reconciler.reconcile(first, 1)).toMatchObject({ kind: "completed" });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });

  test("two requests with the same action and different ids both run (S1)", async () => {
    const { engine, ledger, reconciler, container } = setup(mirror(request("restart", "a")));
    await reconciler.reconcile(container, 0);
    container.metadata.annotations = request("restart", "b");
    container.metadata.resourceVersion = String(Number(container.metadata.resourceVersion) + 1);
    await reconciler.reconcile(container, 0);
    expect(engine.actionCalls()).toEqual(["restart", "restart"]);
    expect(ledger.records.map((r) => r.requestId)).toEqual(["a", "b"]);
  });
});

describe("action protocol: a pause or unpause refused after its pre-check", () => {
  // The pre-check and the call are not atomic: a crashed predecessor's call for the same request (or a
  // docker CLI user) can reach Docker between them. `landed` is the container after that other call.
  const PAUSED = { status: "paused", running: true, paused: true, restarting: false, startedAtMs: 1_000 } as const;
  const RUNNING = { status: "running", running: true, paused: false, restarting: false, startedAtMs: 1_000 } as const;
  const EXITED = { status: "exited", running: false, paused: false, restarting: false, startedAtMs: 1_000 } as const;
  const cases = [
    { action: "pause", from: RUNNING, goal: PAUSED, refusal: "is already paused", elsewhere: EXITED, elsewhereRefusal: "is not running" },
    { action: "unpause", from: PAUSED, goal: RUNNING, refusal: "is not paused", elsewhere: EXITED, elsewhereRefusal: "is not paused" },
  ] as const;

  for (const { action, from, goal, refusal, elsewhere, elsewhereRefusal } of cases) {
    test(`${action}: Docker refuses ("${refusal}") because another call got there first; the re-inspect finds the goal → Succeeded, one ${action} call`, async () => {
      const { engine, events, reconciler, container } = setup(mirror(request(action, "r-1")));
      engine.state = { ...from };
      engine.beforeCall = (call) => {
        if (call === action) engine.state = { ...goal };
      };
      expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "completed", dispatched: true });
      expect(engine.calls).toEqual(["inspect", action, "inspect"]);
      expect(container.status?.lastAction).toMatchObject({ action, state: "Succeeded", requestId: "r-1" });
      expect(container.status?.lastAction?.error).toBeUndefined();
      expect(events.recorded).toEqual([expect.objectContaining({ type: "Normal", reason: "ActionSucceeded" })]);
    });

    test(`${action}: refused, and the re-inspect finds the container elsewhere (${elsewhere.status}) → Failed with Docker's message`, async () => {
      const { engine, events, reconciler, container } = setup(mirror(request(action, "r-1")));
      engine.state = { ...from };
      engine.beforeCall = (call) => {
        if (call === action) engine.state = { ...elsewhere };
      };
      await reconciler.reconcile(container, 0);
      expect(engine.calls).toEqual(["inspect", action, "inspect"]);
      expect(container.status?.lastAction).toMatchObject({
        action,
        state: "Failed",
        error: `Error response from daemon: Container ${CONTAINER_ID} ${elsewhereRefusal}`,
      });
      expect(events.recorded).toEqual([expect.objectContaining({ type: "Warning", reason: "ActionFailed" })]);
    });

    test(`${action}: refused, and the re-inspect finds the engine unreachable (E15) → request kept, nothing written; the retry's pre-check decides`, async () => {
      const { ledger, engine, reconciler, container } = setup(mirror(request(action, "r-1")));
      engine.state = { ...from };
      engine.beforeCall = (call, n) => {
        if (call === action) engine.state = { ...goal };
        if (call === "inspect" && n === 2) engine.unreachable = true;
      };
      expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
      expect(ledger.writes).toBe(0);
      expect(container.metadata.annotations).toEqual(request(action, "r-1"));
      engine.unreachable = false;
      expect(await reconciler.reconcile(container, 1)).toMatchObject({ kind: "completed", dispatched: true });
      expect(engine.actionCalls()).toEqual([action]);
      expect(container.status?.lastAction).toMatchObject({ action, state: "Succeeded", requestId: "r-1" });
    });
  }
});

describe("action protocol: a new process and its predecessor's restart", () => {
  const setupTakeover = (container: Container, nowRef: { ms: number }) => {
    const engine = new FakeEngine();
    const reconciler = createActionReconciler({ engine, owner: OWN_ALL, ledger: new FakeLedger(container), events: new FakeEvents(), clock: { nowMs: () => nowRef.ms }, ids: countingIds() }, 11_000);
    return { engine, reconciler };
  };

  test("a restart in the first list waits out the takeover window, then is decided by Docker's events", async () => {
    const now = { ms: 100_000 };
    const container = mirror(request("restart", "r-1"), writtenAt(95_000));
    const { engine, reconciler } = setupTakeover(container, now);
    reconciler.inheritFrom([structuredClone(container)]);
    expect(await reconciler.reconcile(container, 0)).toEqual({ kind: "wait", afterMs: 11_000, why: expect.any(String) });
    expect(engine.calls).toEqual([]);
    // Meanwhile the predecessor's restart finished in dockerd: a restart event after the request.
    engine.restarts.push(104_000);
    now.ms = 111_000;
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "completed" });
    expect(engine.actionCalls()).toEqual([]);
  });

  test("before the first list is in, every restart counts as possibly inherited", async () => {
    const container = mirror(request("restart"), writtenAt(100_300));
    const { engine, reconciler } = setupTakeover(container, { ms: 100_600 });
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "wait" });
    expect(engine.actionCalls()).toEqual([]);
  });

  test("a restart that arrived after the first list is this process's own: not delayed", async () => {
    const container = mirror(request("restart", "new"), writtenAt(100_000));
    const { engine, reconciler } = setupTakeover(container, { ms: 100_200 });
    reconciler.inheritFrom([mirror(request("restart", "old"))]);
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "completed" });
    expect(engine.actionCalls()).toEqual(["restart"]);
  });
});

describe("action protocol: ownership guard", () => {
  const guarded = (container: Container, inventory: EngineInventory) => {
    const ledger = new FakeLedger(container);
    const engine = new FakeEngine();
    const events = new FakeEvents();
    const reconciler = createActionReconciler({ engine, owner: inventory, ledger, events, clock: steppingClock(), ids: countingIds() }, 0);
    return { ledger, engine, events, reconciler };
  };
  const listed = (...ids: string[]) => {
    const inventory = new EngineInventory();
    inventory.noteListed(ids);
    return inventory;
  };

  test.each([
    ["a Docker container's name (the demo-worker case)", "demo-worker"],
    ["a short ID", CONTAINER_ID.slice(0, 12)],
    ["another engine's full ID", "d0".repeat(32)],
  ])("%s: no Docker call, a Warning Event, the request removed, no lastAction", async (_what, name) => {
    const container = mirror(request("stop", "r1"), { name });
    const { ledger, engine, events, reconciler } = guarded(container, listed(CONTAINER_ID));
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "dropped" });
    expect(engine.calls).toEqual([]);
    expect(container.metadata.annotations).toEqual({});
    expect(container.status?.lastAction).toBeUndefined();
    expect(ledger.writes).toBe(1); // the guarded removal only
    expect(events.recorded).toEqual([{ type: "Warning", reason: "ForeignContainer", message: expect.stringContaining("Docker not called") }]);
  });

  test("a full ID before the engine was listed: the request stays and is retried, no Docker call", async () => {
    const container = mirror(request("stop"));
    const { ledger, engine, reconciler } = guarded(container, new EngineInventory());
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "retry" });
    expect(engine.calls).toEqual([]);
    expect(ledger.writes).toBe(0);
  });

  test("the engine's own container: dispatched with its full ID", async () => {
    const container = mirror(request("stop"));
    const { engine, reconciler } = guarded(container, listed(CONTAINER_ID));
    expect(await reconciler.reconcile(container, 0)).toMatchObject({ kind: "completed", dispatched: true });
    expect(engine.actionCalls()).toEqual(["stop"]);
  });
});
