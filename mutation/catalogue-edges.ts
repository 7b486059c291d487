/**
 * Mutants of what surrounds the protocol: the patch bodies, Docker's status codes, the work queue, the
 * controller's wiring, the mirror sync, admission, and the controller's adapters (kube-adapters,
 * docker-adapters), which the simulated world runs.
 */
import type { Mutant } from "./mutant.ts";

const PATCHES = "packages/core/src/api/patches.ts";
const DOCKER_REPLY = "packages/core/src/engine/docker-reply.ts";
const BACKOFF = "packages/core/src/queue/backoff.ts";
const QUEUE = "packages/core/src/queue/work-queue.ts";
const CONTROLLER = "packages/core/src/controller/container-controller.ts";
const MIRROR = "packages/core/src/mirror/sync-mirror.ts";
const ADMISSION = "packages/core/src/admission/admission-rules.ts";
const KUBE_STATUS = "packages/kube-adapters/src/status-mapping.ts";
const DOCKER_STATUS = "packages/docker-adapters/src/status-mapping.ts";

export const EDGE_MUTANTS: Mutant[] = [
  {
    id: "patches.merge-keeps-error",
    file: PATCHES,
    description: "the lastAction merge patch stops nulling `error`",
    breaks: "a Succeeded lastAction keeps the previous failure's error",
    find: `const LAST_ACTION_OPTIONAL = ["error", "requestId"] as const;`,
    replace: `const LAST_ACTION_OPTIONAL = ["requestId"] as const;`,
  },
  {
    id: "patches.removal-without-id-test",
    file: PATCHES,
    description: "the guarded removal no longer tests the request id",
    breaks: "a newer request with the same action and another id is removed unrun (a lost request)",
    find: `{ op: "test", path: ACTION_ID_PATH, value: request.requestId ?? null },`,
    replace: ``,
  },
  {
    id: "patches.removal-without-action-test",
    file: PATCHES,
    description: "the guarded removal no longer tests the action",
    breaks: "an id-less request written during dispatch is removed unrun (a lost request, E6)",
    find: `{ op: "test", path: ACTION_PATH, value: request.action },`,
    replace: ``,
  },
  {
    id: "patches.removal-keeps-id",
    file: PATCHES,
    description: "the removal deletes the action annotation but leaves the request id",
    breaks: "the next id-less request inherits the old id and is cleared as already recorded (a lost request)",
    find: `...(request.requestId === undefined ? [] : [{ op: "remove" as const, path: ACTION_ID_PATH }]),`,
    replace: ``,
  },
  {
    id: "docker-reply.304-not-success",
    file: DOCKER_REPLY,
    description: "Docker's 304 (start on running, stop on stopped) is no longer mapped to success",
    breaks: "a replayed start or stop records Failed for a state that holds",
    find: `if (statusCode === 304) return { kind: "already" };`,
    replace: ``,
  },
  {
    id: "backoff.cap-removed",
    file: BACKOFF,
    description: "the per-key backoff is no longer capped",
    breaks: "after a long outage a key waits hours before its next try",
    find: `return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 60));`,
    replace: `return policy.baseMs * 2 ** Math.min(attempt, 60);`,
  },
  {
    id: "queue.failures-not-reset",
    file: QUEUE,
    description: "a key's failure count is not reset when a pass succeeds",
    breaks: "each later request on a once-failing key waits an ever longer backoff",
    find: `} else {\n      this.failures.delete(key);`,
    replace: `} else {`,
  },
  {
    id: "queue.wakeup-lost-after-run",
    file: QUEUE,
    description: "a key added while it runs is not run again afterwards",
    breaks: "a request written while the previous one was dispatched waits for the next resync (a lost wake-up)",
    find: `this.failures.delete(key);\n      if (this.dirty.delete(key)) this.add(key);`,
    replace: `this.failures.delete(key);\n      this.dirty.delete(key);`,
  },
  {
    id: "queue.backoff-not-doubling",
    file: QUEUE,
    description: "a retry is re-added at once instead of after its backoff",
    breaks: "a failing key spins, hammering the apiserver or Docker",
    find: `else this.addAfter(key, backoffDelayMs(this.options.backoff, attempt));`,
    replace: `else this.add(key);`,
  },
  {
    id: "controller.wait-not-requeued",
    file: CONTROLLER,
    description: "a `wait` outcome (restart takeover) is not requeued after its delay",
    breaks: "an inherited restart waits for the next event or resync instead of 11 s",
    find: `if (outcome.kind === "wait") this.actions.addAfter(key, outcome.afterMs);`,
    replace: ``,
  },
  {
    id: "controller.deletion-not-enqueued",
    file: CONTROLLER,
    description: "a terminating Container without a request is not enqueued",
    breaks: "kubectl delete of a mirror never removes the Docker container nor completes",
    find: `return readRequestSlot(container.metadata.annotations).kind !== "empty" || container.metadata.deletionTimestamp !== undefined;`,
    replace: `return readRequestSlot(container.metadata.annotations).kind !== "empty";`,
  },
  {
    id: "mirror.absent-fields-kept",
    file: MIRROR,
    description: "the mirror sync no longer removes fields Docker stopped reporting",
    breaks: "a mirror keeps a stale pid, error or ports after the container changed",
    find: `const absent = MIRRORED_OPTIONAL_FIELDS.filter((f) => cached?.status?.[f] !== undefined && desired[f] === undefined);`,
    replace: `const absent: string[] = [];`,
  },
  {
    id: "mirror.refused-removal-releases",
    file: MIRROR,
    description: "the finalizer is released although Docker refused to remove the container",
    breaks: "a deleted mirror's Docker container keeps running and its mirror comes back",
    find: `if (removed.kind === "refused") return { kind: "retry", why: \`engine refused removal: \${removed.message}\` };`,
    replace: ``,
  },
  {
    id: "mirror.vanished-not-deleted",
    file: MIRROR,
    description: "a mirror whose Docker container vanished is left in place",
    breaks: "`docker rm` leaves a mirror of a container that no longer exists (E25)",
    find: `return settle(await ports.ledger.delete(ref), { kind: "removed" });`,
    replace: `return { kind: "unchanged" };`,
  },
  {
    id: "admission.action-on-create-allowed",
    file: ADMISSION,
    description: "admission lets a CREATE carry the action annotation",
    breaks: "a hand-written Container with a request steers Docker through whatever name it carries (I1)",
    find: `if (ANNOTATION_ACTION in annotations) {`,
    replace: `if (false) {`,
  },
  {
    id: "admission.update-judges-stored-value",
    file: ADMISSION,
    description: "admission judges the stored action on every update, not only a value this update writes",
    breaks: "a bad value stored while no webhook ran blocks the finalizer removal of a deleting object (E10)",
    find: `if (action !== undefined && action !== before[ANNOTATION_ACTION]) {`,
    replace: `if (action !== undefined) {`,
  },
  {
    id: "kube-status.failed-test-retried",
    file: KUBE_STATUS,
    description: "a failed JSON Patch test (422) on the removal or the id stamp is read as unavailable, not superseded",
    breaks: "a request replaced during dispatch makes the controller retry the old removal (or stamp) forever",
    find: `case "invalid":\n      return { kind: "superseded" };`,
    replace: `case "invalid":\n      return { kind: "unavailable", detail: reply.detail };`,
  },
  {
    id: "kube-status.record-404-unavailable",
    file: KUBE_STATUS,
    description: "NotFound on the outcome write is read as unavailable, not gone",
    breaks: "a request of a deleted Container is retried forever (I2)",
    find: `case "not-found":\n      return { kind: "gone" };\n    case "invalid":\n      return { kind: "rejected", detail: reply.detail };`,
    replace: `case "not-found":\n      return { kind: "unavailable", detail: reply.detail };\n    case "invalid":\n      return { kind: "rejected", detail: reply.detail };`,
  },
  {
    id: "docker-status.304-body-read-as-refusal",
    file: DOCKER_STATUS,
    description: "dockerode's 304 rejection is mapped to a refusal before core's table sees it",
    breaks: "start on a running container records Failed",
    find: `if (failure.kind === "unreachable") return failure;\n  return classifyDockerAnswer(failure);`,
    replace: `if (failure.kind === "unreachable") return failure;\n  if (failure.statusCode === 304) return { kind: "refused", message: "not modified" };\n  return classifyDockerAnswer(failure);`,
  },
];
