/**
 * A small fixture for the engine's tests: a fresh engine on a virtual clock, and containers put into
 * each Docker state the status table needs.
 */
import { Prng } from "@container-actions/sim-kernel";
import { VirtualClock } from "@container-actions/sim-kernel";
import type { CreateContainerBody } from "./container-create.ts";
import type { DockerResponse } from "./docker-response.ts";
import { SimulatedDocker } from "./simulated-docker.ts";
import { settle } from "@container-actions/sim-kernel";

export const BUSYBOX = "local/busybox:latest";

/** The states a test can ask for. */
export type FixtureState = "created" | "running" | "paused" | "exited" | "restarting" | "dead";

export interface EngineFixture {
  clock: VirtualClock;
  docker: SimulatedDocker;
  /** Awaits an engine call, letting virtual time pass as it needs. */
  run<T>(call: Promise<T>): Promise<T>;
  /** Creates a container (Init on unless the body says otherwise) and returns its id. */
  create(body?: CreateContainerBody, name?: string): Promise<string>;
  /** Creates a container and brings it into `state`. */
  containerIn(state: FixtureState, body?: CreateContainerBody): Promise<string>;
  /** The inspect document's State. */
  state(id: string): Promise<Record<string, unknown>>;
  /** Event actions for one container, kill signals and die codes spelled out: "kill 15", "die 143". */
  actions(id: string): string[];
}

/** A fresh engine on a virtual clock at 2026-01-01, with helpers; the same seed gives the same run. */
export function engineFixture(seed = 1): EngineFixture {
  const clock = new VirtualClock();
  const docker = new SimulatedDocker({ clock, prng: new Prng(seed) });
  const run = <T>(call: Promise<T>) => settle(clock, call);
  const ok = (answer: DockerResponse, what: string) => {
    if (answer.kind !== "http" || answer.statusCode >= 300) throw new Error(`${what}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const create = async (body: CreateContainerBody = {}, name?: string) => {
    const answer = ok(await run(docker.create({ Image: BUSYBOX, HostConfig: { Init: true }, ...body }, { name })), "create");
    return (answer.body as { Id: string }).Id;
  };
  const containerIn = async (state: FixtureState, body: CreateContainerBody = {}) => {
    const restartBody = state === "restarting" ? { HostConfig: { Init: true, RestartPolicy: { Name: "always" } } } : {};
    const id = await create({ ...restartBody, ...body });
    if (state === "dead") docker.markDead(id);
    if (state === "created" || state === "dead") return id;
    ok(await run(docker.start(id)), "start");
    if (state === "paused") ok(await run(docker.pause(id)), "pause");
    if (state === "exited") ok(await run(docker.kill(id)), "kill");
    if (state === "restarting") docker.exitProcess(id, 3);
    return id;
  };
  const state = async (id: string) => {
    const answer = ok(await run(docker.inspect(id)), "inspect");
    return (answer.body as { State: Record<string, unknown> }).State;
  };
  const actions = (id: string) =>
    docker.eventHistory()
      .filter((e) => e.Actor.ID === id)
      .map((e) => {
        if (e.Action === "kill") return `kill ${e.Actor.Attributes.signal}`;
        if (e.Action === "die") return `die ${e.Actor.Attributes.exitCode}`;
        return e.Action;
      });
  return { clock, docker, run, create, containerIn, state, actions };
}
