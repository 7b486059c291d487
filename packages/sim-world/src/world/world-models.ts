/**
 * Builds the world's models — the one cluster store (FastClusterStore unless the caller asks for the
 * oracle) and the one SimulatedDocker the wire faces also serve — and adapts them to the narrow ports
 * the world uses. The in-process webhook applies core's admission rules, as the real webhook does.
 */
import {
  admitContainer,
  containerCrd,
  GROUP,
  PLURAL,
  VERSION,
  type AdmissionInput,
  type Container,
  type ContainerRef,
  type Verdict,
} from "@container-actions/core";
import { DockerodeContainerEngine, DockerodeMirrorSource } from "@container-actions/docker-adapters";
import { FastClusterStore, type ClusterStore, type ClusterStoreOptions, CRD_REF, PatchType, WEBHOOK_CONFIG_REF, type ApiOutcome, type CallWebhook, type KubeApi, type RequestContext, type ResourceRef } from "@container-actions/fake-apiserver";
import { NO_ENGINE_FAULTS, SimulatedDocker, type DockerResponse, type EngineFaults } from "@container-actions/fake-docker";
import { ALWAYS, type Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { inProcessDockerode } from "./in-process-docker.ts";
import { CONTROLLER_USER } from "./in-process-kube.ts";
import type { WorldModels } from "./world.ts";
import type { ApiAnswer, ClusterPort, DockerPort, WriteOptions } from "./world-ports.ts";

export const CONTAINERS: ResourceRef = { group: GROUP, version: VERSION, resource: PLURAL };
const WEBHOOK_URL = "inproc://container-actions-webhook/validate-containers";

export type AdmissionRules = (input: AdmissionInput) => Verdict;

/** Core's rules with the controller as the only identity allowed to create mirrors (E13). */
export const coreAdmission: AdmissionRules = (input) => admitContainer(input, { engineIdentities: [CONTROLLER_USER] });

/** Core's rules as the webhook runs by default: no engine identity, so any authorized user may CREATE a Container. */
export const defaultConfigAdmission: AdmissionRules = (input) => admitContainer(input, { engineIdentities: [] });

/** How a world's store is made: the fast store, or ClusterStore itself (the oracle, for comparisons). */
export type MakeStore = (options: ClusterStoreOptions) => ClusterStore;
export const fastStore: MakeStore = (options) => new FastClusterStore(options);

export async function createWorldModels(prng: Prng, clock: VirtualClock, admission: AdmissionRules = coreAdmission, makeStore: MakeStore = fastStore): Promise<WorldModels> {
  const store = makeStore({ clock, seed: prng.u32(), callWebhook: inProcessWebhook(admission) });
  await installApi(store);
  return { clock, cluster: storeCluster(store), store, ...createEngineModels(prng.fork(), clock) };
}

/** One Docker engine and its ports: each engine of a fleet is one, with its own seed and so its own IDs. */
export type EngineModels = Pick<WorldModels, "docker" | "engine" | "source" | "simulatedDocker" | "malformed">;

/**
 * The controller's ports are its real dockerode adapters, over a dockerode the engine's HTTP routes serve
 * in-process: every Docker call of a simulated controller passes the engine's one fault gate.
 */
export function createEngineModels(prng: Prng, clock: VirtualClock): EngineModels {
  const docker = new SimulatedDocker({ clock, prng });
  const malformed: string[] = [];
  // dockerd answers 400 only to a request it cannot parse or whose parameters contradict each other:
  // never a state of the world, always a bug in the client.
  const dockerode = inProcessDockerode(docker, (method, path, status) => {
    if (status === 400) malformed.push(`${method} ${path}`);
  });
  return {
    malformed,
    docker: dockerPort(docker),
    engine: new DockerodeContainerEngine(dockerode, undefined, undefined, () => clock.nowMs()),
    source: new DockerodeMirrorSource(dockerode),
    simulatedDocker: docker,
  };
}

/** Installs the Container CRD and registers the validating webhook, as a fresh cluster would be set up. */
export async function installApi(store: ClusterStore): Promise<void> {
  await store.create(CRD_REF, undefined, containerCrd());
  await store.create(WEBHOOK_CONFIG_REF, undefined, {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "container-actions-webhook" },
    webhooks: [
      {
        name: "containers.containers.rancherdesktop.io",
        clientConfig: { url: WEBHOOK_URL },
        rules: [{ operations: ["CREATE", "UPDATE"], apiGroups: [GROUP], apiVersions: [VERSION], resources: [PLURAL] }],
        failurePolicy: "Fail",
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
        timeoutSeconds: 5,
      },
    ],
  });
}

/** A webhook answered in-process: the same AdmissionReview in and out, without the TLS hop. */
function inProcessWebhook(admission: AdmissionRules): CallWebhook {
  return async (_target, review) => {
    const request = (review as { request: { uid: string; operation: AdmissionInput["operation"]; userInfo?: { username?: string }; object?: unknown; oldObject?: unknown } }).request;
    const verdict = admission({
      operation: request.operation,
      username: request.userInfo?.username ?? "",
      object: (request.object ?? undefined) as AdmissionInput["object"],
      oldObject: (request.oldObject ?? undefined) as AdmissionInput["oldObject"],
    });
    const response = verdict.allowed
      ? { uid: request.uid, allowed: true }
      : { uid: request.uid, allowed: false, status: { code: 403, reason: "Forbidden", message: verdict.reason } };
    return { kind: "reviewed", review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response } };
  };
}

function context(options: WriteOptions): RequestContext {
  return {
    user: { username: options.user, groups: ["system:authenticated"] },
    fieldManager: options.fieldManager,
    ...(options.admission === false ? { skipAdmission: true } : {}),
  };
}

