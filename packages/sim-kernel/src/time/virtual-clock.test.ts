import { expect, test } from "bun:test";
import fc from "fast-check";
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

/** What the clock must do, the plain way: scan every timer, fire the due ones by (due time, order set). */
class ScanningClock {
  now = 0;
  timers: Array<{ atMs: number; seq: number; fire: () => void; live: boolean }> = [];
  private seq = 0;
  setTimer(delayMs: number, fire: () => void): () => void {
    const t = { atMs: this.now + Math.max(0, delayMs), seq: this.seq++, fire, live: true };
    this.timers.push(t);
    return () => void (t.live = false);
  }
  fireNext(): boolean {
    this.timers = this.timers.filter((t) => t.live);
    if (this.timers.length === 0) return false;
    this.now = Math.max(this.now, Math.min(...this.timers.map((t) => t.atMs)));
    const firing = this.timers.filter((t) => t.atMs <= this.now).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.timers = this.timers.filter((t) => t.atMs > this.now);
    for (const t of firing) t.fire();
    return true;
  }
  pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
}

test("virtual clock: the heap fires exactly what a scan of every timer fires, in the same order", () => {
  // Each op: set a timer (which, when it fires, may set another or cancel an earlier one), cancel one, or fire.
  const op = fc.oneof(
    fc.record({ kind: fc.constant("set" as const), delayMs: fc.integer({ min: 0, max: 50 }), then: fc.option(fc.integer({ min: -3, max: 30 })) }),
    fc.record({ kind: fc.constant("cancel" as const), index: fc.nat() }),
    fc.record({ kind: fc.constant("fire" as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const run = (clock: { setTimer(d: number, f: () => void): () => void; fireNext(): boolean }, now: () => number, pending: () => number) => {
        const log: string[] = [];
        const cancels: Array<() => void> = [];
        ops.forEach((o, i) => {
          if (o.kind === "set") {
            cancels.push(
              clock.setTimer(o.delayMs, () => {
                log.push(`${i}@${now()}`);
                // A negative follow-up cancels an earlier timer from inside a firing; otherwise it sets one.
                if (o.then !== null && o.then < 0) cancels[cancels.length + o.then]?.();
                else if (o.then !== null) clock.setTimer(o.then, () => log.push(`${i}+@${now()}`));
              }),
            );
          } else if (o.kind === "cancel") cancels[o.index % Math.max(1, cancels.length)]?.();
          else log.push(`fire ${clock.fireNext()} pending ${pending()}`);
        });
        while (clock.fireNext()) log.push(`pending ${pending()}`);
        return log;
      };
      const heap = new VirtualClock(0);
      const scan = new ScanningClock();
      expect(run(heap, () => heap.nowMs(), () => heap.pendingTimers())).toEqual(run(scan, () => scan.now, () => scan.pending()));
    }),
  );
});
