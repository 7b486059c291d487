import { afterAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { pathOf, serveHealth } from "./health-server.ts";
import { ControllerMetrics } from "./controller-metrics.ts";

describe("health server", () => {
  test("pathOf keeps only the path, whatever the host", () => {
    expect(pathOf("http://:9440/readyz")).toBe("/readyz");
    expect(pathOf("http://127.0.0.1:9440/healthz?verbose")).toBe("/healthz");
    expect(pathOf("http://[::1]:9440/metrics#x")).toBe("/metrics");
    expect(pathOf("http://10.0.0.1:9440")).toBe("/");
  });

  const server = serveHealth({ host: "127.0.0.1", port: 0, metrics: new ControllerMetrics(), checks: [] });
  afterAll(() => server.stop());

  test("answers a probe with an empty host, as a kubelet sends for a pod without an IP", async () => {
    const port = Number(new URL(server.url).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write(`GET /healthz HTTP/1.1\r\nHost: :${port}\r\nConnection: close\r\n\r\n`));
      let data = "";
      socket.on("data", (chunk) => (data += chunk.toString()));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(reply.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
  });
});
