/** Named readiness checks (e.g. "tls", "registration"); ready when every one registered is ok. */

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

export interface Readiness {
  /** Declares or updates a check. */
  set(name: string, ok: boolean, detail: string): void;
  report(): ReadinessReport;
}

export function createReadiness(): Readiness {
  const checks = new Map<string, { ok: boolean; detail: string }>();
  return {
    set(name, ok, detail) {
      checks.set(name, { ok, detail });
    },
    report() {
      const entries = Object.fromEntries(checks);
      return { ready: checks.size > 0 && [...checks.values()].every((c) => c.ok), checks: entries };
    },
  };
}
