/**
 * The admission rules for Container CREATE and UPDATE, as a pure function of the request. The webhook
 * serves them and the CEL policy in deploy/ restates them; a differential test keeps the two in step.
 */
import { actionProblem, requestIdProblem } from "../action/action-request.ts";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "../api/names.ts";
import { isContainerId } from "../api/container-id.ts";

/** The parts of an AdmissionReview request the rules read. */
export interface AdmissionInput {
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  /** The user the apiserver authenticated. */
  username?: string;
  object?: AdmittedObject;
  oldObject?: AdmittedObject;
}

export interface AdmittedObject {
  metadata?: { name?: string | null; annotations?: Record<string, string> | null; deletionTimestamp?: string | null } | null;
}

export interface AdmissionConfig {
  /**
   * Users allowed to CREATE Containers (the controller's identity, e.g.
   * `system:serviceaccount:container-actions:controller`). Empty: anyone the apiserver authorizes (E13).
   */
  engineIdentities: readonly string[];
}

/** The rule that denied a request: a stable label for metrics and logs. */
export const DenialRule = {
  actionOnCreate: "action-on-create",
  invalidAction: "invalid-action",
  invalidRequestId: "invalid-request-id",
  notEngine: "not-engine",
  notContainerId: "not-container-id",
} as const;
export type DenialRule = (typeof DenialRule)[keyof typeof DenialRule];

/** `reason` is the message a client sees; it names the annotation and the bad value. */
export type Verdict =
  | { allowed: true; warnings: string[] }
  | { allowed: false; rule: DenialRule; reason: string; warnings: string[] };

export function admitContainer(input: AdmissionInput, config: AdmissionConfig): Verdict {
  switch (input.operation) {
    case "CREATE":
      return admitCreate(input, config);
    case "UPDATE":
      return admitUpdate(input);
    default:
      return allow();
  }
}

function admitCreate(input: AdmissionInput, config: AdmissionConfig): Verdict {
  const annotations = input.object?.metadata?.annotations ?? {};
  // Review I1: a request on a hand-written object would steer Docker through whatever name it carries.
  if (ANNOTATION_ACTION in annotations) {
    return deny(DenialRule.actionOnCreate, `${ANNOTATION_ACTION} annotation is not allowed on create (value "${annotations[ANNOTATION_ACTION]}")`);
  }
  if (config.engineIdentities.length > 0 && !config.engineIdentities.includes(input.username ?? "")) {
    return deny(
      DenialRule.notEngine,
      `Containers are mirrors created by the engine controller; user "${input.username ?? ""}" may not create them`,
    );
  }
  // Docker resolves names and ID prefixes: a Container named `demo-worker` must not exist to be annotated,
  // whoever creates it, even with no engine identities configured (the controller's guard is the second line).
  const name = input.object?.metadata?.name ?? "";
  if (!isContainerId(name)) {
    return deny(DenialRule.notContainerId, `Container name "${name}" is not a full 64-hex Docker container ID; Containers are named by their container's ID`);
  }
  return allow();
}

function admitUpdate(input: AdmissionInput): Verdict {
  const now = input.object?.metadata?.annotations ?? {};
  const before = input.oldObject?.metadata?.annotations ?? {};
  // Only a value this update writes is judged. A bad value already stored (written while no webhook was
  // registered) must not block unrelated updates, above all the finalizer removal of a deleting object (E10).
  const action = now[ANNOTATION_ACTION];
  if (action !== undefined && action !== before[ANNOTATION_ACTION]) {
    const problem = actionProblem(action);
    if (problem !== null) return deny(DenialRule.invalidAction, problem);
  }
  const requestId = now[ANNOTATION_ACTION_ID];
  if (requestId !== undefined && requestId !== before[ANNOTATION_ACTION_ID]) {
    const problem = requestIdProblem(requestId);
    if (problem !== null) return deny(DenialRule.invalidRequestId, problem);
  }
  return allow();
}

function allow(): Verdict {
  return { allowed: true, warnings: [] };
}

function deny(rule: DenialRule, reason: string): Verdict {
  return { allowed: false, rule, reason, warnings: [] };
}
