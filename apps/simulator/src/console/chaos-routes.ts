/**
 * The chaos page's API: the named scenarios, starting a run with the page's knobs, and each run's
 * progress as server-sent events (start, ticks of timeline events, then the summary and the verdicts).
 * A failing run's scenario is written for `bun run chaos --replay`. One Elysia instance.
 */
import { Elysia, t } from "elysia";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { NAMED_SCENARIOS, scenarioNames } from "@container-actions/sim-world";
import type { Scenario } from "@container-actions/sim-world";
import { parseSeed } from "@container-actions/sim-kernel";
import { chaosScenario, verdicts, worldRunner, type ChaosKnobs, type CrashMode, type ScenarioRunner } from "./chaos-run.ts";

/** Runs going on at once; more are refused with 429 (each one takes the process's CPU). */
export const RUNS_RUNNING_MAX = 2;
/** Finished runs kept for late readers; older ones are forgotten. */
export const RUNS_KEPT_MAX = 20;
/** Knob bounds: a page run stays a matter of seconds. */
export const KNOB_LIMITS = { containersMax: 20, durationMsMin: 100, durationMsMax: 120_000, watchLagMsMax: 10_000 } as const;

export interface ChaosDeps {
  /** Where a failing run's scenario is written (created when missing). */
  failuresDir: string;
  /** The folder the replay command runs from (the repository root); the file is shown relative to it. */
  workDir: string;
  runner?: ScenarioRunner;
  newRunId?: () => string;
  /** The seed of a run whose page left it empty. */
  randomSeed?: () => number;
}

type Message = { event: "start" | "tick" | "done" | "problem"; data: unknown };

interface RunRecord {
  id: string;
  messages: Message[];
  listeners: Set<(m: Message) => void>;
  finished: boolean;
}

/** A chance the page offers in whole percent: a Ratio over 100. */
const percent = t.Tuple([t.Integer({ minimum: 0, maximum: 100 }), t.Literal(100)]);

const KnobsBody = t.Object(
  {
    scenario: t.String({ minLength: 1 }),
    seed: t.Optional(t.String({ maxLength: 40 })),
    containers: t.Integer({ minimum: 1, maximum: KNOB_LIMITS.containersMax }),
    durationMs: t.Integer({ minimum: KNOB_LIMITS.durationMsMin, maximum: KNOB_LIMITS.durationMsMax }),
    faults: t.Optional(
      t.Object(
        {
          watchLagMsMax: t.Optional(t.Integer({ minimum: 0, maximum: KNOB_LIMITS.watchLagMsMax })),
          apiWriteErrorChance: t.Optional(percent),
          engineUnreachableChance: t.Optional(percent),
        },
        { additionalProperties: false },
      ),
    ),
    crash: t.Optional(t.Union([t.Literal("scenario"), t.Literal("on"), t.Literal("off")])),
  },
  { additionalProperties: false },
);

