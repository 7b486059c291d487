import { describe, expect, test } from "bun:test";
import { planProgram, PROGRAM_EXIT_MS } from "./process-model.ts";

const out = (text: string, atMs = 0, stream: 1 | 2 = 1) => ({ atMs, stream, text });

describe("process model: what a command does by itself", () => {
  test("true, false, echo and cat without stdin exit at once with their codes", () => {
    expect(planProgram(["/bin/true"])).toEqual({ output: [], exit: { atMs: PROGRAM_EXIT_MS, code: 0 } });
    expect(planProgram(["false"]).exit?.code).toBe(1);
    expect(planProgram(["echo", "hi", "there"])).toEqual({ output: [out("hi there\n")], exit: { atMs: PROGRAM_EXIT_MS, code: 0 } });
    expect(planProgram(["echo", "-n", "x"]).output).toEqual([out("x")]);
    expect(planProgram(["cat"]).exit?.code).toBe(0);
    expect(planProgram(["cat"], true).exit).toBeUndefined(); // -i: stdin stays open and nothing arrives
  });

  test("sleep N exits 0 after N seconds (fractions and suffixes as busybox reads them)", () => {
    expect(planProgram(["sleep", "2"]).exit).toEqual({ atMs: 2000 + PROGRAM_EXIT_MS, code: 0 });
    expect(planProgram(["/bin/sleep", "0.5"]).exit?.atMs).toBe(500 + PROGRAM_EXIT_MS);
    expect(planProgram(["sleep", "1m"]).exit?.atMs).toBe(60_000 + PROGRAM_EXIT_MS);
  });

  test("sh -c scripts: exit N, sleep, echo to stdout and stderr, ; and &&", () => {
    expect(planProgram(["sh", "-c", "exit 3"]).exit?.code).toBe(3);
    expect(planProgram(["sh", "-c", "exit 300"]).exit?.code).toBe(44);
    expect(planProgram(["sh", "-c", "sleep 1; echo late; echo oops >&2; exit 2"])).toEqual({
      output: [out("late\n", 1000), out("oops\n", 1000, 2)],
      exit: { atMs: 1000 + PROGRAM_EXIT_MS, code: 2 },
    });
    expect(planProgram(["sh", "-c", "false && echo no; echo 'a  b'"]).output).toEqual([out("a  b\n")]);
    expect(planProgram(["sh", "-c", "false"]).exit?.code).toBe(1);
    expect(planProgram(["sh", "-c", "false; exit"]).exit?.code).toBe(1);
    expect(planProgram(["sh", "-c", "echo one; exit 0; echo never"]).output).toEqual([out("one\n")]);
  });

  test("anything the model does not know runs until a signal ends it", () => {
    for (const command of [["nginx"], ["sleep"], ["sleep", "abc"], ["sh"], ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done'], ["cat", "/etc/hosts"], ["sh", "-c", "echo 'unterminated"]]) {
      expect(planProgram(command).exit).toBeUndefined();
    }
    // A trap only sets up signal handling; the script's own steps still run.
    expect(planProgram(["sh", "-c", 'trap "exit 7" TERM; sleep 3']).exit).toEqual({ atMs: 3000 + PROGRAM_EXIT_MS, code: 0 });
  });
});
