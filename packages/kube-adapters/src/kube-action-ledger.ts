import {
  clearRequestPatch,
  FieldManager,
  lastActionPatch,
  stampRequestIdPatch,
  type ActionLedger,
  type ClearResult,
  type ContainerRef,
  type LastAction,
  type RawRequest,
  type RecordResult,
  type StampResult,
} from "@container-actions/core";
import { containerPath, JSON_PATCH, MERGE_PATCH } from "./api-paths.ts";
import type { KubeTransport } from "./kube-transport.ts";
import { classifyKubeAnswer, clearResultOf, recordResultOf, stampResultOf } from "./status-mapping.ts";

/**
 * {@link ActionLedger} on the Kubernetes API: exactly one write per method, no reads, and no
 * resourceVersion preconditions (docs/design/api_containers.md, steps 7, 9 and 10). The bodies are core's
 * (`stampRequestIdPatch`, `lastActionPatch`, `clearRequestPatch`); this adapter adds the transport.
 */
export class KubeActionLedger implements ActionLedger {
  constructor(private readonly kube: KubeTransport) {}

  /**
   * A JSON merge patch of `{status: {lastAction}}` on the status subresource. Optional fields the outcome
   * lacks are sent as `null`, so a Succeeded outcome removes a previous `error` (merge patches merge
   * nested objects). 404 → gone; 422 → rejected; no answer, 409, 429, 5xx → unavailable.
   */
  async recordOutcome(ref: ContainerRef, lastAction: LastAction): Promise<RecordResult> {
    const answer = await this.kube.send({
      method: "PATCH",
      path: containerPath(ref, "status"),
      query: { fieldManager: FieldManager.action },
      contentType: MERGE_PATCH,
      body: lastActionPatch(lastAction),
      verb: "patch",
      resource: "containers/status",
      caller: "action",
    });
    return recordResultOf(classifyKubeAnswer(answer));
  }

  /**
   * A JSON Patch on the main resource that removes the request annotations only if they still hold
   * exactly `request`: `test` the action, `test` the id (`null` when the request had none, which the
   * apiserver's JSON Patch accepts for a missing key), then `remove`. A failed test is 422 → superseded.
   */
  async clearRequest(ref: ContainerRef, request: RawRequest): Promise<ClearResult> {
    const answer = await this.kube.send({
      method: "PATCH",
      path: containerPath(ref),
      query: { fieldManager: FieldManager.action },
      contentType: JSON_PATCH,
      body: clearRequestPatch(request),
      verb: "patch",
      resource: "containers",
      caller: "action",
    });
    return clearResultOf(classifyKubeAnswer(answer));
  }

  /**
   * A JSON Patch on the main resource that adds the request id annotation only if the slot still holds
   * `action` without an id (`test` the action, `null` test of the id, `add`). 422 → superseded.
   */
  async stampRequestId(ref: ContainerRef, action: string, requestId: string): Promise<StampResult> {
    const answer = await this.kube.send({
      method: "PATCH",
      path: containerPath(ref),
      query: { fieldManager: FieldManager.action },
      contentType: JSON_PATCH,
      body: stampRequestIdPatch(action, requestId),
      verb: "patch",
      resource: "containers",
      caller: "action",
    });
    return stampResultOf(classifyKubeAnswer(answer));
  }
}

