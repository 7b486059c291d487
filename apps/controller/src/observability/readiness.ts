/** A named readiness condition, read at every probe. */
export interface ReadinessCheck {
  name: string;
  ok: () => boolean;
}

/** /readyz: ready when every check passes; the body lists each check as Kubernetes' own probes do. */
export function readinessReport(checks: readonly ReadinessCheck[]): { ready: boolean; body: string } {
  const lines = checks.map((c) => (c.ok() ? `[+]${c.name} ok` : `[-]${c.name} failed`));
  const ready = checks.every((c) => c.ok());
  return { ready, body: `${lines.join("\n")}\n${ready ? "readyz check passed" : "readyz check failed"}\n` };
}
