/**
 * @container-actions/fake-docker: a deterministic model of the Docker engine and its wire face, served
 * to real clients (dockerode, the docker CLI).
 */
export * from "./engine/index.ts";
export * from "./http/docker/index.ts";
