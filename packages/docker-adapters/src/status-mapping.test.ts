import { describe, expect, test } from "bun:test";
import Docker from "dockerode";
import { describeFailureOf, dockerFailureOf, engineReplyOfError, inspectFailureOf, removeFailureOf } from "./status-mapping.ts";

const ID = "c0ffee";

/**
 * Runs a real dockerode 5.0.1 call whose transport is replaced: the modem's `dial` answers with `status`
 * and `body` through docker-modem's own `buildPayload`, so the error is exactly what dockerode builds
 * from such an answer — with no socket.
 */
async function dockerodeRejection(call: (docker: Docker) => Promise<unknown>, status: number, body: unknown): Promise<unknown> {
  const docker = new Docker({ socketPath: "/nonexistent.sock" });
  const modem = docker.modem as unknown as {
    dial: (opts: { isStream?: boolean; statusCodes: Record<number, unknown> }, cb: (err: unknown, data: unknown) => void) => void;
    buildPayload: (...args: unknown[]) => void;
  };
  modem.dial = (opts, cb) => modem.buildPayload(null, opts.isStream ?? false, opts.statusCodes, false, {}, { statusCode: status }, body, cb);
  try {
    await call(docker);
  } catch (error) {
    return error;
  }
  throw new Error(`dockerode resolved on HTTP ${status}`);
}

/** A transport error as node/bun's http client raises it. */
const socketError = (code: string, message: string) => Object.assign(new Error(message), { code, errno: -1, syscall: "connect" });

const c = (d: Docker) => d.getContainer(ID);

describe("dockerode answers (docker-engine.md), through dockerode 5.0.1's own error building", () => {
  test("304 on start of a running container REJECTS in dockerode; we map it to `already`", async () => {
    const error = await dockerodeRejection((d) => c(d).start(), 304, Buffer.alloc(0));
    expect(error).toMatchObject({ statusCode: 304, reason: "container already started" });
    expect((error as { json: unknown }).json).toBeInstanceOf(Buffer);
    expect(engineReplyOfError(error)).toEqual({ kind: "already" });
  });

  test("304 on stop of a stopped container REJECTS; `already`", async () => {
    const error = await dockerodeRejection((d) => c(d).stop(), 304, Buffer.alloc(0));
    expect(error).toMatchObject({ statusCode: 304, reason: "container already stopped" });
    expect(engineReplyOfError(error)).toEqual({ kind: "already" });
  });

  test.each([
    ["start on paused", (d: Docker) => c(d).start(), 409, "cannot start a paused container, try unpause instead"],
    ["pause on paused", (d: Docker) => c(d).pause(), 409, `Container ${ID} is already paused`],
    ["pause on stopped", (d: Docker) => c(d).pause(), 409, `Container ${ID} is not running`],
    ["unpause on running (500, not 409)", (d: Docker) => c(d).unpause(), 500, `Container ${ID} is not paused`],
    ["unpause on stopped", (d: Docker) => c(d).unpause(), 500, `Container ${ID} is not paused`],
    ["restart on dead", (d: Docker) => c(d).restart(), 500, `Cannot restart container ${ID}: container is marked for removal and cannot be started`],
  ])("%s → refused with the daemon's message", async (_name, call, status, message) => {
    const error = await dockerodeRejection(call, status, { message });
    expect(error).toMatchObject({ statusCode: status, json: { message } });
    expect(engineReplyOfError(error)).toEqual({ kind: "refused", message });
  });

  test.each([
    ["start", (d: Docker) => c(d).start()],
    ["stop", (d: Docker) => c(d).stop()],
    ["pause", (d: Docker) => c(d).pause()],
    ["unpause", (d: Docker) => c(d).unpause()],
    ["restart", (d: Docker) => c(d).restart()],
  ])("404 on %s → gone with the daemon's message", async (_name, call) => {
    const error = await dockerodeRejection(call, 404, { message: "No such container: nosuch" });
    expect(engineReplyOfError(error)).toEqual({ kind: "gone", message: "No such container: nosuch" });
  });

  test("400 (client version too new) → refused", async () => {
    const message = "client version 1.43 is too new. Maximum supported API version is 1.41";
    expect(engineReplyOfError(await dockerodeRejection((d) => c(d).start(), 400, { message }))).toEqual({ kind: "refused", message });
  });

  test("inspect: 404 gone; 500 unreachable (retry), never a failure outcome", async () => {
    const notFound = await dockerodeRejection((d) => c(d).inspect(), 404, { message: "No such container: x" });
    expect(inspectFailureOf(notFound)).toEqual({ kind: "gone", message: "No such container: x" });
    expect(describeFailureOf(notFound)).toEqual({ kind: "gone" });
    const serverError = await dockerodeRejection((d) => c(d).inspect(), 500, { message: "boom" });
    expect(inspectFailureOf(serverError)).toEqual({ kind: "unreachable", detail: "inspect answered HTTP 500: boom" });
  });

  test("remove force: 404 gone; 409 removal in progress → refused", async () => {
    expect(removeFailureOf(await dockerodeRejection((d) => c(d).remove({ force: true }), 404, { message: "No such container: x" }))).toEqual({ kind: "gone" });
    const inProgress = `removal of container ${ID} is already in progress`;
    expect(removeFailureOf(await dockerodeRejection((d) => c(d).remove({ force: true }), 409, { message: inProgress }))).toEqual({ kind: "refused", message: inProgress });
  });
});

describe("transport failures: no HTTP answer → unreachable, whatever the call", () => {
  const failures: Array<[string, unknown]> = [
    ["ECONNREFUSED (daemon stopped, socket file left)", socketError("ECONNREFUSED", "connect ECONNREFUSED /tmp/x/docker.sock")],
    ["ENOENT (no socket file)", socketError("ENOENT", "connect ENOENT /tmp/x/docker.sock")],
    ["EPIPE", socketError("EPIPE", "write EPIPE")],
    ["ECONNRESET (daemon restarted mid-call)", socketError("ECONNRESET", "socket hang up")],
    ["timeout (AbortSignal.timeout)", new DOMException("The operation timed out.", "TimeoutError")],
    ["abort", Object.assign(new Error("The operation was aborted"), { name: "AbortError", code: "ABORT_ERR" })],
  ];

  test.each(failures)("%s", (_name, error) => {
    expect(engineReplyOfError(error).kind).toBe("unreachable");
    expect(inspectFailureOf(error).kind).toBe("unreachable");
    expect(describeFailureOf(error).kind).toBe("unreachable");
    expect(removeFailureOf(error).kind).toBe("unreachable");
    expect(dockerFailureOf(error)).toMatchObject({ kind: "unreachable" });
  });

  test("the detail names the error code", () => {
    expect(dockerFailureOf(socketError("ECONNREFUSED", "connect ECONNREFUSED /s"))).toEqual({ kind: "unreachable", detail: "connect ECONNREFUSED /s" });
    expect(dockerFailureOf(socketError("EPIPE", "broken"))).toEqual({ kind: "unreachable", detail: "EPIPE: broken" });
  });
});
