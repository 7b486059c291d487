/**
 * Control of a running simulated world: starting the fake kube-apiserver and the simulated Docker
 * engine on the wire, and the HTTP control API over them (faults, process exits). Imports the cluster,
 * engine, wire faces and time folders.
 */
export { controlRoutes, type ControlDeps, type ProcessView, type StackView } from "./control-routes.ts";
export { ApiserverFaults, type ApiserverFaultSettings } from "./apiserver-faults.ts";
export {
  SOCKET_PATH_BYTES_MAX,
  startSimulatedCluster,
  startSimulatedEngine,
  engineControl,
  type EngineControl,
  type SimulatedCluster,
  type SimulatedEngine,
} from "./simulated-servers.ts";
