/**
 * The one duration syntax of every flag and variable: Go's time.ParseDuration (kubectl's too) for the
 * units a person means here — a sequence of decimal numbers each with a unit, `500ms`, `30s`, `1m30s`,
 * `1.5h`, `2h`; a bare `0` is zero. Nanoseconds and microseconds are refused: nothing here is that fine.
 */
export type DurationResult = { kind: "ok"; ms: number } | { kind: "invalid"; error: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export function parseDuration(text: string): DurationResult {
  const value = text.trim();
  if (value === "0") return { kind: "ok", ms: 0 };
  if (!WHOLE.test(value)) return { kind: "invalid", error: `${JSON.stringify(text)} is not a duration: expected e.g. 500ms, 30s, 1m30s, 2h` };
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  return { kind: "ok", ms: Math.round(ms) };
}

/** Prints milliseconds in the same syntax, largest units first: 90_000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0";
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1_000], ["ms", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
