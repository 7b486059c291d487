/**
 * The controller's Docker wiring over dockerode 5.0.1: the client built from the configured endpoint and
 * the event follower. The ContainerEngine and MirrorSource adapters are @container-actions/docker-adapters.
 * Imports core, docker-adapters, reconnect/ and the config types.
 */
export { createDockerode, describeEndpoint } from "./docker-client.ts";
export { DockerodeEventSource, EngineEventFollower, MIRRORED_EVENT_ACTIONS, type EngineEventSource } from "./engine-event-follower.ts";
