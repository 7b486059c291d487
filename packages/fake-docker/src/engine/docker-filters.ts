/**
 * Docker's `filters` query parameter (moby `api/types/filters`): parsing both JSON forms clients send
 * (`{"k":["v"]}` from dockerode, `{"k":{"v":true}}` from the docker CLI) and the match rules.
 */

/** A parsed filter set, or dockerd's answer to one it cannot read. */
export type ParsedFilters = { kind: "ok"; filters: FilterArgs } | { kind: "invalid"; message: string };

/** Parsed filters: each key holds a set of wanted values. */
export class FilterArgs {
  constructor(private readonly fields: ReadonlyMap<string, readonly string[]> = new Map()) {}

  /** Parses the JSON text of a `filters` parameter; an empty or absent parameter means no filters. */
  static parse(json: string | null | undefined): ParsedFilters {
    if (json === null || json === undefined || json === "") return { kind: "ok", filters: new FilterArgs() };
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (err) {
      return { kind: "invalid", message: `invalid character in filters: ${(err as Error).message}` };
    }
    if (raw === null) return { kind: "ok", filters: new FilterArgs() };
    if (typeof raw !== "object" || Array.isArray(raw)) {
      return { kind: "invalid", message: "json: cannot unmarshal filters: not an object" };
    }
    const fields = new Map<string, string[]>();
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(value)) fields.set(key, value.map(String));
      else if (value !== null && typeof value === "object") {
        fields.set(key, Object.entries(value).filter(([, on]) => on === true).map(([v]) => v));
      } else return { kind: "invalid", message: `json: cannot unmarshal filter ${key}` };
    }
    return { kind: "ok", filters: new FilterArgs(fields) };
  }

  keys(): string[] {
    return [...this.fields.keys()];
  }

  values(key: string): readonly string[] {
    return this.fields.get(key) ?? [];
  }

  has(key: string): boolean {
    return this.values(key).length > 0;
  }

  /** True when the key is unset, or `source` is one of its values. */
  exactMatch(key: string, source: string): boolean {
    const wanted = this.values(key);
    return wanted.length === 0 || wanted.includes(source);
  }

  /** Exact match, or `source` starts with one of the values (ids and names by prefix). */
  fuzzyMatch(key: string, source: string): boolean {
    return this.exactMatch(key, source) || this.values(key).some((prefix) => source.startsWith(prefix));
  }

  /** Exact match, or one of the values, read as a regular expression, matches `source`. */
  regexMatch(key: string, source: string): boolean {
    if (this.exactMatch(key, source)) return true;
    return this.values(key).some((pattern) => {
      try {
        return new RegExp(pattern).test(source);
      } catch {
        return false;
      }
    });
  }

  /** Every `k` or `k=v` value holds in `labels` (AND), or the key is unset. */
  matchKeyValues(key: string, labels: Readonly<Record<string, string>>): boolean {
    return this.values(key).every((kv) => {
      const eq = kv.indexOf("=");
      if (eq < 0) return Object.hasOwn(labels, kv);
      const k = kv.slice(0, eq);
      return Object.hasOwn(labels, k) && labels[k] === kv.slice(eq + 1);
    });
  }
}
