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
  type MirrorSource,
  type Verdict,
} from "@container-actions/core";
import { FastClusterStore, type ClusterStore, type ClusterStoreOptions, CRD_REF, PatchType, WEBHOOK_CONFIG_REF, type ApiOutcome, type CallWebhook, type RequestContext, type ResourceRef } from "@container-actions/fake-apiserver";
import { SimulatedContainerEngine, SimulatedDocker, type DockerResponse } from "@container-actions/fake-docker";
import { ALWAYS, NEVER, type Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { CONTROLLER_USER } from "./store-ledgers.ts";
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
export type EngineModels = Pick<WorldModels, "docker" | "engine" | "source" | "simulatedDocker">;

export function createEngineModels(prng: Prng, clock: VirtualClock): EngineModels {
  const docker = new SimulatedDocker({ clock, prng });
  return { docker: dockerPort(docker), engine: new SimulatedContainerEngine(docker), source: mirrorSource(docker), simulatedDocker: docker };
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

export function storeCluster(store: ClusterStore): ClusterPort {
  const at = (ref: ContainerRef) => [CONTAINERS, ref.namespace, ref.name] as const;
  return {
    create: async (container, options) => answer(await store.create(CONTAINERS, container.metadata.namespace, container, context(options))),
    mergePatch: async (ref, patch, options) => answer(await store.patch(...at(ref), PatchType.merge, patch, context(options), options.subresource)),
    jsonPatch: async (ref, ops, options) => answer(await store.patch(...at(ref), PatchType.json, ops, context(options), options.subresource)),
    apply: async (ref, config, options) => answer(await store.patch(...at(ref), PatchType.apply, config, { ...context(options), ...(options.force ? { force: true } : {}) })),
    delete: async (ref, options) => answer(await store.delete(...at(ref), {}, context(options))),
    peek(ref) {
      const got = store.get(...at(ref));
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

function dockerPort(docker: SimulatedDocker): DockerPort {
  return {
    async run({ name, slowStop, restartAlways }) {
      const created = await docker.create(
        {
          Image: "local/busybox:latest",
          Cmd: ["sleep", "100000"],
          HostConfig: { Init: !slowStop, ...(restartAlways ? { RestartPolicy: { Name: "always" } } : {}) },
        },
        { name },
      );
      const id = created.kind === "http" ? (created.body as { Id: string }).Id : "";
      await docker.start(id);
      return id;
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
    setUnreachable: (unreachable) => docker.setFaults({ engineUnreachableChance: unreachable ? ALWAYS : NEVER }),
    async statuses() {
      const listed = await docker.list({ all: true });
      const rows = listed.kind === "http" && listed.statusCode === 200 ? (listed.body as Array<{ Id: string; State: string }>) : [];
      return new Map(rows.map((c) => [c.Id, c.State]));
    },
    subscribe(onEvent) {
      let subscription: { close(): void } | undefined;
      let stopped = false;
      void docker.events({ filters: { type: ["container"] } }, (e) => onEvent({ id: e.id, action: e.Action }), () => {}).then((answer) => {
        if (answer.kind !== "subscribed") return;
        subscription = answer.subscription;
        if (stopped) subscription.close();
      });
      return {
        stop: () => {
          stopped = true;
          subscription?.close();
        },
      };
    },
  };
}

function mirrorSource(docker: SimulatedDocker): MirrorSource {
  return {
    async list() {
      const listed = await docker.list({ all: true });
      if (listed.kind !== "http" || listed.statusCode !== 200) return { kind: "unreachable", detail: "engine list failed" };
      return { kind: "listed", ids: (listed.body as Array<{ Id: string }>).map((c) => c.Id) };
    },
    async describe(id) {
      const got = await docker.inspect(id);
      if (got.kind !== "http") return { kind: "unreachable", detail: got.detail };
      if (got.statusCode === 404) return { kind: "gone" };
      if (got.statusCode !== 200) return { kind: "unreachable", detail: `engine answered HTTP ${got.statusCode}` };
      return { kind: "found", inspect: got.body as import("@container-actions/core").DockerInspect };
    },
    async remove(id) {
      const removed = await docker.remove(id, { force: true });
      if (removed.kind !== "http") return { kind: "unreachable", detail: removed.detail };
      if (removed.statusCode === 204) return { kind: "removed" };
      if (removed.statusCode === 404) return { kind: "gone" };
      return { kind: "refused", message: String((removed.body as { message?: string } | undefined)?.message ?? removed.statusCode) };
    },
  };
}
