// Error-free transformations: each returns a rounded result and the exact
// rounding error, so that a sum or product can be carried to twice the
// working precision where cancellation would otherwise lose it.

/**
 * Knuth's TwoSum: `a + b = s + e` exactly, with `s = fl(a + b)`.
 * Returns `e`; the caller already has `s`.
 */
export function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// Veltkamp's splitting constant 2^27 + 1: splits a double into two halves of
// at most 26 significant bits whose products are exact.
const SPLIT = 134217729;

/**
 * Dekker's TwoProduct: `a * b = p + e` exactly, with `p = fl(a * b)`
 * (barring overflow or underflow). Returns `e`; the caller already has `p`.
 */
export function twoProductError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
