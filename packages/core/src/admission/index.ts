/**
 * Admission rules for Container CREATE and UPDATE, as verdict values. Imports api/ and action/.
 */
export * from "./admission-rules.ts";
