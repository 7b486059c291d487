/**
 * The checked-in renderings of the kustomize targets (deploy/rendered/, written by deploy/render.sh),
 * parsed into plain objects.
 */
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = new URL("../../../", import.meta.url).pathname;
export const DEPLOY_DIR = `${REPO_ROOT}deploy/`;

/** The kustomize targets and the file each renders to. */
export const RENDER_TARGETS = [
  { name: "base", dir: "base" },
  { name: "webhook", dir: "overlays/webhook" },
  { name: "admission-policy", dir: "overlays/admission-policy" },
] as const;
export type RenderName = (typeof RENDER_TARGETS)[number]["name"];

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [field: string]: any;
}

export function renderedPath(name: RenderName, dir = `${DEPLOY_DIR}rendered`): string {
  return `${dir}/${name}.yaml`;
}

/** Every document of a multi-document YAML text; throws on a YAML error or a document that is not an object. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${source}: a document is not an object`);
    objects.push(value as KubeObject);
  }
  return objects;
}

export async function readRendered(name: RenderName, dir?: string): Promise<KubeObject[]> {
  const path = renderedPath(name, dir);
  return parseManifests(await Bun.file(path).text(), path);
}

/** The one object of `kind` (and `name`, when given); throws when there is not exactly one. */
export function theObject(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0] as KubeObject;
}
