/**
 * The e2e suite's hands on the cluster: kubectl (as a user would type it) and, for the status
 * subresource, a direct HTTPS call with the kubeconfig's client certificate (kubectl before 1.24 has
 * no --subresource). Uses bun and kubectl only.
 */

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, as a user would read them. */
  output: string;
}

export function kubectlFor(kubeconfig: string) {
  return async function kubectl(args: string[], stdin?: string): Promise<CliResult> {
    const proc = Bun.spawn(["kubectl", "--kubeconfig", kubeconfig, ...args], {
      stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { exitCode, stdout, stderr, output: stdout + stderr };
  };
}

export type Kubectl = ReturnType<typeof kubectlFor>;

/** Throws with kubectl's output when it failed: for setup steps that must work. */
export async function must(result: Promise<CliResult>, what: string): Promise<CliResult> {
  const r = await result;
  if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}): ${r.output}`);
  return r;
}

interface Credentials {
  server: string;
  ca: string;
  cert: string;
  key: string;
}

async function credentials(kubectl: Kubectl): Promise<Credentials> {
  const view = JSON.parse((await must(kubectl(["config", "view", "--raw", "--minify", "-o", "json"]), "kubectl config view")).stdout) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
  };
  const cluster = view.clusters[0]?.cluster;
  const user = view.users[0]?.user;
  if (cluster === undefined || user === undefined) throw new Error("kubeconfig without a cluster or user");
  const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
  return {
    server: cluster.server,
    ca: decode(cluster["certificate-authority-data"]),
    cert: decode(user["client-certificate-data"]),
    key: decode(user["client-key-data"]),
  };
}

/** A merge patch of the status subresource (status writes never pass through the webhook). */
export async function patchStatus(kubectl: Kubectl, path: string, status: Record<string, unknown>): Promise<number> {
  const c = await credentials(kubectl);
  const response = await fetch(`${c.server}${path}/status`, {
    method: "PATCH",
    headers: { "content-type": "application/merge-patch+json" },
    body: JSON.stringify({ status }),
    tls: { ca: c.ca, cert: c.cert, key: c.key },
  });
  if (!response.ok) throw new Error(`status patch: ${response.status} ${await response.text()}`);
  return response.status;
}
