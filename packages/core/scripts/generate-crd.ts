/** Writes the generated CRD to deploy/crd/containers.yaml. Run: `bun run generate` at the repository root. */
import { renderCrdYaml, CRD_PATH } from "./crd-file.ts";

await Bun.write(CRD_PATH, renderCrdYaml());
console.log(`wrote ${CRD_PATH}`);
