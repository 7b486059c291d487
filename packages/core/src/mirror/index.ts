/**
 * Mirror sync: building a Container's status from Docker, keeping each mirror in step with its Docker
 * container, and completing a Kubernetes delete through the finalizer. Imports api/ and engine/.
 */
export type { DockerInspect } from "./docker-inspect.ts";
export * from "./mirror-status.ts";
export * from "./ports.ts";
export * from "./sync-mirror.ts";
