/**
 * What a kubectl user sees, on the simulated apiserver and on a real kube-apiserver v1.20.2: the same
 * commands, the same exit codes, the same output (ages aside).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KUBE_BACKENDS, type TestCluster, startCluster } from "./cluster-backends.ts";

const GROUP = "containers.rancherdesktop.io";
const MIRROR_FINALIZER = "engine.rancherdesktop.io/mirror";

function manifest(name: string, namespace: string, extra: { annotations?: Record<string, string>; finalizers?: string[] } = {}): string {
  return JSON.stringify({
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "Container",
    metadata: { name, namespace, ...(extra.annotations ? { annotations: extra.annotations } : {}), ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
  });
}

const RUNNING_STATUS = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };

async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp, timeoutMs: number, seen: { text: string }): Promise<boolean> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!pattern.test(seen.text)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const next = await Promise.race([reader.read(), Bun.sleep(left).then(() => undefined)]);
      if (next === undefined || next.done) return pattern.test(seen.text);
      seen.text += decoder.decode(next.value, { stream: true });
    }
    return true;
  } finally {
    reader.releaseLock();
  }
}

for (const backend of KUBE_BACKENDS) {
  describe(`kubectl against ${backend}`, () => {
    let cluster: TestCluster;
    let ns: string;
    const k = (args: string[], stdin?: string) => cluster.kubectl(["-n", ns, ...args], stdin !== undefined ? { stdin } : {});

    beforeAll(async () => {
      cluster = await startCluster({ backend });
      ns = await cluster.freshNamespace("kubectl");
    }, 90_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    test("version: the server answers as v1.20.2", async () => {
      const r = await cluster.kubectl(["version", "-o", "json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).serverVersion.gitVersion).toMatch(/^v1\.20\.2/);
    });

    test("apply -f: creates, then reports unchanged, then configured", async () => {
      const first = await k(["apply", "-f", "-"], manifest("applied", ns, { annotations: { [`${GROUP}/action`]: "start" } }));
      expect(first).toMatchObject({ code: 0, stdout: `container.${GROUP}/applied created\n` });
      const again = await k(["apply", "-f", "-"], manifest("applied", ns, { annotations: { [`${GROUP}/action`]: "start" } }));
      expect(again).toMatchObject({ code: 0, stdout: `container.${GROUP}/applied unchanged\n` });
      const changed = await k(["apply", "-f", "-"], manifest("applied", ns, { annotations: { [`${GROUP}/action`]: "stop" } }));
      expect(changed).toMatchObject({ code: 0, stdout: `container.${GROUP}/applied configured\n` });
      const action = await k(["get", "container", "applied", "-o", `jsonpath={.metadata.annotations.${GROUP.replaceAll(".", "\\.")}/action}`]);
      expect(action).toMatchObject({ code: 0, stdout: "stop" });
    });

    test("get containers: the CRD's printer columns, filled from status", async () => {
      expect((await k(["create", "-f", "-"], manifest("shown", ns))).code).toBe(0);
      const status = { ...RUNNING_STATUS, lastAction: { action: "start", state: "Succeeded", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:01Z" } };
      const patched = await k(["patch", "container", "shown", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status })]);
      expect(patched).toMatchObject({ code: 0, stdout: `container.${GROUP}/shown patched\n` });
      const r = await k(["get", "containers", "shown"]);
      expect(r.code).toBe(0);
      const [header, row] = r.stdout.trimEnd().split("\n");
      expect(header?.split(/\s{2,}/)).toEqual(["NAME", "STATUS", "LAST ACTION", "LAST RESULT", "AGE"]);
      expect(row?.split(/\s{2,}/).slice(0, 4)).toEqual(["shown", "running", "start", "Succeeded"]);
      expect(row?.split(/\s{2,}/)[4]).toMatch(/^\d+s$/);
    });

    test("get -o jsonpath: reads fields", async () => {
      expect((await k(["create", "-f", "-"], manifest("jp", ns, { annotations: { a: "1" } }))).code).toBe(0);
      const r = await k(["get", "containers", "jp", "-o", "jsonpath={.metadata.name} {.metadata.namespace} {.metadata.annotations.a} {.metadata.generation}"]);
      expect(r).toMatchObject({ code: 0, stdout: `jp ${ns} 1 1` });
    });

    test("annotate: refuses to overwrite without --overwrite, overwrites with it", async () => {
      expect((await k(["create", "-f", "-"], manifest("ann", ns))).code).toBe(0);
      expect(await k(["annotate", "container", "ann", "foo=bar"])).toMatchObject({ code: 0, stdout: `container.${GROUP}/ann annotated\n` });
      const refused = await k(["annotate", "container", "ann", "foo=baz"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("--overwrite is false but found the following declared annotation(s): 'foo' already has a value (bar)");
      expect(await k(["annotate", "container", "ann", "foo=baz", "--overwrite"])).toMatchObject({ code: 0, stdout: `container.${GROUP}/ann annotated\n` });
      expect(await k(["get", "container", "ann", "-o", "jsonpath={.metadata.annotations.foo}"])).toMatchObject({ code: 0, stdout: "baz" });
    });

    test("patch --type=merge and --type=json; a failed test op is refused", async () => {
      expect((await k(["create", "-f", "-"], manifest("pt", ns))).code).toBe(0);
      expect(await k(["patch", "container", "pt", "--type=merge", "-p", '{"metadata":{"annotations":{"x":"1","keep":"k"}}}'])).toMatchObject({ code: 0, stdout: `container.${GROUP}/pt patched\n` });
      const ok = await k(["patch", "container", "pt", "--type=json", "-p", '[{"op":"test","path":"/metadata/annotations/x","value":"1"},{"op":"remove","path":"/metadata/annotations/x"}]']);
      expect(ok).toMatchObject({ code: 0, stdout: `container.${GROUP}/pt patched\n` });
      // evanphx/json-patch v4: `test` null passes on a missing key (its map must exist).
      const missingIsNull = await k(["patch", "container", "pt", "--type=json", "-p", '[{"op":"test","path":"/metadata/annotations/x","value":null},{"op":"add","path":"/metadata/annotations/y","value":"2"}]']);
      expect(missingIsNull).toMatchObject({ code: 0, stdout: `container.${GROUP}/pt patched\n` });
      const failed = await k(["patch", "container", "pt", "--type=json", "-p", '[{"op":"test","path":"/metadata/annotations/y","value":"nope"},{"op":"remove","path":"/metadata/annotations/y"}]']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe("The request is invalid: the server rejected our request due to an error in our request\n");
      expect(await k(["get", "container", "pt", "-o", "jsonpath={.metadata.annotations}"])).toMatchObject({ code: 0, stdout: '{"keep":"k","y":"2"}' });
      const noMap = await k(["patch", "container", "pt", "--type=json", "-p", '[{"op":"test","path":"/metadata/labels/x","value":null}]']);
      expect(noMap).toMatchObject({ code: 1, stderr: "The request is invalid: the server rejected our request due to an error in our request\n" });
    });

    test("patch --subresource=status: accepted when valid, refused with the schema's message when not", async () => {
      expect((await k(["create", "-f", "-"], manifest("st", ns))).code).toBe(0);
      expect(await k(["patch", "container", "st", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: RUNNING_STATUS })])).toMatchObject({ code: 0 });
      const bad = await k([
        "patch",
        "container",
        "st",
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({ status: { lastAction: { action: "start", state: "Done", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00Z" } } }),
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(
        `The Container "st" is invalid: status.lastAction.state: Unsupported value: "Done": supported values: "Succeeded", "Failed"\n`,
      );
      const missing = await k(["patch", "container", "st", "--subresource=status", "--type=json", "-p", '[{"op":"remove","path":"/status/image"}]']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(`The Container "st" is invalid: status.image: Required value\n`);
      const mainIgnoresStatus = await k(["patch", "container", "st", "--type=merge", "-p", '{"status":{"status":"paused"}}']);
      expect(mainIgnoresStatus).toMatchObject({ code: 0, stdout: `container.${GROUP}/st patched (no change)\n` });
    });

    test("delete with a finalizer: stays with deletionTimestamp until the finalizer is removed", async () => {
      expect((await k(["create", "-f", "-"], manifest("fin", ns, { finalizers: [MIRROR_FINALIZER] }))).code).toBe(0);
      expect(await k(["delete", "container", "fin", "--wait=false"])).toMatchObject({ code: 0, stdout: `container.${GROUP} "fin" deleted\n` });
      const still = await k(["get", "container", "fin", "-o", "jsonpath={.metadata.deletionTimestamp} {.metadata.finalizers}"]);
      expect(still.code).toBe(0);
      expect(still.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z \\["${MIRROR_FINALIZER}"\\]$`));
      const addAnother = await k(["patch", "container", "fin", "--type=merge", "-p", `{"metadata":{"finalizers":["${MIRROR_FINALIZER}","other.io/x"]}}`]);
      expect(addAnother.code).toBe(1);
      expect(addAnother.stderr).toContain('metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"other.io/x"}');
      expect(await k(["patch", "container", "fin", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]'])).toMatchObject({ code: 0 });
      const gone = await k(["get", "container", "fin"]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe(`Error from server (NotFound): containers.${GROUP} "fin" not found\n`);
    });

    test("get -w: shows the row, then the modification", async () => {
      expect((await k(["create", "-f", "-"], manifest("watched", ns))).code).toBe(0);
      const proc = cluster.spawnKubectl(["-n", ns, "get", "containers", "watched", "-w"]);
      try {
        const seen = { text: "" };
        expect(await readUntil(proc.stdout, /watched\s/, 15_000, seen)).toBe(true);
        expect((await k(["patch", "container", "watched", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: { ...RUNNING_STATUS, status: "paused" } })])).code).toBe(0);
        expect(await readUntil(proc.stdout, /watched\s+paused/, 15_000, seen)).toBe(true);
        const lines = seen.text.trimEnd().split("\n");
        expect(lines[0]?.split(/\s{2,}/)).toEqual(["NAME", "STATUS", "LAST ACTION", "LAST RESULT", "AGE"]);
      } finally {
        proc.kill();
        await proc.exited;
      }
    }, 40_000);

    test("wait --for=jsonpath: returns once the field has the value", async () => {
      expect((await k(["create", "-f", "-"], manifest("waited", ns))).code).toBe(0);
      const waiting = k(["wait", "container/waited", "--for=jsonpath={.status.status}=exited", "--timeout=20s"]);
      await Bun.sleep(500);
      expect((await k(["patch", "container", "waited", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: { ...RUNNING_STATUS, status: "exited" } })])).code).toBe(0);
      expect(await waiting).toMatchObject({ code: 0, stdout: `container.${GROUP}/waited condition met\n` });
    }, 30_000);

    test("get of a missing object and a missing kind", async () => {
      const missing = await k(["get", "container", "nope"]);
      expect(missing).toMatchObject({ code: 1, stderr: `Error from server (NotFound): containers.${GROUP} "nope" not found\n` });
      const kind = await k(["get", "nosuchkind"]);
      expect(kind.code).toBe(1);
      expect(kind.stderr).toContain(`the server doesn't have a resource type "nosuchkind"`);
    });
  });
}
