import { describe, expect, test } from "bun:test";
import { engineFixture, type FixtureState } from "./engine-fixture.ts";
import type { DockerResponse } from "./docker-response.ts";
import type { SimulatedDocker } from "./simulated-docker.ts";

// Every row of the status table in docs/design/docker-engine.md (moby 20.10.24, API 1.41), plus the
// restarting and dead columns of reference-behavior.md §7.2 as probed on a real 20.10.24 daemon.
// `<id>` is the full id; `<ref>` is what the call put in the path (here: the full id too).

type Op = (docker: SimulatedDocker, ref: string) => Promise<DockerResponse>;
interface Row {
  row: string;
  state: FixtureState | "missing";
  op: Op;
  statusCode: number;
  message?: string;
  /** State.Status afterwards. */
  after?: string;
}

const start: Op = (d, r) => d.start(r);
const stop: Op = (d, r) => d.stop(r);
const restart: Op = (d, r) => d.restart(r);
const pause: Op = (d, r) => d.pause(r);
const unpause: Op = (d, r) => d.unpause(r);
const kill: Op = (d, r) => d.kill(r);
const remove: Op = (d, r) => d.remove(r);
const forceRemove: Op = (d, r) => d.remove(r, { force: true });
const inspect: Op = (d, r) => d.inspect(r);

const rows: Row[] = [
  { row: "start (created)", state: "created", op: start, statusCode: 204, after: "running" },
  { row: "start (exited)", state: "exited", op: start, statusCode: 204, after: "running" },
  { row: "start on running", state: "running", op: start, statusCode: 304, after: "running" },
  { row: "start on paused", state: "paused", op: start, statusCode: 409, message: "cannot start a paused container, try unpause instead" },
  { row: "start on restarting", state: "restarting", op: start, statusCode: 304, after: "restarting" },
  { row: "start on dead", state: "dead", op: start, statusCode: 409, message: "container is marked for removal and cannot be started" },
  { row: "inspect", state: "running", op: inspect, statusCode: 200 },
  { row: "pause (running)", state: "running", op: pause, statusCode: 204, after: "paused" },
  { row: "pause on paused", state: "paused", op: pause, statusCode: 409, message: "Container <id> is already paused" },
  { row: "pause on stopped", state: "exited", op: pause, statusCode: 409, message: "Container <id> is not running" },
  { row: "pause on created", state: "created", op: pause, statusCode: 409, message: "Container <id> is not running" },
  { row: "pause on restarting", state: "restarting", op: pause, statusCode: 409, message: "Container <id> is restarting, wait until the container is running" },
  { row: "pause on dead", state: "dead", op: pause, statusCode: 409, message: "Container <id> is not running" },
  { row: "unpause (paused)", state: "paused", op: unpause, statusCode: 204, after: "running" },
  { row: "unpause on running", state: "running", op: unpause, statusCode: 500, message: "Container <id> is not paused" },
  { row: "unpause on stopped", state: "exited", op: unpause, statusCode: 500, message: "Container <id> is not paused" },
  { row: "unpause on created", state: "created", op: unpause, statusCode: 500, message: "Container <id> is not paused" },
  { row: "unpause on restarting", state: "restarting", op: unpause, statusCode: 500, message: "Container <id> is not paused" },
  { row: "stop (running)", state: "running", op: stop, statusCode: 204, after: "exited" },
  { row: "stop on stopped", state: "exited", op: stop, statusCode: 304, after: "exited" },
  { row: "stop on created", state: "created", op: stop, statusCode: 304, after: "created" },
  { row: "stop on paused", state: "paused", op: stop, statusCode: 204, after: "exited" },
  { row: "stop on restarting", state: "restarting", op: stop, statusCode: 204, after: "exited" },
  { row: "stop on dead", state: "dead", op: stop, statusCode: 304, after: "dead" },
  { row: "restart on running", state: "running", op: restart, statusCode: 204, after: "running" },
  { row: "restart on stopped", state: "exited", op: restart, statusCode: 204, after: "running" },
  { row: "restart on created", state: "created", op: restart, statusCode: 204, after: "running" },
  { row: "restart on paused", state: "paused", op: restart, statusCode: 204, after: "running" },
  { row: "restart on restarting", state: "restarting", op: restart, statusCode: 204, after: "running" },
  { row: "restart on dead", state: "dead", op: restart, statusCode: 500, message: "Cannot restart container <ref>: container is marked for removal and cannot be started" },
  { row: "kill (running)", state: "running", op: kill, statusCode: 204, after: "exited" },
  { row: "kill on paused", state: "paused", op: kill, statusCode: 204, after: "exited" },
  { row: "kill on restarting", state: "restarting", op: kill, statusCode: 204, after: "exited" },
  { row: "kill on stopped", state: "exited", op: kill, statusCode: 409, message: "Cannot kill container: <ref>: Container <id> is not running" },
  { row: "kill on created", state: "created", op: kill, statusCode: 409, message: "Cannot kill container: <ref>: Container <id> is not running" },
  { row: "DELETE running", state: "running", op: remove, statusCode: 409, message: "You cannot remove a running container <id>. Stop the container before attempting removal or force remove" },
  { row: "DELETE paused", state: "paused", op: remove, statusCode: 409, message: "You cannot remove a paused container <id>. Unpause and then stop the container before attempting removal or force remove" },
  { row: "DELETE restarting", state: "restarting", op: remove, statusCode: 409, message: "You cannot remove a restarting container <id>. Stop the container before attempting removal or force remove" },
  { row: "DELETE exited", state: "exited", op: remove, statusCode: 204 },
  { row: "DELETE paused force", state: "paused", op: forceRemove, statusCode: 204 },
  { row: "DELETE running force", state: "running", op: forceRemove, statusCode: 204 },
  { row: "DELETE restarting force", state: "restarting", op: forceRemove, statusCode: 204 },
  { row: "DELETE dead force", state: "dead", op: forceRemove, statusCode: 204 },
  ...([["start", start], ["stop", stop], ["restart", restart], ["pause", pause], ["unpause", unpause], ["inspect", inspect], ["DELETE", remove]] as const).map(
    ([name, op]): Row => ({ row: `${name} on missing id`, state: "missing", op, statusCode: 404, message: "No such container: doesnotexist123" }),
  ),
  { row: "kill on missing id", state: "missing", op: kill, statusCode: 404, message: "Cannot kill container: doesnotexist123: No such container: doesnotexist123" },
];