function answer(outcome: ApiOutcome): ApiAnswer {
  if (outcome.kind === "ok") return { code: outcome.code, object: outcome.object as unknown as Container };
  return { code: outcome.status.code ?? 500, reason: outcome.status.reason ?? "", message: outcome.status.message ?? "" };
}

/** The narrow cluster port over `store`, its writes sent through `api` (the store itself, or a recorder in front). */
export function storeCluster(store: ClusterStore, api: KubeApi = store): ClusterPort {
  const at = (ref: ContainerRef) => ({ resource: CONTAINERS, namespace: ref.namespace, name: ref.name });
  const sub = (options: WriteOptions) => (options.subresource ? { subresource: options.subresource } : {});
  return {
    create: async (container, options) => answer(await api.request({ verb: "create", resource: CONTAINERS, namespace: container.metadata.namespace, body: container, context: context(options) })),
    mergePatch: async (ref, patch, options) => answer(await api.request({ verb: "patch", ...at(ref), patchType: PatchType.merge, patch, context: context(options), ...sub(options) })),
    jsonPatch: async (ref, ops, options) => answer(await api.request({ verb: "patch", ...at(ref), patchType: PatchType.json, patch: ops, context: context(options), ...sub(options) })),
    apply: async (ref, config, options) =>
      answer(await api.request({ verb: "patch", ...at(ref), patchType: PatchType.apply, patch: config, context: { ...context(options), ...(options.force ? { force: true } : {}) } })),
    delete: async (ref, options) => answer(await api.request({ verb: "delete", ...at(ref), options: {}, context: context(options) })),
    peek(ref) {
      const got = store.get(CONTAINERS, ref.namespace, ref.name);
      return got.kind === "ok" ? (got.object as unknown as Container) : undefined;
    },
    list(namespace) {
      const listed = store.list(CONTAINERS, { namespace });
      if (listed.kind !== "ok") return { items: [], resourceVersion: store.resourceVersion() };
      const list = listed.object as unknown as { items: Container[]; metadata: { resourceVersion: string } };
      return { items: list.items, resourceVersion: list.metadata.resourceVersion };
    },
    watch(namespace, resourceVersion, onEvent, onEnd) {
      return store.watch(
        CONTAINERS,
        { namespace, resourceVersion },
        (event) => {
          if (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED") {
            onEvent({ type: event.type, object: event.object as unknown as Container });
          }
        },
        () => onEnd?.(),
      );
    },
  };
}

function code(response: DockerResponse): number {
  return response.kind === "http" ? response.statusCode : 0;
}

/** How often `docker run` is retried when the engine refuses it (an injected fault), before giving up. */
const RUN_ATTEMPTS = 20;
/** How soon the world's event subscription is tried again when the engine refused it. */
const RESUBSCRIBE_MS = 1_000;

function dockerPort(docker: SimulatedDocker): DockerPort {
  // The scenario's engine faults, and whether an outage step has the daemon down for now.
  let faults: EngineFaults = NO_ENGINE_FAULTS;
  let outage = false;
  const apply = () => docker.setFaults({ ...faults, ...(outage ? { engineUnreachableChance: ALWAYS } : {}) });
  return {
    /**
     * A person's `docker run -d`: tried again at once when the engine refused it or lost the answer (the
     * name then exists: 409, and the container is found by name), so a fault costs attempts, not the
     * container. An engine that stays down yields "" as before.
     */
    async run({ name, slowStop, restartAlways }) {
      const body = {
        Image: "local/busybox:latest",
        Cmd: ["sleep", "100000"],
        HostConfig: { Init: !slowStop, ...(restartAlways ? { RestartPolicy: { Name: "always" } } : {}) },
      };
      for (let attempt = 0; attempt < RUN_ATTEMPTS; attempt++) {
        const created = await docker.create(body, { name });
        let id: string | undefined;
        if (created.kind === "http" && created.statusCode === 201) id = (created.body as { Id: string }).Id;
        if (created.kind === "http" && created.statusCode === 409) {
          const found = await docker.inspect(name);
          if (found.kind === "http" && found.statusCode === 200) id = (found.body as { Id: string }).Id;
        }
        if (id === undefined) continue;
        await docker.start(id);
        return id;
      }
      return "";
    },
    cli: async (op, id) => {
      switch (op) {
        case "stop":
          return code(await docker.stop(id));
        case "start":
          return code(await docker.start(id));
        case "kill":
          return code(await docker.kill(id));
        case "rm":
          return code(await docker.remove(id, { force: true }));
        case "pause":
          return code(await docker.pause(id));
      }
    },
    exitProcess: (id, exitCode) => void docker.exitProcess(id, exitCode),
    setUnreachable: (unreachable) => {
      outage = unreachable;
      apply();
    },
    setEngineFaults: (next) => {
      faults = next;
      apply();
    },
    async statuses() {
      const listed = await docker.list({ all: true });
      const rows = listed.kind === "http" && listed.statusCode === 200 ? (listed.body as Array<{ Id: string; State: string }>) : [];
      return new Map(rows.map((c) => [c.Id, c.State]));
    },
    subscribe(onEvent) {
      let subscription: { close(): void } | undefined;
      let stopped = false;
      // A refused subscription is tried again, as the controller's event follower reconnects.
      const subscribe = () =>
        void docker.events({ filters: { type: ["container"] } }, (e) => onEvent({ id: e.id, action: e.Action }), () => {}).then((answer) => {
          if (answer.kind !== "subscribed") {
            if (!stopped) docker.clock.setTimer(RESUBSCRIBE_MS, subscribe);
            return;
          }
          subscription = answer.subscription;
          if (stopped) subscription.close();
        });
      subscribe();
      return {
        stop: () => {
          stopped = true;
          subscription?.close();
        },
      };
    },
  };
}
