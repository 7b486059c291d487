/**
 * One watch on the Containers of a namespace, shared by every wait of a bench: the latest object of each
 * name, and waits that resolve with the wall time (performance.now()) at which an event first showed
 * what they wait for — what a GUI watching for its outcome would see.
 */
import type { Container } from "@container-actions/core";
import { kubeConnectionSource, loadKubeConfig } from "@container-actions/controller";

interface Waiter {
  name: string;
  until: (c: Container) => boolean;
  resolve: (atMs: number) => void;
}

export class ContainerWatch {
  private readonly latest = new Map<string, Container>();
  private readonly waiters = new Set<Waiter>();
  private readonly abort = new AbortController();

  private constructor() {}

  /** Lists the namespace, then watches from the list's resourceVersion until {@link close}. */
  static async open(kubeconfigPath: string, namespace: string, containersPath: string): Promise<ContainerWatch> {
    const connection = await kubeConnectionSource(loadKubeConfig({ kind: "file", path: kubeconfigPath }))();
    const init = { headers: { ...connection.headers, Accept: "application/json" }, tls: connection.tls } as RequestInit;
    const watch = new ContainerWatch();
    const listed = (await (await fetch(`${connection.server}${containersPath}`, init)).json()) as { items: Container[]; metadata: { resourceVersion: string } };
    for (const item of listed.items) watch.latest.set(item.metadata.name, item);
    const url = `${connection.server}${containersPath}?watch=1&resourceVersion=${listed.metadata.resourceVersion}`;
    const response = await fetch(url, { ...init, signal: watch.abort.signal } as RequestInit);
    if (!response.ok || response.body === null) throw new Error(`watch on ${namespace}: HTTP ${response.status}`);
    void watch.read(response.body);
    return watch;
  }

  /** Resolves with the wall time of the first event (or the current object) on `name` for which `until` holds. */
  waitFor(name: string, until: (c: Container) => boolean, timeoutMs: number): Promise<number> {
    const now = this.latest.get(name);
    if (now !== undefined && until(now)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { name, until, resolve: (atMs) => (clearTimeout(timer), resolve(atMs)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting on ${name.slice(0, 12)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  current(name: string): Container | undefined {
    return this.latest.get(name);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of body) {
        const atMs = performance.now();
        buffered += decoder.decode(chunk, { stream: true });
        for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim() !== "") this.deliver(JSON.parse(line) as { type: string; object: Container }, atMs);
        }
      }
    } catch (error) {
      if (!this.abort.signal.aborted) throw error;
    }
  }

  private deliver(event: { type: string; object: Container }, atMs: number): void {
    if (event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED") return;
    const name = event.object.metadata.name;
    if (event.type === "DELETED") this.latest.delete(name);
    else this.latest.set(name, event.object);
    for (const w of this.waiters) {
      if (w.name !== name || event.type === "DELETED" || !w.until(event.object)) continue;
      this.waiters.delete(w);
      w.resolve(atMs);
    }
  }
}
