/**
 * Label selectors (the `labelSelector` query syntax and the `LabelSelector` object webhooks use) and
 * field selectors, parsed and matched as apimachinery does.
 * Does not model: backslash escapes in field selectors.
 */
import { type Json, isJsonObject } from "./json.ts";
import { labelValueErrors, qualifiedNameErrors } from "./object-meta.ts";

export type LabelRequirement =
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!exists"; key: string }
  | { op: "gt" | "lt"; key: string; value: number };

export type ParsedSelector<T> = { kind: "ok"; selector: T } | { kind: "invalid"; message: string };

type Tok = "error" | "end" | "closePar" | "comma" | "not" | "doubleEquals" | "equals" | "gt" | "id" | "in" | "lt" | "notEquals" | "notin" | "openPar";

const STRING_TO_TOKEN: Record<string, Tok> = {
  ")": "closePar",
  ",": "comma",
  "!": "not",
  "==": "doubleEquals",
  "=": "equals",
  ">": "gt",
  in: "in",
  "<": "lt",
  "!=": "notEquals",
  notin: "notin",
  "(": "openPar",
};

const isSpecial = (ch: string) => "=!(),><".includes(ch);
const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";

/** apimachinery's label-selector lexer. */
function lex(input: string): Array<{ tok: Tok; lit: string }> {
  const out: Array<{ tok: Tok; lit: string }> = [];
  let i = 0;
  for (;;) {
    while (i < input.length && isSpace(input.charAt(i))) i++;
    if (i >= input.length) {
      out.push({ tok: "end", lit: "" });
      return out;
    }
    if (isSpecial(input.charAt(i))) {
      let buffer = "";
      let last: { tok: Tok; lit: string } | undefined;
      while (i < input.length && isSpecial(input.charAt(i))) {
        buffer += input.charAt(i);
        const t = STRING_TO_TOKEN[buffer];
        if (t !== undefined) last = { tok: t, lit: buffer };
        else if (last !== undefined) break;
        i++;
      }
      out.push(last ?? { tok: "error", lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = "";
    while (i < input.length && !isSpecial(input.charAt(i)) && !isSpace(input.charAt(i))) buffer += input.charAt(i++);
    out.push({ tok: STRING_TO_TOKEN[buffer] ?? "id", lit: buffer });
  }
}

class SelectorError extends Error {}

/**
 * Parses `a=b,c!=d,e in (x,y),!f,g>3` exactly as apimachinery's labels.Parse does (same errors);
 * an empty string selects everything.
 */
export function parseLabelSelector(text: string): ParsedSelector<LabelRequirement[]> {
  const items = lex(text);
  let pos = 0;
  const asValue = (t: { tok: Tok; lit: string }) => (t.tok === "in" || t.tok === "notin" ? { tok: "id" as Tok, lit: t.lit } : t);
  const look = (values: boolean) => {
    const t = items[pos] ?? { tok: "end" as Tok, lit: "" };
    return values ? asValue(t) : t;
  };
  const take = (values: boolean) => {
    const t = look(values);
    pos++;
    return t;
  };
  const checkKey = (key: string) => {
    const errs = qualifiedNameErrors(key);
    if (errs.length > 0) throw new SelectorError(`invalid label key ${JSON.stringify(key)}: ${errs.join("; ")}`);
  };
  const checkValue = (key: string, v: string) => {
    const errs = labelValueErrors(v);
    if (errs.length > 0) throw new SelectorError(`invalid label value: ${JSON.stringify(v)}: at key: ${JSON.stringify(key)}: ${errs.join("; ")}`);
  };
  const parseValues = (): string[] => {
    const open = take(true);
    if (open.tok !== "openPar") throw new SelectorError(`found '${open.lit}' expected: '('`);
    const first = look(true);
    if (first.tok === "closePar") {
      take(true);
      return [""];
    }
    if (first.tok !== "id" && first.tok !== "comma") throw new SelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const t = take(true);
      if (t.tok === "id") {
        values.add(t.lit);
        const next = look(true);
        if (next.tok === "comma") continue;
        if (next.tok === "closePar") break;
        throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (t.tok === "comma") {
        if (values.size === 0) values.add("");
        const next = look(true);
        if (next.tok === "closePar") {
          values.add("");
          break;
        }
        if (next.tok === "comma") {
          take(true);
          values.add("");
        }
      } else {
        throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    if (take(true).tok !== "closePar") throw new SelectorError(`found '${first.lit}', expected: ')'`);
    return [...values].sort();
  };
  const parseRequirement = (): LabelRequirement => {
    let t = take(true);
    let negate = false;
    if (t.tok === "not") {
      negate = true;
      t = take(true);
    }
    if (t.tok !== "id") throw new SelectorError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    checkKey(key);
    if (negate) return { op: "!exists", key };
    const next = look(true).tok;
    if (next === "end" || next === "comma") return { op: "exists", key };
    const op = take(false);
    let values: string[];
    switch (op.tok) {
      case "in":
      case "notin":
        values = parseValues();
        break;
      case "equals":
      case "doubleEquals":
      case "notEquals":
      case "gt":
      case "lt": {
        const v = look(true);
        if (v.tok === "end" || v.tok === "comma") values = [""];
        else {
          const id = take(true);
          if (id.tok !== "id") throw new SelectorError(`found '${id.lit}', expected: identifier`);
          values = [id.lit];
        }
        break;
      }
      default:
        throw new SelectorError(`found '${op.lit}', expected: '=', '!=', '==', 'in', notin'`);
    }
    if (op.tok === "gt" || op.tok === "lt") {
      if (!/^[+-]?\d+$/.test(values[0] ?? "")) throw new SelectorError("for 'Gt', 'Lt' operators, the value must be an integer");
    }
    for (const v of values) checkValue(key, v);
    if (op.tok === "gt" || op.tok === "lt") return { op: op.tok, key, value: Number(values[0]) };
    return { op: op.tok === "notin" || op.tok === "notEquals" ? "notin" : "in", key, values };
  };
  const reqs: LabelRequirement[] = [];
  try {
    for (;;) {
      const t = look(true);
      if (t.tok === "end") break;
      if (t.tok !== "id" && t.tok !== "not") throw new SelectorError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(parseRequirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = take(true);
      if (after.tok === "end") break;
      if (after.tok !== "comma") throw new SelectorError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const again = look(true);
      if (again.tok !== "id" && again.tok !== "not") throw new SelectorError(`found '${again.lit}', expected: identifier after ','`);
    }
  } catch (e) {
    if (e instanceof SelectorError) return { kind: "invalid", message: e.message };
    throw e;
  }
  return { kind: "ok", selector: reqs };
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(reqs: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "in":
        return has && r.values.includes(v as string);
      case "notin":
        return !has || !r.values.includes(v as string);
      case "gt":
        return has && /^-?\d+$/.test(v as string) && Number(v) > r.value;
      case "lt":
        return has && /^-?\d+$/.test(v as string) && Number(v) < r.value;
      default: {
        const never: never = r;
        return never;
      }
    }
  });
}

/** A `metav1.LabelSelector` object (matchLabels, matchExpressions) as requirements; absent selects all. */
export function labelSelectorObject(sel: Json | undefined): LabelRequirement[] {
  if (!isJsonObject(sel)) return [];
  const reqs: LabelRequirement[] = [];
  if (isJsonObject(sel.matchLabels)) {
    for (const [k, v] of Object.entries(sel.matchLabels)) reqs.push({ op: "in", key: k, values: [String(v)] });
  }
  if (Array.isArray(sel.matchExpressions)) {
    for (const e of sel.matchExpressions) {
      if (!isJsonObject(e) || typeof e.key !== "string") continue;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      switch (e.operator) {
        case "In":
          reqs.push({ op: "in", key: e.key, values });
          break;
        case "NotIn":
          reqs.push({ op: "notin", key: e.key, values });
          break;
        case "Exists":
          reqs.push({ op: "exists", key: e.key });
          break;
        case "DoesNotExist":
          reqs.push({ op: "!exists", key: e.key });
          break;
      }
    }
  }
  return reqs;
}

export interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

/** Parses `metadata.name=x,metadata.namespace!=y`, allowing only the resource's supported field labels. */
export function parseFieldSelector(text: string, supported: readonly string[]): ParsedSelector<FieldRequirement[]> {
  const reqs: FieldRequirement[] = [];
  if (text.trim() === "") return { kind: "ok", selector: reqs };
  for (const part of text.split(",")) {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part.trim());
    if (m === null) return { kind: "invalid", message: `invalid selector: '${text}'; can't understand '${part}'` };
    const field = (m[1] ?? "").trim();
    if (!supported.includes(field)) return { kind: "invalid", message: `field label not supported: ${field}` };
    reqs.push({ field, value: (m[3] ?? "").trim(), negate: m[2] === "!=" });
  }
  return { kind: "ok", selector: reqs };
}

/** Reads a dotted field path (`metadata.name`, `status.phase`) of an object as a string. */
export function fieldValue(obj: Json, path: string): string {
  let cur: Json | undefined = obj;
  for (const p of path.split(".")) cur = isJsonObject(cur) ? cur[p] : undefined;
  return typeof cur === "string" ? cur : cur === undefined || cur === null ? "" : String(cur);
}

export function matchesFields(reqs: readonly FieldRequirement[], obj: Json): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) !== r.negate);
}