export function chaosRoutes(deps: ChaosDeps) {
  const runner = deps.runner ?? worldRunner;
  const newRunId = deps.newRunId ?? (() => crypto.randomUUID());
  const randomSeed = deps.randomSeed ?? (() => Date.now() % 1_000_000);
  const runs = new Map<string, RunRecord>();
  const running = () => [...runs.values()].filter((r) => !r.finished).length;

  const publish = (run: RunRecord, message: Message) => {
    run.messages.push(message);
    for (const listener of run.listeners) listener(message);
    if (message.event === "done" || message.event === "problem") {
      run.finished = true;
      run.listeners.clear();
      forgetOldRuns(runs);
    }
  };

  const execute = async (run: RunRecord, knobs: ChaosKnobs, scenario: Scenario) => {
    const started = performance.now();
    publish(run, { event: "start", data: { runId: run.id, knobs, steps: scenario.steps.length, faults: scenario.faults } });
    try {
      const finished = await runner(scenario, (tick) => publish(run, { event: "tick", data: tick }));
      const { violations, ...figures } = finished.summary;
      const replay = violations.length > 0 ? writeReplay(deps, scenario, knobs, run.id) : null;
      publish(run, {
        event: "done",
        data: { verdict: violations.length === 0 ? "pass" : "fail", verdicts: verdicts(violations), summary: figures, wallMs: Math.round(performance.now() - started), replay },
      });
    } catch (error) {
      publish(run, { event: "problem", data: { message: error instanceof Error ? error.message : String(error) } });
    }
  };

  return new Elysia({ name: "chaos" })
    .get("/api/chaos/scenarios", () => scenarioNames().map((name) => ({ name, summary: NAMED_SCENARIOS[name]?.summary ?? "" })))
    .post(
      "/api/chaos/runs",
      ({ body, status }) => {
        if (!(body.scenario in NAMED_SCENARIOS)) return status(422, { message: `unknown scenario "${body.scenario}"; known: ${scenarioNames().join(", ")}` });
        let seed: number;
        try {
          seed = body.seed === undefined || body.seed.trim() === "" ? randomSeed() : parseSeed(body.seed);
        } catch (error) {
          return status(422, { message: (error as Error).message });
        }
        if (running() >= RUNS_RUNNING_MAX) return status(429, { message: `${RUNS_RUNNING_MAX} runs are already going on; wait for one to finish` });
        const knobs: ChaosKnobs = { ...body, seed, crash: (body.crash ?? "scenario") as CrashMode };
        const scenario = chaosScenario(knobs);
        const run: RunRecord = { id: newRunId(), messages: [], listeners: new Set(), finished: false };
        runs.set(run.id, run);
        void execute(run, knobs, scenario);
        return status(202, { runId: run.id, seed, events: `/api/chaos/runs/${run.id}/events` });
      },
      { body: KnobsBody },
    )
    .get("/api/chaos/runs/:id", ({ params, status }) => {
      const run = runs.get(params.id);
      if (run === undefined) return status(404, { message: `no run ${params.id}` });
      const last = run.messages.at(-1);
      return { runId: run.id, finished: run.finished, ...(run.finished && last ? { [last.event]: last.data } : {}) };
    })
    .get("/api/chaos/runs/:id/events", ({ params, request, status }) => {
      const run = runs.get(params.id);
      if (run === undefined) return status(404, { message: `no run ${params.id}` });
      return runStream(run, request.signal);
    });
}

/** Server-sent events: every message so far, then the live ones; ends after the run's last message. */
function runStream(run: RunRecord, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let listener: ((m: Message) => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (listener) run.listeners.delete(listener);
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      };
      const send = (m: Message) => {
        try {
          controller.enqueue(encoder.encode(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`));
        } catch {
          // The reader went away.
        }
        if (m.event === "done" || m.event === "problem") close();
      };
      for (const m of run.messages) send(m);
      if (run.finished) return;
      listener = send;
      run.listeners.add(listener);
      signal.addEventListener("abort", close);
    },
    cancel() {
      if (listener) run.listeners.delete(listener);
    },
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}

function forgetOldRuns(runs: Map<string, RunRecord>): void {
  const finished = [...runs.values()].filter((r) => r.finished);
  for (const run of finished.slice(0, Math.max(0, finished.length - RUNS_KEPT_MAX))) runs.delete(run.id);
}

/** Writes the failing scenario and returns where, with the command that replays it exactly. */
function writeReplay(deps: ChaosDeps, scenario: Scenario, knobs: ChaosKnobs, runId: string): { file: string; command: string } {
  mkdirSync(deps.failuresDir, { recursive: true });
  const path = join(deps.failuresDir, `chaos-page-${knobs.scenario}-seed-${knobs.seed}-${runId.slice(0, 8)}.json`);
  writeFileSync(path, JSON.stringify(scenario, null, 2));
  const shown = relative(deps.workDir, path);
  return { file: shown, command: `bun run chaos --replay ${shown} --trace` };
}
