import { describe, expect, test } from "bun:test";
import { dockerTarget } from "./docker-endpoint.ts";
import { parseUpArgs } from "./up.ts";

describe("up: flags", () => {
  test("defaults: console on 8080, any free control and apiserver port, auto Docker, state in .cache/up", () => {
    const o = parseUpArgs([]);
    expect(o).toMatchObject({ consolePort: 8080, controlPort: 0, kubePort: 0, docker: "auto", namespace: "default", seed: true, webhook: true });
    expect(typeof o === "object" && o.stateDir.endsWith("/.cache/up")).toBe(true);
    expect(typeof o === "object" && "kubeconfig" in o).toBe(false);
  });

  test("every flag is read; relative paths become absolute", () => {
    const o = parseUpArgs(["--port", "18080", "--control-port", "18081", "--docker", "simulated", "--kubeconfig", "k.yaml", "--state-dir", "s", "--namespace", "demo", "--no-seed", "--skip-webhook"]);
    expect(o).toMatchObject({ consolePort: 18080, controlPort: 18081, docker: "simulated", namespace: "demo", seed: false, webhook: false });
    expect(typeof o === "object" && o.kubeconfig === `${process.cwd()}/k.yaml` && o.stateDir === `${process.cwd()}/s`).toBe(true);
  });

  test("mistakes are usage errors that name the flag", () => {
    expect(parseUpArgs(["--port", "0"])).toContain("--port");
    expect(parseUpArgs(["--control-port", "70000"])).toContain("--control-port");
    expect(parseUpArgs(["--docker", "podman"])).toContain("--docker");
    expect(parseUpArgs(["--namespace", "Bad_NS"])).toContain("--namespace");
    expect(parseUpArgs(["--frobnicate"])).toContain("frobnicate");
    expect(parseUpArgs(["--help"])).toBe("help");
  });
});

describe("up: DOCKER_HOST", () => {
  test("unix sockets and plain tcp, with the docker CLI's default ports", () => {
    expect(dockerTarget("unix:///var/run/docker.sock", {})).toMatchObject({ base: "http://docker", init: { unix: "/var/run/docker.sock" } });
    expect(dockerTarget("tcp://10.0.0.5", {}).base).toBe("http://10.0.0.5:2375");
    expect(dockerTarget("tcp://10.0.0.5:1234/", { DOCKER_TLS_VERIFY: "0" }).base).toBe("http://10.0.0.5:1234");
  });

  test("anything else is refused with a clear message", () => {
    expect(() => dockerTarget("ssh://user@host", {})).toThrow("unsupported DOCKER_HOST");
  });
});
