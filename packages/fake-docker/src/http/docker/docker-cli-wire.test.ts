import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulatedDocker } from "../../engine/index.ts";
import { Prng } from "@container-actions/sim-kernel";
import { followWallClock, VirtualClock } from "@container-actions/sim-kernel";
import { serveDockerApi, type DockerApiServer } from "./serve-docker-api.ts";

// The real docker CLI (28.2.2 client, negotiating down to API 1.41) against the wire face. Every
// expected output below is what the same command printed against a real dockerd 20.10.24.

const CLI = ["/usr/local/bin/docker", "/usr/bin/docker"].find((p) => existsSync(p));

let dir: string;
let server: DockerApiServer;
let stopFollowing: () => void;

beforeAll(() => {
  if (CLI === undefined) throw new Error("no docker CLI at /usr/local/bin/docker or /usr/bin/docker: install docker.io (client)");
  dir = mkdtempSync(join(tmpdir(), "ca-cli-"));
  const clock = new VirtualClock(Date.now());
  const model = new SimulatedDocker({ clock, prng: new Prng(5) });
  stopFollowing = followWallClock(clock);
  server = serveDockerApi({ docker: model, socketPath: join(dir, "docker.sock") });
});

afterAll(async () => {
  stopFollowing?.();
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI against the fake; stdout and stderr with ids masked as <ID> (64 hex) and <SHORT> (12). */
async function docker(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn([CLI ?? "docker", ...args], {
    env: { ...process.env, DOCKER_HOST: server.url, DOCKER_CONFIG: dir, DOCKER_CLI_HINTS: "false" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const mask = (s: string) => s.replace(/[0-9a-f]{64}/g, "<ID>").replace(/^[0-9a-f]{12}(?= )/gm, "<SHORT>").trimEnd();
  return { code, out: mask(out), err: mask(err) };
}

describe("docker CLI against the wire face", () => {
  test("version negotiates down to 1.41", async () => {
    const { out } = await docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}");
    expect(out).toBe("20.10.24 1.41 1.41");
  });

  test("create, start, pause, ps -a, inspect -f, unpause, stop, restart, kill, rm -f print what dockerd makes them print", async () => {
    expect(await docker("create", "--init", "--name", "cliw", "local/busybox:latest")).toMatchObject({ code: 0, out: "<ID>" });
    expect((await docker("start", "cliw")).out).toBe("cliw");
    expect((await docker("start", "cliw")).out).toBe("cliw"); // 304 is success for the CLI
    expect((await docker("pause", "cliw")).out).toBe("cliw");
    expect(await docker("pause", "cliw")).toMatchObject({ code: 1, err: "Error response from daemon: Container <ID> is already paused" });
    expect((await docker("inspect", "-f", "{{.State.Status}} {{.State.Running}} {{.State.Paused}}", "cliw")).out).toBe("paused true true");
    const ps = (await docker("ps", "-a")).out.split("\n");
    expect(ps[0]?.split(/ {2,}/)).toEqual(["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]);
    expect(ps[1]).toMatch(/^<SHORT> {3}local\/busybox:latest {3}"\/bin\/sleep 100000" {3}(Less than a second|\d+ seconds?) ago +Up (Less than a second|\d+ seconds?) \(Paused\) +cliw$/);
    expect((await docker("unpause", "cliw")).out).toBe("cliw");
    expect((await docker("unpause", "cliw")).err).toBe("Error response from daemon: Container <ID> is not paused");
    expect((await docker("stop", "-t", "1", "cliw")).out).toBe("cliw");
    expect((await docker("stop", "cliw")).out).toBe("cliw");
    expect((await docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "cliw")).out).toBe("exited 143");
    expect((await docker("ps", "-a", "--filter", "name=cliw", "--format", "{{.Status}}")).out).toMatch(/^Exited \(143\) (Less than a second|\d+ seconds?) ago$/);
    expect((await docker("restart", "-t", "1", "cliw")).out).toBe("cliw");
    expect((await docker("kill", "cliw")).out).toBe("cliw");
    expect((await docker("kill", "cliw")).err).toBe("Error response from daemon: Cannot kill container: cliw: Container <ID> is not running");
    expect((await docker("rm", "-f", "cliw")).out).toBe("cliw");
    expect((await docker("rm", "cliw")).err).toBe("Error response from daemon: No such container: cliw");
    expect((await docker("stop", "nosuch")).err).toBe("Error response from daemon: No such container: nosuch");
    expect((await docker("inspect", "-f", "{{.State.Status}}", "nosuch")).err).toBe("Error: No such object: nosuch");
  });

  test("events --since --until prints the past events and returns", async () => {
    const since = (Date.now() / 1000).toFixed(3);
    await docker("create", "--init", "--name", "evw", "local/busybox:latest");
    await docker("start", "evw");
    await docker("stop", "evw");
    await docker("rm", "evw");
    const until = (Date.now() / 1000 + 0.05).toFixed(3);
    const format = "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.signal}}{{.Actor.Attributes.exitCode}}";
    expect((await docker("events", "--since", since, "--until", until, "--format", format)).out.split("\n")).toEqual([
      "container create evw <no value><no value>",
      "container start evw <no value><no value>",
      "container kill evw 15<no value>",
      "container die evw <no value>143",
      "container stop evw <no value><no value>",
      "container destroy evw <no value><no value>",
    ]);
    const plain = (await docker("events", "--since", since, "--until", until, "--filter", "event=die")).out;
    expect(plain).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container die <ID> \(exitCode=143, image=local\/busybox:latest, name=evw\)$/);
  });

  test("the command runs: run -d true exits, run --rm echo prints and removes, foreground exit codes, wait, logs, start -a", async () => {
    const runD = await docker("run", "-d", "--name", "clitrue", "local/busybox:latest", "/bin/true");
    expect(runD).toEqual({ code: 0, out: "<ID>", err: "" }); // no "error waiting for container"
    expect((await docker("wait", "clitrue")).out).toBe("0");
    expect((await docker("ps", "-a", "--filter", "name=clitrue", "--format", "{{.Status}}|{{.Command}}")).out).toMatch(/^Exited \(0\) (Less than a second|\d+ seconds?) ago\|"\/bin\/true"$/);
    expect(await docker("run", "--rm", "--name", "clirm", "local/busybox:latest", "echo", "hi")).toEqual({ code: 0, out: "hi", err: "" });
    expect((await docker("inspect", "clirm")).err).toBe("Error: No such object: clirm");
    expect(await docker("run", "--name", "clifg", "local/busybox:latest", "sh", "-c", "echo out; echo err >&2; exit 3")).toEqual({ code: 3, out: "out", err: "err" });
    expect(await docker("logs", "clifg")).toEqual({ code: 0, out: "out", err: "err" });
    expect((await docker("logs", "-t", "clifg")).out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out$/);
    expect(await docker("start", "-a", "clifg")).toEqual({ code: 3, out: "out", err: "err" });
    expect((await docker("logs", "--tail", "1", "clifg")).out).toBe("out");
    expect((await docker("wait", "nosuch")).err).toBe("Error response from daemon: No such container: nosuch");
  }, 30_000);
});
