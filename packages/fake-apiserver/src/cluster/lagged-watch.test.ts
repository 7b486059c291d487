import { expect, test } from "bun:test";
import { Prng } from "@container-actions/sim-kernel";
import { laggedWatch } from "./lagged-watch.ts";
import type { WatchEvent } from "./watch-hub.ts";
import { CONTAINERS, container, create, merge, storeWithCrd } from "./store-fixtures.ts";

const name = (e: WatchEvent) => `${e.type} ${String((e.object.metadata as { annotations?: { n?: string } }).annotations?.n ?? "")}`;

test("lagged watch: each event waits watchLagMsMin..watchLagMsMax on the virtual clock, order kept", async () => {
  const { store, clock } = await storeWithCrd();
  await create(store, container("x"));
  const seen: Array<[string, number]> = [];
  const start = clock.nowMs();
  laggedWatch(
    (onEvent, onEnd) => store.watch(CONTAINERS, { resourceVersion: store.resourceVersion() }, onEvent, onEnd),
    { watchLagMsMin: 100, watchLagMsMax: 1_000 },
    { clock, prng: new Prng(7) },
    (e) => seen.push([name(e), clock.nowMs() - start]),
  );
  for (let i = 0; i < 10; i++) await merge(store, "x", { metadata: { annotations: { n: String(i) } } });
  expect(seen).toEqual([]);
  clock.advance(99);
  expect(seen).toEqual([]);
  clock.advance(2_000);
  expect(seen.map(([n]) => n)).toEqual(Array.from({ length: 10 }, (_, i) => `MODIFIED ${i}`));
  const times = seen.map(([, t]) => t);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(times.every((t) => t >= 100 && t <= 1_000)).toBe(true);
});

test("lagged watch: a drop loses pending events and reports the end", async () => {
  const { store, clock } = await storeWithCrd();
  await create(store, container("x"));
  const seen: string[] = [];
  let ended = "";
  const h = laggedWatch(
    (onEvent, onEnd) => store.watch(CONTAINERS, { resourceVersion: store.resourceVersion() }, onEvent, onEnd),
    { watchLagMsMin: 50, watchLagMsMax: 50 },
    { clock, prng: new Prng(1) },
    (e) => seen.push(name(e)),
    (r) => (ended = r),
  );
  await merge(store, "x", { metadata: { annotations: { n: "1" } } });
  clock.advance(50);
  await merge(store, "x", { metadata: { annotations: { n: "2" } } });
  expect(h.pending()).toBe(1);
  h.drop();
  clock.advance(1_000);
  await merge(store, "x", { metadata: { annotations: { n: "3" } } });
  clock.advance(1_000);
  expect(seen).toEqual(["MODIFIED 1"]);
  expect(ended).toBe("dropped");
  expect(h.stopped).toBe(true);
});

test("lagged watch: watchDropChance drops after a delivered event; a server end comes after earlier events", async () => {
  const { store, clock } = await storeWithCrd({ watchHistoryLimit: 1 });
  await create(store, container("x"));
  const seen: string[] = [];
  let ended = "";
  laggedWatch(
    (onEvent, onEnd) => store.watch(CONTAINERS, { resourceVersion: store.resourceVersion() }, onEvent, onEnd),
    { watchLagMsMin: 10, watchLagMsMax: 10, watchDropChance: [1, 1] },
    { clock, prng: new Prng(1) },
    (e) => seen.push(e.type),
    (r) => (ended = r),
  );
  await merge(store, "x", { metadata: { annotations: { n: "1" } } });
  await merge(store, "x", { metadata: { annotations: { n: "2" } } });
  clock.advance(100);
  expect([seen, ended]).toEqual([["MODIFIED"], "dropped"]);

  const expired: string[] = [];
  let why = "";
  laggedWatch(
    (onEvent, onEnd) => store.watch(CONTAINERS, { resourceVersion: "1" }, onEvent, onEnd),
    { watchLagMsMin: 10, watchLagMsMax: 10 },
    { clock, prng: new Prng(1) },
    (e) => expired.push(e.type),
    (r) => (why = r),
  );
  expect([expired, why]).toEqual([[], ""]);
  clock.advance(10);
  expect([expired, why]).toEqual([["ERROR"], "expired"]);
});
