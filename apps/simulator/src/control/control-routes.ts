/**
 * The control API of a running stack (JSON over HTTP on 127.0.0.1): what runs where, the faults in
 * force, and the simulated engine's fault and process hooks. One Elysia instance, tested with
 * app.handle.
 */
import { Elysia, t } from "elysia";
import { NO_ENGINE_FAULTS, type EngineFaults } from "@container-actions/fake-docker";
import type { EngineControl } from "./simulated-servers.ts";

import type { ApiserverFaults } from "./apiserver-faults.ts";

/** One child process of the stack. */
export interface ProcessView {
  name: string;
  pid: number;
  running: boolean;
  exitCode: number | null;
  log: string;
  /** Its health or metrics endpoint, when it has one. */
  url?: string;
}

/** What the stack runs: which Docker and which cluster, its processes and its other endpoints. */
export interface StackView {
  docker: { kind: "simulated" | "real"; url: string };
  kube: { kind: "simulated" | "external"; url: string; kubeconfig: string };
  processes: ProcessView[];
  endpoints: Record<string, string>;
  notes: string[];
}

export interface ControlDeps {
  /** The simulated engine's hooks; null when the stack runs a real engine (which takes no faults). */
  engine: EngineControl | null;
  /** The fake apiserver's fault hook; null when the stack runs against an external cluster. */
  apiserver: ApiserverFaults | null;
  /** Reads what runs now. */
  stack: () => StackView;
}

const NOT_SIMULATED = { message: "the stack runs a real Docker engine: only the simulated engine takes faults and process hooks" };
const NOT_SIMULATED_CLUSTER = { message: "the stack runs against an external cluster: only the simulated apiserver takes faults" };

const ratio = t.Tuple([t.Integer({ minimum: 0 }), t.Integer({ minimum: 1 })]);
const latencyMs = t.Integer({ minimum: 0, maximum: 600_000 });

/** The body of POST /control/docker/faults: any subset of the engine's fault knobs. */
const FaultsBody = t.Object(
  {
    engineUnreachableChance: t.Optional(ratio),
    engineLatencyMsMin: t.Optional(latencyMs),
    engineLatencyMsMax: t.Optional(latencyMs),
    engineServerErrorChance: t.Optional(ratio),
    engineLostReplyChance: t.Optional(ratio),
    engineRemovalFailureChance: t.Optional(ratio),
    engineStartFailureChance: t.Optional(ratio),
  },
  { additionalProperties: false },
);

const RunBody = t.Object(
  {
    name: t.String({ pattern: "^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", maxLength: 63 }),
    image: t.Optional(t.String({ minLength: 1 })),
    cmd: t.Optional(t.Array(t.String())),
    init: t.Optional(t.Boolean()),
    stopTimeoutS: t.Optional(t.Integer({ minimum: 0, maximum: 600 })),
  },
  { additionalProperties: false },
);

const perVerb = t.Partial(t.Record(t.Union(["get", "list", "create", "update", "patch", "delete"].map((v) => t.Literal(v))), ratio), { additionalProperties: false });

