/**
 * Every bug the simulator (or a review) found, kept as the exact scenario that showed it. Each was
 * checked to break an invariant against the code before its fix (the fix reverted by hand) and to pass
 * after; `regressions.test.ts` replays them all in CI. Add one for every bug found.
 */
import { NO_FAULTS } from "../../faults/fault-options.ts";
import type { Scenario } from "../scenario.ts";

export interface Regression {
  name: string;
  /** What went wrong, and which invariant caught it. */
  bug: string;
  /** Where it was fixed. */
  fix: string;
  scenario: Scenario;
}

export const REGRESSIONS: Regression[] = [
  {
    name: "id-less-double-restart",
    bug:
      "an id-less restart ran twice with no crash and no fault: lastAction written (version N), a client's " +
      "newer stop made the removal fail, the lagging cache then delivered N, still holding the restart, which " +
      "the write fence took as fresh; no-duplicate-dispatch: 'request restart (write 1) changed the container 2 times'",
    fix: "core reconcile: an id-less request gets a server-chosen id before its Docker call (issue 12)",
    scenario: {
      seed: 64,
      containers: 1,
      steps: [
        { kind: "request", container: 0, action: "restart", withId: false, keepsId: true },
        { kind: "wait", ms: 250 },
        { kind: "request", container: 0, action: "stop", withId: false, keepsId: true },
      ],
      faults: { ...NO_FAULTS, watchLagMsMax: 2_000, engineLatencyMsMax: 200, apiLatencyMsMax: 150 },
    },
  },
  {
    name: "rm-f-racing-pause",
    bug:
      "the finalizer's rm -f (SIGKILL) and a docker pause landed together: the Docker model held the kill " +
      "back behind the freeze, so the container never exited; no-wedge: 'deletion never completed'",
    fix: "engine/container-lifecycle.ts: a freeze never holds back a SIGKILL (commit 4325ba4)",
    scenario: {
      seed: 6,
      containers: 1,
      steps: [
        { kind: "delete", container: 0 },
        { kind: "wait", ms: 60 },
        { kind: "docker", container: 0, op: "pause" },
      ],
      faults: { ...NO_FAULTS, engineLatencyMsMax: 100 },
    },
  },
  {
    name: "succeeded-keeps-previous-error",
    bug:
      "a merge patch of lastAction that does not null absent optional fields leaves a Succeeded outcome with " +
      "the previous failure's error; truth: 'recorded start#r2 as Succeeded with error …'",
    fix: "api/patches.ts lastActionPatch: absent optional fields are sent as null",
    scenario: {
      seed: 1,
      containers: 1,
      steps: [
        { kind: "docker", container: 0, op: "stop" },
        { kind: "wait", ms: 500 },
        { kind: "request", container: 0, action: "pause", withId: true },
        { kind: "wait", ms: 500 },
        { kind: "request", container: 0, action: "start", withId: true },
      ],
      faults: NO_FAULTS,
    },
  },
];
