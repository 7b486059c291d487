/**
 * A bench's command line through the one flag convention (cli-options): prints --help or the problems
 * and exits (0 or 2), as the controller and the webhook do; otherwise returns the typed values.
 */
import { parseOptions, type Command, type FlagTable, type OptionValues } from "@container-actions/cli-options";

export function benchOptions<T extends FlagTable>(command: Command<T>): OptionValues<T> {
  const parsed = parseOptions(command, Bun.argv.slice(2), process.env);
  if (parsed.kind === "help") {
    console.log(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === "invalid") {
    console.error(parsed.problems.join("\n"));
    process.exit(2);
  }
  return parsed.values;
}
