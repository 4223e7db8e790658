// Rounding for scores shown to people and compared in tests. Pure.
export function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
