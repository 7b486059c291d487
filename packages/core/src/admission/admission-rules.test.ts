import { describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID } from "../api/index.ts";
import { admitContainer, type AdmissionInput, type AdmittedObject } from "./admission-rules.ts";

const open = { engineIdentities: [] };
const guarded = { engineIdentities: ["system:serviceaccount:container-actions:controller"] };

const ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899";

function obj(annotations: Record<string, string> = {}, deletionTimestamp?: string, name = ID): AdmittedObject {
  return { metadata: { name, annotations, ...(deletionTimestamp ? { deletionTimestamp } : {}) } };
}
const update = (before: AdmittedObject, after: AdmittedObject): AdmissionInput => ({
  operation: "UPDATE",
  oldObject: before,
  object: after,
  username: "alice",
});

describe("admission: CREATE", () => {
  test("with the action annotation (any value) → denied, 'not allowed on create' (I1)", () => {
    for (const value of ["start", "bogus"]) {
      const verdict = admitContainer({ operation: "CREATE", object: obj({ [ANNOTATION_ACTION]: value }) }, open);
      expect(verdict.allowed).toBe(false);
      if (!verdict.allowed) {
        expect(verdict.reason).toContain("not allowed on create");
        expect(verdict.reason).toContain(ANNOTATION_ACTION);
        expect(verdict.reason).toContain(value);
        expect(verdict.rule).toBe("action-on-create");
      }
    }
  });

  test("without the annotation → allowed", () => {
    expect(admitContainer({ operation: "CREATE", object: obj() }, open).allowed).toBe(true);
  });

  test("engine identity configured: anyone else's create is denied (E13)", () => {
    const verdict = admitContainer({ operation: "CREATE", object: obj(), username: "alice" }, guarded);
    expect(verdict).toMatchObject({ allowed: false, rule: "not-engine" });
    if (!verdict.allowed) expect(verdict.reason).toContain('"alice"');
    const engine = admitContainer(
      { operation: "CREATE", object: obj(), username: "system:serviceaccount:container-actions:controller" },
      guarded,
    );
    expect(engine.allowed).toBe(true);
  });
});

describe("admission: CREATE: the name must be a full container ID", () => {
  test.each([
    ["a Docker container's name (the demo-worker case)", "demo-worker"],
    ["a short ID", ID.slice(0, 12)],
    ["upper-case hex", ID.toUpperCase()],
    ["65 hex digits", `${ID}0`],
  ])("%s → denied even with no engine identities configured", (_what, name) => {
    const verdict = admitContainer({ operation: "CREATE", object: obj({}, undefined, name), username: "alice" }, open);
    expect(verdict).toMatchObject({ allowed: false, rule: "not-container-id" });
    if (!verdict.allowed) expect(verdict.reason).toContain(`"${name}" is not a full 64-hex Docker container ID`);
  });

  test("an update of an existing object is not judged by its name (old objects stay manageable)", () => {
    expect(admitContainer(update(obj({}, undefined, "demo-worker"), obj({ [ANNOTATION_ACTION]: "stop" }, undefined, "demo-worker")), open).allowed).toBe(true);
  });
});

describe("admission: UPDATE", () => {
  test("valid action → allowed", () => {
    for (const action of ["start", "stop", "pause", "unpause", "restart"]) {
      expect(admitContainer(update(obj(), obj({ [ANNOTATION_ACTION]: action })), open).allowed).toBe(true);
    }
  });

  test("value outside the enum → denied, message names the annotation and value", () => {
    const verdict = admitContainer(update(obj(), obj({ [ANNOTATION_ACTION]: "Restart" })), open);
    expect(verdict).toMatchObject({ allowed: false, rule: "invalid-action" });
    if (!verdict.allowed) {
      expect(verdict.reason).toContain("invalid");
      expect(verdict.reason).toContain(`${ANNOTATION_ACTION} annotation "Restart"`);
    }
  });

  test("malformed request id → denied", () => {
    const verdict = admitContainer(
      update(obj(), obj({ [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: "has space" })),
      open,
    );
    expect(verdict).toMatchObject({ allowed: false, rule: "invalid-request-id" });
    if (!verdict.allowed) expect(verdict.reason).toContain('"has space"');
  });

  test("well-formed request ids → allowed", () => {
    for (const id of ["a", "0f8a6c1e-2b7d-4c1a-9e3f-5d6b7a8c9d0e", "01HZX3K9Q7", "req.1_2-3"]) {
      const input = update(obj(), obj({ [ANNOTATION_ACTION]: "stop", [ANNOTATION_ACTION_ID]: id }));
      expect(admitContainer(input, open).allowed).toBe(true);
    }
  });

  test("terminating object with a bad stored value: finalizer and annotation removals pass (E10)", () => {
    const stored = obj({ [ANNOTATION_ACTION]: "bogus" }, "2026-01-01T00:00:00Z");
    expect(admitContainer(update(stored, obj({ [ANNOTATION_ACTION]: "bogus" }, "2026-01-01T00:00:00Z")), open).allowed).toBe(true);
    expect(admitContainer(update(stored, obj({}, "2026-01-01T00:00:00Z")), open).allowed).toBe(true);
  });

  test("an update that leaves a bad stored value untouched is allowed; changing it to another bad one is not", () => {
    const stored = obj({ [ANNOTATION_ACTION]: "bogus" });
    expect(admitContainer(update(stored, obj({ [ANNOTATION_ACTION]: "bogus", other: "x" })), open).allowed).toBe(true);
    expect(admitContainer(update(stored, obj({ [ANNOTATION_ACTION]: "worse" })), open).allowed).toBe(false);
  });

  test("removing the request → allowed", () => {
    expect(admitContainer(update(obj({ [ANNOTATION_ACTION]: "stop" }), obj()), open).allowed).toBe(true);
  });

  test("updates by anyone are allowed even when an engine identity is configured", () => {
    expect(admitContainer(update(obj(), obj({ [ANNOTATION_ACTION]: "stop" })), guarded).allowed).toBe(true);
  });
});

test("admission: DELETE is not judged", () => {
  expect(admitContainer({ operation: "DELETE", oldObject: obj({ [ANNOTATION_ACTION]: "bogus" }) }, guarded).allowed).toBe(true);
});