/** The body of POST /control/apiserver/faults: request faults (per verb) and watch lag, any subset. */
const ApiserverFaultsBody = t.Object(
  {
    cluster: t.Optional(
      t.Object(
        {
          apiConflictChance: t.Optional(perVerb),
          apiTooManyRequestsChance: t.Optional(perVerb),
          apiRetryAfterS: t.Optional(t.Integer({ minimum: 0, maximum: 3600 })),
          apiInternalErrorChance: t.Optional(perVerb),
          apiInternalErrorAppliedChance: t.Optional(ratio),
          apiTimeoutChance: t.Optional(perVerb),
          apiTimeoutAppliedChance: t.Optional(ratio),
          apiTimeoutMs: t.Optional(latencyMs),
          apiLatencyMsMin: t.Optional(latencyMs),
          apiLatencyMsMax: t.Optional(latencyMs),
        },
        { additionalProperties: false },
      ),
    ),
    watch: t.Optional(
      t.Object(
        { watchLagMsMin: t.Optional(latencyMs), watchLagMsMax: t.Optional(latencyMs), watchDropChance: t.Optional(ratio) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function controlRoutes(deps: ControlDeps) {
  return new Elysia({ name: "control", normalize: false })
    .get("/control", () => ({
      ...deps.stack(),
      faults: { docker: deps.engine?.faults() ?? null, apiserver: deps.apiserver?.current() ?? null },
    }))
    .post(
      "/control/apiserver/faults",
      ({ body, status }) => {
        if (deps.apiserver === null) return status(409, NOT_SIMULATED_CLUSTER);
        return { faults: deps.apiserver.set(body as Parameters<ApiserverFaults["set"]>[0]) };
      },
      { body: ApiserverFaultsBody },
    )
    .delete("/control/apiserver/faults", ({ status }) => {
      if (deps.apiserver === null) return status(409, NOT_SIMULATED_CLUSTER);
      return { faults: deps.apiserver.reset() };
    })
    .post(
      "/control/docker/faults",
      ({ body, status }) => {
        const engine = deps.engine;
        if (engine === null) return status(409, NOT_SIMULATED);
        const problem = faultProblem(body, engine.faults());
        if (problem !== null) return status(422, { message: problem });
        return { faults: engine.setFaults(body as Partial<EngineFaults>) };
      },
      { body: FaultsBody },
    )
    .delete("/control/docker/faults", ({ status }) => {
      const engine = deps.engine;
      if (engine === null) return status(409, NOT_SIMULATED);
      return {
        faults: engine.setFaults(NO_ENGINE_FAULTS),
      };
    })
    .post(
      "/control/docker/containers/:id/exit",
      ({ params, body, status }) => {
        const engine = deps.engine;
        if (engine === null) return status(409, NOT_SIMULATED);
        const result = engine.exitProcess(params.id, body?.code ?? 1);
        switch (result.kind) {
          case "exited":
            return { result: "exited", code: body?.code ?? 1 };
          case "missing":
            return status(404, { message: `No such container: ${params.id}` });
          case "not-running":
            return status(409, { message: `container ${params.id} has no running process` });
          case "frozen":
            return status(409, { message: `container ${params.id} is paused: a frozen process cannot exit` });
        }
      },
      { body: t.Optional(t.Object({ code: t.Optional(t.Integer({ minimum: 0, maximum: 255 })) }, { additionalProperties: false })) },
    )
    .post(
      "/control/docker/containers",
      async ({ body, status }) => {
        const engine = deps.engine;
        if (engine === null) return status(409, NOT_SIMULATED);
        const answer = await engine.run(
          {
            Image: body.image ?? "local/busybox:latest",
            Cmd: body.cmd ?? ["sleep", "100000"],
            HostConfig: { Init: body.init ?? true },
            ...(body.stopTimeoutS !== undefined ? { StopTimeout: body.stopTimeoutS } : {}),
          },
          body.name,
        );
        if (answer.kind === "started") return status(201, { id: answer.id });
        return status(answer.status >= 400 && answer.status < 600 ? answer.status : 502, { message: answer.message });
      },
      { body: RunBody },
    );
}

/** A fault combination the engine could not honour, or null. */
function faultProblem(changes: Partial<EngineFaults>, current: EngineFaults): string | null {
  for (const key of ["engineUnreachableChance", "engineServerErrorChance", "engineLostReplyChance", "engineRemovalFailureChance", "engineStartFailureChance"] as const) {
    const r = changes[key];
    if (r !== undefined && r[0] > r[1]) return `${key}: the numerator ${r[0]} exceeds the denominator ${r[1]}`;
  }
  const min = changes.engineLatencyMsMin ?? current.engineLatencyMsMin;
  const max = changes.engineLatencyMsMax ?? current.engineLatencyMsMax;
  if (max > 0 && min > max) return `engineLatencyMsMin (${min}) exceeds engineLatencyMsMax (${max})`;
  return null;
}
