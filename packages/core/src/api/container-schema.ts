/**
 * The Container schema: the single source of the TypeScript types, the CRD's openAPIV3Schema and the
 * validation the webhook and the simulator apply.
 */
import { FormatRegistry, Type, type Static, type TLiteral, type TUnion } from "@sinclair/typebox";
import { API_VERSION, KIND } from "./names.ts";

// RFC 3339 as the apiserver accepts it for `format: date-time` (fractional seconds and offsets allowed).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has("date-time")) FormatRegistry.Set("date-time", (v) => DATE_TIME.test(v));

/** A string limited to the given values; the CRD generator turns it into `type: string` + `enum`. */
function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as TUnion<TLiteral<T[number]>[]>;
}

const DateTime = (description: string) => Type.String({ format: "date-time", description });

export const ActionName = {
  start: "start",
  stop: "stop",
  pause: "pause",
  unpause: "unpause",
  restart: "restart",
} as const;
export type ActionName = (typeof ActionName)[keyof typeof ActionName];
export const ACTION_NAMES = Object.values(ActionName);

export const ActionState = { succeeded: "Succeeded", failed: "Failed" } as const;
export type ActionState = (typeof ActionState)[keyof typeof ActionState];

/** Docker's State.Status values; anything else the engine reports is mirrored as `unknown`. */
export const ContainerStatusValue = {
  created: "created",
  running: "running",
  pausing: "pausing",
  paused: "paused",
  restarting: "restarting",
  removing: "removing",
  exited: "exited",
  dead: "dead",
  unknown: "unknown",
} as const;
export type ContainerStatusValue = (typeof ContainerStatusValue)[keyof typeof ContainerStatusValue];

export const LastActionSchema = Type.Object(
  {
    action: StringEnum(ACTION_NAMES as [ActionName, ...ActionName[]], { description: "The action that was processed." }),
    state: StringEnum([ActionState.succeeded, ActionState.failed] as const, { description: "The outcome." }),
    error: Type.Optional(Type.String({ description: "Why the action failed. Set only when state is Failed." })),
    requestId: Type.Optional(
      Type.String({ description: "The request id annotation of the handled request, when the client set one." }),
    ),
    observedAt: DateTime("When the controller began processing the request (not when the client wrote it)."),
    completedAt: DateTime("When the engine call returned, whatever the outcome."),
  },
  { description: "The outcome of the most recent action request. Persists until the next one is handled." },
);
export type LastAction = Static<typeof LastActionSchema>;

const PortBindingSchema = Type.Object({ hostIP: Type.String(), hostPort: Type.String() });
export const PortSchema = Type.Object({
  name: Type.String({ description: 'Port and protocol, e.g. "80/tcp".' }),
  bindings: Type.Optional(Type.Array(PortBindingSchema)),
});
export type Port = Static<typeof PortSchema>;

export const ConditionSchema = Type.Object({
  type: Type.String({ maxLength: 316 }),
  status: StringEnum(["True", "False", "Unknown"] as const),
  reason: Type.String({ minLength: 1, maxLength: 1024 }),
  message: Type.String({ maxLength: 32768 }),
  lastTransitionTime: DateTime("When the condition last changed."),
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type Condition = Static<typeof ConditionSchema>;

export const ContainerStatusSchema = Type.Object(
  {
    name: Type.String({ description: "Docker container name without the leading slash." }),
    namespace: Type.String({ description: 'Container namespace; "moby" for Docker.' }),
    path: Type.String(),
    args: Type.Optional(Type.Array(Type.String())),
    image: Type.String({ description: "Image ID (sha256:...)." }),
    imageName: Type.Optional(
      Type.String({ description: "The image as the container was created from it (Config.Image), as `docker ps` shows it." }),
    ),
    ports: Type.Optional(Type.Array(PortSchema)),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    status: StringEnum(Object.values(ContainerStatusValue) as [ContainerStatusValue, ...ContainerStatusValue[]], {
      default: "unknown",
    }),
    pid: Type.Optional(Type.Integer()),
    exitCode: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.String()),
    createdAt: Type.Optional(DateTime("Docker's Created time.")),
    startedAt: Type.Optional(DateTime("Docker's State.StartedAt, when set.")),
    finishedAt: Type.Optional(DateTime("Docker's State.FinishedAt, when set.")),
    conditions: Type.Optional(Type.Array(ConditionSchema)),
    lastAction: Type.Optional(LastActionSchema),
  },
  { description: "The mirrored Docker state, plus the outcome of the last action request." },
);
export type ContainerStatus = Static<typeof ContainerStatusSchema>;

/** The subset of ObjectMeta this project reads; the rest passes through untouched. */
export const ObjectMetaSchema = Type.Object(
  {
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    creationTimestamp: Type.Optional(Type.String()),
    deletionTimestamp: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    finalizers: Type.Optional(Type.Array(Type.String())),
    managedFields: Type.Optional(
      Type.Array(
        Type.Object(
          {
            manager: Type.Optional(Type.String()),
            operation: Type.Optional(Type.String()),
            time: Type.Optional(Type.String()),
            subresource: Type.Optional(Type.String()),
            fieldsV1: Type.Optional(Type.Unknown()),
          },
          { additionalProperties: true },
        ),
      ),
    ),
  },
  { additionalProperties: true },
);
export type ObjectMeta = Static<typeof ObjectMetaSchema>;

export const ContainerSchema = Type.Object(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal(KIND),
    metadata: ObjectMetaSchema,
    spec: Type.Optional(Type.Object({}, { description: "Reserved; the Container is a status-only mirror." })),
    status: Type.Optional(ContainerStatusSchema),
  },
  {
    description:
      "A mirror of one Docker container, named by its full ID. Clients request actions with the " +
      "containers.rancherdesktop.io/action annotation and read the outcome in status.lastAction.",
  },
);
export type Container = Static<typeof ContainerSchema>;

/** Identifies one Container object. */
export interface ContainerRef {
  namespace: string;
  name: string;
}

export function refOf(container: Container): ContainerRef {
  return { namespace: container.metadata.namespace ?? "default", name: container.metadata.name };
}

export function keyOf(ref: ContainerRef): string {
  return `${ref.namespace}/${ref.name}`;
}
