/**
 * Reading a Deployment's container the way the kubelet would start it: `$(VAR)` references in args
 * expanded from the container's env (literal values and the downward API's metadata.namespace/name).
 */
import type { KubeObject } from "./rendered-manifests.ts";

export interface ContainerSpec {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  [field: string]: any;
}

export function onlyContainer(deployment: KubeObject): ContainerSpec {
  const containers: ContainerSpec[] = deployment.spec?.template?.spec?.containers ?? [];
  if (containers.length !== 1) throw new Error(`${deployment.metadata.name}: expected one container, found ${containers.length}`);
  return containers[0] as ContainerSpec;
}

/** The container's environment as the process sees it (downward API resolved for this Deployment). */
export function containerEnv(deployment: KubeObject, container: ContainerSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(e.value, env);
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.namespace") env[e.name] = deployment.metadata.namespace ?? "";
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") env[e.name] = `${deployment.metadata.name}-pod`;
    else throw new Error(`${deployment.metadata.name}: env ${e.name} has a source this test does not resolve`);
  }
  return env;
}

/** The args with `$(VAR)` expanded from `env`; an unknown reference stays as written, as in Kubernetes. */
export function expandedArgs(container: ContainerSpec, env: Record<string, string>): string[] {
  return (container.args ?? []).map((a) => expand(a, env));
}

function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}
