import { describe, expect, test } from "bun:test";
import { classifyDockerAnswer, daemonErrorText } from "./docker-reply.ts";

const ID = "4f1c".padEnd(64, "a");

// Every row of the status-code table in docs/design/docker-engine.md (moby 20.10.24, API 1.41).
const table = [
  { row: "create (ok)", statusCode: 201, expected: { kind: "done" } },
  { row: "start (created / exited)", statusCode: 204, expected: { kind: "done" } },
  { row: "start on running", statusCode: 304, expected: { kind: "already" } },
  { row: "start on paused", statusCode: 409, message: "cannot start a paused container, try unpause instead", expected: { kind: "refused" } },
  { row: "inspect / list", statusCode: 200, expected: { kind: "done" } },
  { row: "pause (running)", statusCode: 204, expected: { kind: "done" } },
  { row: "pause on paused", statusCode: 409, message: `Container ${ID} is already paused`, expected: { kind: "refused" } },
  { row: "pause on stopped", statusCode: 409, message: `Container ${ID} is not running`, expected: { kind: "refused" } },
  { row: "unpause (paused)", statusCode: 204, expected: { kind: "done" } },
  { row: "unpause on running", statusCode: 500, message: `Container ${ID} is not paused`, expected: { kind: "refused" } },
  { row: "unpause on stopped", statusCode: 500, message: `Container ${ID} is not paused`, expected: { kind: "refused" } },
  { row: "stop (running)", statusCode: 204, expected: { kind: "done" } },
  { row: "stop on stopped", statusCode: 304, expected: { kind: "already" } },
  { row: "stop on paused", statusCode: 204, expected: { kind: "done" } },
  { row: "restart on stopped", statusCode: 204, expected: { kind: "done" } },
  { row: "restart on paused", statusCode: 204, expected: { kind: "done" } },
  { row: "kill (running)", statusCode: 204, expected: { kind: "done" } },
  { row: "kill on stopped", statusCode: 409, message: `Cannot kill container: ${ID}: Container ${ID} is not running`, expected: { kind: "refused" } },
  { row: "DELETE running", statusCode: 409, message: `You cannot remove a running container ${ID}. Stop the container before attempting removal or force remove`, expected: { kind: "refused" } },
  { row: "DELETE paused", statusCode: 409, message: `You cannot remove a paused container ${ID}. Unpause and then stop the container before attempting removal or force remove`, expected: { kind: "refused" } },
  { row: "DELETE paused force", statusCode: 204, expected: { kind: "done" } },
  { row: "missing id", statusCode: 404, message: "No such container: doesnotexist123", expected: { kind: "gone" } },
  { row: "kill on missing id", statusCode: 404, message: "Cannot kill container: doesnotexist123: No such container: doesnotexist123", expected: { kind: "gone" } },
  { row: "create with a missing image", statusCode: 404, message: "No such image: local/nope:latest", expected: { kind: "gone" } },
  { row: "API version too new", statusCode: 400, message: "client version 1.43 is too new. Maximum supported API version is 1.41", expected: { kind: "refused" } },
] as const;

describe("docker answers → reply kinds", () => {
  for (const { row, statusCode, expected, ...rest } of table) {
    const message = "message" in rest ? rest.message : undefined;
    test(`${row}: HTTP ${statusCode} → ${expected.kind}`, () => {
      const reply = classifyDockerAnswer(message === undefined ? { statusCode } : { statusCode, message });
      expect(reply).toMatchObject(expected);
      if (message !== undefined) expect(reply).toMatchObject({ message });
    });
  }

  test("the error text a user reads is the daemon's message with the docker CLI's prefix", () => {
    const reply = classifyDockerAnswer({ statusCode: 409, message: `Container ${ID} is not running` });
    expect(reply.kind).toBe("refused");
    if (reply.kind === "refused") {
      expect(daemonErrorText(reply.message)).toBe(`Error response from daemon: Container ${ID} is not running`);
      expect(daemonErrorText(reply.message)).toContain("not running");
    }
  });

  test("an error status with an empty body still explains itself", () => {
    expect(classifyDockerAnswer({ statusCode: 500 })).toEqual({ kind: "refused", message: "engine answered HTTP 500" });
  });
});
