import type { HistoryEvent, Violation } from "./history.ts";
import type { Checker } from "./final-state.ts";

/**
 * A CREATE never carries a request (I1, E12): the apiserver must refuse a Container written by hand
 * with the action annotation, whoever writes it and whatever it is named — admitted, it would steer
 * Docker through a name its author chose (a real container's ID whose mirror is gone for a moment).
 * Judged on the answer the user got, which is what the webhook decides.
 */
export class CreateCarriesNoRequest implements Checker {
  on(event: HistoryEvent): Violation | null {
    if (event.kind !== "create-with-request" || !event.admitted) return null;
    return { invariant: "admission", subject: event.key, detail: `a CREATE of a Container carrying a ${event.action} request was admitted (I1)` };
  }

  finish(): Violation[] {
    return [];
  }
}
