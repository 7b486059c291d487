/**
 * Writes the generated YAML under deploy/. Run: `bun run --cwd apps/webhook generate`.
 * With `--engine-identity USER` (repeatable) it prints a policy restricted to those creators to
 * stdout instead, for clusters that want the engine-only create rule.
 */
import { parseOptions } from "@container-actions/cli-options";
import { ADMISSION_POLICY_PATH, renderAdmissionPolicyYaml, renderWebhookConfigurationYaml, WEBHOOK_CONFIGURATION_PATH } from "./manifest-files.ts";

const parsed = parseOptions(
  {
    binary: "bun run --cwd apps/webhook generate --",
    summary: "Writes deploy/webhook and deploy/admission-policy; with --engine-identity, prints a restricted policy instead.",
    flags: { "engine-identity": { kind: "list", help: "user allowed to CREATE Containers in the printed policy" } },
  },
  Bun.argv.slice(2),
);
if (parsed.kind !== "ok") {
  console.error(parsed.kind === "help" ? parsed.text : parsed.problems.join("\n"));
  process.exit(parsed.kind === "help" ? 0 : 2);
}
const identities = parsed.values["engine-identity"];
if (identities.length > 0) {
  process.stdout.write(renderAdmissionPolicyYaml(identities));
} else {
  await Bun.write(WEBHOOK_CONFIGURATION_PATH, renderWebhookConfigurationYaml());
  await Bun.write(ADMISSION_POLICY_PATH, renderAdmissionPolicyYaml());
  console.log(`wrote ${WEBHOOK_CONFIGURATION_PATH}\nwrote ${ADMISSION_POLICY_PATH}`);
}
