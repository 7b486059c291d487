/**
 * The CEL restatement of core's admission rules: the ValidatingAdmissionPolicy and its binding.
 * policy-evaluator.ts (@bufbuild/cel, a dev dependency) stays private to this folder's tests.
 * Imports core names and client-node types.
 */
export * from "./admission-policy.ts";
