/**
 * The simulated controller's Docker client: a real dockerode whose connections the fake engine's HTTP
 * routes serve in-process (no socket, no wall time), so the controller's real DockerodeContainerEngine
 * and DockerodeMirrorSource read the real status codes and bodies through docker-modem's own parsing —
 * the answers the wire face gives (in-process-wire.test.ts holds the two equal). Faults are the engine's
 * one fault gate.
 *
 * docker-modem builds the request (path, query, headers, body) in `dial` and sends it in `buildRequest`;
 * only the latter is replaced, and the answer goes back through its own `buildPayload`. The request's
 * abort signal is not attached: the world runs in virtual time, and a wall-clock deadline would make a
 * run depend on the machine.
 */
import { Readable } from "node:stream";
import Docker from "dockerode";
import { handleDockerRequest, type SimulatedDocker } from "@container-actions/fake-docker";

interface ModemRequestOptions {
  path: string;
  method: string;
  headers: Record<string, string | number>;
}

interface ModemContext {
  isStream?: boolean;
  statusCodes: Record<number, string | boolean>;
}

type ModemCallback = (error: unknown, result: unknown) => void;

interface Modem {
  buildRequest(options: ModemRequestOptions, context: ModemContext, data: unknown, callback: ModemCallback): void;
  buildPayload(err: unknown, isStream: boolean, statusCodes: ModemContext["statusCodes"], openStdin: boolean, req: unknown, res: unknown, json: unknown, cb: ModemCallback): void;
}

/** A dockerode on `docker`, served in-process; `onAnswer` hears each answer's method, path and status. */
export function inProcessDockerode(docker: SimulatedDocker, onAnswer?: (method: string, path: string, status: number) => void): Docker {
  const client = new Docker({ socketPath: "/in-process/docker.sock" });
  const modem = client.modem as unknown as Modem;
  modem.buildRequest = (options, context, data, callback) => {
    void serve(docker, modem, options, context, data, callback, onAnswer);
  };
  return client;
}

/** What a client sees when the daemon drops the connection before answering. */
function connectionDropped(): Error {
  return Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
}

async function serve(
  docker: SimulatedDocker,
  modem: Modem,
  options: ModemRequestOptions,
  context: ModemContext,
  data: unknown,
  callback: ModemCallback,
  onAnswer?: (method: string, path: string, status: number) => void,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = String(value);
  const body = typeof data === "string" ? data : Buffer.isBuffer(data) ? new Uint8Array(data) : undefined;
  let response: Response;
  try {
    response = await handleDockerRequest(docker, new Request(`http://docker${options.path}`, { method: options.method, headers, ...(body === undefined ? {} : { body }) }));
  } catch (error) {
    return callback(error, null);
  }
  onAnswer?.(options.method, options.path, response.status);
  if (context.isStream === true) {
    const res = Object.assign(Readable.from(chunks(response)), { statusCode: response.status });
    return modem.buildPayload(null, true, context.statusCodes, false, {}, res, null, callback);
  }
  let buffer: Buffer;
  try {
    buffer = Buffer.from(await response.arrayBuffer());
  } catch {
    return callback(connectionDropped(), null);
  }
  // docker-modem's own reading of a body: parsed JSON, or the raw buffer.
  let json: unknown = buffer;
  try {
    json = JSON.parse(buffer.toString()) ?? buffer;
  } catch {
    json = buffer;
  }
  modem.buildPayload(null, false, context.statusCodes, false, {}, { statusCode: response.status }, json, callback);
}

/** A streamed body, chunk by chunk; a dropped stream is the connection reset. */
async function* chunks(response: Response): AsyncGenerator<Buffer> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch {
      throw connectionDropped();
    }
    if (next.done) return;
    yield Buffer.from(next.value);
  }
}
