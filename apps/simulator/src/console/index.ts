/**
 * The web console: the containers page and the chaos page, their JSON/SSE API, and the cluster client it
 * reads through. Imports core, the client (for action requests), the simulated world (for chaos runs) and
 * client-node.
 */
export { createConsoleApp, row, type ConsoleDeps, type ContainerRow } from "./console-app.ts";
export { kubeConsoleCluster, type ConsoleCluster, type ContainerChange, type RequestAnswer } from "./console-cluster.ts";
export { chaosRoutes, KNOB_LIMITS, RUNS_KEPT_MAX, RUNS_RUNNING_MAX, type ChaosDeps } from "./chaos-routes.ts";
export { chaosScenario, CrashMode, INVARIANTS, worldRunner, type ChaosKnobs, type PlotEvent, type ScenarioRunner, type Verdict } from "./chaos-run.ts";
