/**
 * The original webhook's UPDATE rule, kept as a fixture: it judges the annotation an update leaves in
 * place, so a bad value stored while no webhook was registered blocks every later update of the object
 * — including the removal of its finalizer, which wedges a deletion (E10).
 */
import { actionProblem, ANNOTATION_ACTION, admitContainer, type AdmissionInput, type Verdict } from "@container-actions/core";
import { coreAdmission } from "../../world/world-models.ts";

export function naiveAdmission(input: AdmissionInput): Verdict {
  const value = input.object?.metadata?.annotations?.[ANNOTATION_ACTION];
  if (input.operation === "UPDATE" && value !== undefined) {
    const problem = actionProblem(value);
    if (problem !== null) return { allowed: false, rule: "invalid-action", reason: problem, warnings: [] };
  }
  return input.operation === "CREATE" ? coreAdmission(input) : admitContainer(input, { engineIdentities: [] });
}
