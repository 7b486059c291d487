/**
 * The HTTP side of fieldValidation: the parameter's allowed values (anything else is the 422 of
 * apimachinery's ValidateFieldValidation), and the strict decoder's findings about the raw body, which
 * only this layer sees, handed to the store in the request context.
 */
import type { KubeStatus, RequestContext } from "../../cluster/index.ts";

const DIRECTIVES = ["", "Ignore", "Strict", "Warn"];

export function knownDirective(value: string | null): boolean {
  return value === null || DIRECTIVES.includes(value);
}

/** 422 for a `fieldValidation` value outside the four (apimachinery's ValidateFieldValidation; v1.20 ignores it). */
export function unsupportedDirective(kind: "CreateOptions" | "UpdateOptions" | "PatchOptions", value: string | null): KubeStatus {
  const body = `Unsupported value: ${JSON.stringify(value)}: supported values: ${DIRECTIVES.map((d) => JSON.stringify(d)).join(", ")}`;
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${kind}.meta.k8s.io "" is invalid: fieldValidation: ${body}`,
    reason: "Invalid",
    details: { group: "meta.k8s.io", kind, causes: [{ reason: "FieldValueNotSupported", message: body, field: "fieldValidation" }] },
    code: 422,
  };
}

/** The strict decoder's findings about a (valid JSON) body, unless fieldValidation=Ignore skips that decoder. */
export function noteStrictErrors(context: RequestContext, scan: (text: string) => string[], body: string): void {
  if (context.fieldValidation === "Ignore") return;
  const errors = scan(body);
  if (errors.length > 0) context.bodyStrictErrors = errors;
}
