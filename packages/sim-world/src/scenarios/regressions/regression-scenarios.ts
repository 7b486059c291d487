/**
 * Every bug the simulator (or a review) found, kept as the exact scenario that showed it. Each was
 * checked to break an invariant against the code before its fix (the fix reverted by hand) and to pass
 * after; `regressions.test.ts` replays them all in CI. Add one for every bug found.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { faultOptions, NO_FAULTS } from "@container-actions/sim-kernel";
import type { Scenario } from "../scenario.ts";

/**
 * A chaos-sweep counterexample, shrunk (greedy step removal) against the code before its fix. A knob
 * added to the fault model after the save is off, as it was when the bug was found.
 */
function saved(file: string): Scenario {
  const scenario = JSON.parse(readFileSync(join(import.meta.dir, file), "utf8")) as Scenario;
  return { ...scenario, faults: faultOptions(scenario.faults) };
}

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
  {
    name: "crash-storm-stop-undone-by-restart",
    bug:
      "chaos crash-storm: restarts that crashed predecessors left running started the container a stop had " +
      "just stopped, so the stop rightly acted again; the checker took it for a duplicate (no-duplicate-dispatch: " +
      "'request stop#r8 (write 8) changed the container 2 times'). Checker wrong.",
    fix: "invariants/no-duplicate-dispatch.ts: the controller's calls for other requests undo an effect too",
    scenario: saved("crash-storm-stop-undone-by-restart.json"),
  },
  {
    name: "flaky-engine-precheck-reached",
    bug:
      "chaos flaky-engine: an unpause whose Docker call had found the engine unreachable was later decided by " +
      "an inspect that did reach it (Failed 'not running'); the checker only knew the unreachable call (truth: " +
      "'… though the engine was never reached'). Checker wrong.",
    fix: "invariants/truth.ts: the latest engine contact of the request decides, pre-check reads included",
    scenario: saved("flaky-engine-precheck-reached.json"),
  },
  {
    name: "swarm-retry-after-500-on-gone",
    bug:
      "chaos swarm: a pass told 500 (injected) about a hand-made Container that was in fact gone retried; the " +
      "check remembered an earlier pass's 404 (no-wedge: 'retried a request of a deleted Container'). Checker wrong.",
    fix: "world/world.ts: the I2 check judges the answer the pass itself received",
    scenario: saved("swarm-retry-after-500-on-gone.json"),
  },
  {
    name: "swarm-real-mirror-status-delayed",
    bug:
      "chaos swarm: a flaky engine kept a fresh mirror's status from being written, and a request on it was " +
      "dropped after 8 attempts (about 1.3 s) as if the object mirrored nothing (no-lost-request: 'on a real " +
      "mirror was dropped: the Container has no mirrored status'). Protocol wrong.",
    fix: "core reconcile: before dropping a status-less request, one inspect; a container Docker has keeps it",
    scenario: saved("swarm-real-mirror-status-delayed.json"),
  },
  {
    name: "crash-storm-rewrite-dated-before-restart",
    bug:
      "chaos crash-storm: a client rewrote a pending restart with the same value after a crashed predecessor's " +
      "restart for the old request had finished; managedFields kept the old time (the write took no field), so " +
      "the new request was recorded Succeeded without a restart (truth: 'Docker did not restart the container " +
      "after it was written'). Protocol wrong.",
    fix: "core: the restart pre-check dates a request by its id's managedFields time too, an id-less one by its stamp",
    scenario: saved("crash-storm-rewrite-dated-before-restart.json"),
  },
  {
    name: "ssa-same-value-apply-redates-restart",
    bug:
      "property 'crash between the Docker call and the status write' with the SSA client: restart#r1 ran, the " +
      "process crashed before its outcome, then a client applied the same value by server-side apply; the " +
      "applier co-owned the annotation with a later managedFields time, the pre-check dated r1 by it and " +
      "restarted again (no-duplicate-dispatch: 'changed the container 2 times'). Protocol wrong.",
    fix: "core requestWrittenAtMs: each annotation is dated by its earliest owner, the request by the later of the two",
    scenario: saved("ssa-same-value-apply-redates-restart.json"),
  },
  {
    name: "crash-storm-id-back-in-slot",
    bug:
      "chaos crash-storm (new generators): restart#r40, a stop reusing r40, then an action-only restart put " +
      "(restart, r40) back in the slot; running it again after the stop was right, the checker counted it as " +
      "the first one's duplicate. Checker wrong.",
    fix: "invariants/no-duplicate-dispatch.ts: an id back in the slot after its outcome or after another request is a new round",
    scenario: saved("crash-storm-id-back-in-slot.json"),
  },
  {
    name: "swarm-replay-after-outside-stop",
    bug:
      "chaos swarm: a pause took effect, its lastAction write answered 500, the docker CLI stopped the " +
      "container, and the retry found it not running: Failed told the truth, the checker said the call had " +
      "taken effect. Checker wrong.",
    fix: "invariants/truth.ts: an effect someone else undid no longer forbids a Failed replay",
    scenario: saved("swarm-replay-after-outside-stop.json"),
  },
  {
    name: "swarm-action-only-keeps-malformed-id",
    bug:
      "property swarm: an unadmitted write left a malformed id (\"-bad id-\") in the slot, then an action-only " +
      "client (kubectl annotate) wrote start: the slot held an invalid request, which the controller rightly " +
      "dropped, but the checker took the write for a valid one; no-lost-request. Checker wrong.",
    fix: "world/actors.ts: an action-only write that keeps a malformed id is recorded as the invalid write it makes",
    scenario: saved("swarm-action-only-keeps-malformed-id.json"),
  },
  {
    name: "api-faults-restart-event-same-millisecond",
    bug:
      "the restart pre-check replayed dockerd's events up to Date.now() itself: a restart our own call had just " +
      "caused, stamped later in that millisecond, was missed, so after its lastAction write answered 500 the " +
      "retry restarted the container again; no-duplicate-dispatch: 'request restart#r1 (write 1) changed the " +
      "container 2 times'. Found once the world ran the real DockerodeContainerEngine.",
    fix: "docker-adapters dockerode-container-engine.ts restartedSince: `until` is the end of the current millisecond (commit a51d196)",
    scenario: saved("api-faults-restart-event-same-millisecond.json"),
  },
  {
    name: "swarm-empty-id-drop",
    bug:
      "property swarm (SIM_SEED=6): an id-less stop, then an unadmitted write of stop with an empty id " +
      "(action-id: \"\"): the controller rightly dropped that invalid request, but the world recorded the drop " +
      "without its id (a truthiness test), so the checker matched it to the valid id-less stop it had replaced; " +
      "no-lost-request: 'request stop (write 1) on a real mirror was dropped'. Checker wrong.",
    fix: "world/world.ts: a drop is recorded with the id the slot held, an empty one included",
    scenario: saved("swarm-empty-id-drop.json"),
  },
  {
    name: "crash-replays-pause-lands-after-precheck",
    bug:
      "property 'crash replays of pause and unpause' (SIM_SEED=28): the controller was killed with its pause in " +
      "flight; the successor's pre-check inspect still saw the container running, the predecessor's pause landed, " +
      "and Docker refused the successor's own pause (409 'already paused'), recorded Failed (truth: 'recorded " +
      "pause#… as Failed (\"… is already paused\") though its Docker call took effect'). Protocol wrong. Found " +
      "once the world ran the real DockerodeContainerEngine.",
    fix: "core dispatch: a pause or unpause Docker refuses is inspected again; the goal state holds → Succeeded",
    scenario: saved("crash-replays-pause-lands-after-precheck.json"),
  },
  {
    name: "healthy-stretch-restart-outcome-answer-lost",
    bug:
      "property 'a healthy stretch without resync' (SIM_SEED=28): restart#a's slow restart finished while an " +
      "id-less restart waited; a's lastAction write answered 500 but was applied, so the fence learned no " +
      "version and the next pass read a cache without that outcome; the new request, stamped in the same " +
      "millisecond, was recorded Succeeded from a's restart (truth: 'recorded restart#… as Succeeded though " +
      "Docker did not restart the container after it was written'). Protocol wrong.",
    fix: "core RequestMemory: an outcome sent without an answer ends the restart window for any other request",
    scenario: saved("healthy-stretch-restart-outcome-answer-lost.json"),
  },
  {
    name: "swarm-pause-during-outside-slow-stop",
    bug:
      "chaos swarm (seed 900860): a docker CLI stop began, the controller's pause landed during its grace " +
      "period and its answer was lost (500 after the effect); dockerd's stop then unpaused the container to " +
      "kill it, and the retry, finding it running, paused it again. The second pause was right: the stop " +
      "had undone the first. no-duplicate-dispatch: 'request pause#r13 (write 13) changed the container 2 " +
      "times', because the checker dated the outside call at its start only. Checker wrong.",
    fix: "world/actors.ts records an out-of-band call when it starts and when dockerd answers it; no-duplicate-dispatch and truth treat it as acting anywhere in between",
    scenario: saved("swarm-pause-during-outside-slow-stop.json"),
  },
];
