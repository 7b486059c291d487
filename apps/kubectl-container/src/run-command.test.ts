import { describe, expect, test } from "bun:test";
import { FakeContainerApi } from "@container-actions/client/testing";
import type { LastAction } from "@container-actions/client";
import { parseCommandLine } from "./command-line.ts";
import { runAction, runList } from "./run-command.ts";

const ID = "ab".repeat(32);
const at = "2026-12-04T15:00:00.000Z";

function setup(outcome: Pick<LastAction, "state" | "error"> | null) {
  const api = new FakeContainerApi();
  api.add(ID, "web", { imageName: "nginx:1.27" });
  if (outcome !== null) {
    api.onAnnotate = (c) => {
      const a = c.metadata.annotations ?? {};
      api.update(ID, (o) => {
        o.status!.lastAction = { action: a["containers.rancherdesktop.io/action"] as LastAction["action"], ...outcome, requestId: a["containers.rancherdesktop.io/action-id"] as string, observedAt: at, completedAt: at };
        o.metadata.annotations = {};
      });
    };
  }
  const lines = { out: [] as string[], err: [] as string[] };
  const io = { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) };
  return { api, lines, io };
}

const action = (argv: string[]) => {
  const cmd = parseCommandLine(argv);
  if (cmd.kind !== "action") throw new Error(`not an action: ${JSON.stringify(cmd)}`);
  return cmd;
};

describe("kubectl container <action>: output and exit codes", () => {
  test("Succeeded → 0, one line naming the request", async () => {
    const { api, lines, io } = setup({ state: "Succeeded" });
    expect(await runAction(api, "default", action(["restart", "web", "--wait"]), io)).toBe(0);
    expect(lines.out).toEqual([expect.stringMatching(/^restart web: Succeeded \(request [0-9a-f-]{36}\)$/)]);
  });
  test("Failed → 1, Docker's error on stderr", async () => {
    const { api, lines, io } = setup({ state: "Failed", error: "Error response from daemon: Container web is not running" });
    expect(await runAction(api, "default", action(["pause", "web", "--wait"]), io)).toBe(1);
    expect(lines.err[0]).toContain("Failed: Error response from daemon: Container web is not running");
  });
  test("denied → 2, the webhook's message", async () => {
    const { api, lines, io } = setup(null);
    api.deny = () => 'admission webhook "x" denied the request: nope';
    expect(await runAction(api, "default", action(["stop", "web"]), io)).toBe(2);
    expect(lines.err).toEqual(['error: admission webhook "x" denied the request: nope']);
  });
  test("timeout → 3", async () => {
    const { api, lines, io } = setup(null);
    expect(await runAction(api, "default", action(["stop", "web", "--wait", "--timeout", "50ms"]), io)).toBe(3);
    expect(lines.err[0]).toContain("timed out after 50 ms");
  });
  test("not found → 1; without --wait → 0 once written", async () => {
    const { api, io } = setup(null);
    expect(await runAction(api, "default", action(["stop", "nope"]), io)).toBe(1);
    expect(await runAction(api, "default", action(["stop", "web"]), io)).toBe(0);
  });
  test("superseded → 1, naming the request that ran instead", async () => {
    const { api, lines, io } = setup(null);
    // Another client replaces the request before the controller takes it; only that one runs.
    api.onAnnotate = () => {
      queueMicrotask(() => {
        api.update(ID, (o) => {
          o.metadata.annotations = { "containers.rancherdesktop.io/action": "start", "containers.rancherdesktop.io/action-id": "other-1" };
        });
        setTimeout(() => {
          api.update(ID, (o) => {
            o.status!.lastAction = { action: "start", state: "Succeeded", requestId: "other-1", observedAt: at, completedAt: at };
            o.metadata.annotations = {};
          });
        }, 20);
      });
    };
    expect(await runAction(api, "default", action(["stop", "web", "--wait"]), io)).toBe(1);
    expect(lines.err[0]).toMatch(/^error: stop web was replaced before it ran by start \(request other-1\) \(request [0-9a-f-]{36}\)$/);
  });
  test("-o json prints the result", async () => {
    const { api, lines, io } = setup({ state: "Succeeded" });
    await runAction(api, "default", action(["stop", "web", "--wait", "-o", "json"]), io);
    expect(JSON.parse(lines.out.join("\n"))).toMatchObject({ kind: "succeeded", lastAction: { action: "stop" } });
  });
});

describe("kubectl container ls", () => {
  test("a docker ps style table: short ID, image name, status, last action, name", async () => {
    const { api, lines, io } = setup(null);
    expect(await runList(api, "default", "text", io)).toBe(0);
    expect(lines.out[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+STATUS\s+LAST ACTION\s+NAMES$/);
    expect(lines.out[1]).toMatch(new RegExp(`^${ID.slice(0, 12)}\\s+nginx:1.27\\s+running\\s+-\\s+web$`));
  });
});
