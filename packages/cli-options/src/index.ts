/**
 * @container-actions/cli-options: one table-driven flag and environment parser (on node's util.parseArgs)
 * and one duration syntax for the controller, the webhook and every CLI.
 */
export { formatDuration, parseDuration, type DurationResult } from "./duration.ts";
export { helpText, parseOptions, type Command, type Env, type FlagKind, type FlagSpec, type FlagTable, type OptionValues, type ParseResult } from "./options.ts";
