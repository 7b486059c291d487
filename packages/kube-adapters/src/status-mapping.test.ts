import { describe, expect, test } from "bun:test";
import type { KubeAnswer } from "./kube-transport.ts";
import {
  classifyKubeAnswer,
  clearResultOf,
  clientNodeCodeLabel,
  clientNodeStatusOf,
  informerFailureOf,
  mirrorWriteOf,
  recordResultOf,
  type MirrorOp,
} from "./status-mapping.ts";

const answered = (status: number, body: unknown = { kind: "Status", message: `m${status}` }): KubeAnswer => ({ kind: "answered", status, body });
const object = { metadata: { resourceVersion: "42" } };
const failed: KubeAnswer = { kind: "failed", detail: "ECONNREFUSED: connect failed" };

// Every class of answer the apiserver (or the network) can give, as the status-mapping tables read it.
const ANSWERS: Array<[string, KubeAnswer]> = [
  ["200 ok", answered(200, object)],
  ["201 created", answered(201, object)],
  ["400 bad request", answered(400)],
  ["401 unauthorized", answered(401)],
  ["403 forbidden (RBAC or a webhook denial)", answered(403)],
  ["404 not found", answered(404)],
  ["409 conflict / already exists", answered(409)],
  ["410 gone", answered(410)],
  ["422 invalid (failed JSON Patch test, schema)", answered(422)],
  ["429 too many requests", answered(429)],
  ["500 internal error", answered(500)],
  ["503 unavailable", answered(503)],
  ["504 timeout", answered(504)],
  ["no answer (refused, reset, timeout)", failed],
];

describe("kube status mapping: classify", () => {
  test.each(ANSWERS)("%s", (_name, answer) => {
    const expected: Record<string, string> = {
      "200 ok": "ok", "201 created": "ok", "400 bad request": "invalid", "401 unauthorized": "unavailable",
      "403 forbidden (RBAC or a webhook denial)": "unavailable", "404 not found": "not-found",
      "409 conflict / already exists": "conflict", "410 gone": "unavailable", "422 invalid (failed JSON Patch test, schema)": "invalid",
      "429 too many requests": "unavailable", "500 internal error": "unavailable", "503 unavailable": "unavailable",
      "504 timeout": "unavailable", "no answer (refused, reset, timeout)": "unavailable",
    };
    expect(classifyKubeAnswer(answer).kind).toBe(expected[_name] as never);
  });

  test("the detail carries the Status message", () => {
    expect(classifyKubeAnswer(answered(422, { message: "the server rejected our request" }))).toEqual({ kind: "invalid", detail: "HTTP 422: the server rejected our request" });
  });
});

describe("kube status mapping: recordOutcome (status.lastAction)", () => {
  test.each([
    ["200", answered(200, object), { kind: "written", resourceVersion: "42" }],
    ["404", answered(404), { kind: "gone" }],
    ["422", answered(422), { kind: "rejected", detail: "HTTP 422: m422" }],
    ["400", answered(400), { kind: "rejected", detail: "HTTP 400: m400" }],
    ["409", answered(409), { kind: "unavailable", detail: "HTTP 409: m409" }],
    ["429", answered(429), { kind: "unavailable", detail: "HTTP 429: m429" }],
    ["500", answered(500), { kind: "unavailable", detail: "HTTP 500: m500" }],
    ["403", answered(403), { kind: "unavailable", detail: "HTTP 403: m403" }],
    ["no answer", failed, { kind: "unavailable", detail: "ECONNREFUSED: connect failed" }],
  ])("%s", (_label, answer, result) => {
    expect(recordResultOf(classifyKubeAnswer(answer))).toEqual(result as never);
  });
});

describe("kube status mapping: clearRequest (guarded removal)", () => {
  test.each([
    ["200", answered(200, object), { kind: "cleared", resourceVersion: "42" }],
    ["404", answered(404), { kind: "gone" }],
    ["422", answered(422), { kind: "superseded" }],
    ["409", answered(409), { kind: "unavailable", detail: "HTTP 409: m409" }],
    ["503", answered(503), { kind: "unavailable", detail: "HTTP 503: m503" }],
    ["no answer", failed, { kind: "unavailable", detail: "ECONNREFUSED: connect failed" }],
  ])("%s", (_label, answer, result) => {
    expect(clearResultOf(classifyKubeAnswer(answer))).toEqual(result as never);
  });
});

describe("kube status mapping: mirror writes", () => {
  const ops: MirrorOp[] = ["create", "add-finalizer", "write-status", "remove-finalizer", "delete"];
  test.each(ops)("%s: 2xx written, 404 gone, 422 changed, 5xx/no answer unavailable", (op) => {
    expect(mirrorWriteOf(op, classifyKubeAnswer(answered(200, object)))).toEqual({ kind: "written" });
    expect(mirrorWriteOf(op, classifyKubeAnswer(answered(404)))).toEqual({ kind: "gone" });
    expect(mirrorWriteOf(op, classifyKubeAnswer(answered(422)))).toEqual({ kind: "changed" });
    expect(mirrorWriteOf(op, classifyKubeAnswer(answered(500))).kind).toBe("unavailable");
    expect(mirrorWriteOf(op, classifyKubeAnswer(failed)).kind).toBe("unavailable");
  });

  test("409 on create is AlreadyExists: written; elsewhere a conflict: unavailable", () => {
    expect(mirrorWriteOf("create", classifyKubeAnswer(answered(409)))).toEqual({ kind: "written" });
    expect(mirrorWriteOf("remove-finalizer", classifyKubeAnswer(answered(409))).kind).toBe("unavailable");
  });
});

describe("kube status mapping: client-node 1.4.0 errors (informer)", () => {
  class ApiException extends Error {
    constructor(
      readonly code: number,
      message: string,
    ) {
      super(message);
    }
  }
  const watchError = (statusCode: number) => Object.assign(new Error("Gone"), { statusCode });
  const fetchError = Object.assign(new Error("request to https://127.0.0.1:6443 failed, reason: connect ECONNREFUSED"), { code: "ECONNREFUSED", type: "system" });

  test("status codes are read from ApiException.code and Watch's statusCode; transport errors have none", () => {
    expect(clientNodeStatusOf(new ApiException(503, "HTTP-Code: 503"))).toBe(503);
    expect(clientNodeStatusOf(watchError(410))).toBe(410);
    expect(clientNodeStatusOf(fetchError)).toBeUndefined();
    expect([clientNodeCodeLabel(new ApiException(403, "x")), clientNodeCodeLabel(fetchError)]).toEqual(["403", "error"]);
  });

  test("410 expired, 401/403 forbidden, everything else unavailable", () => {
    expect(informerFailureOf(watchError(410))).toEqual({ kind: "expired" });
    expect(informerFailureOf(new ApiException(403, "forbidden"))).toEqual({ kind: "forbidden", status: 403 });
    expect(informerFailureOf(new ApiException(500, "boom")).kind).toBe("unavailable");
    expect(informerFailureOf(fetchError)).toEqual({ kind: "unavailable", detail: `Error: ${fetchError.message}` });
  });
});
