import { describe, expect, test } from "bun:test";
import { engineFixture } from "./engine-fixture.ts";
import { SimulatedContainerEngine } from "./simulated-container-engine.ts";
import { SimulatedMirrorSource } from "./simulated-mirror-source.ts";

describe("SimulatedContainerEngine: core's engine port over the model", () => {
  test("inspect: found with EngineState, startedAtMs parsed; never started → undefined", async () => {
    const f = engineFixture();
    const engine = new SimulatedContainerEngine(f.docker);
    const id = await f.create();
    expect(await f.run(engine.inspect(id))).toEqual({
      kind: "found", state: { status: "created", running: false, paused: false, restarting: false },
    });
    f.clock.advance(1_234);
    await f.run(f.docker.start(id));
    expect(await f.run(engine.inspect(id))).toEqual({
      kind: "found", state: { status: "running", running: true, paused: false, restarting: false, startedAtMs: f.clock.nowMs() },
    });
    expect(await f.run(engine.inspect("nope"))).toEqual({ kind: "gone", message: "No such container: nope" });
  });

  test("perform maps Docker's answers: done, already (304), refused (409/500), gone (404)", async () => {
    const f = engineFixture();
    const engine = new SimulatedContainerEngine(f.docker);
    const id = await f.containerIn("running");
    expect(await f.run(engine.perform(id, "start"))).toEqual({ kind: "already" });
    expect(await f.run(engine.perform(id, "unpause"))).toEqual({ kind: "refused", message: `Container ${id} is not paused` });
    expect(await f.run(engine.perform(id, "pause"))).toEqual({ kind: "done" });
    expect(await f.run(engine.perform(id, "start"))).toEqual({ kind: "refused", message: "cannot start a paused container, try unpause instead" });
    expect(await f.run(engine.perform(id, "stop"))).toEqual({ kind: "done" });
    expect(await f.run(engine.perform(id, "stop"))).toEqual({ kind: "already" });
    expect(await f.run(engine.perform(id, "restart"))).toEqual({ kind: "done" });
    expect(await f.run(engine.perform("nope", "stop"))).toEqual({ kind: "gone", message: "No such container: nope" });
  });

  test("unreachable engine → unreachable replies; calls are counted by kind", async () => {
    const f = engineFixture();
    const engine = new SimulatedContainerEngine(f.docker);
    const id = await f.containerIn("running");
    f.docker.setFaults({ engineUnreachableChance: [1, 1] });
    expect(await f.run(engine.inspect(id))).toMatchObject({ kind: "unreachable" });
    expect(await f.run(engine.perform(id, "stop"))).toMatchObject({ kind: "unreachable" });
    f.docker.setFaults({ engineUnreachableChance: [0, 1], engineServerErrorChance: [1, 1] });
    expect(await f.run(engine.inspect(id))).toMatchObject({ kind: "unreachable", detail: expect.stringContaining("HTTP 500") });
    expect(await f.run(engine.perform(id, "pause"))).toMatchObject({ kind: "refused" });
    expect(engine.calls).toEqual({ inspects: 2, stateChanging: 2 });
    expect(engine.callLog).toEqual(["inspect", "stop", "inspect", "pause"]);
  });
});

describe("SimulatedMirrorSource: the mirror sync's port over the model", () => {
  test("list all ids, describe by inspect, force-remove; 404 is gone", async () => {
    const f = engineFixture();
    const source = new SimulatedMirrorSource(f.docker);
    const a = await f.containerIn("running");
    const b = await f.create();
    expect(await f.run(source.list())).toEqual({ kind: "listed", ids: [b, a] });
    expect(await f.run(source.describe(a))).toMatchObject({ kind: "found", inspect: { Id: a, State: { Status: "running" } } });
    expect(await f.run(source.remove(a))).toEqual({ kind: "removed" });
    expect(await f.run(source.describe(a))).toEqual({ kind: "gone" });
    expect(await f.run(source.remove(a))).toEqual({ kind: "gone" });
    f.docker.setFaults({ engineUnreachableChance: [1, 1] });
    expect(await f.run(source.list())).toMatchObject({ kind: "unreachable" });
  });
});
