/**
 * Differential test: the CEL policy (evaluated with @bufbuild/cel) and core's `admitContainer` must give
 * the same verdict on every generated admission request, the same denying rule, and messages that
 * share the rule's key phrase (equal messages whenever Kubernetes would use the messageExpression).
 * Mutants of the policy (fixtures below) prove the property notices a disagreement.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ACTION_NAMES, ANNOTATION_ACTION, ANNOTATION_ACTION_ID, admitContainer, type AdmissionInput } from "@container-actions/core";
import type { V1ValidatingAdmissionPolicy } from "@kubernetes/client-node";
import { admissionPolicy, policyValidations, type PolicyOptions } from "./admission-policy.ts";
import { compilePolicy, type PolicyRequest } from "./policy-evaluator.ts";

const ENGINE = "system:serviceaccount:container-actions:controller";
const RUNS = 3000;
// 3 000 CEL evaluations take about 2.5 s alone; a loaded 2-core machine needs more than bun's default 5 s.
const TIMEOUT_MS = 60_000;

// ---- generators -------------------------------------------------------------------------------

const nearMissActions = ["Start", " stop", "stop ", "STOP", "", " ", "restart\n", "re-start", "pause\u0000", "ѕtop", "unpause2", "startstop", "stop,start", "null", "\u00a0pause"];
const actionValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...nearMissActions) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }).filter(isWellFormed) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 400 }) },
);

/** No lone surrogates: the apiserver's JSON never carries them. */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

const idChar = fc.constantFrom(..."abcXYZ019._-");
const requestIdValue = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/) },
  { weight: 1, arbitrary: fc.constantFrom("0f8a6c1e-2b7d-4c1a-9e3f-5d6b7a8c9d0e", "01HZX3K9Q7", "a", "") },
  // Around the 63-character bound.
  { weight: 2, arbitrary: fc.integer({ min: 60, max: 66 }).map((n) => `a${"b".repeat(n - 2)}c`) },
  { weight: 2, arbitrary: fc.string({ unit: idChar, minLength: 1, maxLength: 6 }) }, // ends or starts with . _ -
  { weight: 1, arbitrary: fc.constantFrom("has space", "ünïcode", "a/b", "a\nb", "-lead", "trail.", "_x_", "x\u200by") },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
);

type Annotations = Record<string, string>;

/** Annotation maps: the action and the request id each present or absent, plus unrelated keys. */
const annotations: fc.Arbitrary<Annotations | undefined> = fc.option(
  fc
    .record(
      { action: fc.option(actionValue, { nil: undefined }), id: fc.option(requestIdValue, { nil: undefined }), other: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }) },
      { requiredKeys: [] },
    )
    .map(({ action, id, other }) => ({
      ...(action !== undefined ? { [ANNOTATION_ACTION]: action } : {}),
      ...(id !== undefined ? { [ANNOTATION_ACTION_ID]: id } : {}),
      ...(other !== undefined ? { "example.com/other": other } : {}),
    })),
  { nil: undefined },
);

/** An UPDATE's old annotations: often the same values (an untouched stored value, E10), else independent. */
const oldAnnotationsFor = (now: Annotations | undefined): fc.Arbitrary<Annotations | undefined> =>
  fc.oneof(
    fc.constant(now),
    fc.constant(undefined),
    annotations,
    // Same action, different id, or the reverse.
    annotations.map((other) => ({ ...(now ?? {}), ...(other ?? {}) })),
  );

const FULL_ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";
/** Container names: mostly full IDs; Docker names, short IDs and near misses around the 64-hex rule. */
const nameValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant(FULL_ID) },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9a-f]{64}$/) },
  { weight: 2, arbitrary: fc.constantFrom("demo-worker", FULL_ID.slice(0, 12), FULL_ID.toUpperCase(), `${FULL_ID}0`, FULL_ID.slice(1), `${FULL_ID.slice(0, 63)}g`, "web.1") },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{60,68}$/) },
);

