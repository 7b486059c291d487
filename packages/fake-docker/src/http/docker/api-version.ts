/**
 * The API version in a request path (`/v1.41/containers/json`): split off, and checked against the
 * range the engine speaks (1.12 to 1.41). An unversioned path is treated as 1.41.
 */
import { DOCKER_API_VERSION, DOCKER_API_VERSION_MIN, DockerMessages } from "../../engine/index.ts";

/** A path with its version split off, or the 400 dockerd answers for a version it does not speak. */
export type VersionedPath =
  | { kind: "ok"; version: string; path: string }
  | { kind: "unsupported"; version: string; message: string };

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/** Splits `/vX.Y/rest` into the version and `/rest`. */
export function splitVersion(pathname: string): VersionedPath {
  const match = /^\/v(\d+\.\d+)(\/.*)$/.exec(pathname);
  if (match === null) return { kind: "ok", version: DOCKER_API_VERSION, path: pathname };
  const [, version = DOCKER_API_VERSION, path = "/"] = match;
  if (compareVersions(version, DOCKER_API_VERSION) > 0) return { kind: "unsupported", version, message: DockerMessages.versionTooNew(version) };
  if (compareVersions(version, DOCKER_API_VERSION_MIN) < 0) return { kind: "unsupported", version, message: DockerMessages.versionTooOld(version) };
  return { kind: "ok", version, path };
}

/** Whether dockerd answers errors as JSON for this client version (from 1.23 on; plain text before). */
export function jsonErrors(version: string): boolean {
  return compareVersions(version, "1.23") >= 0;
}
