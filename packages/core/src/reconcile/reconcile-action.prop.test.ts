/**
 * Interleaving properties of the action protocol alone: fast-check's scheduler decides when a client's
 * rewrite lands relative to each of the procedure's port calls. The whole-world properties live in
 * packages/sim-world/src/properties.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ACTION_NAMES, ANNOTATION_ACTION, ANNOTATION_ACTION_ID, type ActionName } from "../api/index.ts";
import type { RawRequest } from "../action/action-request.ts";
import { countingIds, FakeEngine, FakeEvents, FakeLedger, mirror, OWN_ALL, request } from "./fake-ports.ts";
import type { ActionLedger, ClearResult } from "./ports.ts";
import { createActionReconciler } from "./reconcile-action.ts";

/** The round-1 removal: deletes whatever the slot holds. */
class UnguardedLedger extends FakeLedger {
  override async clearRequest(_ref: never, _raw: RawRequest): Promise<ClearResult> {
    this.writes++;
    const annotations = this.stored?.metadata.annotations ?? {};
    delete annotations[ANNOTATION_ACTION];
    delete annotations[ANNOTATION_ACTION_ID];
    return { kind: "cleared", resourceVersion: "99" };
  }
}

/** The round-2 guard (S1 unfixed): compares the action only, so a same-action request with a new id is consumed. */
class ActionOnlyGuardLedger extends FakeLedger {
  override async clearRequest(ref: never, raw: RawRequest): Promise<ClearResult> {
    const current = this.stored?.metadata.annotations?.[ANNOTATION_ACTION_ID];
    return super.clearRequest(ref, current === undefined ? { action: raw.action } : { action: raw.action, requestId: current });
  }
}

const action = fc.constantFrom<ActionName>(...ACTION_NAMES);

function rewriteSurvives(makeLedger: (c: ReturnType<typeof mirror>) => FakeLedger) {
  return fc.asyncProperty(fc.scheduler(), action, action, fc.boolean(), async (s, first, second, withIds) => {
    const stored = mirror(request(first, withIds ? "first" : undefined));
    const ledger = makeLedger(stored);
    const engine = new FakeEngine();
    const scheduled: ActionLedger = {
      recordOutcome: s.scheduleFunction((ref, last) => ledger.recordOutcome(ref, last)),
      clearRequest: s.scheduleFunction((ref, raw) => ledger.clearRequest(ref, raw)),
      stampRequestId: s.scheduleFunction((ref, a, id) => ledger.stampRequestId(ref, a, id)),
    };
    const reconciler = createActionReconciler({
      engine: {
        inspect: s.scheduleFunction((id) => engine.inspect(id)),
        perform: s.scheduleFunction((id, a) => engine.perform(id, a)),
        restartedSince: s.scheduleFunction((id, since) => engine.restartedSince(id, since)),
      },
      owner: OWN_ALL,
      ledger: scheduled,
      events: new FakeEvents(),
      clock: { nowMs: () => 1_700_000_000_000 },
      ids: countingIds(),
    }, 0);
    const rewrite = s.schedule(Promise.resolve("client rewrites the request")).then(() => {
      // An id-less client writes the action only (as `kubectl annotate` does): a stamped id stays.
      stored.metadata.annotations = withIds ? request(second, "second") : { ...stored.metadata.annotations, ...request(second) };
    });
    await s.waitFor(Promise.all([reconciler.reconcile(structuredClone(stored), 0), rewrite]));
    const sameRequest = first === second && !withIds;
    if (!sameRequest) {
      // The newer request must still be in the slot, or have been the one handled (it landed before the read).
      expect(stored.metadata.annotations?.[ANNOTATION_ACTION]).toBe(second);
    }
  });
}

describe("action protocol under interleavings", () => {
  test("a rewrite at any moment of a dispatch survives it (E6, E7, S1)", async () => {
    await fc.assert(rewriteSurvives((c) => new FakeLedger(c)), { numRuns: 300 });
  });

  test("teeth: an unguarded removal loses a rewrite", async () => {
    const details = await fc.check(rewriteSurvives((c) => new UnguardedLedger(c)), { numRuns: 300 });
    expect(details.failed).toBe(true);
  });

  test("teeth: a guard that compares the action only loses a same-action request with a new id (S1)", async () => {
    const details = await fc.check(rewriteSurvives((c) => new ActionOnlyGuardLedger(c)), { numRuns: 300 });
    expect(details.failed).toBe(true);
  });
});
