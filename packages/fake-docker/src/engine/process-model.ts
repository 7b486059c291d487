/**
 * What a container's command does by itself: the output it writes, when, and the code it exits with.
 * The model reads the command line (entrypoint + cmd) as busybox would run it: `true`, `false`,
 * `sleep N`, `echo …`, `cat`, and `sh -c` scripts made of those plus `exit N`; anything else is a
 * program that runs until a signal ends it. Signals are process-signals.ts's business, not this file's.
 */

/** Where a line goes: Docker's stream numbers in the log frame header. */
export const OutputStream = { stdout: 1, stderr: 2 } as const;
export type OutputStream = (typeof OutputStream)[keyof typeof OutputStream];

/** One write of the program, `atMs` after its start. */
export interface ProgramOutput {
  atMs: number;
  stream: OutputStream;
  text: string;
}

/** A program's plan from its start: what it writes and, unless it runs forever, when it exits. */
export interface ProgramPlan {
  output: ProgramOutput[];
  exit: { atMs: number; code: number } | undefined;
}

/** How long a program that does nothing takes from start to exit, in virtual ms (fork, exec, exit). */
export const PROGRAM_EXIT_MS = 5;

/** A step of a script: what it writes, how long it takes, its status, and whether it ends the script. */
interface Step {
  output: Array<{ stream: OutputStream; text: string }>;
  durationMs: number;
  status: number;
  exits: boolean;
}

/** Splits a shell word list the way `sh` would for the simple scripts modelled (quotes, no expansion). */
function words(script: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))/gy;
  let current: string | undefined;
  let last = 0;
  for (let m = re.exec(script); m !== null; m = re.exec(script)) {
    const startsWord = /^\s/.test(m[0]) || current === undefined;
    const piece = m[1] ?? m[2] ?? m[3] ?? "";
    if (startsWord && current !== undefined) out.push(current);
    current = startsWord ? piece : `${current}${piece}`;
    last = re.lastIndex;
  }
  if (script.slice(last).trim() !== "") return undefined; // an unterminated quote
  if (current !== undefined) out.push(current);
  return out;
}

/** `sleep`'s argument in ms (busybox accepts fractions and s/m/h/d suffixes), or undefined. */
function sleepMs(arg: string | undefined): number | undefined {
  const m = arg === undefined ? null : /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (m === null) return undefined;
  const unitS = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * unitS * 1000);
}

/** One simple command, or undefined when the model does not know what it does (or it waits forever). */
function step(argv: readonly string[], lastStatus: number, stdinOpen: boolean): Step | undefined {
  const [path = "", ...rest] = argv;
  const program = path.slice(path.lastIndexOf("/") + 1);
  const done = (status: number, output: Step["output"] = [], durationMs = 0): Step => ({ output, durationMs, status, exits: false });
  switch (program) {
    case "true":
    case ":":
      return done(0);
    case "false":
      return done(1);
    case "sleep": {
      const ms = rest.length === 1 ? sleepMs(rest[0]) : undefined;
      return ms === undefined ? undefined : done(0, [], ms);
    }
    case "echo": {
      let args = rest;
      const toStderr = args.at(-1) === ">&2" || args.at(-1) === "1>&2";
      if (toStderr) args = args.slice(0, -1);
      const noNewline = args[0] === "-n";
      if (noNewline) args = args.slice(1);
      const text = `${args.join(" ")}${noNewline ? "" : "\n"}`;
      return done(0, text === "" ? [] : [{ stream: toStderr ? OutputStream.stderr : OutputStream.stdout, text }]);
    }
    case "cat":
      // With no stdin attached, cat reads /dev/null: EOF at once. An open stdin (`-i`) never gets input
      // here (stdin is not modelled), so cat waits like a long-running program.
      return rest.length === 0 && !stdinOpen ? done(0) : undefined;
    case "exit": {
      if (rest.length > 1 || (rest[0] !== undefined && !/^\d+$/.test(rest[0]))) return undefined;
      return { output: [], durationMs: 0, status: rest[0] === undefined ? lastStatus : Number(rest[0]) % 256, exits: true };
    }
    default:
      return undefined;
  }
}

/** A `sh -c` script: `;`- and `&&`-separated simple commands; a `trap` only sets up signal handling. */
function script(text: string, stdinOpen: boolean): Step[] | undefined {
  const steps: Step[] = [];
  let status = 0;
  let skipNext = false;
  for (const part of text.split(/(;|&&|\n)/)) {
    if (part === ";" || part === "\n") {
      skipNext = false;
      continue;
    }
    if (part === "&&") {
      skipNext = status !== 0;
      continue;
    }
    const argv = words(part);
    if (argv === undefined) return undefined;
    if (argv.length === 0) continue;
    if (argv[0] === "trap") continue;
    if (skipNext) continue;
    const s = step(argv, status, stdinOpen);
    if (s === undefined) return undefined;
    steps.push(s);
    status = s.status;
    if (s.exits) break;
  }
  return steps;
}

/** The plan for a command line (`stdinOpen`: Config.OpenStdin); no exit means it runs until signalled. */
export function planProgram(command: readonly string[], stdinOpen = false): ProgramPlan {
  const forever: ProgramPlan = { output: [], exit: undefined };
  const [path = "", ...rest] = command;
  const program = path.slice(path.lastIndexOf("/") + 1);
  const steps = program === "sh" && rest[0] === "-c" && rest[1] !== undefined ? script(rest[1], stdinOpen) : (() => {
    const s = step(command, 0, stdinOpen);
    return s === undefined ? undefined : [s];
  })();
  if (steps === undefined) return forever;
  const output: ProgramOutput[] = [];
  let atMs = 0;
  let code = 0;
  for (const s of steps) {
    for (const o of s.output) output.push({ atMs, ...o });
    atMs += s.durationMs;
    code = s.status;
  }
  return { output, exit: { atMs: atMs + PROGRAM_EXIT_MS, code } };
}
