import { expect, test } from "bun:test";
import { Prng } from "@container-actions/sim-kernel";
import type { ApiRequest } from "./api-request.ts";
import { PatchType, codeOf } from "./api-request.ts";
import { FaultyCluster, type InjectedFault } from "./cluster-faults.ts";
import { CONTAINERS, NS, container, create, failure, okObject, storeWithCrd } from "./store-fixtures.ts";

const patch = (value: string): ApiRequest => ({
  verb: "patch",
  resource: CONTAINERS,
  namespace: NS,
  name: "x",
  patchType: PatchType.merge,
  patch: { metadata: { annotations: { a: value } } },
});

test("faults: all off by default, the wrapper passes requests through", async () => {
  const { store, clock } = await storeWithCrd();
  await create(store, container("x"));
  const faulty = new FaultyCluster(store, {}, { clock, prng: new Prng(1) });
  for (let i = 0; i < 20; i++) expect(codeOf(await faulty.request(patch(String(i))))).toBe(200);
});

test("faults: injected 409, 429 and 500 per verb carry the apiserver's Status", async () => {
  const { store, clock } = await storeWithCrd();
  await create(store, container("x"));
  const get: ApiRequest = { verb: "get", resource: CONTAINERS, namespace: NS, name: "x" };
  const conflicts = new FaultyCluster(store, { apiConflictChance: { patch: [1, 1] } }, { clock, prng: new Prng(1) });
  expect(failure(await conflicts.request(patch("a")))).toMatchObject({ code: 409, reason: "Conflict" });
  expect(codeOf(await conflicts.request(get))).toBe(200);
  const busy = new FaultyCluster(store, { apiTooManyRequestsChance: { get: [1, 1] }, apiRetryAfterS: 3 }, { clock, prng: new Prng(1) });
  expect(failure(await busy.request(get))).toMatchObject({ code: 429, reason: "TooManyRequests", details: { retryAfterSeconds: 3 } });
  const broken = new FaultyCluster(store, { apiInternalErrorChance: { patch: [1, 1] }, apiInternalErrorAppliedChance: [1, 1] }, { clock, prng: new Prng(1) });
  expect(failure(await broken.request(patch("applied"))).code).toBe(500);
  expect((okObject(store.get(CONTAINERS, NS, "x")).metadata as { annotations: unknown }).annotations).toEqual({ a: "applied" });
});

test("faults: a timeout keeps the caller waiting on the virtual clock, then 504; the write may have happened", async () => {
  const { store, clock } = await storeWithCrd();
  await create(store, container("x"));
  const seen: Array<[InjectedFault, boolean]> = [];
  const slow = new FaultyCluster(store, { apiTimeoutChance: { patch: [1, 1] }, apiTimeoutAppliedChance: [1, 1], apiTimeoutMs: 30_000 }, {
    clock,
    prng: new Prng(1),
    onFault: (f, _r, applied) => seen.push([f, applied]),
  });
  let answer: number | undefined;
  void slow.request(patch("late")).then((o) => (answer = codeOf(o)));
  await Promise.resolve();
  clock.advance(29_999);
  await Promise.resolve();
  expect(answer).toBeUndefined();
  clock.advance(1);
  for (let i = 0; i < 5; i++) await Promise.resolve();
  expect(answer).toBe(504);
  expect(seen).toEqual([["timeout", true]]);
});

test("faults: the same seed injects the same faults", async () => {
  const run = async () => {
    const { store, clock } = await storeWithCrd();
    await create(store, container("x"));
    const faulty = new FaultyCluster(store, { apiConflictChance: { patch: [1, 3] }, apiInternalErrorChance: { patch: [1, 5] } }, { clock, prng: new Prng(42) });
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) codes.push(codeOf(await faulty.request(patch(String(i)))));
    return codes;
  };
  const first = await run();
  expect(await run()).toEqual(first);
  expect(new Set(first)).toEqual(new Set([200, 409, 500]));
});
