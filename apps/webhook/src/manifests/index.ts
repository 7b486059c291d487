/**
 * The generated deploy/ YAML: rendering (from registration/ and cel/), writing (write-manifests.ts,
 * a script) and the staleness tests. Imports registration/, cel/ and yaml.
 */
export * from "./manifest-files.ts";
