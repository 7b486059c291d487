/**
 * The HTTPS side of the webhook with real sockets, no apiserver: certificate replacement while a
 * request is in flight, and the process's graceful SIGTERM. (Route logic is unit-tested with
 * app.handle in apps/webhook; this is what app.handle cannot show.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCa, issueServingCert, setActionReview, startServingListener, type ServingMaterial } from "@container-actions/webhook";
import { freePort, startWebhook, waitReady, type WebhookProcess } from "./webhook-process.ts";

async function material(name: string): Promise<ServingMaterial> {
  const ca = await generateCa({ nowMs: Date.now(), validityDays: 2, commonName: `${name}-ca` });
  const leaf = await issueServingCert({ nowMs: Date.now(), validityDays: 1, commonName: name, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], ca });
  return { certPem: leaf.certPem, keyPem: leaf.keyPem, caPem: ca.certPem };
}

/** The body text, or the error message when TLS (or anything) fails. */
async function get(url: string, ca: string): Promise<string> {
  try {
    return await (await fetch(url, { tls: { ca }, keepalive: false })).text();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

describe("serving listener: certificate replacement", () => {
  test("a request in flight during the replacement completes; new connections get the new certificate", async () => {
    const [a, b] = await Promise.all([material("a"), material("b")]);
    const gates: (() => void)[] = [];
    const listener = startServingListener({
      hostname: "127.0.0.1",
      port: 0,
      material: a,
      maxRequestBodySizeBytes: 1 << 20,
      fetch: async (request) => {
        if (new URL(request.url).pathname === "/slow") await new Promise<void>((resolve) => gates.push(resolve));
        return new Response("ok");
      },
    });
    const base = `https://127.0.0.1:${listener.port}`;
    try {
      expect(await get(`${base}/`, a.caPem)).toBe("ok");
      const slow = get(`${base}/slow`, a.caPem);
      while (gates.length === 0) await Bun.sleep(5);
      expect(listener.pendingRequests()).toBe(1);

      await listener.replaceCertificate(b);
      expect(await get(`${base}/`, b.caPem)).toBe("ok");
      expect(await get(`${base}/`, a.caPem)).toStartWith("error:"); // the old certificate is no longer served
      for (let i = 0; i < 20; i++) expect(await get(`${base}/`, b.caPem)).toBe("ok"); // every new connection

      expect(listener.pendingRequests()).toBe(1); // still in flight, on the draining listener
      gates.shift()?.();
      expect(await slow).toBe("ok");
    } finally {
      await listener.stop(1000);
    }
    expect(await get(`${base}/`, b.caPem)).toStartWith("error:");
  });

  test("a port already taken (even by a SO_REUSEPORT listener) is an error, not a shared port", async () => {
    const m = await material("d");
    const first = startServingListener({ hostname: "127.0.0.1", port: 0, material: m, maxRequestBodySizeBytes: 1024, fetch: () => new Response("1") });
    try {
      expect(() =>
        startServingListener({ hostname: "127.0.0.1", port: first.port, material: m, maxRequestBodySizeBytes: 1024, fetch: () => new Response("2") }),
      ).toThrow();
    } finally {
      await first.stop(100);
    }
  });

  test("stop waits for in-flight requests up to the grace period", async () => {
    const m = await material("c");
    let release: () => void = () => undefined;
    const listener = startServingListener({
      hostname: "127.0.0.1",
      port: 0,
      material: m,
      maxRequestBodySizeBytes: 1 << 20,
      fetch: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return new Response("finished");
      },
    });
    const inFlight = get(`https://127.0.0.1:${listener.port}/`, m.caPem);
    while (listener.pendingRequests() === 0) await Bun.sleep(5);
    const stopped = listener.stop(5000);
    await Bun.sleep(100);
    release();
    expect(await inFlight).toBe("finished");
    await stopped;
  });
});

describe("webhook process with external certificate files (cert-manager style)", () => {
  test("files replaced on disk are served without a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-external-"));
    const port = freePort();
    const write = async (m: ServingMaterial) => {
      // Like a Secret volume update: all three files change together.
      await Promise.all([Bun.write(join(dir, "tls.crt"), m.certPem), Bun.write(join(dir, "tls.key"), m.keyPem), Bun.write(join(dir, "ca.crt"), m.caPem)]);
    };
    const [a, b] = await Promise.all([material("ext-a"), material("ext-b")]);
    await write(a);
    const webhook = startWebhook(
      ["--listen-port", String(port), "--tls-cert-file", join(dir, "tls.crt"), "--tls-key-file", join(dir, "tls.key"), "--ca-file", join(dir, "ca.crt"), "--cert-check-interval", "1s"],
      { probePort: freePort(), logFile: join(dir, "webhook.log") },
    );
    try {
      await waitReady(webhook);
      const url = `https://127.0.0.1:${port}/healthz-not-here`;
      expect(await get(url, a.caPem)).not.toStartWith("error:");
      await write(b);
      const deadline = Date.now() + 10_000;
      while ((await get(url, b.caPem)).startsWith("error:")) {
        if (Date.now() > deadline) throw new Error("the new files were not picked up");
        await Bun.sleep(100);
      }
      expect(await get(url, a.caPem)).toStartWith("error:");
      expect(await webhook.stop()).toBe(0);
    } finally {
      await webhook.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("webhook process", () => {
  const work = mkdtemp(join(tmpdir(), "webhook-serving-"));
  const port = freePort();
  let webhook: WebhookProcess | undefined;
  let ca = "";
  const MAX_BODY_BYTES = 64 * 1024;

  beforeAll(async () => {
    const dir = await work;
    webhook = startWebhook(["--listen-port", String(port), "--cert-dir", join(dir, "certs"), "--max-body-bytes", String(MAX_BODY_BYTES)], {
      probePort: freePort(),
      logFile: join(dir, "webhook.log"),
    });
    await waitReady(webhook);
    ca = await readFile(join(dir, "certs", "ca.crt"), "utf8");
  }, 30_000);

  afterAll(async () => {
    await webhook?.stop();
    if (process.env.WEBHOOK_E2E_KEEP !== "1") await rm(await work, { recursive: true, force: true });
  });

  const post = (body: string) =>
    fetch(`https://127.0.0.1:${port}/validate-containers`, { method: "POST", headers: { "content-type": "application/json" }, body, tls: { ca } });

  test("over HTTPS: a denial; a body over the cap is a JSON 400; over twice the cap Bun refuses it (413)", async () => {
    const denied = await post(JSON.stringify(setActionReview("bogus", "uid-https")));
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ response: { uid: "uid-https", allowed: false, status: { code: 403 } } });
    const over = await post("x".repeat(MAX_BODY_BYTES + 1));
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({ error: "BadRequest", message: `body exceeds ${MAX_BODY_BYTES} bytes` });
    const huge = await post("x".repeat(2 * MAX_BODY_BYTES + 1));
    expect(huge.status).toBe(413);
  });

  test("SIGTERM: a request whose body is still arriving is answered, then the process exits 0", async () => {
    const dir = await work;
    const body = new TextEncoder().encode(JSON.stringify(setActionReview("bogus", "uid-sigterm")));
    let sendRest: () => void = () => undefined;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(body.subarray(0, 100));
        await new Promise<void>((resolve) => (sendRest = resolve));
        controller.enqueue(body.subarray(100));
        controller.close();
      },
    });
    const response = fetch(`https://127.0.0.1:${port}/validate-containers`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(body.byteLength) },
      body: stream,
      tls: { ca },
    });
    await Bun.sleep(300);
    const exit = webhook!.stop(10_000);
    await Bun.sleep(300);
    sendRest();
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ response: { uid: "uid-sigterm", allowed: false } });
    expect(await exit).toBe(0);
    const log = await Bun.file(join(dir, "webhook.log")).text();
    expect(log).toContain('"inFlight":1');
    expect(log).toContain('"msg":"stopped"');
  }, 30_000);
});
