/**
 * The Container API: names, the schema (one source for types, CRD and validation) and the CRD built
 * from it. Imports only TypeBox.
 */
export * from "./names.ts";
export * from "./container-id.ts";
export * from "./container-schema.ts";
export { containerCrd } from "./crd.ts";
export * from "./patches.ts";
