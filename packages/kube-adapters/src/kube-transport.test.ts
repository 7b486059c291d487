import { describe, expect, test } from "bun:test";
import { FetchKubeTransport, type KubeConnection, type KubeRequest } from "./kube-transport.ts";

const connection: KubeConnection = { server: "https://127.0.0.1:6443/", tls: { ca: "CA" }, headers: { Authorization: "Bearer t" } };
const request: KubeRequest = {
  method: "PATCH",
  path: "/apis/g/v1/namespaces/ns/containers/a/status",
  query: { fieldManager: "m" },
  body: { status: {} },
  contentType: "application/merge-patch+json",
  verb: "patch",
  resource: "containers/status",
  caller: "action",
};

function transport(respond: (url: string, init: RequestInit & { tls?: unknown }) => Promise<Response>) {
  const observed: string[] = [];
  const seen: Array<{ url: string; init: RequestInit & { tls?: unknown } }> = [];
  const t = new FetchKubeTransport({
    connection: async () => connection,
    timeoutMs: 1000,
    observe: (r, code) => void observed.push(`${r.verb} ${r.resource} ${r.caller} ${code}`),
    fetch: (async (url: URL, init: RequestInit & { tls?: unknown }) => {
      seen.push({ url: String(url), init });
      return respond(String(url), init);
    }) as unknown as typeof fetch,
  });
  return { t, observed, seen };
}

describe("FetchKubeTransport", () => {
  test("sends method, query, content type, auth and the kubeconfig's TLS; answers any status as a value", async () => {
    const { t, observed, seen } = transport(async () => new Response('{"kind":"Status","code":422}', { status: 422 }));
    expect(await t.send(request)).toEqual({ kind: "answered", status: 422, body: { kind: "Status", code: 422 } });
    expect(seen[0]?.url).toBe("https://127.0.0.1:6443/apis/g/v1/namespaces/ns/containers/a/status?fieldManager=m");
    expect(seen[0]?.init).toMatchObject({ method: "PATCH", body: '{"status":{}}', tls: { ca: "CA" } });
    expect(seen[0]?.init.headers).toMatchObject({ Authorization: "Bearer t", "Content-Type": "application/merge-patch+json" });
    expect(observed).toEqual(["patch containers/status action 422"]);
  });

  test("no answer (refused, reset, timeout) is a `failed` value, counted with code `error`", async () => {
    const { t, observed } = transport(() => Promise.reject(Object.assign(new Error("Unable to connect"), { code: "ConnectionRefused" })));
    expect(await t.send(request)).toEqual({ kind: "failed", detail: "ConnectionRefused: Unable to connect" });
    expect(observed).toEqual(["patch containers/status action error"]);
  });
});
