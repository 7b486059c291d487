/**
 * One run of the real controller or webhook with its role missing one granted verb: derive the rules,
 * wait until the authorizer applies them, drive the process until the apiserver refuses the request
 * that needs the verb, and put the shipped role back. Evidence comes from the recording proxy (what
 * the apiserver answered) and from the process itself (its log and its 403 count).
 */
import { ANNOTATION_ACTION } from "@container-actions/core";
import { type ControllerProcess, sumOf } from "../../controller/support/controller-process.ts";
import { waitFor } from "../../controller/support/wait.ts";
import type { WebhookProcess } from "../../webhook/webhook-process.ts";
import { grantKey } from "./api-request.ts";
import { allowed, applyAsAdmin, launchWebhook, NAMESPACE, requestAction, resetStage, runLabelled, startController, type Stage } from "./deploy-stage.ts";
import { needs, rulesWithout, type Grant, type PolicyRule } from "./rbac-rules.ts";
import type { RecordedRequest } from "./recording-proxy.ts";
import type { KubeObject } from "./rendered-manifests.ts";

export type ProcessName = "controller" | "webhook";

/** The requests `who` made through the proxy, from index `fromIndex` of the record on. */
export function recordedFrom(stage: Stage, who: ProcessName, fromIndex = 0): RecordedRequest[] {
  return stage.proxy.requests.slice(fromIndex).filter((r) => r.client === who);
}

export interface RunWithout {
  /** The refused requests that needed the missing verb, as the proxy saw them. */
  refused: RecordedRequest[];
  /** The controller's kube_api_requests_total{code="403"} (0 for the webhook). */
  countedForbidden: number;
  loggedForbidden: string[];
}

/** Applies the role without `grant`, runs the process until the apiserver refuses the request that needs it, restores the role. */
export async function runWithout(stage: Stage, who: ProcessName, user: string, role: KubeObject, grant: Grant): Promise<RunWithout> {
  await resetStage(stage);
  const probe = { ...grant, ...(role.kind === "Role" ? { namespace: NAMESPACE } : {}), ...(grant.resourceNames ? { name: grant.resourceNames[0] } : {}) };
  await applyAsAdmin(stage, [{ ...role, rules: rulesWithout(role.rules as PolicyRule[], grant) }]);
  await waitFor(`the authorizer to refuse ${grantKey(grant)} to ${user}`, async () => ((await allowed(stage, user, probe)) ? undefined : true));
  const from = stage.proxy.requests.length;
  let refused: RecordedRequest[] = [];
  const isRefused = () => (refused = recordedFrom(stage, who, from).filter((r) => r.status === 403 && needs(r, grant))).length > 0;
  const run: RunWithout = { refused: [], countedForbidden: 0, loggedForbidden: [] };
  let controller: ControllerProcess | undefined;
  let webhook: WebhookProcess | undefined;
  try {
    if (who === "controller") {
      controller = await startController(stage);
      const exercise = exerciseController(stage, isRefused);
      await waitFor(`a 403 for ${grantKey(grant)}`, () => (isRefused() ? true : undefined), 30_000);
      await exercise;
      run.countedForbidden = sumOf(await controller.metrics(), "kube_api_requests_total", { code: "403" });
      run.loggedForbidden = await waitFor("the controller to log or count the refusal", () => {
        const lines = forbiddenLines(controller?.logs.map((l) => JSON.stringify(l)) ?? []);
        return lines.length > 0 || run.countedForbidden > 0 ? lines : undefined;
      }, 5_000).catch(() => []);
    } else {
      webhook = launchWebhook(stage);
      await waitFor(`a 403 for ${grantKey(grant)}`, () => (isRefused() ? true : undefined), 30_000);
      const log = webhook.logFile;
      run.loggedForbidden = await waitFor("the webhook to log the refusal", async () => {
        const lines = forbiddenLines((await Bun.file(log).text()).split("\n"));
        return lines.length > 0 ? lines : undefined;
      }, 5_000).catch(() => []);
    }
  } finally {
    await controller?.stop();
    await webhook?.stop();
    await applyAsAdmin(stage, [role]);
    await waitFor(`the authorizer to allow ${grantKey(grant)} to ${user} again`, async () => ((await allowed(stage, user, probe)) ? true : undefined));
  }
  run.refused = refused;
  return run;
}

/**
 * Drives the controller through every operation it has rights for, step by step, until `done()`:
 * a mirror for a new container, two stops (the second repeats the first's Event), a docker rm.
 * Each step is bounded and may fail (a missing right stops the chain); only the 403 matters.
 */
async function exerciseController(stage: Stage, done: () => boolean): Promise<void> {
  let id = "";
  const steps: Array<() => Promise<unknown>> = [
    async () => {
      id = await runLabelled(stage.docker);
      await pollUntil(done, async () => (await stage.admin.getContainer(NAMESPACE, id))?.status?.status === "running");
    },
    async () => {
      await requestAction(stage, id, "stop");
      await pollUntil(done, async () => (await stage.admin.getContainer(NAMESPACE, id))?.metadata.annotations?.[ANNOTATION_ACTION] === undefined);
    },
    async () => {
      await requestAction(stage, id, "stop");
      await pollUntil(done, async () => (await stage.admin.getContainer(NAMESPACE, id))?.metadata.annotations?.[ANNOTATION_ACTION] === undefined);
    },
    async () => {
      await stage.docker.getContainer(id).remove({ force: true });
      await pollUntil(done, async () => (await stage.admin.getContainer(NAMESPACE, id)) === undefined);
    },
  ];
  for (const step of steps) {
    if (done()) return;
    await step().catch(() => undefined);
  }
}

export function describeRequest(r: RecordedRequest): string {
  return `${r.client}: ${r.method} ${r.path}${r.query} → ${r.status} ${r.message ?? ""}`;
}

/** Log lines that report a refusal by the apiserver (HTTP 403 / Forbidden), without the timestamp. */
export function forbiddenLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/"time":"[^"]*",?/, "")).filter((l) => /forbidden|HTTP 403|"(status|code|statusCode)":403\b/i.test(l));
}

/** Polls `probe` every 100 ms until it is true, `stop()` is true, or 8 s pass. */
async function pollUntil(stop: () => boolean, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 8_000;
  while (!stop() && Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await Bun.sleep(100);
  }
}
