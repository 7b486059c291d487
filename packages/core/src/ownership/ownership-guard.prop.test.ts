/**
 * Property of the ownership guard: whatever a user names a hand-made Container — a Docker container's
 * name, a short or upper-cased ID, another engine's full ID — a request on it never reaches Docker, is
 * removed, and leaves a ForeignContainer Warning; a request on one of the engine's own IDs always does.
 * Judged by the engine's calls, not by the ledger's echo. Naive judges below must be caught.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ACTION_NAMES, isContainerId, type ActionName } from "../api/index.ts";
import { countingIds, FakeEngine, FakeEvents, FakeLedger, mirror, request, steppingClock } from "../reconcile/fake-ports.ts";
import { createActionReconciler } from "../reconcile/reconcile-action.ts";
import { EngineInventory, type OwnershipJudge } from "./engine-inventory.ts";

const fullId = fc.stringMatching(/^[0-9a-f]{64}$/);
const dockerName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/);

interface Case {
  own: { id: string; name: string }[];
  target: string;
  isOwn: boolean;
  action: ActionName;
}

/** An engine's containers, and the name of the Container the request is written on. */
const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    own: fc.uniqueArray(fc.record({ id: fullId, name: dockerName }), { minLength: 1, maxLength: 4, selector: (c) => c.id }),
    otherEngine: fullId,
    action: fc.constantFrom(...ACTION_NAMES),
    pick: fc.nat(),
    prefixLength: fc.integer({ min: 1, max: 63 }),
    kind: fc.constantFrom("own-id", "docker-name", "short-id", "upper-case-id", "other-engine-id", "id-plus-one"),
  })
  .map(({ own, otherEngine, action, pick, prefixLength, kind }) => {
    const chosen = own[pick % own.length] as { id: string; name: string };
    const targets: Record<typeof kind, string> = {
      "own-id": chosen.id,
      "docker-name": chosen.name,
      "short-id": chosen.id.slice(0, prefixLength),
      "upper-case-id": chosen.id.toUpperCase(),
      "other-engine-id": otherEngine,
      "id-plus-one": `${chosen.id}0`,
    };
    const target = targets[kind];
    return { own, target, isOwn: own.some((c) => c.id === target), action };
  });

async function judged(c: Case, judge: (inventory: EngineInventory) => OwnershipJudge) {
  const inventory = new EngineInventory();
  inventory.noteListed(c.own.map((o) => o.id));
  const container = mirror(request(c.action, "r1"), { name: c.target });
  const engine = new FakeEngine();
  const events = new FakeEvents();
  const reconciler = createActionReconciler({ engine, owner: judge(inventory), ledger: new FakeLedger(container), events, clock: steppingClock(), ids: countingIds() }, 0);
  await reconciler.reconcile(container, 0);
  return { engine, events, container };
}

function guardHolds(judge: (inventory: EngineInventory) => OwnershipJudge) {
  return fc.asyncProperty(caseArbitrary, async (c) => {
    const { engine, events, container } = await judged(c, judge);
    if (c.isOwn) return engine.calls.length > 0;
    return engine.calls.length === 0 && container.metadata.annotations?.["containers.rancherdesktop.io/action"] === undefined && events.recorded.some((e) => e.reason === "ForeignContainer");
  });
}

/** Naive: any well-formed full ID is trusted (another engine's ID, or an ID Docker never had). */
const anyFullId = (): OwnershipJudge => ({ judge: (name) => (isContainerId(name) ? { kind: "own" } : { kind: "foreign", why: "not an ID" }) });
/** Naive: whatever Docker would resolve — the original behaviour of passing the name through. */
const whateverDockerResolves = (inventory: EngineInventory): OwnershipJudge => ({
  judge: (name) => (inventory.judge(name).kind === "own" || !isContainerId(name) ? { kind: "own" } : { kind: "foreign", why: "unknown" }),
});

describe("ownership guard: foreign names never reach Docker", () => {
  test("property: Docker is called exactly for the engine's own full IDs", async () => {
    await fc.assert(guardHolds((inventory) => inventory), { numRuns: 500 });
  });

  for (const [name, naive] of [
    ["trusting any full ID", anyFullId],
    ["passing names through (the demo-worker bug)", whateverDockerResolves],
  ] as const) {
    test(`catches a naive judge: ${name}`, async () => {
      const outcome = await fc.check(guardHolds(naive), { numRuns: 500 });
      expect(outcome.failed).toBe(true);
    });
  }
});
