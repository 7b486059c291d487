import { describe, expect, test } from "bun:test";
import { kubeFailure } from "./status-mapping.ts";
import { applyWithRetry, type RegistrationResult, type WebhookRegistrar } from "./webhook-registrar.ts";

function flakyRegistrar(failures: number): WebhookRegistrar & { calls: number } {
  const registrar = {
    calls: 0,
    configurationName: "x",
    async apply(): Promise<RegistrationResult> {
      registrar.calls++;
      return registrar.calls <= failures ? { kind: "failed", status: 503, detail: "unavailable" } : { kind: "applied", resourceVersion: "7" };
    },
    async remove(): Promise<RegistrationResult> {
      return { kind: "applied", resourceVersion: "" };
    },
  };
  return registrar;
}

describe("registration retries", () => {
  test("retries with doubling, capped backoff until applied", async () => {
    const registrar = flakyRegistrar(4);
    const sleeps: number[] = [];
    const result = await applyWithRetry(registrar, "ca", { attemptsMax: 10, backoffMsMin: 100, backoffMsMax: 500 }, async (ms) => {
      sleeps.push(ms);
    });
    expect(result).toEqual({ kind: "applied", resourceVersion: "7" });
    expect(sleeps).toEqual([100, 200, 400, 500]);
  });

  test("gives up after attemptsMax and returns the last failure", async () => {
    const registrar = flakyRegistrar(100);
    const failures: number[] = [];
    const result = await applyWithRetry(registrar, "ca", { attemptsMax: 3, backoffMsMin: 1, backoffMsMax: 1 }, async () => undefined, (attempt) => failures.push(attempt));
    expect(result).toEqual({ kind: "failed", status: 503, detail: "unavailable" });
    expect(registrar.calls).toBe(3);
    expect(failures).toEqual([1, 2, 3]);
  });
});

describe("client-node errors as values", () => {
  test("an ApiException with a Status body", () => {
    const error = Object.assign(new Error("HTTP-Code: 403"), { code: 403, body: JSON.stringify({ kind: "Status", message: "forbidden: nope" }) });
    expect(kubeFailure(error)).toEqual({ status: 403, detail: "forbidden: nope" });
  });

  test("a transport error has no status", () => {
    expect(kubeFailure(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toEqual({
      detail: "connect ECONNREFUSED 127.0.0.1:1",
    });
  });
});
