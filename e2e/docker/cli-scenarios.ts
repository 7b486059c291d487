/**
 * Docker CLI scenarios for the CLI differential: each one a list of `docker` invocations run in order
 * against one engine, and how their output is normalised so that only what must differ (ids, times,
 * the container's generated name suffix, dockerd's host networking warning) does.
 */

/** One CLI call; `{N}` is replaced by the scenario's container name. `sleepMs` waits first. */
export interface CliStep {
  args: string[];
  sleepMs?: number;
}

export interface CliScenario {
  title: string;
  steps: CliStep[];
}

const IMAGE = "local/busybox:latest";
const STATUS = ["ps", "-a", "--filter", "name=^{N}$", "--format", "{{.Status}}|{{.Command}}"];
const STATE = ["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{.HostConfig.AutoRemove}}", "{N}"];

/** The scenarios of issue 14's Docker half: a command's own exit, --rm, wait, logs, ps -a, restart policy, stop. */
export const CLI_SCENARIOS: CliScenario[] = [
  {
    title: "run -d true exits 0 by itself; wait prints 0; ps -a says Exited (0)",
    steps: [{ args: ["run", "-d", "--name", "{N}", IMAGE, "/bin/true"] }, { args: ["wait", "{N}"] }, { args: STATUS }, { args: STATE }],
  },
  {
    // The test image has no /bin/false; `sh -c 'exit 1'` is the failing command both engines run.
    title: "run -d of a failing command: wait prints its code, ps -a shows it",
    steps: [{ args: ["run", "-d", "--name", "{N}", IMAGE, "sh", "-c", "exit 1"] }, { args: ["wait", "{N}"] }, { args: STATUS }],
  },
  {
    title: "run --rm echo prints hi in the foreground and removes the container",
    steps: [{ args: ["run", "--rm", "--name", "{N}", IMAGE, "sh", "-c", "echo hi"] }, { args: ["inspect", "{N}"] }],
  },
  {
    // Writes to stdout and stderr at the same moment reach the log in either order (a race in dockerd),
    // so the last line comes a second later for --tail to be deterministic.
    title: "foreground run: stdout and stderr apart, the command's exit code; logs and start -a replay it",
    steps: [
      { args: ["run", "--name", "{N}", IMAGE, "sh", "-c", "echo out; echo err >&2; sleep 1; echo last; exit 3"] },
      { args: ["logs", "{N}"] },
      { args: ["logs", "--tail", "1", "{N}"] },
      { args: ["logs", "-t", "{N}"] },
      { args: ["start", "-a", "{N}"] },
      { args: ["logs", "{N}"] },
      { args: STATUS },
    ],
  },
  {
    title: "restart policy on-failure:2: two restarts, then Exited with RestartCount 2",
    steps: [
      { args: ["run", "-d", "--restart", "on-failure:2", "--name", "{N}", IMAGE, "sh", "-c", "exit 5"] },
      { args: STATE, sleepMs: 4000 }, // real: three starts of ~0.2 s each plus 0.3 s of backoff; margin for a loaded CI machine
      { args: STATUS },
    ],
  },
  {
    title: "stop -t 1 without --init: sleep ignores TERM, SIGKILL after the timeout, 137",
    steps: [{ args: ["run", "-d", "--name", "{N}", IMAGE, "sleep", "30"] }, { args: ["stop", "-t", "1", "{N}"] }, { args: STATE }, { args: ["wait", "{N}"] }],
  },
  {
    title: "stop with --init: docker-init forwards TERM, 143",
    steps: [{ args: ["run", "-d", "--init", "--name", "{N}", IMAGE, "sleep", "30"] }, { args: ["stop", "{N}"] }, { args: STATE }, { args: STATUS }],
  },
  {
    title: "logs -f prints what comes later and returns when the container stops",
    steps: [
      { args: ["run", "-d", "--name", "{N}", IMAGE, "sh", "-c", "echo first; sleep 1; echo second; exit 6"] },
      { args: ["logs", "-f", "{N}"], sleepMs: 300 },
      { args: ["wait", "{N}"] },
    ],
  },
  {
    title: "docker attach to a running container prints its later output and exits with its code",
    steps: [
      { args: ["run", "-d", "--name", "{N}", IMAGE, "sh", "-c", "sleep 1; echo attached; exit 7"] },
      { args: ["attach", "{N}"], sleepMs: 200 },
      { args: STATUS },
    ],
  },
  {
    title: "sleep 1 ends by itself; --rm -d removes it; wait on a missing container",
    steps: [
      { args: ["run", "-d", "--rm", "--name", "{N}", IMAGE, "sleep", "1"] },
      { args: ["wait", "{N}"] },
      { args: ["inspect", "{N}"], sleepMs: 300 },
      { args: ["wait", "{N}"] },
    ],
  },
];

/** What a call printed, normalised. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Masks ids, times and the name's unique suffix; drops dockerd's warning about the host's networking. */
export function normaliseCli(text: string, name: string, shortName: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("WARNING: IPv4 forwarding is disabled"))
    .join("\n")
    .replaceAll(name, shortName)
    .replace(/[0-9a-f]{64}/g, "<ID>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/g, "<TIME>")
    .replace(/(Less than a second|\d+ seconds?|About a minute) ago/g, "<AGO> ago")
    .trimEnd();
}
