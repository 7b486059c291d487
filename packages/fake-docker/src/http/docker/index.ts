/**
 * The Docker wire face: the simulated engine served as the Docker Engine API (1.41) over a unix socket
 * or TCP, for dockerode and the docker CLI. Imports only the engine folder.
 */
export { serveDockerApi } from "./serve-docker-api.ts";
export type { DockerApiServer, ServeDockerApiOptions } from "./serve-docker-api.ts";
export { handleDockerRequest } from "./docker-routes.ts";
