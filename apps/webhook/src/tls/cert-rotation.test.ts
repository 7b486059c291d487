import { describe, expect, test } from "bun:test";
import type { ServingMaterial } from "./cert-material.ts";
import { joinBundles, startCertRotation, type RotationHooks } from "./cert-rotation.ts";
import type { CertLoad, CertSource } from "./cert-source.ts";

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
const material = (leaf: string, ca: string): ServingMaterial => ({ certPem: pem(leaf), keyPem: `key-${leaf}`, caPem: pem(ca) });

/** A source that returns whatever the test puts in `next`. */
function scriptedSource(first: CertLoad) {
  const state = { next: first };
  const source: CertSource = { description: "scripted", load: async () => state.next };
  return { source, state };
}

function recordingHooks(publishOk: () => boolean = () => true) {
  const events: string[] = [];
  const hooks: RotationHooks = {
    async publishCaBundle(bundle) {
      events.push(`publish ${bundle.match(/BEGIN/g)?.length ?? 0} CA(s): ${bundle.replace(/-----[A-Z ]+-----|\n/g, " ").trim().replace(/\s+/g, " ")}`);
      return publishOk();
    },
    async serve(m) {
      events.push(`serve ${m.keyPem}`);
    },
    caPropagationMs: 2000,
    async sleepMs(ms) {
      events.push(`sleep ${ms}`);
    },
  };
  return { hooks, events };
}

describe("certificate rotation", () => {
  const a = material("leafA", "ca1");

  test("unchanged material: nothing happens", async () => {
    const { source } = scriptedSource({ kind: "ready", material: a, issued: "none" });
    const { hooks, events } = recordingHooks();
    const rotation = startCertRotation(source, a, hooks, 0);
    expect(await rotation.checkNow()).toEqual({ kind: "unchanged" });
    expect(events).toEqual([]);
  });

  test("a renewed leaf from the same CA: switch the listener, publish nothing", async () => {
    const { source, state } = scriptedSource({ kind: "ready", material: a, issued: "none" });
    const { hooks, events } = recordingHooks();
    const rotation = startCertRotation(source, a, hooks, 0);
    const b = material("leafB", "ca1");
    state.next = { kind: "ready", material: b, issued: "leaf", why: "expires" };
    expect(await rotation.checkNow()).toMatchObject({ kind: "replaced", caChanged: false });
    expect(events).toEqual(["serve key-leafB"]);
    expect(rotation.current()).toEqual(b);
  });

  test("a new CA: publish old+new, wait, switch, then publish the new CA alone", async () => {
    const { source, state } = scriptedSource({ kind: "ready", material: a, issued: "none" });
    const { hooks, events } = recordingHooks();
    const rotation = startCertRotation(source, a, hooks, 0);
    state.next = { kind: "ready", material: material("leafC", "ca2"), issued: "ca-and-leaf" };
    expect(await rotation.checkNow()).toMatchObject({ kind: "replaced", caChanged: true });
    expect(events).toEqual(["publish 2 CA(s): ca2 ca1", "sleep 2000", "serve key-leafC", "publish 1 CA(s): ca2"]);
  });

  test("the new CA cannot be published: keep serving the old certificate, retry next time", async () => {
    const { source, state } = scriptedSource({ kind: "ready", material: a, issued: "none" });
    let ok = false;
    const { hooks, events } = recordingHooks(() => ok);
    const rotation = startCertRotation(source, a, hooks, 0);
    state.next = { kind: "ready", material: material("leafC", "ca2"), issued: "ca-and-leaf" };
    expect(await rotation.checkNow()).toEqual({ kind: "not-published" });
    expect(events.some((e) => e.startsWith("serve"))).toBe(false);
    expect(rotation.current()).toEqual(a);
    ok = true;
    expect((await rotation.checkNow()).kind).toBe("replaced");
  });

  test("an unavailable source keeps the current material", async () => {
    const { source, state } = scriptedSource({ kind: "ready", material: a, issued: "none" });
    const { hooks, events } = recordingHooks();
    const rotation = startCertRotation(source, a, hooks, 0);
    state.next = { kind: "unavailable", detail: "half-written" };
    expect(await rotation.checkNow()).toEqual({ kind: "unavailable", detail: "half-written" });
    expect(events).toEqual([]);
  });

  test("overlapping checks: the second reports busy", async () => {
    let release: () => void = () => undefined;
    const source: CertSource = {
      description: "slow",
      load: () => new Promise((resolve) => (release = () => resolve({ kind: "ready", material: a, issued: "none" }))),
    };
    const rotation = startCertRotation(source, a, recordingHooks().hooks, 0);
    const first = rotation.checkNow();
    expect(await rotation.checkNow()).toEqual({ kind: "busy" });
    release();
    expect(await first).toEqual({ kind: "unchanged" });
  });

  test("joinBundles keeps distinct certificates in order", () => {
    expect(joinBundles(pem("x") + pem("y"), pem("y"), "", pem("z"))).toBe(`${pem("x").trim()}\n${pem("y").trim()}\n${pem("z").trim()}\n`);
    expect(joinBundles("", "")).toBe("");
  });
});
