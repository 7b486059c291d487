/**
 * What kube-apiserver's strict decoders (fieldValidation Strict or Warn, 1.25+) report about a request
 * body itself, before any schema applies. JSON.parse and the YAML parser keep the last of repeated keys
 * silently, as the non-strict Go decoders do; these scans only report, in the decoders' words and order:
 * - a JSON body (create, update, merge patch): `duplicate field "spec.ports[0].hostPort"` (sigs.k8s.io/json);
 * - a JSON Patch: `json patch unknown field "[0].foo"` and `json patch duplicate field "[1].path"`
 *   (apiserver handlers/patch.go decodes the operations strictly into {op, path, from, value});
 * - an apply's YAML: `line 10: key "a" already set in map` (go-yaml through sigs.k8s.io/yaml).
 * Source: kubernetes test/integration/apiserver/field_validation_test.go, which pins these texts.
 */
import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { goQuote } from "./field-errors.ts";

/** Calls `onKey` for every object key of valid JSON `text`, in document order, with its parent's path. */
function scanKeys(text: string, onKey: (parent: string, key: string, repeated: boolean) => void): void {
  let i = 0;
  const space = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      const seen = new Set<string>();
      for (;;) {
        space();
        const key = string();
        onKey(path, key, seen.has(key));
        seen.add(key);
        space();
        i++; // ':'
        value(path === "" ? key : `${path}.${key}`);
        space();
        if (text[i++] === "}") return;
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        space();
        if (text[i++] === "]") return;
      }
    }
    if (c === '"') return void string();
    while (i < text.length && !",}] \t\n\r".includes(text[i] as string)) i++;
  };
  value("");
}

/** `duplicate field "a.b"` for every repeated key of a JSON body (valid JSON), in document order. */
export function duplicateJsonFields(text: string): string[] {
  const errors: string[] = [];
  scanKeys(text, (parent, key, repeated) => {
    if (repeated) errors.push(`duplicate field ${goQuote(parent === "" ? key : `${parent}.${key}`)}`);
  });
  return errors;
}

const PATCH_OPERATION_FIELDS = new Set(["op", "path", "from", "value"]);

/**
 * The strict errors of a JSON Patch's own structure: keys of an operation other than op, path, from and
 * value (reported on every occurrence, never as duplicates: a typed decoder only tracks known fields),
 * and repeated keys anywhere.
 */
export function jsonPatchStrictErrors(text: string): string[] {
  const errors: string[] = [];
  scanKeys(text, (parent, key, repeated) => {
    const path = parent === "" ? key : `${parent}.${key}`;
    if (/^\[\d+\]$/.test(parent) && !PATCH_OPERATION_FIELDS.has(key)) errors.push(`json patch unknown field ${goQuote(path)}`);
    else if (repeated) errors.push(`json patch duplicate field ${goQuote(path)}`);
  });
  return errors;
}

/** A map key as go-yaml's `%#v` prints it: strings quoted, other scalars bare. */
function printedKey(key: unknown): string {
  const value = isScalar(key) ? key.value : key;
  if (typeof value === "string") return goQuote(value);
  if (value === null || value === undefined) return "<nil>";
  return String(value);
}

/**
 * go-yaml's strict errors for repeated keys of a YAML (or JSON) document: `line N: key "k" already set in
 * map`. go-yaml decodes the value first and then finds the key taken, so a repeated key's nested errors
 * come before its own, and the line is its value's (1-based).
 */
export function duplicateYamlKeys(text: string): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: false, lineCounter: lines });
  const errors: string[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        walk(pair.value);
        const printed = printedKey(pair.key);
        if (seen.has(printed)) {
          const at = (pair.value as Node | null)?.range?.[0] ?? (pair.key as Node | null)?.range?.[0] ?? 0;
          errors.push(`line ${lines.linePos(at).line}: key ${printed} already set in map`);
        }
        seen.add(printed);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  return errors;
}
