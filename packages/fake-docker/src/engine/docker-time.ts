/**
 * Time as dockerd writes and reads it: Go's RFC 3339 with trimmed nanoseconds, the zero time, the
 * human durations of `docker ps`, and the `seconds[.nanoseconds]` timestamps of `/events`.
 */

/** Go's zero `time.Time`, which Docker prints for a StartedAt/FinishedAt that never happened. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** Formats epoch milliseconds like Go's `time.RFC3339Nano` in UTC (trailing fraction zeros dropped). */
export function formatGoTime(ms: number | undefined): string {
  if (ms === undefined) return GO_ZERO_TIME;
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.120Z
  const [whole, fraction = ""] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return trimmed === "" ? `${whole}Z` : `${whole}.${trimmed}Z`;
}

/** Parses a Docker time string to epoch ms; the Go zero time (or garbage) gives undefined. */
export function parseGoTime(text: string): number | undefined {
  if (text === "" || text.startsWith("0001-01-01")) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `units.HumanDuration` from docker/go-units, as `docker ps` prints it ("Up 5 seconds"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** The result of parsing an `/events` timestamp: epoch nanoseconds, or the parse error dockerd reports. */
export type ParsedTimestamp = { kind: "ok"; nanos: bigint } | { kind: "invalid"; message: string };

/**
 * Parses `seconds[.fraction]` the way moby's `timetypes.ParseTimestamps` does; the error text is Go's
 * strconv message, which dockerd returns with HTTP 500.
 */
export function parseDockerTimestamp(value: string): ParsedTimestamp {
  const [secondsText = "", fractionText] = value.split(".", 2);
  if (!/^-?\d+$/.test(secondsText)) {
    return { kind: "invalid", message: `strconv.ParseInt: parsing ${JSON.stringify(secondsText)}: invalid syntax` };
  }
  let nanos = BigInt(secondsText) * 1_000_000_000n;
  if (fractionText !== undefined) {
    if (!/^\d+$/.test(fractionText)) {
      return { kind: "invalid", message: `strconv.ParseInt: parsing ${JSON.stringify(fractionText)}: invalid syntax` };
    }
    nanos += BigInt(fractionText.slice(0, 9).padEnd(9, "0"));
  }
  return { kind: "ok", nanos };
}

/** Epoch ms as the nanoseconds a Docker event carries. */
export function msToNanos(ms: number): bigint {
  return BigInt(Math.floor(ms)) * 1_000_000n;
}