const metadataObject = (a: Annotations | undefined, terminating: boolean, name = FULL_ID) => ({
  metadata: {
    name,
    namespace: "default",
    ...(a !== undefined ? { annotations: a } : {}),
    ...(terminating ? { deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["engine.rancherdesktop.io/mirror"] } : {}),
  },
});

interface Case {
  options: PolicyOptions;
  request: PolicyRequest;
  input: AdmissionInput;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    operation: fc.constantFrom("CREATE", "UPDATE", "UPDATE", "DELETE", "CONNECT") as fc.Arbitrary<AdmissionInput["operation"]>,
    username: fc.constantFrom("alice", "", ENGINE, "system:serviceaccount:other:sa", "kube:admin", "ünïcode-user"),
    identities: fc.constantFrom<string[]>([], [ENGINE], [ENGINE, "kube:admin"]),
    now: annotations,
    terminating: fc.boolean(),
    name: nameValue,
  })
  .chain((c) => (c.operation === "UPDATE" ? oldAnnotationsFor(c.now) : fc.constant(undefined)).map((old) => ({ ...c, old })))
  .map(({ operation, username, identities, now, old, terminating, name }) => {
    const object = operation === "DELETE" ? null : metadataObject(now, terminating && operation === "UPDATE", name);
    const oldObject = operation === "UPDATE" || operation === "DELETE" ? metadataObject(old, terminating, name) : null;
    const input: AdmissionInput = { operation, username, ...(object ? { object } : {}), ...(oldObject ? { oldObject } : {}) };
    return { options: { engineIdentities: identities }, request: { operation, username, object, oldObject }, input };
  });

// ---- the comparison ---------------------------------------------------------------------------

/** Null when policy and core agree on `c`, else what differs. */
function disagreement(policyFor: (o: PolicyOptions) => V1ValidatingAdmissionPolicy, c: Case): string | null {
  const verdict = admitContainer(c.input, c.options);
  const cel = evaluators(policyFor, c.options)(c.request);
  if (cel.kind === "error") return `CEL error in ${cel.where}: ${cel.detail}`;
  const celAllowed = cel.kind !== "denied";
  if (celAllowed !== verdict.allowed) return `core allowed=${verdict.allowed}, CEL ${cel.kind}`;
  if (verdict.allowed || cel.kind !== "denied") return null;
  const rule = policyValidations()[cel.validationIndex];
  if (rule?.rule !== verdict.rule) return `core rule ${verdict.rule}, CEL validation ${cel.validationIndex} (${rule?.rule})`;
  if (!verdict.reason.includes(rule.keyPhrase) || !cel.message.includes(rule.keyPhrase)) return `key phrase "${rule.keyPhrase}" missing`;
  if (cel.fromMessageExpression && cel.message !== verdict.reason) return `messages differ: core ${JSON.stringify(verdict.reason)} CEL ${JSON.stringify(cel.message)}`;
  return null;
}

const cache = new Map<unknown, Map<string, ReturnType<typeof compilePolicy>>>();
function evaluators(policyFor: (o: PolicyOptions) => V1ValidatingAdmissionPolicy, options: PolicyOptions) {
  const perPolicy = cache.get(policyFor) ?? new Map<string, ReturnType<typeof compilePolicy>>();
  cache.set(policyFor, perPolicy);
  const key = options.engineIdentities.join("\n");
  const found = perPolicy.get(key);
  if (found !== undefined) return found;
  const compiled = compilePolicy(policyFor(options));
  perPolicy.set(key, compiled);
  return compiled;
}

// ---- mutants: each must be caught ------------------------------------------------------------

