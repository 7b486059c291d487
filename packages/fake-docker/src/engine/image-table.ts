/**
 * The engine's images: enough of an image store to answer create (`No such image`) and to give a
 * container its image id and default command. `local/busybox:latest` is there from the start, as in
 * the test engine that tools/docker-engine/start.sh prepares.
 */

/** One image: its content id and the command a container gets when create names none. */
export interface ImageRecord {
  /** `sha256:` plus 64 hex digits. */
  id: string;
  tags: string[];
  cmd: string[];
  entrypoint: string[] | null;
}

/** The image every simulated engine starts with. */
export const BUSYBOX_IMAGE: ImageRecord = Object.freeze({
  id: "sha256:8d06380a92dc07cedc4f0fe891c560030c8fa059474c2ceb284acf583bfdaede",
  tags: ["local/busybox:latest"],
  cmd: ["/bin/sleep", "100000"],
  entrypoint: null,
});

/** A reference as Docker shows it in messages: `docker.io/library/` dropped, `:latest` added. */
export function normalizeImageRef(ref: string): string {
  const familiar = ref.replace(/^docker\.io\/library\//, "").replace(/^docker\.io\//, "");
  if (familiar.includes("@")) return familiar;
  const lastPart = familiar.slice(familiar.lastIndexOf("/") + 1);
  return lastPart.includes(":") ? familiar : `${familiar}:latest`;
}

/** The images an engine holds, found by tag, full id or unique id prefix. */
export class ImageTable {
  private readonly images: ImageRecord[] = [];

  constructor(initial: readonly ImageRecord[] = [BUSYBOX_IMAGE]) {
    for (const image of initial) this.add(image);
  }

  /** Adds an image (a copy); a tag it carries moves away from any image that had it. */
  add(image: ImageRecord): void {
    const tags = image.tags.map(normalizeImageRef);
    for (const other of this.images) other.tags = other.tags.filter((t) => !tags.includes(t));
    this.images.push({ ...image, tags, cmd: [...image.cmd], entrypoint: image.entrypoint && [...image.entrypoint] });
  }

  /** Finds the image a create request names, or undefined (dockerd then answers 404 No such image). */
  resolve(ref: string): ImageRecord | undefined {
    const hex = ref.replace(/^sha256:/, "");
    if (/^[0-9a-f]{1,64}$/.test(hex)) {
      const byId = this.images.filter((i) => i.id.slice("sha256:".length).startsWith(hex));
      if (byId.length === 1) return byId[0];
    }
    const tag = normalizeImageRef(ref);
    return this.images.find((i) => i.tags.includes(tag));
  }

  count(): number {
    return this.images.length;
  }
}
