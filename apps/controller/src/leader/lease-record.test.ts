import { describe, expect, test } from "bun:test";
import { decideLease, microTime, recordKey, type Lease } from "./lease-record.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const lease = (holder: string, rv = "5", transitions = 3): Lease => ({
  metadata: { name: "l", namespace: "ns", resourceVersion: rv },
  spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: "a", renewTime: microTime(T0), leaseTransitions: transitions },
});

describe("lease decision", () => {
  test("no Lease: create it as holder, MicroTime with six digits", () => {
    expect(decideLease(undefined, "me", T0, undefined, 15_000)).toEqual({
      kind: "create",
      spec: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "2026-01-01T00:00:00.000000Z", renewTime: "2026-01-01T00:00:00.000000Z", leaseTransitions: 0 },
    });
  });

  test("ours: renew with the read resourceVersion, keep acquireTime and transitions", () => {
    const d = decideLease(lease("me"), "me", T0 + 2000, undefined, 15_000);
    expect(d).toMatchObject({ kind: "update", resourceVersion: "5", spec: { holderIdentity: "me", acquireTime: "a", leaseTransitions: 3 } });
  });

  test("held by another: wait a full lease duration from when WE saw its record change (no clock skew)", () => {
    const current = lease("other");
    const observation = { record: recordKey(current.spec!), atMs: T0 + 100_000 };
    expect(decideLease(current, "me", T0 + 100_000 + 14_999, observation, 15_000)).toEqual({ kind: "wait", holder: "other" });
    expect(decideLease(current, "me", T0 + 100_000 + 15_000, observation, 15_000)).toMatchObject({ kind: "update", spec: { holderIdentity: "me", leaseTransitions: 4 } });
  });

  test("held by another, record just changed: wait", () => {
    expect(decideLease(lease("other"), "me", T0, { record: "old", atMs: T0 - 60_000 }, 15_000).kind).toBe("wait");
  });

  test("released (empty holder): take it at once", () => {
    expect(decideLease(lease(""), "me", T0, undefined, 15_000).kind).toBe("update");
  });
});
