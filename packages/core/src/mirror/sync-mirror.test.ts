import { describe, expect, test } from "bun:test";
import { API_VERSION, FINALIZER_MIRROR, KIND, type Container } from "../api/index.ts";
import type { DockerInspect } from "./docker-inspect.ts";
import { engineStateFromInspect, mirrorStatusFromInspect } from "./mirror-status.ts";
import type { MirrorLedger, MirrorSource, MirrorWrite } from "./ports.ts";
import { finalizeMirror, syncMirror } from "./sync-mirror.ts";

const ID = "ab".repeat(32);
const ref = { namespace: "default", name: ID };

function inspect(overrides: Partial<DockerInspect["State"]> = {}, extra: Partial<DockerInspect> = {}): DockerInspect {
  return {
    Id: ID,
    Name: "/web",
    Created: "2026-01-01T00:00:00.123456789Z",
    Path: "/bin/sleep",
    Args: ["1000"],
    Image: "sha256:feed",
    Config: { Labels: {} },
    State: {
      Status: "running", Running: true, Paused: false, Restarting: false, Pid: 42, ExitCode: 0, Error: "",
      StartedAt: "2026-01-01T00:00:01Z", FinishedAt: "0001-01-01T00:00:00Z", ...overrides,
    },
    NetworkSettings: { Ports: {} },
    ...extra,
  };
}

class Recorder implements MirrorLedger, MirrorSource {
  writes: string[] = [];
  docker: DockerInspect | undefined = inspect();
  removeAnswer: Awaited<ReturnType<MirrorSource["remove"]>> = { kind: "removed" };
  private note(w: string): Promise<MirrorWrite> {
    this.writes.push(w);
    return Promise.resolve({ kind: "written" });
  }
  create = () => this.note("create");
  addFinalizer = () => this.note("addFinalizer");
  writeStatus = (_r: unknown, s: { status: string }, absent: readonly string[]) => this.note(`status:${s.status}${absent.length ? ` -${absent.join(",")}` : ""}`);
  removeFinalizer = (_r: unknown, i: number) => this.note(`removeFinalizer:${i}`);
  delete = () => this.note("delete");
  list = async () => ({ kind: "listed" as const, ids: this.docker ? [ID] : [] });
  describe = async () => (this.docker ? { kind: "found" as const, inspect: this.docker } : { kind: "gone" as const });
  remove = async () => this.removeAnswer;
}

function mirrorOf(status = mirrorStatusFromInspect(inspect()), extra: Partial<Container["metadata"]> = {}): Container {
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name: ID, namespace: "default", finalizers: [FINALIZER_MIRROR], ...extra }, status };
}

describe("mirror status from docker inspect", () => {
  test("name, namespace, times, and zero times left out", () => {
    const s = mirrorStatusFromInspect(inspect());
    expect(s).toMatchObject({ name: "web", namespace: "moby", status: "running", image: "sha256:feed", startedAt: "2026-01-01T00:00:01Z" });
    expect(s.finishedAt).toBeUndefined();
    expect(mirrorStatusFromInspect(inspect({}, { Name: "/k8s/pod-a" }))).toMatchObject({ namespace: "k8s", name: "pod-a" });
  });
  test("the image name as docker ps shows it (Config.Image) beside the image ID; absent when Docker gives none", () => {
    expect(mirrorStatusFromInspect(inspect({}, { Config: { Image: "nginx:1.27", Labels: {} } }))).toMatchObject({ image: "sha256:feed", imageName: "nginx:1.27" });
    expect(mirrorStatusFromInspect(inspect()).imageName).toBeUndefined();
  });
  test("an unknown Docker state is mirrored as unknown (E28)", () => {
    expect(mirrorStatusFromInspect(inspect({ Status: "hibernating" })).status).toBe("unknown");
  });
  test("ports and bindings are sorted, so reordering is no change (E29)", () => {
    const a = inspect({}, { NetworkSettings: { Ports: { "81/tcp": null, "80/tcp": [{ HostIp: "::", HostPort: "8080" }, { HostIp: "0.0.0.0", HostPort: "8080" }] } } });
    const b = inspect({}, { NetworkSettings: { Ports: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "8080" }, { HostIp: "::", HostPort: "8080" }], "81/tcp": null } } });
    expect(mirrorStatusFromInspect(a)).toEqual(mirrorStatusFromInspect(b));
    expect(mirrorStatusFromInspect(a).ports?.[1]).toEqual({ name: "81/tcp" });
  });
  test("engine state carries StartedAt in ms", () => {
    expect(engineStateFromInspect(inspect())).toEqual({ status: "running", running: true, paused: false, restarting: false, startedAtMs: Date.parse("2026-01-01T00:00:01Z") });
  });
});

