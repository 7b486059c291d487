/**
 * Docker's restart policies and its restart manager (moby `restartmanager`, 20.10): whether a process
 * that exited on its own is started again, and after what backoff.
 */
import { DockerMessages } from "./docker-messages.ts";

/** The policy names the API accepts; "" is the default and means the same as "no". */
export const RestartPolicyName = {
  unset: "",
  no: "no",
  always: "always",
  unlessStopped: "unless-stopped",
  onFailure: "on-failure",
} as const;
export type RestartPolicyName = (typeof RestartPolicyName)[keyof typeof RestartPolicyName];

/** HostConfig.RestartPolicy as the API carries it. */
export interface RestartPolicy {
  Name: RestartPolicyName;
  MaximumRetryCount: number;
}

/** The first backoff, in ms; each quick failure doubles it. */
export const RESTART_BACKOFF_MS_MIN = 100;
/** The backoff never grows past this, in ms. */
export const RESTART_BACKOFF_MS_MAX = 60_000;
/** A process that ran at least this long resets the backoff, in ms. */
export const RESTART_RESET_RAN_MS_MIN = 10_000;

/** Validates a policy from a create request; returns dockerd's 400 message, or undefined when valid. */
export function restartPolicyProblem(policy: { Name?: string; MaximumRetryCount?: number }): string | undefined {
  const name = policy.Name ?? "";
  const retries = policy.MaximumRetryCount ?? 0;
  switch (name) {
    case RestartPolicyName.always:
    case RestartPolicyName.unlessStopped:
    case RestartPolicyName.no:
      return retries !== 0 ? DockerMessages.retryCountNotAllowed(name) : undefined;
    case RestartPolicyName.onFailure:
      return retries < 0 ? DockerMessages.retryCountNegative() : undefined;
    case RestartPolicyName.unset:
      return undefined;
    default:
      return DockerMessages.invalidRestartPolicy(name);
  }
}

/** The restart manager's memory for one container, fresh at every explicit start. */
export interface RestartMemory {
  /** The backoff used last, in ms; 0 before the first automatic restart. */
  backoffMs: number;
  /** Automatic restarts since the last explicit start (what on-failure's maximum counts). */
  restarts: number;
  /** Set by stop and kill: no automatic restart until the next explicit start. */
  canceled: boolean;
}

/** The restart manager's state at an explicit start. */
export function freshRestartMemory(): RestartMemory {
  return { backoffMs: 0, restarts: 0, canceled: false };
}

/** The restart manager's verdict on one exit. */
export type RestartDecision = { kind: "restart"; afterMs: number } | { kind: "stay-stopped" };

/**
 * Decides whether dockerd restarts a process that exited with `exitCode` after running `ranMs`, and
 * updates `memory` the way moby's `ShouldRestart` does (the backoff grows even when it says no).
 */
export function decideRestart(policy: RestartPolicy, memory: RestartMemory, exitCode: number, ranMs: number): RestartDecision {
  if (memory.canceled) return { kind: "stay-stopped" };
  if (ranMs >= RESTART_RESET_RAN_MS_MIN) memory.backoffMs = 0;
  memory.backoffMs =
    memory.backoffMs === 0 ? RESTART_BACKOFF_MS_MIN : Math.min(memory.backoffMs * 2, RESTART_BACKOFF_MS_MAX);
  let restart: boolean;
  switch (policy.Name) {
    case RestartPolicyName.always:
    case RestartPolicyName.unlessStopped: // differs from always only across a daemon restart
      restart = true;
      break;
    case RestartPolicyName.onFailure:
      restart =
        exitCode !== 0 && (policy.MaximumRetryCount === 0 || memory.restarts < policy.MaximumRetryCount);
      break;
    case RestartPolicyName.no:
    case RestartPolicyName.unset:
      restart = false;
      break;
  }
  if (!restart) return { kind: "stay-stopped" };
  memory.restarts++;
  return { kind: "restart", afterMs: memory.backoffMs };
}
