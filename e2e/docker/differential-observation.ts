/**
 * What the Docker differential test records per engine, the normalisation of dockerd's own event-order
 * races (see docker-differential.test.ts), and a readable side-by-side diff.
 */

/** What a client observed of one container under one scenario. */
export interface Observation {
  /** One entry per call: "2xx", "304", or "409 <message>" with the id as <id>. */
  replies: string[];
  /** The final inspect, or the 404 after rm -f. */
  final: string;
  /** The container's events: "create", "kill 15", "die 143", … (normalised). */
  events: string[];
}

/**
 * Normalises the two event-order races of dockerd: a `kill 9` that raced a death already under way
 * (the next `die` is not 137) is dropped; an `unpause` inside a burst of kills moves after the first kill.
 */
export function normaliseEvents(events: readonly string[]): string[] {
  const kept = events.filter((e, i) => {
    if (e !== "kill 9") return true;
    const nextDie = events.slice(i + 1).find((x) => x.startsWith("die ") || x === "start");
    return nextDie === undefined || nextDie === "die 137";
  });
  const out: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const e = kept[i] ?? "";
    if (e === "unpause" && out.at(-1)?.startsWith("kill ") === true) {
      let first = out.length - 1;
      while (first > 0 && out[first - 1]?.startsWith("kill ") === true) first--;
      out.splice(first + 1, 0, e);
    } else {
      out.push(e);
    }
  }
  return out;
}

function table(title: string, labels: readonly string[], real: readonly string[], fake: readonly string[]): string[] {
  const rows = Math.max(real.length, fake.length);
  const lines = [title];
  for (let i = 0; i < rows; i++) {
    const r = real[i] ?? "—";
    const f = fake[i] ?? "—";
    lines.push(`  ${r === f ? " " : "✗"} ${(labels[i] ?? "").padEnd(12)} real: ${r.padEnd(48)} fake: ${f}`);
  }
  return lines;
}

/** A readable report of every difference, or undefined when the observations agree. */
export function diffReport(ops: readonly string[], real: Observation, fake: Observation): string | undefined {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (same(real.replies, fake.replies) && real.final === fake.final && same(real.events, fake.events)) return undefined;
  return [
    ...table("calls:", ops, real.replies, fake.replies),
    ...table("final inspect:", ["inspect"], [real.final], [fake.final]),
    ...table("events:", [], real.events, fake.events),
  ].join("\n");
}
