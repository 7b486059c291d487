/**
 * Field errors as apimachinery's `field.Error` prints them (`Invalid value: "x": detail`), and their
 * aggregate message (one error bare, several in brackets, duplicates once).
 */

export const FieldErrorType = {
  required: "FieldValueRequired",
  notSupported: "FieldValueNotSupported",
  invalid: "FieldValueInvalid",
  forbidden: "FieldValueForbidden",
  tooLong: "FieldValueTooLong",
  duplicate: "FieldValueDuplicate",
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

/** One validation error: the field path, its type and the printed body (without the path). */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  body: string;
}

/** Go's `%q` for a string: JSON-like quoting, with Go's escapes for control characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A bad value as `field.Error` prints it: strings quoted, numbers and booleans bare. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Go's `%v` (and `%+v`) of a decoded JSON value: `map[k:v ...]` with sorted keys, `[a b]`, `<nil>`. */
export function goSprint(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goSprint).join(" ")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `map[${Object.keys(record)
      .sort()
      .map((k) => `${k}:${goSprint(record[k])}`)
      .join(" ")}]`;
  }
  return String(value);
}

export function required(field: string, detail = ""): FieldError {
  return { type: FieldErrorType.required, field, body: detail === "" ? "Required value" : `Required value: ${detail}` };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: FieldErrorType.invalid, field, body: `Invalid value: ${goValue(value)}${detail === "" ? "" : `: ${detail}`}` };
}

/** An invalid value printed verbatim (for Go values whose `%#v` form we reproduce by hand). */
export function invalidRaw(field: string, printed: string, detail: string): FieldError {
  return { type: FieldErrorType.invalid, field, body: `Invalid value: ${printed}: ${detail}` };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const values = supported.map((v) => goQuote(v)).join(", ");
  return { type: FieldErrorType.notSupported, field, body: `Unsupported value: ${goValue(value)}: supported values: ${values}` };
}

export function forbiddenField(field: string, detail: string): FieldError {
  return { type: FieldErrorType.forbidden, field, body: `Forbidden: ${detail}` };
}

/** v1.20's `field.TooLong`: `Too long: must have at most N bytes`. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: FieldErrorType.tooLong, field, body: `Too long: must have at most ${maxBytes} bytes` };
}

/** `field: body`, as `field.Error.Error()` prints it. */
export function fieldErrorMessage(e: FieldError): string {
  return e.field === "" ? e.body : `${e.field}: ${e.body}`;
}

/** The aggregate of a list: one message bare, several as `[a, b]`, each distinct message once. */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen: string[] = [];
  for (const e of errors) {
    const m = fieldErrorMessage(e);
    if (!seen.includes(m)) seen.push(m);
  }
  return seen.length === 1 ? (seen[0] as string) : `[${seen.join(", ")}]`;
}
