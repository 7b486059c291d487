/**
 * The admission rules of core restated as a ValidatingAdmissionPolicy (CEL, admissionregistration.k8s.io/v1,
 * Kubernetes ≥ 1.30), for clusters that can enforce them in-process without the webhook. Built from
 * core's names and messages; cel-agreement.test.ts checks it against core's `admitContainer` on
 * generated requests, and deploy/admission-policy/ holds the rendered YAML.
 */
import type { V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding } from "@kubernetes/client-node";
import { ACTION_NAMES, ANNOTATION_ACTION, ANNOTATION_ACTION_ID, CONTAINER_ID_PATTERN, DenialRule, GROUP, PLURAL, VERSION } from "@container-actions/core";

export const POLICY_NAME = "container-actions-containers";
export const BINDING_NAME = "container-actions-containers";

/**
 * The request-id rule of core (`action/action-request.ts`, not exported there): 1–63 characters of
 * [A-Za-z0-9._-], alphanumeric at both ends. RE2 (CEL `matches`) reads it as JavaScript does.
 */
export const REQUEST_ID_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$";

export interface PolicyOptions {
  /** Users allowed to CREATE Containers; empty: anyone the apiserver authorizes (as in core). */
  engineIdentities: readonly string[];
}

/** One validation of the policy, with the core rule it restates and the phrase both messages share. */
export interface RuleValidation {
  rule: DenialRule;
  keyPhrase: string;
  expression: string;
  /** Used when messageExpression fails or yields an empty, blank or multi-line string. */
  message: string;
  messageExpression: string;
}

/** A CEL variable: `variables.<name>` in the expressions, evaluated in order. */
export interface PolicyVariable {
  name: string;
  expression: string;
}

const cel = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** `has` + `in` guard: the key may be absent, and so may the annotations map. */
function annotationVariables(prefix: string, key: string): PolicyVariable[] {
  const on = (o: string) => `${o} != null && has(${o}.metadata.annotations) && ${cel(key)} in ${o}.metadata.annotations`;
  const cap = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return [
    { name: `has${cap}`, expression: on("object") },
    { name: prefix, expression: `variables.has${cap} ? object.metadata.annotations[${cel(key)}] : ''` },
    {
      // Only a value this request writes is judged: a bad value already stored must not block
      // unrelated updates, above all the finalizer removal of a deleting object (E10).
      name: `${prefix}Changed`,
      expression: `variables.has${cap} && !(${on("oldObject")} && oldObject.metadata.annotations[${cel(key)}] == variables.${prefix})`,
    },
  ];
}

export function policyVariables(options: PolicyOptions): PolicyVariable[] {
  return [
    ...annotationVariables("action", ANNOTATION_ACTION),
    ...annotationVariables("requestId", ANNOTATION_ACTION_ID),
    { name: "engineIdentities", expression: JSON.stringify([...options.engineIdentities]) },
  ];
}

/** In core's order: the first failing validation gives the message, as core's first failing rule does. */
export function policyValidations(): RuleValidation[] {
  const actions = ACTION_NAMES.join(", ");
  return [
    {
      rule: DenialRule.actionOnCreate,
      keyPhrase: "not allowed on create",
      expression: "request.operation != 'CREATE' || !variables.hasAction",
      message: `${ANNOTATION_ACTION} annotation is not allowed on create`,
      messageExpression: `${cel(`${ANNOTATION_ACTION} annotation is not allowed on create (value "`)} + variables.action + '")'`,
    },
    {
      rule: DenialRule.notEngine,
      keyPhrase: "may not create them",
      expression: "request.operation != 'CREATE' || size(variables.engineIdentities) == 0 || request.userInfo.username in variables.engineIdentities",
      message: "Containers are mirrors created by the engine controller; this user may not create them",
      messageExpression: `'Containers are mirrors created by the engine controller; user "' + request.userInfo.username + '" may not create them'`,
    },
    {
      rule: DenialRule.invalidAction,
      keyPhrase: `invalid ${ANNOTATION_ACTION} annotation`,
      expression: `request.operation != 'UPDATE' || !variables.actionChanged || variables.action in [${ACTION_NAMES.map(cel).join(", ")}]`,
      message: `invalid ${ANNOTATION_ACTION} annotation: must be one of ${actions}`,
      messageExpression: `${cel(`invalid ${ANNOTATION_ACTION} annotation "`)} + variables.action + ${cel(`": must be one of ${actions}`)}`,
    },
    {
      rule: DenialRule.invalidRequestId,
      keyPhrase: `invalid ${ANNOTATION_ACTION_ID} annotation`,
      expression: `request.operation != 'UPDATE' || !variables.requestIdChanged || variables.requestId.matches(${cel(REQUEST_ID_PATTERN)})`,
      message: `invalid ${ANNOTATION_ACTION_ID} annotation: must be 1-63 characters of [A-Za-z0-9._-], beginning and ending with a letter or digit`,
      messageExpression:
        `${cel(`invalid ${ANNOTATION_ACTION_ID} annotation "`)} + variables.requestId + ` +
        `${cel('": must be 1-63 characters of [A-Za-z0-9._-], beginning and ending with a letter or digit')}`,
    },
    {
      // Last in the list as in core: on CREATE, core checks the name after the two rules above.
      rule: DenialRule.notContainerId,
      keyPhrase: "is not a full 64-hex Docker container ID",
      expression: `request.operation != 'CREATE' || object.metadata.name.matches(${cel(CONTAINER_ID_PATTERN)})`,
      message: "Container name is not a full 64-hex Docker container ID; Containers are named by their container's ID",
      messageExpression: `'Container name "' + object.metadata.name + ${cel(`" is not a full 64-hex Docker container ID; Containers are named by their container's ID`)}`,
    },
  ];
}

/** The operations the policy matches; every other operation is never sent to it (core allows them). */
export const POLICY_OPERATIONS = ["CREATE", "UPDATE"] as const;

export function admissionPolicy(options: PolicyOptions): V1ValidatingAdmissionPolicy {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: POLICY_NAME, labels: { "app.kubernetes.io/name": "container-actions" } },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        matchPolicy: "Equivalent",
        // `containers` only: status writes (containers/status) are not judged, as with the webhook.
        resourceRules: [{ apiGroups: [GROUP], apiVersions: [VERSION], resources: [PLURAL], operations: [...POLICY_OPERATIONS] }],
      },
      variables: policyVariables(options),
      validations: policyValidations().map(({ expression, message, messageExpression }) => ({
        expression,
        message,
        messageExpression,
        reason: "Forbidden",
      })),
    },
  };
}

export function admissionPolicyBinding(): V1ValidatingAdmissionPolicyBinding {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: BINDING_NAME, labels: { "app.kubernetes.io/name": "container-actions" } },
    spec: { policyName: POLICY_NAME, validationActions: ["Deny"] },
  };
}
