import { describe, expect, test } from "bun:test";
import { labelSelectorObject, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.ts";

const sel = (text: string) => {
  const r = parseLabelSelector(text);
  if (r.kind !== "ok") throw new Error(r.message);
  return r.selector;
};

describe("label selectors", () => {
  test("every operator matches as apimachinery's", () => {
    const labels = { app: "web", tier: "1" };
    expect(matchesLabels(sel(""), labels)).toBe(true);
    expect(matchesLabels(sel("app=web"), labels)).toBe(true);
    expect(matchesLabels(sel("app==db"), labels)).toBe(false);
    expect(matchesLabels(sel("app!=db,tier"), labels)).toBe(true);
    expect(matchesLabels(sel("!missing"), labels)).toBe(true);
    expect(matchesLabels(sel("app in (db, web)"), labels)).toBe(true);
    expect(matchesLabels(sel("app notin (web)"), labels)).toBe(false);
    expect(matchesLabels(sel("missing notin (web)"), labels)).toBe(true);
    expect(matchesLabels(sel("tier>0,tier<2"), labels)).toBe(true);
  });

  test("parse errors use the apiserver's words", () => {
    const message = (t: string) => {
      const r = parseLabelSelector(t);
      return r.kind === "invalid" ? r.message : "ok";
    };
    expect(message("a===")).toBe("unable to parse requirement: found '=', expected: identifier");
    expect(message("a b")).toBe("unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'");
    expect(message("a=b,")).toBe("found '', expected: identifier after ','");
    expect(message("a in b")).toBe("unable to parse requirement: found 'b' expected: '('");
    expect(message("a>x")).toBe("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
    expect(message("a b=c")).toBe("unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'");
    expect(message("a=b c")).toBe("found 'c', expected: ',' or 'end of string'");
    expect(message("-a")).toStartWith('unable to parse requirement: invalid label key "-a": name part must consist of alphanumeric characters');
  });

  test("LabelSelector objects (matchLabels, matchExpressions)", () => {
    const reqs = labelSelectorObject({ matchLabels: { a: "1" }, matchExpressions: [{ key: "b", operator: "NotIn", values: ["x"] }, { key: "c", operator: "Exists" }] });
    expect(matchesLabels(reqs, { a: "1", c: "" })).toBe(true);
    expect(matchesLabels(reqs, { a: "1", b: "x", c: "" })).toBe(false);
    expect(labelSelectorObject(undefined)).toEqual([]);
  });
});

describe("field selectors", () => {
  test("only the resource's field labels; = == and !=", () => {
    const fields = ["metadata.name", "metadata.namespace"];
    const ok = parseFieldSelector("metadata.name=x,metadata.namespace!=kube-system", fields);
    expect(ok.kind === "ok" && matchesFields(ok.selector, { metadata: { name: "x", namespace: "default" } })).toBe(true);
    expect(parseFieldSelector("spec.x=1", fields)).toEqual({ kind: "invalid", message: "field label not supported: spec.x" });
  });
});
