/** Markdown tables for the bench's printed reports and summary.md. */

export type Align = "left" | "right";

/**
 * A GitHub-flavoured Markdown table. By default the first column is left-aligned and the others
 * right-aligned (numbers); `align` overrides that per column.
 */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, align?: readonly Align[]): string {
  const rule = headers.map((_, i) => ((align?.[i] ?? (i === 0 ? "left" : "right")) === "left" ? "---" : "---:"));
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(headers), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
