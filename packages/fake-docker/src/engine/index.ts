/**
 * The simulated Docker engine: a deterministic model of dockerd 20.10 (API 1.41) container lifecycle
 * on the virtual clock, and core's ContainerEngine port over it. Imports core, time/ and seed/ only.
 */
export { SimulatedDocker, STOP_TIMEOUT_S_DEFAULT } from "./simulated-docker.ts";
export type { LogEntry } from "./container-logs.ts";
export type { LogsAnswer, LogsRequest, LogsStream } from "./logs-query.ts";
export type { WaitAnswer } from "./container-streams.ts";
export type { WaitResult } from "./container-waits.ts";
export { OutputStream, planProgram } from "./process-model.ts";
export type { FiltersParam, ProcessExitResult, SimulatedDockerOptions } from "./simulated-docker.ts";
export { SimulatedContainerEngine, engineState } from "./simulated-container-engine.ts";
export { SimulatedMirrorSource } from "./simulated-mirror-source.ts";
export type { EngineCallCounts } from "./simulated-container-engine.ts";
export type { CreateContainerBody } from "./container-create.ts";
export { DockerStatus } from "./container-state.ts";
export type { DockerHttpAnswer, DockerResponse, DockerTransportFailure } from "./docker-response.ts";
export { messageOf } from "./docker-response.ts";
export { DockerMessages } from "./docker-messages.ts";
export { eventToJson, EVENTS_BUFFER_SIZE } from "./docker-events.ts";
export type { DockerEvent, EventSubscription } from "./docker-events.ts";
export type { EventsAnswer, EventsQuery } from "./events-query.ts";
export { NO_ENGINE_FAULTS } from "./engine-faults.ts";
export type { EngineFaults } from "./engine-faults.ts";
export { BUSYBOX_IMAGE } from "./image-table.ts";
export type { ImageRecord } from "./image-table.ts";
export { ProcessTiming } from "./container-lifecycle.ts";
export { RestartPolicyName, RESTART_BACKOFF_MS_MIN, RESTART_BACKOFF_MS_MAX } from "./restart-policy.ts";
export { DOCKER_API_VERSION, DOCKER_API_VERSION_MIN, DOCKER_ENGINE_VERSION } from "./system-views.ts";
export { formatGoTime, parseGoTime } from "./docker-time.ts";