function mutate(edit: (p: V1ValidatingAdmissionPolicy) => void): (o: PolicyOptions) => V1ValidatingAdmissionPolicy {
  return (options) => {
    const policy = structuredClone(admissionPolicy(options));
    edit(policy);
    return policy;
  };
}
const editValidation = (index: number, from: string, to: string) =>
  mutate((p) => {
    const v = p.spec?.validations?.[index];
    if (v === undefined || !v.expression.includes(from)) throw new Error(`mutant does not apply: ${from}`);
    v.expression = v.expression.replace(from, to);
  });
const editVariable = (name: string, from: string, to: string) =>
  mutate((p) => {
    const v = p.spec?.variables?.find((x) => x.name === name);
    if (v === undefined || !v.expression.includes(from)) throw new Error(`mutant does not apply: ${from}`);
    v.expression = v.expression.replace(from, to);
  });

const MUTANTS: [string, (o: PolicyOptions) => V1ValidatingAdmissionPolicy][] = [
  ["'restart' left out of the enum", editValidation(2, ", 'restart'", "")],
  ["stored values judged again (no E10 guard)", editVariable("actionChanged", "variables.hasAction && !(", "variables.hasAction && true || !(")],
  ["request id length unbounded", editValidation(3, "{0,61}", "*")],
  ["create rule on UPDATE too", editValidation(0, "request.operation != 'CREATE' || ", "")],
  ["engine identity not checked", editValidation(1, "request.userInfo.username in variables.engineIdentities", "true")],
  ["action rule order swapped with request id", mutate((p) => p.spec?.validations?.reverse())],
  ["container name not checked", editValidation(4, "object.metadata.name.matches", "true || object.metadata.name.matches")],
  ["name pattern unanchored", editValidation(4, "^[0-9a-f]{64}$", "[0-9a-f]{64}")],
];

// ---- tests ------------------------------------------------------------------------------------

describe(`CEL policy agrees with core admission (fast-check seed ${fc.readConfigureGlobal().seed})`, () => {
  test("same verdict, same rule, same key phrase on generated requests", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const problem = disagreement(admissionPolicy, c);
        if (problem !== null) throw new Error(problem);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  test("named examples: create, near misses, E10, request ids", () => {
    const obj = (a?: Annotations, terminating = false) => metadataObject(a, terminating);
    interface Example {
      operation: "CREATE" | "UPDATE";
      now: Annotations;
      old?: Annotations;
      terminating?: boolean;
    }
    const examples: Example[] = [
      { operation: "CREATE", now: { [ANNOTATION_ACTION]: "start" } },
      { operation: "CREATE", now: {} },
      ...["Start", " stop", "", "restart\n", "ѕtop"].map((v): Example => ({ operation: "UPDATE", now: { [ANNOTATION_ACTION]: v }, old: {} })),
      { operation: "UPDATE", now: { [ANNOTATION_ACTION]: "bogus" }, old: { [ANNOTATION_ACTION]: "bogus" }, terminating: true },
      { operation: "UPDATE", now: {}, old: { [ANNOTATION_ACTION]: "bogus" }, terminating: true },
      { operation: "UPDATE", now: { [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "a".repeat(63) }, old: {} },
      { operation: "UPDATE", now: { [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "a".repeat(64) }, old: {} },
    ];
    const cases: Case[] = examples.map(({ operation, now, old, terminating = false }) => {
      const object = obj(now, terminating);
      const oldObject = operation === "UPDATE" ? obj(old, terminating) : null;
      return {
        options: { engineIdentities: [] },
        request: { operation, username: "alice", object, oldObject },
        input: { operation, username: "alice", object, ...(oldObject ? { oldObject } : {}) },
      };
    });
    for (const c of cases) expect(disagreement(admissionPolicy, c)).toBeNull();
  });

  for (const [name, mutant] of MUTANTS) {
    test(`catches a mutant: ${name}`, () => {
      const outcome = fc.check(
        fc.property(caseArbitrary, (c) => disagreement(mutant, c) === null),
        { numRuns: RUNS },
      );
      expect(outcome.failed).toBe(true);
    }, TIMEOUT_MS);
  }
});
