/**
 * Validating a `POST /containers/create` request into a {@link ContainerSpec}, with dockerd's answers
 * for the requests it refuses (bad name, name in use, missing image, bad restart policy).
 */
import type { ContainerTable } from "./container-table.ts";
import { canonicalName, isValidContainerName } from "./container-names.ts";
import type { ContainerSpec } from "./container-state.ts";
import { DockerMessages } from "./docker-messages.ts";
import { errorAnswer, type DockerHttpAnswer } from "./docker-response.ts";
import type { ImageTable } from "./image-table.ts";
import { normalizeImageRef } from "./image-table.ts";
import { planProgram } from "./process-model.ts";
import { inferProcessBehavior } from "./process-signals.ts";
import { restartPolicyProblem, type RestartPolicyName } from "./restart-policy.ts";

/** The create body fields the model reads (the API's `ContainerConfig` plus `HostConfig`). */
export interface CreateContainerBody {
  Image?: string;
  Cmd?: string[] | string | null;
  Entrypoint?: string[] | string | null;
  Labels?: Record<string, string> | null;
  StopTimeout?: number | null;
  OpenStdin?: boolean | null;
  HostConfig?: {
    Init?: boolean | null;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    NetworkMode?: string;
    AutoRemove?: boolean | null;
  } | null;
  [other: string]: unknown;
}

/** A valid request's spec and name, or dockerd's refusal. */
export type CreatePlan = { kind: "ok"; spec: ContainerSpec; name: string | undefined } | { kind: "refused"; answer: DockerHttpAnswer };

function argv(value: string[] | string | null | undefined): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? [value] : [...value];
}

/** Checks a create request against the images and names the engine has. */
export function planCreate(body: CreateContainerBody, name: string | undefined, images: ImageTable, containers: ContainerTable): CreatePlan {
  const refuse = (statusCode: number, message: string): CreatePlan => ({ kind: "refused", answer: errorAnswer(statusCode, message) });
  if (Object.keys(body).length === 0) return refuse(400, DockerMessages.emptyConfig());
  if (name !== undefined && name !== "") {
    if (!isValidContainerName(name)) return refuse(400, DockerMessages.invalidName(name));
    const holder = containers.withName(name);
    if (holder !== undefined) return refuse(409, DockerMessages.nameInUse(canonicalName(name), holder.id));
  }
  const imageRef = body.Image ?? "";
  if (imageRef === "") return refuse(400, DockerMessages.emptyConfig());
  const image = images.resolve(imageRef);
  if (image === undefined) return refuse(404, DockerMessages.noSuchImage(normalizeImageRef(imageRef)));
  const policy = body.HostConfig?.RestartPolicy ?? {};
  const policyProblem = restartPolicyProblem(policy);
  if (policyProblem !== undefined) return refuse(400, policyProblem);
  const autoRemove = body.HostConfig?.AutoRemove === true;
  if (autoRemove && !["", "no"].includes(policy.Name ?? "")) return refuse(400, DockerMessages.autoRemoveWithRestart());
  const entrypoint = argv(body.Entrypoint) ?? image.entrypoint;
  const cmd = argv(body.Cmd) ?? (argv(body.Entrypoint) !== undefined ? [] : [...image.cmd]);
  const init = body.HostConfig?.Init ?? null;
  const spec: ContainerSpec = {
    image: imageRef,
    imageId: image.id,
    cmd,
    entrypoint: entrypoint === null ? null : [...entrypoint],
    labels: { ...(body.Labels ?? {}) },
    stopTimeoutS: body.StopTimeout ?? undefined,
    init,
    restartPolicy: { Name: (policy.Name ?? "") as RestartPolicyName, MaximumRetryCount: policy.MaximumRetryCount ?? 0 },
    networkMode: body.HostConfig?.NetworkMode || "default",
    behavior: inferProcessBehavior(init === true, [...(entrypoint ?? []), ...cmd]),
    program: planProgram([...(entrypoint ?? []), ...cmd], body.OpenStdin === true),
    openStdin: body.OpenStdin === true,
    autoRemove,
  };
  return { kind: "ok", spec, name: name === "" ? undefined : name };
}
