/**
 * The deploy/ manifests without a cluster: the checked-in renderings are current, every object
 * validates against the Kubernetes schemas, and the manifests agree with the code that runs inside
 * them (the webhook's registration object and flags, the controller's flags, the RBAC names).
 * Needs kubectl with kustomize v5 (`kubectl kustomize`); without it the rendering tests fail.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig as parseControllerConfig } from "@container-actions/controller";
import { CONFIGURATION_NAME_DEFAULT, parseConfig as parseWebhookConfig, webhookConfiguration } from "@container-actions/webhook";
import { containerEnv, expandedArgs, onlyContainer } from "./support/pod-spec.ts";
import { schemaProblems } from "./support/kubernetes-schemas.ts";
import { DEPLOY_DIR, parseManifests, readRendered, RENDER_TARGETS, theObject, type KubeObject } from "./support/rendered-manifests.ts";

const NAMESPACE = "container-actions";
const CLUSTER_SCOPED = new Set(["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);

/** Runs kubectl or deploy/render.sh; a missing kubectl is a failure that says what to install. */
function run(command: string[]): { exitCode: number; stdout: string; stderr: string } {
  if (Bun.which("kubectl") === null) {
    throw new Error("kubectl is not on PATH: deploy/ is rendered with `kubectl kustomize` (kustomize v5+, kubectl 1.27+). Install kubectl; this test never skips.");
  }
  const r = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
  return { exitCode: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function kustomize(dir: string): KubeObject[] {
  const r = run(["kubectl", "kustomize", `${DEPLOY_DIR}${dir}`]);
  if (r.exitCode !== 0) throw new Error(`kubectl kustomize deploy/${dir}: ${r.stderr}`);
  return parseManifests(r.stdout, `deploy/${dir}`);
}

describe("deploy: rendered manifests", () => {
  test("rendering: deploy/rendered/*.yaml equal a fresh deploy/render.sh", async () => {
    const out = mkdtempSync(join(tmpdir(), "deploy-render-"));
    try {
      const r = run(["bash", `${DEPLOY_DIR}render.sh`, out]);
      if (r.exitCode !== 0) throw new Error(`deploy/render.sh failed: ${r.stderr}`);
      for (const target of RENDER_TARGETS) {
        const fresh = await readRendered(target.name, out);
        const committed = await readRendered(target.name);
        if (!Bun.deepEquals(fresh, committed)) {
          throw new Error(`deploy/rendered/${target.name}.yaml is stale (deploy/${target.dir} changed): run deploy/render.sh`);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);

  test("schemas: every object of every rendering validates against the Kubernetes OpenAPI schemas", async () => {
    const problems: string[] = [];
    let count = 0;
    for (const target of RENDER_TARGETS) {
      for (const object of await readRendered(target.name)) {
        count++;
        for (const p of schemaProblems(object)) problems.push(`${target.name}.yaml ${object.kind}/${object.metadata.name}: ${p}`);
        if (CLUSTER_SCOPED.has(object.kind) === (object.metadata.namespace !== undefined)) {
          problems.push(`${target.name}.yaml ${object.kind}/${object.metadata.name}: namespace ${object.metadata.namespace ?? "missing"}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(20);
  });

  test("schemas: the validator has teeth (a wrong type and a missing required field are reported)", async () => {
    const deployment = structuredClone(theObject(await readRendered("base"), "Deployment"));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "9440";
    expect(schemaProblems(deployment).join()).toContain("containerPort must be integer");
    const binding = structuredClone(theObject(await readRendered("base"), "RoleBinding"));
    delete binding.roleRef;
    expect(schemaProblems(binding).join()).toContain("roleRef");
  });

  test("overlays: base holds the controller; webhook adds the webhook; admission-policy adds the policy and no webhook", async () => {
    const kinds = async (name: "base" | "webhook" | "admission-policy") => (await readRendered(name)).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    const base = await kinds("base");
    expect(base).toEqual([
      "CustomResourceDefinition/containers.containers.rancherdesktop.io",
      "Deployment/container-actions-controller",
      "Namespace/container-actions",
      "Role/container-actions-controller",
      "RoleBinding/container-actions-controller",
      "ServiceAccount/controller",
    ]);
    expect(await kinds("webhook")).toEqual(
      [
        ...base,
        "ClusterRole/container-actions-webhook",
        "ClusterRoleBinding/container-actions-webhook",
        "Deployment/container-actions-webhook",
        "Service/container-actions-webhook",
        "ServiceAccount/webhook",
        "ValidatingWebhookConfiguration/container-actions-webhook",
      ].sort(),
    );
    expect(await kinds("admission-policy")).toEqual(
      [...base, "ValidatingAdmissionPolicy/container-actions-containers", "ValidatingAdmissionPolicyBinding/container-actions-containers"].sort(),
    );
  });
});

describe("deploy: the manifests agree with the code", () => {
  test("webhook: the ValidatingWebhookConfiguration is the object the webhook registers in service mode, without a caBundle", async () => {
    const objects = await readRendered("webhook");
    const shipped = theObject(objects, "ValidatingWebhookConfiguration");
    const registered = webhookConfiguration({
      configurationName: CONFIGURATION_NAME_DEFAULT,
      endpoint: { kind: "service", namespace: NAMESPACE, name: "container-actions-webhook", port: 443 },
      caBundlePem: "",
    });
    expect(shipped).toEqual(JSON.parse(JSON.stringify(registered)));
    expect(shipped.webhooks[0].clientConfig.caBundle).toBeUndefined();
  });

  test("webhook: its flags register that object through that Service, with the controller as the only creator", async () => {
    const objects = await readRendered("webhook");
    const deployment = theObject(objects, "Deployment", "container-actions-webhook");
    const container = onlyContainer(deployment);
    const env = containerEnv(deployment, container);
    const parsed = parseWebhookConfig(expandedArgs(container, env), env);
    if (parsed.kind !== "ok") throw new Error(`webhook flags rejected: ${JSON.stringify(parsed)}`);
    const config = parsed.config;
    const service = theObject(objects, "Service", "container-actions-webhook");
    const vwc = theObject(objects, "ValidatingWebhookConfiguration");
    const clusterRole = theObject(objects, "ClusterRole", "container-actions-webhook");
    const port = (name: string) => container.ports?.find((p) => p.name === name)?.containerPort;

    expect(config.registration).toMatchObject({ enabled: true, clientConfig: "service", configurationName: vwc.metadata.name });
    expect(config.registration.enabled && config.registration.kubeconfig).toBeUndefined(); // the pod's service account
    expect(config.service).toEqual({ name: service.metadata.name, namespace: service.metadata.namespace!, port: service.spec.ports[0].port });
    expect(vwc.webhooks[0].clientConfig.service).toMatchObject({ name: config.service.name, namespace: config.service.namespace, port: config.service.port });
    expect(service.spec.ports[0].targetPort).toBe("https");
    expect(port("https")).toBe(config.listen.port);
    expect(port("probes")).toBe(config.probes.port);
    expect(config.listen.host).toBe("0.0.0.0");
    expect(config.probes.host).toBe("0.0.0.0");
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(clusterRole.rules[0].resourceNames).toEqual([vwc.metadata.name]);
    expect(config.engineIdentities).toEqual([`system:serviceaccount:${NAMESPACE}:controller`]);
    // Generated certificates go to a writable volume (the root filesystem is read-only).
    expect(config.certs).toMatchObject({ kind: "generated" });
    const certDir = config.certs.kind === "generated" ? config.certs.dir : "";
    expect(container.volumeMounts?.map((m) => m.mountPath)).toContain(certDir);
  });

  test("controller: its flags parse, and name the Role's namespace, the Lease the Role allows, the probed port, the mounted socket", async () => {
    const objects = await readRendered("base");
    const deployment = theObject(objects, "Deployment", "container-actions-controller");
    const container = onlyContainer(deployment);
    const env = { ...containerEnv(deployment, container), KUBERNETES_SERVICE_HOST: "10.96.0.1" };
    const parsed = parseControllerConfig({ argv: expandedArgs(container, env), env, homeDir: "/nonexistent", hostname: "pod", randomSuffix: "x" });
    if (parsed.kind !== "config") throw new Error(`controller flags rejected: ${JSON.stringify(parsed)}`);
    const config = parsed.config;
    const role = theObject(objects, "Role", "container-actions-controller");
    const binding = theObject(objects, "RoleBinding", "container-actions-controller");
    const sa = theObject(objects, "ServiceAccount", "controller");

    expect(config.kubeconfig).toEqual({ kind: "in-cluster" });
    expect(config.namespace).toBe(NAMESPACE);
    expect(role.metadata.namespace).toBe(config.namespace);
    expect(config.leaderElection).toMatchObject({ enabled: true, leaseNamespace: NAMESPACE });
    const leaseRule = role.rules.find((r: { resources: string[]; resourceNames?: string[] }) => r.resources.includes("leases") && r.resourceNames);
    expect(leaseRule.resourceNames).toEqual([config.leaderElection.leaseName]);
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: sa.metadata.name, namespace: NAMESPACE }]);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(config.metricsAddress).toEqual({ host: "0.0.0.0", port: container.ports?.find((p) => p.name === "metrics")?.containerPort ?? -1 });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(config.docker).toMatchObject({ kind: "unix", socketPath: "/var/run/docker.sock" });
    const socketVolume = deployment.spec.template.spec.volumes.find((v: { hostPath?: { path: string } }) => v.hostPath);
    expect(socketVolume.hostPath).toEqual({ path: "/var/run/docker.sock", type: "Socket" });
    expect(container.volumeMounts).toContainEqual({ name: socketVolume.name, mountPath: "/var/run/docker.sock" });
    // Longer than the process's own shutdown timeout, so that one ends a slow shutdown.
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
  });

  test("security: read-only root, no privilege escalation, no capabilities; the webhook is non-root", async () => {
    const objects = await readRendered("webhook");
    for (const name of ["container-actions-controller", "container-actions-webhook"]) {
      const deployment = theObject(objects, "Deployment", name);
      expect(onlyContainer(deployment).securityContext).toEqual({
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(deployment.spec.template.spec.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    }
    expect(theObject(objects, "Deployment", "container-actions-webhook").spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    // The controller runs as uid 0 for the Docker socket (docs/operations.md says why and how to avoid it).
    expect(theObject(objects, "Deployment", "container-actions-controller").spec.template.spec.securityContext).toMatchObject({ runAsUser: 0 });
  });

  test("admission-policy: only the controller's service account may create Containers, as with the webhook", async () => {
    const policy = theObject(await readRendered("admission-policy"), "ValidatingAdmissionPolicy");
    const identities = policy.spec.variables.find((v: { name: string }) => v.name === "engineIdentities");
    expect(identities.expression).toBe(`["system:serviceaccount:${NAMESPACE}:controller"]`);
  });

  test("namespace: the example overlay moves every namespaced object, binding subject and the webhook's Service reference", () => {
    const objects = kustomize("examples/other-namespace");
    const elsewhere: string[] = [];
    for (const o of objects) {
      const where = `${o.kind}/${o.metadata.name}`;
      if (CLUSTER_SCOPED.has(o.kind)) {
        if (o.metadata.namespace !== undefined) elsewhere.push(`${where} got a namespace`);
      } else if (o.metadata.namespace !== "my-containers") elsewhere.push(`${where} in ${o.metadata.namespace}`);
      for (const s of o.subjects ?? []) if (s.namespace !== "my-containers") elsewhere.push(`${where} subject ${s.name} in ${s.namespace}`);
    }
    expect(elsewhere).toEqual([]);
    expect(theObject(objects, "Namespace").metadata.name).toBe("my-containers");
    expect(theObject(objects, "ValidatingWebhookConfiguration").webhooks[0].clientConfig.service.namespace).toBe("my-containers");
    expect(objects.length).toBe((kustomize("overlays/webhook")).length);
  });
});