describe("status table: every row answers as dockerd 20.10.24", () => {
  for (const { row, state, op, statusCode, message, after } of rows) {
    test(`${row}: HTTP ${statusCode}`, async () => {
      const f = engineFixture();
      const id = state === "missing" ? "doesnotexist123" : await f.containerIn(state);
      const answer = await f.run(op(f.docker, id));
      expect(answer.kind).toBe("http");
      if (answer.kind !== "http") return;
      expect(answer.statusCode).toBe(statusCode);
      if (message !== undefined) {
        expect(answer.body).toEqual({ message: message.replaceAll("<id>", id).replaceAll("<ref>", id) });
      } else if (statusCode === 204 || statusCode === 304) {
        expect(answer.body).toBeUndefined();
      }
      if (after !== undefined) expect((await f.state(id)).Status).toBe(after);
    });
  }

  test("create (ok): 201 with the id and no warnings", async () => {
    const f = engineFixture();
    const answer = await f.run(f.docker.create({ Image: "local/busybox:latest" }));
    expect(answer).toMatchObject({ kind: "http", statusCode: 201, body: { Warnings: [] } });
    expect((answer as { body: { Id: string } }).body.Id).toMatch(/^[0-9a-f]{64}$/);
  });

  test("create with a missing image: 404 with the normalised reference", async () => {
    const f = engineFixture();
    expect(await f.run(f.docker.create({ Image: "local/nope" }))).toEqual({
      kind: "http", statusCode: 404, body: { message: "No such image: local/nope:latest" },
    });
  });

  test("create: a taken name is 409, a bad name 400, a bad restart policy 400", async () => {
    const f = engineFixture();
    const id = await f.create({}, "web");
    expect(await f.run(f.docker.create({ Image: "local/busybox" }, { name: "web" }))).toMatchObject({
      statusCode: 409,
      body: { message: `Conflict. The container name "/web" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.` },
    });
    expect(await f.run(f.docker.create({ Image: "local/busybox" }, { name: "-bad" }))).toMatchObject({
      statusCode: 400, body: { message: "Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed" },
    });
    expect(await f.run(f.docker.create({ Image: "local/busybox", HostConfig: { RestartPolicy: { Name: "bogus" } } }))).toMatchObject({
      statusCode: 400, body: { message: "invalid restart policy 'bogus'" },
    });
  });

  test("ids resolve by full id, name and unique prefix; the message keeps what the client wrote", async () => {
    const f = engineFixture();
    const id = await f.create({}, "web");
    for (const ref of [id, "web", "/web", id.slice(0, 12)]) {
      expect(await f.run(f.docker.inspect(ref))).toMatchObject({ statusCode: 200, body: { Id: id, Name: "/web" } });
    }
    expect(await f.run(f.docker.kill("web"))).toMatchObject({
      statusCode: 409, body: { message: `Cannot kill container: web: Container ${id} is not running` },
    });
  });

  test("an ambiguous prefix is 500 Multiple IDs found", async () => {
    const f = engineFixture();
    const ids = await Promise.all(Array.from({ length: 40 }, () => f.create()));
    const shared = ids.map((i) => i[0]).find((ch, i, all) => all.indexOf(ch) !== i) ?? "";
    expect(await f.run(f.docker.start(shared))).toEqual({
      kind: "http", statusCode: 500, body: { message: `Multiple IDs found with provided prefix: ${shared}` },
    });
  });

  test("kill with an unknown signal is 400; stop with a non-integer t is 500", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    expect(await f.run(f.docker.kill(id, { signal: "FOO" }))).toMatchObject({ statusCode: 400, body: { message: "Invalid signal: FOO" } });
    expect(await f.run(f.docker.stop(id, { t: "abc" }))).toMatchObject({
      statusCode: 500, body: { message: 'strconv.Atoi: parsing "abc": invalid syntax' },
    });
  });
});
