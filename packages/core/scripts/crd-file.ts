import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { containerCrd } from "../src/index.ts";

export const CRD_PATH = fileURLToPath(new URL("../../../deploy/crd/containers.yaml", import.meta.url));

export function renderCrdYaml(): string {
  return `# Generated from packages/core/src/api by \`bun run generate\`. Do not edit.\n${stringify(containerCrd(), { lineWidth: 0 })}`;
}
