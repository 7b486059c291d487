/**
 * Evaluates a ValidatingAdmissionPolicy the way kube-apiserver does, with the @bufbuild/cel library:
 * variables in order, then validations in order, the first failing one giving the message
 * (messageExpression unless it errs or yields an empty, blank or multi-line string). Used by the
 * agreement tests, since the project's real apiserver (v1.20) predates ValidatingAdmissionPolicy.
 *
 * Does not model: paramKind/params, namespaceObject, authorizer, auditAnnotations, matchConditions,
 * binding matchResources, CEL cost limits, or the type checking the apiserver does when the policy is
 * created (typos in field names surface here as evaluation errors, not at creation).
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { V1ValidatingAdmissionPolicy } from "@kubernetes/client-node";

/** The request as the policy's CEL sees it. `object`/`oldObject` are null where the apiserver passes null. */
export interface PolicyRequest {
  operation: string;
  username: string;
  object: Record<string, unknown> | null;
  oldObject: Record<string, unknown> | null;
}

export type PolicyVerdict =
  | { kind: "not-matched" }
  | { kind: "allowed" }
  | { kind: "denied"; validationIndex: number; message: string; fromMessageExpression: boolean }
  /** An expression failed to evaluate: the apiserver would apply failurePolicy. A policy bug. */
  | { kind: "error"; where: string; detail: string };

type Planned = (bindings: Record<string, CelInput>) => CelResult;

export function compilePolicy(policy: V1ValidatingAdmissionPolicy): (request: PolicyRequest) => PolicyVerdict {
  const env = celEnv({ funcs: strings });
  const compile = (expression: string): Planned => {
    const run = plan(env, parse(expression));
    return (bindings) => run(bindings);
  };
  const spec = policy.spec ?? {};
  const operations = new Set((spec.matchConstraints?.resourceRules ?? []).flatMap((rule) => rule.operations ?? []));
  const variables = (spec.variables ?? []).map((v) => ({ name: v.name, run: compile(v.expression) }));
  const validations = (spec.validations ?? []).map((v) => ({
    run: compile(v.expression),
    message: v.message ?? `failed expression: ${v.expression}`,
    messageExpression: v.messageExpression === undefined ? undefined : compile(v.messageExpression),
  }));

  return (request) => {
    if (!operations.has(request.operation) && !operations.has("*")) return { kind: "not-matched" };
    const bindings: Record<string, CelInput> = {
      object: request.object as CelInput,
      oldObject: request.oldObject as CelInput,
      request: { operation: request.operation, userInfo: { username: request.username } } as unknown as CelInput,
    };
    const values: Record<string, unknown> = {};
    bindings.variables = values as CelInput;
    for (const variable of variables) {
      const value = variable.run(bindings);
      if (isCelError(value)) return { kind: "error", where: `variables.${variable.name}`, detail: value.message };
      values[variable.name] = value;
    }
    for (const [index, validation] of validations.entries()) {
      const result = validation.run(bindings);
      if (isCelError(result)) return { kind: "error", where: `validations[${index}]`, detail: result.message };
      if (result === true) continue;
      if (result !== false) return { kind: "error", where: `validations[${index}]`, detail: `not a bool: ${String(result)}` };
      const text = validation.messageExpression?.(bindings);
      const usable = typeof text === "string" && text.trim() !== "" && !/[\r\n]/.test(text);
      return usable
        ? { kind: "denied", validationIndex: index, message: text, fromMessageExpression: true }
        : { kind: "denied", validationIndex: index, message: validation.message, fromMessageExpression: false };
    }
    return { kind: "allowed" };
  };
}
