/**
 * Writes the generated YAML under deploy/. Run: `bun run --cwd apps/webhook generate`.
 * With `--engine-identity USER` (repeatable) it prints a policy restricted to those creators to
 * stdout instead, for clusters that want the engine-only create rule.
 */
import { parseArgs } from "node:util";
import { ADMISSION_POLICY_PATH, renderAdmissionPolicyYaml, renderWebhookConfigurationYaml, WEBHOOK_CONFIGURATION_PATH } from "./manifest-files.ts";

const { values } = parseArgs({ options: { "engine-identity": { type: "string", multiple: true } } });
const identities = values["engine-identity"] ?? [];
if (identities.length > 0) {
  process.stdout.write(renderAdmissionPolicyYaml(identities));
} else {
  await Bun.write(WEBHOOK_CONFIGURATION_PATH, renderWebhookConfigurationYaml());
  await Bun.write(ADMISSION_POLICY_PATH, renderAdmissionPolicyYaml());
  console.log(`wrote ${WEBHOOK_CONFIGURATION_PATH}\nwrote ${ADMISSION_POLICY_PATH}`);
}
