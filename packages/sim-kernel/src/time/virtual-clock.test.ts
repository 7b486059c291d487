import { expect, test } from "bun:test";
import { VirtualClock } from "./virtual-clock.ts";

test("virtual clock: timers fire in due order, ties in the order they were set", () => {
  const clock = new VirtualClock(0);
  const fired: string[] = [];
  clock.setTimer(20, () => fired.push("b"));
  clock.setTimer(10, () => fired.push("a"));
  clock.setTimer(20, () => fired.push("c"));
  const cancel = clock.setTimer(15, () => fired.push("cancelled"));
  cancel();
  clock.advance(19);
  expect(fired).toEqual(["a"]);
  expect(clock.nowMs()).toBe(19);
  clock.advance(1);
  expect(fired).toEqual(["a", "b", "c"]);
  expect(clock.fireNext()).toBe(false);
});

test("virtual clock: a timer set while firing runs at its own due time", () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  clock.setTimer(5, () => clock.setTimer(5, () => fired.push(clock.nowMs())));
  clock.advance(100);
  expect(fired).toEqual([10]);
});
