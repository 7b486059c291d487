/**
 * The web console: a containers page (live status, last action, action buttons) and a chaos page, served
 * as static files plus a small JSON/SSE API. One Elysia instance per route group.
 */
import { Elysia, t, type AnyElysia } from "elysia";
import { ACTION_NAMES, type ActionName, type Container, type LastAction } from "@container-actions/core";
import type { ConsoleCluster, ContainerChange } from "./console-cluster.ts";

const UI = new URL("./ui/", import.meta.url);
const PAGES: Record<string, string> = { "/": "index.html", "/chaos": "chaos.html" };
const ASSETS = new Set(["containers.js", "chaos.js", "console.css"]);

export interface ConsoleDeps {
  cluster: ConsoleCluster;
  /** Makes request ids; crypto.randomUUID in production, deterministic in tests. */
  newRequestId: () => string;
  /** The chaos runner's routes, when this console offers chaos runs. */
  chaos?: AnyElysia;
}

export function createConsoleApp(deps: ConsoleDeps) {
  const app = new Elysia()
    .get("/", () => page("/"))
    .get("/chaos", () => page("/chaos"))
    .get("/assets/:file", ({ params, status }) => (ASSETS.has(params.file) ? asset(params.file) : status(404, "not found")))
    .get("/healthz", () => "ok")
    .get("/api/containers", async () => (await deps.cluster.list()).items.map(row))
    .get("/api/containers/stream", ({ request }) => containerStream(deps.cluster, request.signal))
    .post(
      "/api/containers/:name/actions",
      async ({ params, body, status }) => {
        const answer = await deps.cluster.request(params.name, body.action as ActionName, deps.newRequestId());
        if (answer.kind === "written") return status(202, { requestId: answer.requestId });
        return status(answer.status >= 400 && answer.status < 600 ? answer.status : 502, { message: answer.message });
      },
      { body: t.Object({ action: t.Union(ACTION_NAMES.map((a) => t.Literal(a))) }) },
    );
  return deps.chaos ? app.use(deps.chaos) : app;
}

/** What the page shows of one Container. */
export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  status: string;
  pending: { action: string; requestId?: string } | null;
  lastAction: LastAction | null;
}

export function row(c: Container): ContainerRow {
  const annotations = c.metadata.annotations ?? {};
  const pendingAction = annotations["containers.rancherdesktop.io/action"];
  const pendingId = annotations["containers.rancherdesktop.io/action-id"];
  return {
    id: c.metadata.name,
    name: c.status?.name ?? c.metadata.name.slice(0, 12),
    // As `docker ps` shows it: the name the container was created from; the short image ID only when Docker gave none.
    image: c.status?.imageName ?? (c.status?.image ?? "").replace(/^sha256:/, "").slice(0, 12),
    status: c.status?.status ?? "unknown",
    pending: pendingAction === undefined ? null : { action: pendingAction, ...(pendingId ? { requestId: pendingId } : {}) },
    lastAction: c.status?.lastAction ?? null,
  };
}

/** Server-sent events: a snapshot, then every change; resumes the watch from the last version seen. */
function containerStream(cluster: ConsoleCluster, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          // The client went away between the check and the write.
        }
      };
      let handle: { stop(): void } | null = null;
      const follow = async (): Promise<void> => {
        if (signal.aborted) return;
        const { items, resourceVersion } = await cluster.list();
        send("snapshot", items.map(row));
        handle = await cluster.watch(
          resourceVersion,
          (change: ContainerChange) => send(change.type === "DELETED" ? "deleted" : "changed", row(change.object)),
          () => setTimeout(() => void follow().catch(() => {}), 500),
        );
      };
      signal.addEventListener("abort", () => {
        handle?.stop();
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      });
      await follow().catch((error) => send("problem", { message: String(error) }));
    },
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}

function page(path: string): Response {
  return new Response(Bun.file(new URL(PAGES[path] as string, UI)), { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function asset(file: string): Response {
  const type = file.endsWith(".css") ? "text/css" : "text/javascript";
  return new Response(Bun.file(new URL(file, UI)), { headers: { "Content-Type": `${type}; charset=utf-8` } });
}
