#!/usr/bin/env bun
/**
 * `container-actions-sim COMMAND` (from a checkout: `bun run sim COMMAND`): one entry point for the
 * simulator's commands; each command's flags come from its cli-options table.
 *
 *   sim up      the whole system (same as `npm start`)
 *   sim serve   only the simulated apiserver and Docker engine, with the control API
 *   sim chaos   chaos runs of named scenarios (same as `bun run chaos`)
 *   sim props   the property suites, every property's runs spread over worker processes
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> }> = {
  up: { summary: "the whole system: cluster, Docker, webhook, controller, console, control API", load: () => import("./up.ts") },
  serve: { summary: "only the simulated kube-apiserver and Docker engine, with the control API", load: () => import("./serve.ts") },
  chaos: { summary: "chaos runs of named scenarios (--list, --scenario, --replay)", load: async () => ({ main: (await import("./chaos.ts")).mainReportingUsage }) },
  props: { summary: "the property suites, every property's runs spread over --workers processes", load: () => import("./props.ts") },
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const entry = command === undefined ? undefined : COMMANDS[command];
  if (entry === undefined) {
    const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(7)} ${c.summary}`);
    const text = `Usage: container-actions-sim COMMAND [flags]   (container-actions-sim COMMAND --help for its flags)\n\n${lines.join("\n")}`;
    if (command === undefined || command === "--help" || command === "help") {
      console.log(text);
      return command === undefined ? 64 : 0;
    }
    console.error(`unknown command "${command}"\n\n${text}`);
    return 64;
  }
  return (await entry.load()).main(rest);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      // up and serve run until a signal and exit on their own; the others return their code.
      process.exit(code);
    },
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
