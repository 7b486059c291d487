/** How the bench prints numbers: ratios with a ×, counts per action with two decimals, NaN as "–". */

/** `a / b` as "1.23×"; "–" when either side is missing or b is 0. */
export function ratio(a: number, b: number, digits = 2): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "–";
  return `${(a / b).toFixed(digits)}×`;
}

/** A plain number with `digits` decimals; "–" when not finite. */
export function num(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** A count divided by a number of actions. */
export function perAction(count: number, actions: number, digits = 2): string {
  return actions > 0 ? (count / actions).toFixed(digits) : "–";
}
