/**
 * CLI differential: the docker CLI prints the same on the simulated engine's wire face as on a REAL
 * dockerd 20.10.24, for the scenarios of cli-scenarios.ts (a command's own exit, run --rm, foreground
 * run, start -a and docker attach over a hijacked attach, wait, logs and logs -f, ps -a, restart
 * policy on-failure, stop with and without --init). Each scenario runs against both engines at once, each with its own container name;
 * compared per call: exit code, stdout, stderr (normalised: ids, times, the name's suffix, dockerd's
 * networking warning), and then the container's events (`events --since --until --filter container=`:
 * Action, exit code, signal).
 *
 * Needs: CA_REAL_DOCKER_HOST (scripts/test.sh exports it) and the docker CLI. Without them it fails.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulatedDocker, serveDockerApi, type DockerApiServer } from "@container-actions/fake-docker";
import { Prng } from "@container-actions/sim-kernel";
import { followWallClock, VirtualClock } from "@container-actions/sim-kernel";
import { CLI_SCENARIOS, normaliseCli, type CliResult, type CliScenario } from "./cli-scenarios.ts";

const CLI = ["/usr/local/bin/docker", "/usr/bin/docker"].find((p) => existsSync(p));
const EVENT_FORMAT = "{{.Action}} {{.Actor.Attributes.exitCode}}{{.Actor.Attributes.signal}}";

let dir: string;
let fake: DockerApiServer;
let stopFollowing: () => void;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ca-clidiff-"));
  const clock = new VirtualClock(Date.now());
  stopFollowing = followWallClock(clock, 2);
  fake = serveDockerApi({ docker: new SimulatedDocker({ clock, prng: new Prng(14) }), socketPath: join(dir, "docker.sock") });
});

afterAll(async () => {
  stopFollowing?.();
  await fake?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function cli(host: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn([CLI ?? "docker", ...args], {
    env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: dir, DOCKER_CLI_HINTS: "false" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out, err };
}

/** Runs a scenario on one engine: every call's normalised result, then the container's events. */
async function observe(host: string, name: string, s: CliScenario): Promise<{ calls: Array<CliResult & { call: string }>; events: string[] }> {
  const calls: Array<CliResult & { call: string }> = [];
  const since = (Date.now() / 1000 - 0.01).toFixed(3);
  for (const step of s.steps) {
    if (step.sleepMs !== undefined) await Bun.sleep(step.sleepMs);
    const args = step.args.map((a) => a.replaceAll("{N}", name));
    const r = await cli(host, args);
    calls.push({ call: step.args.join(" "), code: r.code, out: normaliseCli(r.out, name, "{N}"), err: normaliseCli(r.err, name, "{N}") });
  }
  await Bun.sleep(300); // let an AutoRemove land
  const until = (Date.now() / 1000 + 0.05).toFixed(3);
  const events = await cli(host, ["events", "--since", since, "--until", until, "--filter", `container=${name}`, "--format", EVENT_FORMAT]);
  await cli(host, ["rm", "-f", name]);
  return { calls, events: events.out.trimEnd().split("\n").filter((l) => l !== "") };
}

describe("docker CLI differential: the simulated engine prints what a real dockerd 20.10.24 prints", () => {
  for (const [i, s] of CLI_SCENARIOS.entries()) {
    test(
      s.title,
      async () => {
        if (CLI === undefined) throw new Error("no docker CLI at /usr/local/bin/docker or /usr/bin/docker: install docker.io (client)");
        const host = process.env.CA_REAL_DOCKER_HOST;
        if (host === undefined || host === "") {
          throw new Error("CA_REAL_DOCKER_HOST is not set: start tools/docker-engine/start.sh DIR and export its DOCKER_HOST as CA_REAL_DOCKER_HOST");
        }
        const name = `ca-cli-${process.pid}-${i}`;
        const [fromReal, fromFake] = await Promise.all([observe(host, `${name}-r`, s), observe(fake.url, `${name}-f`, s)]);
        expect(fromFake).toEqual(fromReal);
      },
      60_000,
    );
  }
});
