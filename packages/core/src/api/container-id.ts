/**
 * Docker container IDs, the only names a Container mirror may carry. Docker resolves a name or an ID
 * prefix as readily as a full ID, so anything shorter would let a hand-made Container steer whichever
 * Docker container answers to it (issue: the `demo-worker` case).
 */

/** A full Docker container ID: exactly 64 lowercase hex digits. RE2 (CEL `matches`) reads it as JavaScript does. */
export const CONTAINER_ID_PATTERN = "^[0-9a-f]{64}$";

const CONTAINER_ID = new RegExp(CONTAINER_ID_PATTERN);

/** True when `name` is a full 64-hex Docker container ID, never a name or a short ID. */
export function isContainerId(name: string): boolean {
  return CONTAINER_ID.test(name);
}

/**
 * Throws when `id` is not a full container ID: an adapter's last line of defence, so a name or a prefix
 * can never reach Docker even if a caller skipped the ownership guard (a bug, hence a throw).
 */
export function assertContainerId(id: string): void {
  if (!isContainerId(id)) {
    throw Object.assign(new Error(`refusing a Docker call for ${JSON.stringify(id)}: not a full 64-hex container ID`), { code: "NOT_A_CONTAINER_ID" });
  }
}
