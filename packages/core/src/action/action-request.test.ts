import { describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "../api/index.ts";
import { isRecorded, readRequestSlot, requestWrittenAtMs } from "./action-request.ts";

describe("request slot", () => {
  test("empty without the action annotation, even with a stray id", () => {
    expect(readRequestSlot(undefined)).toEqual({ kind: "empty" });
    expect(readRequestSlot({ [ANNOTATION_ACTION_ID]: "x" })).toEqual({ kind: "empty" });
  });

  test("valid action, with and without an id", () => {
    expect(readRequestSlot({ [ANNOTATION_ACTION]: "pause" })).toEqual({ kind: "valid", request: { action: "pause" } });
    expect(readRequestSlot({ [ANNOTATION_ACTION]: "pause", [ANNOTATION_ACTION_ID]: "r1" })).toEqual({
      kind: "valid",
      request: { action: "pause", requestId: "r1" },
    });
  });

  test("values are case-sensitive and exact", () => {
    for (const bad of ["Start", " start", "start ", "", "kill"]) {
      expect(readRequestSlot({ [ANNOTATION_ACTION]: bad }).kind).toBe("invalid");
    }
  });

  test("an invalid slot keeps the raw values for a guarded removal", () => {
    expect(readRequestSlot({ [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "a b" })).toMatchObject({
      kind: "invalid",
      raw: { action: "stop", requestId: "a b" },
    });
  });
});

describe("isRecorded", () => {
  const last = { action: "restart" as const, state: "Succeeded" as const, requestId: "r1", observedAt: "x", completedAt: "x" };
  test("same id and action → recorded", () => expect(isRecorded({ action: "restart", requestId: "r1" }, last)).toBe(true));
  test("other id → not recorded", () => expect(isRecorded({ action: "restart", requestId: "r2" }, last)).toBe(false));
  test("no id → never provably recorded", () => expect(isRecorded({ action: "restart" }, { ...last, requestId: undefined })).toBe(false));
});

describe("requestWrittenAtMs", () => {
  const entry = (time: string, fields: object) => ({ manager: "m", operation: "Update", time, fieldsV1: fields });
  const owning = { "f:metadata": { "f:annotations": { [`f:${ANNOTATION_ACTION}`]: {} } } };
  test("reads the time of the entry that owns the action annotation", () => {
    const meta = {
      name: "x",
      managedFields: [
        entry("2026-01-01T00:00:05Z", { "f:status": {} }),
        entry("2026-01-01T00:00:03Z", owning),
      ],
    };
    expect(requestWrittenAtMs(meta)).toBe(Date.parse("2026-01-01T00:00:03Z"));
  });
  const owningId = { "f:metadata": { "f:annotations": { [`f:${ANNOTATION_ACTION_ID}`]: {} } } };
  const owningBoth = { "f:metadata": { "f:annotations": { [`f:${ANNOTATION_ACTION}`]: {}, [`f:${ANNOTATION_ACTION_ID}`]: {} } } };
  test("a co-owner that applied the same value later does not re-date the request", () => {
    const meta = { name: "x", managedFields: [entry("2026-01-01T00:00:02Z", owningBoth), entry("2026-01-01T00:00:03Z", owning)] };
    expect(requestWrittenAtMs(meta)).toBe(Date.parse("2026-01-01T00:00:02Z"));
  });
  test("a new id beside an action owned since an older request dates the request by the id", () => {
    const meta = { name: "x", managedFields: [entry("2026-01-01T00:00:01Z", owning), entry("2026-01-01T00:00:04Z", owningId)] };
    expect(requestWrittenAtMs(meta)).toBe(Date.parse("2026-01-01T00:00:04Z"));
  });
  test("undefined when no entry owns it", () => {
    expect(requestWrittenAtMs({ name: "x" })).toBeUndefined();
  });
});
