import { describe, expect, test } from "bun:test";
import { ListWatch, type KubernetesObject, type Watch } from "@kubernetes/client-node";
import { flushMicrotasks } from "@container-actions/sim-kernel";

/**
 * Pins the behaviour of client-node 1.4.0's real ListWatch (what makeInformer returns) that
 * ContainerInformer is built around, with its Watch replaced by a fake (no sockets).
 * Does not model: the HTTP layer of Watch.
 */
class FakeWatch {
  readonly calls: Array<{ query: Record<string, unknown>; done: (err: unknown) => void; cb: (phase: string, obj: unknown) => void }> = [];
  async watch(_path: string, query: Record<string, unknown>, cb: (phase: string, obj: unknown) => void, done: (err: unknown) => void) {
    this.calls.push({ query, done, cb });
    return new AbortController();
  }
}

const obj = (name: string, rv: string): KubernetesObject => ({ metadata: { name, namespace: "ns", resourceVersion: rv } });

function listWatch(lists: Array<() => Promise<{ metadata: { resourceVersion: string }; items: KubernetesObject[] }>>) {
  const watch = new FakeWatch();
  let listCalls = 0;
  const lw = new ListWatch<KubernetesObject>("/apis/x", watch as unknown as Watch, () => (lists[listCalls++] ?? lists[lists.length - 1]!)() as never, false);
  const seen: string[] = [];
  lw.on("add", (o) => void seen.push(`add ${o.metadata?.name}`));
  lw.on("delete", (o) => void seen.push(`delete ${o.metadata?.name}`));
  lw.on("error", (e) => void seen.push(`error ${(e as Error).message}`));
  lw.on("connect", () => void seen.push("connect"));
  return { lw, watch, seen, listCalls: () => listCalls };
}

describe("client-node 1.4.0 ListWatch (pinned)", () => {
  test("an error ends it: `error` fires and nothing restarts until start() is called again", async () => {
    const { lw, watch, seen, listCalls } = listWatch([async () => ({ metadata: { resourceVersion: "10" }, items: [obj("a", "10")] })]);
    await lw.start();
    expect(watch.calls).toHaveLength(1);
    watch.calls[0]!.done(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    await flushMicrotasks();
    expect(watch.calls).toHaveLength(1);
    expect(seen).toEqual(["connect", "add a", "error socket hang up"]);
    await lw.start(); // what ContainerInformer does after its backoff: resumes from the last resourceVersion
    expect(watch.calls).toHaveLength(2);
    expect(watch.calls[1]!.query.resourceVersion).toBe("10");
    expect(listCalls()).toBe(1);
  });

  test("a watch that ends cleanly is re-opened at once from its resourceVersion", async () => {
    const { lw, watch } = listWatch([async () => ({ metadata: { resourceVersion: "10" }, items: [] })]);
    await lw.start();
    watch.calls[0]!.cb("MODIFIED", obj("a", "12"));
    watch.calls[0]!.done(null);
    await flushMicrotasks();
    expect(watch.calls).toHaveLength(2);
    expect(watch.calls[1]!.query.resourceVersion).toBe("12");
  });

  test("a BOOKMARK moves the resourceVersion without an event", async () => {
    const { lw, watch, seen } = listWatch([async () => ({ metadata: { resourceVersion: "10" }, items: [] })]);
    await lw.start();
    watch.calls[0]!.cb("BOOKMARK", { metadata: { resourceVersion: "99" } });
    watch.calls[0]!.done(null);
    await flushMicrotasks();
    expect(watch.calls[1]!.query.resourceVersion).toBe("99");
    expect(seen).toEqual(["connect", "connect"]);
  });

  test("410 Gone relists and reports objects that vanished meanwhile as deleted", async () => {
    const { lw, watch, seen, listCalls } = listWatch([
      async () => ({ metadata: { resourceVersion: "10" }, items: [obj("a", "10"), obj("b", "10")] }),
      async () => ({ metadata: { resourceVersion: "50" }, items: [obj("a", "10")] }),
    ]);
    await lw.start();
    watch.calls[0]!.cb("ERROR", { code: 410, message: "too old resource version" });
    watch.calls[0]!.done(null);
    await flushMicrotasks();
    expect(listCalls()).toBe(2);
    expect(seen).toEqual(["connect", "add a", "add b", "connect", "delete b"]);
    expect(watch.calls[1]!.query.resourceVersion).toBe("50");
  });

  test("a list that fails fires `error` and stops", async () => {
    const { lw, watch, seen } = listWatch([() => Promise.reject(new Error("connect ECONNREFUSED"))]);
    await lw.start();
    expect(watch.calls).toHaveLength(0);
    expect(seen).toEqual(["connect", "error connect ECONNREFUSED"]);
  });
});
