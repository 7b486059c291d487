/**
 * Docker adapters over dockerode 5.0.1: the ContainerEngine and MirrorSource ports, the event follower,
 * and the one mapping of dockerode errors to kinds. Imports core, reconnect/ and the config types.
 */
export { createDockerode, describeEndpoint } from "./docker-client.ts";
export { DEFAULT_DOCKER_TIMEOUTS, type DockerCaller, type DockerCallObserver, type DockerTimeouts } from "./docker-calls.ts";
export { DockerodeContainerEngine } from "./dockerode-container-engine.ts";
export { DockerodeMirrorSource } from "./dockerode-mirror-source.ts";
export { DockerodeEventSource, EngineEventFollower, MIRRORED_EVENT_ACTIONS, type EngineEventSource } from "./engine-event-follower.ts";
