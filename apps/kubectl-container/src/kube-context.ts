/**
 * Which cluster and namespace, the way kubectl decides: --kubeconfig, else $KUBECONFIG (a list of
 * files, merged), else ~/.kube/config, else in-cluster; --context, else the current context; -n, else the
 * context's namespace, else "default".
 */
import { KubeConfig } from "@kubernetes/client-node";

export type KubeContext = { kind: "ok"; kc: KubeConfig; namespace: string } | { kind: "invalid"; message: string };

export function loadKubeContext(flags: { kubeconfig?: string; context?: string; namespace?: string }): KubeContext {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig !== undefined) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    return { kind: "invalid", message: `cannot load the kubeconfig: ${(error as Error).message}` };
  }
  if (flags.context !== undefined) {
    if (kc.getContextObject(flags.context) === null) return { kind: "invalid", message: `context "${flags.context}" does not exist` };
    kc.setCurrentContext(flags.context);
  }
  if (kc.getCurrentCluster() === null) return { kind: "invalid", message: "no cluster: set --kubeconfig, KUBECONFIG or --context" };
  const namespace = flags.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  return { kind: "ok", kc, namespace };
}
