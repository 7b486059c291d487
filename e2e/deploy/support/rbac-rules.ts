/**
 * RBAC PolicyRules as sets of (verb, group, resource) grants, and the derived rules a test applies to
 * show that each grant is needed: the same rules with one verb taken out.
 */
import { grantKey } from "./api-request.ts";
import type { RecordedRequest } from "./recording-proxy.ts";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface Grant {
  verb: string;
  group: string;
  resource: string;
  /** The rule's resourceNames; absent: any name. */
  resourceNames?: string[];
}

/** Every (verb, group, resource) a rule list grants. Wildcards are refused: the manifests use none. */
export function grantsOf(rules: readonly PolicyRule[]): Grant[] {
  const grants: Grant[] = [];
  for (const rule of rules) {
    for (const list of [rule.apiGroups, rule.resources, rule.verbs]) {
      if (list.includes("*")) throw new Error(`wildcard in rule ${JSON.stringify(rule)}: least privilege lists each item`);
    }
    for (const group of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs) grants.push({ verb, group, resource, ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}) });
  }
  return grants;
}

/** The rules without `grant`'s verb on `grant`'s resource (a rule left without verbs or resources is dropped). */
export function rulesWithout(rules: readonly PolicyRule[], grant: Grant): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const rule of rules) {
    const matches = rule.apiGroups.includes(grant.group) && rule.resources.includes(grant.resource) && rule.verbs.includes(grant.verb);
    if (!matches) {
      out.push(rule);
      continue;
    }
    if (rule.apiGroups.length !== 1) throw new Error(`rule with several apiGroups: ${JSON.stringify(rule)}`);
    // Split the rule: the resource that loses the verb, and the rule's other resources unchanged.
    const others = rule.resources.filter((r) => r !== grant.resource);
    if (others.length > 0) out.push({ ...rule, resources: others });
    const verbs = rule.verbs.filter((v) => v !== grant.verb);
    if (verbs.length > 0) out.push({ ...rule, resources: [grant.resource], verbs });
  }
  return out;
}

/**
 * Every `verb group/resource` the apiserver authorized for these requests (any answer but 403 or
 * none). A server-side apply PATCH that created its object (201) was authorized as `create` too.
 */
export function usedGrants(requests: readonly RecordedRequest[]): Set<string> {
  const used = new Set<string>();
  for (const r of requests) {
    if (r.attributes === undefined || r.status === 0 || r.status === 403) continue;
    used.add(grantKey(r.attributes));
    if (r.method === "PATCH" && r.status === 201) used.add(grantKey({ ...r.attributes, verb: "create" }));
  }
  return used;
}

/**
 * Whether a request needs `grant`: same group, resource and verb -- or a PATCH when the grant is
 * `create`, since a server-side apply PATCH of an absent object is also authorized as create.
 */
export function needs(r: RecordedRequest, grant: Grant): boolean {
  const a = r.attributes;
  if (a === undefined || a.group !== grant.group || a.resource !== grant.resource) return false;
  return a.verb === grant.verb || (grant.verb === "create" && r.method === "PATCH");
}

export { grantKey };
