/**
 * The controller's Docker adapters over dockerode 5.0.1: the ContainerEngine and MirrorSource ports, the
 * call timing, and the one mapping of dockerode errors to kinds. The controller app gives them a
 * dockerode on the daemon's socket; the simulated world gives them one whose connections the fake
 * engine serves in-process, so both run this code.
 */
export { DEFAULT_DOCKER_TIMEOUTS, timedCall, type DockerCaller, type DockerCallObserver, type DockerTimeouts } from "./docker-calls.ts";
export { DockerodeContainerEngine } from "./dockerode-container-engine.ts";
export { DockerodeMirrorSource } from "./dockerode-mirror-source.ts";
export { describeFailureOf, dockerFailureOf, engineReplyOfError, inspectFailureOf, removeFailureOf, restartHistoryFailureOf, type DockerFailure } from "./status-mapping.ts";
