/**
 * Signals and how a container's PID 1 reacts to them. dockerd only forwards signals; whether the
 * container dies depends on what runs as PID 1, so the model infers one of three behaviours from the
 * create config, the same cases docker-engine.md measured.
 */

/** Linux signal numbers by name (amd64), as moby's `signal.SignalMap` knows them. */
const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21,
  TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

export const SIGKILL = 9;
export const SIGTERM = 15;

/** Signals whose default action does not end a process (ignore, stop or continue). */
const NON_FATAL_BY_DEFAULT = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** A parsed `?signal=` value: its number, or the text that was not a signal. */
export type ParsedSignal = { kind: "ok"; signal: number } | { kind: "invalid"; raw: string };

/** Parses a signal like moby's `signal.ParseSignal`: a number, or a name with or without `SIG`. */
export function parseSignal(raw: string | undefined): ParsedSignal {
  if (raw === undefined || raw === "") return { kind: "ok", signal: SIGKILL };
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n >= 1 && n <= 64 ? { kind: "ok", signal: n } : { kind: "invalid", raw };
  }
  const signal = SIGNALS[raw.toUpperCase().replace(/^SIG/, "")];
  return signal === undefined ? { kind: "invalid", raw } : { kind: "ok", signal };
}

/**
 * What PID 1 does with a catchable signal:
 * - `init`: docker-init (tini, HostConfig.Init) forwards it; a default-action child dies with 128+n.
 * - `traps-term`: a shell that traps TERM (`trap "exit 0" TERM`) exits with the trap's code on TERM and,
 *   being PID 1, ignores every other signal it has no handler for.
 * - `ignores`: a plain program as PID 1 (`sleep`), which the kernel shields from every signal but KILL.
 */
export type ProcessBehavior =
  | { kind: "init" }
  | { kind: "traps-term"; exitCode: number }
  | { kind: "ignores" };

/** Infers PID 1's behaviour from the create config. */
export function inferProcessBehavior(init: boolean, command: readonly string[]): ProcessBehavior {
  const script = command.join(" ");
  const trap = /trap\s+(?:"([^"]*)"|'([^']*)'|(\S+))\s+(?:[A-Z]+\s+)*(?:SIG)?TERM\b/.exec(script);
  if (trap !== null) {
    const action = trap[1] ?? trap[2] ?? trap[3] ?? "";
    const exit = /exit\s+(\d+)/.exec(action);
    return { kind: "traps-term", exitCode: exit?.[1] === undefined ? 0 : Number(exit[1]) };
  }
  return init ? { kind: "init" } : { kind: "ignores" };
}

/** The exit code PID 1 ends with after `signal`, or undefined when the signal leaves it running. */
export function exitCodeAfterSignal(behavior: ProcessBehavior, signal: number): number | undefined {
  if (signal === SIGKILL) return 128 + SIGKILL;
  switch (behavior.kind) {
    case "init":
      return NON_FATAL_BY_DEFAULT.has(signal) ? undefined : 128 + signal;
    case "traps-term":
      return signal === SIGTERM ? behavior.exitCode : undefined;
    case "ignores":
      return undefined;
  }
}