describe("mirror sync", () => {
  test("foreign name (a Docker name, a short ID): Docker is never asked, the object is deleted", async () => {
    for (const name of ["web", ID.slice(0, 12)]) {
      const r = new Recorder();
      r.describe = async () => { throw new Error("Docker was asked about a foreign name"); };
      const foreign = { namespace: "default", name };
      expect(await syncMirror(name, foreign, mirrorOf(undefined, { name, finalizers: [] }), { source: r, ledger: r })).toEqual({ kind: "removed" });
      expect(r.writes).toEqual(["delete"]);
    }
  });
  test("foreign name being deleted: the finalizer is released without a Docker removal", async () => {
    const r = new Recorder();
    r.remove = async () => { throw new Error("Docker was asked to remove a foreign name"); };
    const foreign = mirrorOf(undefined, { name: "web", deletionTimestamp: "2026-01-01T00:00:00Z" });
    expect(await finalizeMirror(foreign, { source: r, ledger: r }, { kind: "foreign", why: "not a full ID" })).toEqual({ kind: "released" });
  });
  test("new Docker container: mirror created with the finalizer, then its status", async () => {
    const r = new Recorder();
    expect(await syncMirror(ID, ref, undefined, { source: r, ledger: r })).toEqual({ kind: "updated", writes: 2 });
    expect(r.writes).toEqual(["create", "status:running"]);
  });
  test("mirror already matches: no write at all", async () => {
    const r = new Recorder();
    expect(await syncMirror(ID, ref, mirrorOf(), { source: r, ledger: r })).toEqual({ kind: "unchanged" });
    expect(r.writes).toEqual([]);
  });
  test("lastAction and conditions never count as a difference", async () => {
    const r = new Recorder();
    const m = mirrorOf();
    m.status!.lastAction = { action: "stop", state: "Succeeded", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00Z" };
    expect((await syncMirror(ID, ref, m, { source: r, ledger: r })).kind).toBe("unchanged");
  });
  test("docker stop: status rewritten; a field Docker no longer reports is removed", async () => {
    const r = new Recorder();
    const before = mirrorOf(mirrorStatusFromInspect(inspect({ Error: "oops" })));
    r.docker = inspect({ Status: "exited", Running: false, Pid: 0, ExitCode: 137 });
    await syncMirror(ID, ref, before, { source: r, ledger: r });
    expect(r.writes).toEqual(["status:exited -error"]);
  });
  test("a finalizer edited away is re-added (E27), but never on a terminating object", async () => {
    const r = new Recorder();
    await syncMirror(ID, ref, mirrorOf(undefined, { finalizers: [] }), { source: r, ledger: r });
    expect(r.writes).toEqual(["addFinalizer"]);
    const t = new Recorder();
    await syncMirror(ID, ref, mirrorOf(undefined, { finalizers: [], deletionTimestamp: "2026-01-01T00:00:00Z" }), { source: t, ledger: t });
    expect(t.writes).toEqual([]);
  });
  test("docker rm: the mirror is deleted (its finalizer then completes)", async () => {
    const r = new Recorder();
    r.docker = undefined;
    expect(await syncMirror(ID, ref, mirrorOf(), { source: r, ledger: r })).toEqual({ kind: "removed" });
    expect(r.writes).toEqual(["delete"]);
  });
});

describe("finalizer", () => {
  const terminating = () => mirrorOf(undefined, { deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["other", FINALIZER_MIRROR] });
  test("Kubernetes delete: Docker container removed, then our finalizer (by its index)", async () => {
    const r = new Recorder();
    expect(await finalizeMirror(terminating(), { source: r, ledger: r }, { kind: "own" })).toEqual({ kind: "released" });
    expect(r.writes).toEqual(["removeFinalizer:1"]);
  });
  test("already gone from Docker (docker rm raced the delete, E26): finalizer released", async () => {
    const r = new Recorder();
    r.removeAnswer = { kind: "gone" };
    expect((await finalizeMirror(terminating(), { source: r, ledger: r }, { kind: "own" })).kind).toBe("released");
  });
  test("engine unreachable: finalizer kept, retry", async () => {
    const r = new Recorder();
    r.removeAnswer = { kind: "unreachable", detail: "ECONNREFUSED" };
    expect((await finalizeMirror(terminating(), { source: r, ledger: r }, { kind: "own" })).kind).toBe("retry");
    expect(r.writes).toEqual([]);
  });
  test("a foreign Container carrying our finalizer (hand-written): only the finalizer goes, Docker is not called", async () => {
    const r = new Recorder();
    let removes = 0;
    r.remove = async () => (removes++, r.removeAnswer);
    expect(await finalizeMirror(terminating(), { source: r, ledger: r }, { kind: "foreign", why: "not an ID" })).toEqual({ kind: "released" });
    expect(removes).toBe(0);
    expect(r.writes).toEqual(["removeFinalizer:1"]);
  });
  test("engine not listed yet: finalizer kept, retry", async () => {
    const r = new Recorder();
    expect((await finalizeMirror(terminating(), { source: r, ledger: r }, { kind: "unknown-yet" })).kind).toBe("retry");
    expect(r.writes).toEqual([]);
  });
  test("not terminating, or not our finalizer: nothing to do", async () => {
    const r = new Recorder();
    expect((await finalizeMirror(mirrorOf(), { source: r, ledger: r }, { kind: "own" })).kind).toBe("not-ours");
  });
});
