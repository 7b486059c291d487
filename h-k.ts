import { runKustomization } from "./e2e/cluster/support/install.ts";
import { stringify } from "yaml";
import { mkdtempSync, writeFileSync } from "node:fs";
const d = mkdtempSync("/tmp/h-kz-");
writeFileSync(d + "/kustomization.yaml", stringify(runKustomization("unix:///tmp/h-cluster-de/docker.sock", new URL("https://127.0.0.1:6456"))));
console.log(d);
