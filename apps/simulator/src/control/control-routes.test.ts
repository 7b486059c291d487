import { describe, expect, test } from "bun:test";
import { SimulatedDocker } from "@container-actions/fake-docker";
import { Prng } from "@container-actions/sim-kernel";
import { VirtualClock } from "@container-actions/sim-kernel";
import { controlRoutes, type StackView } from "./control-routes.ts";
import { ApiserverFaults } from "./apiserver-faults.ts";
import { ClusterStore } from "@container-actions/fake-apiserver";
import { engineControl } from "./simulated-servers.ts";

const STACK: StackView = {
  docker: { kind: "simulated", url: "unix:///tmp/x/docker.sock" },
  kube: { kind: "simulated", url: "https://127.0.0.1:1234", kubeconfig: "/tmp/x/kubeconfig" },
  processes: [{ name: "controller", pid: 42, running: true, exitCode: null, log: "/tmp/x/controller.log" }],
  endpoints: { console: "http://127.0.0.1:8080/" },
  notes: [],
};

function world() {
  const clock = new VirtualClock();
  const docker = new SimulatedDocker({ clock, prng: new Prng(7) });
  const apiserver = new ApiserverFaults(new ClusterStore({ clock }), 7);
  const app = controlRoutes({ engine: engineControl(docker), apiserver, stack: () => STACK });
  return { docker, app, apiserver };
}

const post = (path: string, body?: unknown) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("control API", () => {
  test("GET /control: says what runs and the faults in force", async () => {
    const { app } = world();
    const view = await (await app.handle(new Request("http://localhost/control"))).json();
    expect(view.docker).toEqual(STACK.docker);
    expect(view.processes[0].pid).toBe(42);
    expect(view.faults.docker.engineUnreachableChance).toEqual([0, 1]);
    expect(view.faults.apiserver.watch).toEqual({ watchLagMsMin: 0, watchLagMsMax: 0, watchDropChance: [0, 1] });
  });

  test("apiserver faults: requests answer the injected 409, and DELETE clears them", async () => {
    const { app, apiserver } = world();
    const set = await app.handle(post("/control/apiserver/faults", { cluster: { apiConflictChance: { patch: [1, 1] } }, watch: { watchLagMsMax: 500 } }));
    expect(set.status).toBe(200);
    const answer = await apiserver.api().request({
      verb: "patch",
      resource: { group: "", version: "v1", resource: "namespaces" },
      name: "default",
      patchType: "application/merge-patch+json",
      patch: { metadata: { labels: { a: "b" } } },
    });
    expect(answer.kind === "failure" ? answer.status.code : 200).toBe(409);
    const cleared = await app.handle(new Request("http://localhost/control/apiserver/faults", { method: "DELETE" }));
    expect((await cleared.json()).faults.cluster.apiConflictChance).toEqual({});
  });

  test("apiserver faults: a bad body is a 422 and changes nothing", async () => {
    const { app, apiserver } = world();
    const bad = await app.handle(post("/control/apiserver/faults", { cluster: { apiConflictChance: { fly: [1, 1] } } }));
    expect(bad.status).toBe(422);
    expect(apiserver.current().cluster.apiConflictChance).toEqual({});
  });

  test("docker faults: a set makes the engine unreachable, and DELETE clears every fault", async () => {
    const { app, docker } = world();
    const set = await app.handle(post("/control/docker/faults", { engineUnreachableChance: [1, 1], engineLatencyMsMax: 50 }));
    expect(set.status).toBe(200);
    expect((await set.json()).faults).toMatchObject({ engineUnreachableChance: [1, 1], engineLatencyMsMax: 50, engineLatencyMsMin: 0 });
    expect((await docker.ping()).kind).toBe("unreachable");
    const cleared = await app.handle(new Request("http://localhost/control/docker/faults", { method: "DELETE" }));
    expect((await cleared.json()).faults.engineUnreachableChance).toEqual([0, 1]);
    expect((await docker.ping()).kind).toBe("http");
  });

  test("docker faults: unknown knobs, impossible ratios and inverted latency bounds are refused", async () => {
    const { app } = world();
    expect((await app.handle(post("/control/docker/faults", { unreachabel: true }))).status).toBe(422);
    const ratio = await app.handle(post("/control/docker/faults", { engineUnreachableChance: [3, 2] }));
    expect(ratio.status).toBe(422);
    expect((await ratio.json()).message).toContain("numerator");
    expect((await app.handle(post("/control/docker/faults", { engineLatencyMsMin: 100, engineLatencyMsMax: 10 }))).status).toBe(422);
  });

  test("a container's process exits: the container is exited with that code; a second exit is a conflict", async () => {
    const { app, docker } = world();
    const run = await app.handle(post("/control/docker/containers", { name: "web" }));
    expect(run.status).toBe(201);
    const { id } = await run.json();
    expect((docker.peekInspect(id) as { State: { Status: string } }).State.Status).toBe("running");
    const exit = await app.handle(post(`/control/docker/containers/web/exit`, { code: 3 }));
    expect(await exit.json()).toEqual({ result: "exited", code: 3 });
    const state = (docker.peekInspect(id) as { State: { Status: string; ExitCode: number } }).State;
    expect(state).toMatchObject({ Status: "exited", ExitCode: 3 });
    expect((await app.handle(post(`/control/docker/containers/${id}/exit`))).status).toBe(409);
    expect((await app.handle(post(`/control/docker/containers/nope/exit`))).status).toBe(404);
  });

  test("docker run through the control API answers Docker's refusals", async () => {
    const { app } = world();
    expect((await app.handle(post("/control/docker/containers", { name: "ab" }))).status).toBe(201);
    const taken = await app.handle(post("/control/docker/containers", { name: "ab" }));
    expect(taken.status).toBe(409);
    expect((await taken.json()).message).toContain("already in use");
    expect((await app.handle(post("/control/docker/containers", { name: "bc", image: "missing:1" }))).status).toBe(404);
  });

  test("a stack on a real engine refuses the simulated engine's hooks", async () => {
    const app = controlRoutes({ engine: null, apiserver: null, stack: () => ({ ...STACK, docker: { kind: "real", url: "unix:///var/run/docker.sock" } }) });
    expect((await app.handle(post("/control/docker/faults", { engineUnreachableChance: [1, 1] }))).status).toBe(409);
    expect((await app.handle(post("/control/docker/containers/x/exit"))).status).toBe(409);
    expect((await (await app.handle(new Request("http://localhost/control"))).json()).faults.docker).toBeNull();
  });
});
