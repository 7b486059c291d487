/**
 * An engine as its model receives calls: each call the controller's ports make to engine `index` is
 * told to the no-cross-talk checker before it runs. The wrappers return the model's own promise (no
 * extra await), so no interleaving of a run changes: a world replays the same with or without them.
 */
import type { ContainerEngine, MirrorSource } from "@container-actions/core";
import type { NoCrossTalk } from "../invariants/index.ts";
import type { EngineModels } from "./world-models.ts";

export function observedEngine(index: number, models: EngineModels, checker: Pick<NoCrossTalk, "received">): EngineModels {
  const { engine, source } = models;
  const tell = (id: string, call: string, changes: boolean) => checker.received(index, id, call, changes);
  const observed: ContainerEngine = {
    inspect: (id) => (tell(id, "inspect", false), engine.inspect(id)),
    restartedSince: (id, sinceMs) => (tell(id, "events", false), engine.restartedSince(id, sinceMs)),
    perform: (id, action) => (tell(id, action, true), engine.perform(id, action)),
  };
  const observedSource: MirrorSource = {
    list: () => source.list(),
    describe: (id) => (tell(id, "inspect", false), source.describe(id)),
    remove: (id) => (tell(id, "rm", true), source.remove(id)),
  };
  return { ...models, engine: observed, source: observedSource };
}
