/**
 * Reads a seed: a decimal number, or a 40-hex commit hash (CI passes the commit, so every run uses a new
 * seed yet replays from the commit). Returns an unsigned 32-bit seed.
 */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(BigInt(trimmed) % 4294967296n);
  if (/^[0-9a-f]{40}$/i.test(trimmed)) return Number.parseInt(trimmed.slice(0, 8), 16) >>> 0;
  throw new Error(`seed "${text}" is neither a decimal number nor a 40-hex commit hash`);
}
