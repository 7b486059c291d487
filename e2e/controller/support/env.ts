/**
 * The real backends CI provides (scripts/lib/services.sh). A missing one fails the suite with a message
 * that says how to start it locally; the suite never skips.
 */
export function requireEnv(name: "CA_REAL_DOCKER_HOST" | "CA_REAL_DOCKER_HOST_2" | "CA_REAL_KUBECONFIG"): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    const how =
      name === "CA_REAL_DOCKER_HOST" || name === "CA_REAL_DOCKER_HOST_2"
        ? `tools/docker-engine/start.sh ${name === "CA_REAL_DOCKER_HOST" ? "/tmp/ca-de" : "/tmp/ca-de2"}  (prints DOCKER_HOST=…)`
        : "tools/real-apiserver/start.sh /tmp/ca-ks 6443  (prints KUBECONFIG=…)";
    throw new Error(`${name} is not set: the controller e2e suite needs a real backend. Start one with ${how} and export ${name}.`);
  }
  return value;
}

/** Repository root (e2e/controller/support → ../../..). */
export const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

/** Label on every Docker container this suite creates; cleanup removes exactly these. */
export const E2E_LABEL = { key: "container-actions-e2e", value: "controller" } as const;
