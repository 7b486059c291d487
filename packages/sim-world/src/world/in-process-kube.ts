/**
 * The simulated controller's connection to the apiserver: a {@link KubeTransport} that hands each request
 * to the fake apiserver's HTTP handler in-process (no socket, no wall time), so the controller's real
 * ledgers get the real status codes and Status bodies — the same answers the HTTP face gives
 * (in-process-wire.test.ts holds the two equal). Faults are the wire's: `FaultyCluster` in front of the
 * store, drawn from the process's PRNG on the virtual clock, on while the world's faults are.
 */
import { FaultyCluster, handleKubeRequest, type ClusterStore, type KubeApi, type UserInfo, type WireResponse } from "@container-actions/fake-apiserver";
import { parseAnswerBody, type KubeAnswer, type KubeRequest, type KubeTransport } from "@container-actions/kube-adapters";
import { pickKnobs, WIRE_KNOBS, type Prng, type VirtualClock } from "@container-actions/sim-kernel";
import type { FaultState } from "./process-life.ts";

/** The identity the simulated controller writes as (its service account, as the real one is deployed). */
export const CONTROLLER_USER = "system:serviceaccount:container-actions:controller";

export interface InProcessKubeOptions {
  store: ClusterStore;
  /** What requests go through, asked per request: the store, or a fault wrapper in front of it. */
  api: () => KubeApi;
  /** The authenticated user (the HTTP face reads it from the client certificate). */
  user: UserInfo;
}

/** {@link KubeTransport} served by `handleKubeRequest` in-process. Never rejects, as FetchKubeTransport. */
export class InProcessKubeTransport implements KubeTransport {
  constructor(private readonly options: InProcessKubeOptions) {}

  async send(request: KubeRequest): Promise<KubeAnswer> {
    const query = new URLSearchParams(request.query ?? {}).toString();
    const headers: Record<string, string> = { accept: "application/json" };
    let body = "";
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["content-type"] = request.contentType ?? "application/json";
    }
    let status = 0;
    let text = "";
    let ended = false;
    const response: WireResponse = {
      head: (code) => {
        status = code;
      },
      write: (chunk) => {
        text += chunk;
      },
      end: (chunk) => {
        if (chunk !== undefined) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        ended = true;
      },
      onClose: () => {},
    };
    const deps = { store: this.options.store, api: this.options.api, serverAddress: "in-process" };
    try {
      await handleKubeRequest(deps, { method: request.method, url: request.path + (query === "" ? "" : `?${query}`), headers, body, user: this.options.user }, response);
    } catch (error) {
      // What serveKubeApi answers when the handler throws.
      const detail = error instanceof Error ? error.message : String(error);
      return { kind: "answered", status: 500, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `Internal error occurred: ${detail}`, reason: "InternalError", code: 500 } };
    }
    // The controller never watches through the transport (its informer does): every answer is complete here.
    if (!ended) return { kind: "failed", detail: "in-process: the handler left the answer open" };
    return { kind: "answered", status, body: parseAnswerBody(text) };
  }
}

/** A transport to `store` as the controller user, its requests through `api` (asked per request). */
export function controllerKubeTransport(store: ClusterStore, api: () => KubeApi = () => store): KubeTransport {
  return new InProcessKubeTransport({ store, api, user: { username: CONTROLLER_USER, groups: ["system:authenticated"] } });
}

/**
 * The transport of one simulated controller process: the world's `api` (the store behind the recorder),
 * with the wire's FaultyCluster in front while the world's faults are on, as the controller user.
 */
export function worldKubeTransport(deps: { store: ClusterStore; api: KubeApi; faults: FaultState; clock: VirtualClock; prng: Prng }): KubeTransport {
  const faulty = new FaultyCluster(deps.api, pickKnobs(deps.faults.options, WIRE_KNOBS.apiserver), { clock: deps.clock, prng: deps.prng });
  return controllerKubeTransport(deps.store, () => (deps.faults.active ? faulty : deps.api));
}
