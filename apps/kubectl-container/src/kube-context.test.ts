import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadKubeContext } from "./kube-context.ts";

const dir = mkdtempSync(join(tmpdir(), "kube-context-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(file: string, current: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "one", cluster: { server: "https://127.0.0.1:1111" } },
        { name: "two", cluster: { server: "https://127.0.0.1:2222" } },
      ],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [
        { name: "first", context: { cluster: "one", user: "u", namespace: "apps" } },
        { name: "second", context: { cluster: "two", user: "u" } },
      ],
      "current-context": current,
    }),
  );
  return path;
}

describe("loadKubeContext: as kubectl decides", () => {
  test("--kubeconfig: its current context, and that context's namespace", () => {
    const ctx = loadKubeContext({ kubeconfig: kubeconfig("a.json", "first") });
    expect(ctx.kind === "ok" && [ctx.kc.getCurrentCluster()?.server, ctx.namespace]).toEqual(["https://127.0.0.1:1111", "apps"]);
  });
  test("--context switches cluster; a context without a namespace means default; -n wins", () => {
    const path = kubeconfig("b.json", "first");
    const ctx = loadKubeContext({ kubeconfig: path, context: "second" });
    expect(ctx.kind === "ok" && [ctx.kc.getCurrentCluster()?.server, ctx.namespace]).toEqual(["https://127.0.0.1:2222", "default"]);
    const ns = loadKubeContext({ kubeconfig: path, namespace: "other" });
    expect(ns.kind === "ok" && ns.namespace).toBe("other");
  });
  test("KUBECONFIG when no --kubeconfig", () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig("c.json", "second");
    try {
      const ctx = loadKubeContext({});
      expect(ctx.kind === "ok" && ctx.kc.getCurrentCluster()?.server).toBe("https://127.0.0.1:2222");
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
  test("an unknown --context or an unreadable file is an error value, not a throw", () => {
    expect(loadKubeContext({ kubeconfig: kubeconfig("d.json", "first"), context: "nope" })).toEqual({ kind: "invalid", message: 'context "nope" does not exist' });
    expect(loadKubeContext({ kubeconfig: join(dir, "missing.json") }).kind).toBe("invalid");
  });
});
