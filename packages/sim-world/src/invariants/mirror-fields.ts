import type { Violation } from "./history.ts";
import type { Checker, FinalState } from "./final-state.ts";

/** Go's zero time: Docker's "never". */
const ZERO_TIME = /^0001-01-01T/;

/**
 * The mirrored fields beyond the status word: at quiescence each mirror's pid, exitCode, error and
 * times equal the engine's own inspect document (read past faults), field by field, and a field
 * Docker does not report (an empty error, a zero time) is absent from the mirror. Read from Docker's
 * document directly, not through core's mapping, so a mirror that keeps a stale field shows.
 */
export class MirrorFields implements Checker {
  on(): Violation | null {
    return null;
  }

  finish(state: FinalState): Violation[] {
    const out: Violation[] = [];
    for (const [key, inspect] of state.inspects) {
      const status = state.mirrors.get(key)?.status;
      if (status === undefined) continue; // Truth reports a missing mirror
      for (const detail of mirrorFieldDiffs(status, inspect)) out.push({ invariant: "truth", subject: key, detail });
    }
    return out;
  }
}

/** How a mirror's status differs from Docker's inspect document in the fields beyond the status word. */
export function mirrorFieldDiffs(mirror: object, inspect: InspectFields): string[] {
  const status = mirror as Record<string, unknown>;
  const s = inspect.State;
  const time = (value: string) => (ZERO_TIME.test(value) ? undefined : value);
  const expected: Record<string, unknown> = {
    pid: s.Pid,
    exitCode: s.ExitCode,
    error: s.Error === "" ? undefined : s.Error,
    createdAt: time(inspect.Created),
    startedAt: time(s.StartedAt),
    finishedAt: time(s.FinishedAt),
  };
  return Object.entries(expected)
    .filter(([field, value]) => status[field] !== value)
    .map(([field, value]) => `mirror's ${field} is ${JSON.stringify(status[field])}, Docker's is ${JSON.stringify(value)}`);
}

/** The part of Docker's inspect document the mirror's fields come from. */
export interface InspectFields {
  Created: string;
  State: { Pid: number; ExitCode: number; Error: string; StartedAt: string; FinishedAt: string };
}
