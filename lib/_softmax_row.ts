// The row kernel shared by softmax, logSoftmax and logSumExp.
//
// Plain max-subtraction (SciPy, PyTorch) rounds x - max, an absolute error of
// up to ulp(max - min) / 2 that exp turns into a relative error of the same
// size: about 500 ulp when the logits spread over 1000. Here x - max (and its
// division by the temperature) is carried as an unevaluated pair hi + lo
// through error-free transformations (TwoSum, Knuth; TwoProduct, Dekker), the
// small part enters as exp(hi + lo) ≈ exp(hi) * (1 + lo), and the exponentials
// are added with Neumaier's compensated summation, so every output stays
// within a few ulp of the exact value.

import { twoProductError, twoSumError } from "./_exact.ts";

/** What a row holds, decided before any exponential is taken. */
export type RowKind =
  /** Finite maximum: the ordinary case. */
  | "finite"
  /** A NaN among the unmasked entries. */
  | "nan"
  /** Every entry masked out (or none at all). */
  | "empty"
  /** One or more +Infinity entries: the limit distribution shares the mass among them. */
  | "infinite"
  /** Every unmasked entry is -Infinity: undefined (0 / 0). */
  | "negative-infinite";

/** Reusable per-row working storage and results. */
export class RowScratch {
  /** x - max (over the temperature), rounded part. */
  hi: Float64Array = new Float64Array(0);
  /** x - max (over the temperature), rounding error. */
  lo: Float64Array = new Float64Array(0);
  /** exp of the shifted entries. */
  exp: Float64Array = new Float64Array(0);
  /** The row's kind after {@linkcode scanRow}. */
  kind: RowKind = "empty";
  /** The row's maximum after {@linkcode scanRow}. */
  max = -Infinity;
  /** How many unmasked +Infinity entries the row has. */
  infinities = 0;
  /** Rounding error of the last {@linkcode sumExp} (the sum is returned). */
  sumError = 0;

  /** Grows the buffers to hold rows of `length` entries. */
  reserve(length: number): this {
    if (this.hi.length < length) {
      this.hi = new Float64Array(length);
      this.lo = new Float64Array(length);
      this.exp = new Float64Array(length);
    }
    return this;
  }
}

const shared = new RowScratch();

/**
 * The one scratch every call shares, grown to rows of `length` entries: a
 * call allocates nothing for it once rows of that length have been seen (the
 * functions are synchronous and never call out while they use it).
 */
export function rowScratch(length: number): RowScratch {
  return shared.reserve(length);
}

/** Finds the row's maximum and kind. Entry k sits at `data[base + k * stride]`. */
export function scanRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
): void {
  let max = -Infinity;
  let seen = 0;
  let infinities = 0;
  for (let k = 0, j = base; k < length; k++, j += stride) {
    if (mask !== undefined && mask[j] === 0) continue;
    const v = data[j] as number;
    if (v !== v) {
      s.kind = "nan";
      return;
    }
    seen++;
    if (v > max) max = v;
    if (v === Infinity) infinities++;
  }
  s.max = max;
  s.infinities = infinities;
  s.kind = seen === 0
    ? "empty"
    : infinities > 0
    ? "infinite"
    : max === -Infinity
    ? "negative-infinite"
    : "finite";
}

/**
 * Fills `s.hi[k] + s.lo[k] = (x[k] - max) / temperature` (exact to about
 * twice the working precision) for a finite row; masked entries get -Infinity.
 */
export function shiftRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
  temperature: number,
): void {
  const { hi, lo, max } = s;
  for (let k = 0, j = base; k < length; k++, j += stride) {
    if (mask !== undefined && mask[j] === 0) {
      hi[k] = -Infinity;
      lo[k] = 0;
      continue;
    }
    const v = data[j] as number;
    const d = v - max;
    // x - max overflows to -Infinity for spreads beyond the double range;
    // exp of it is 0 either way and the error term would be NaN.
    if (d === -Infinity) {
      hi[k] = d;
      lo[k] = 0;
      continue;
    }
    const dl = twoSumError(v, -max, d);
    if (temperature === 1) {
      hi[k] = d;
      lo[k] = dl;
      continue;
    }
    const q = d / temperature;
    const p = q * temperature;
    if (q === -Infinity || p === -Infinity) {
      hi[k] = q;
      lo[k] = 0;
      continue;
    }
    // d - q·T exactly (Sterbenz for d - p, TwoProduct for p's error), plus dl.
    const r = (d - p) - twoProductError(q, temperature, p) + dl;
    hi[k] = q;
    lo[k] = r / temperature;
  }
}

/**
 * Sums exp(hi + lo) over the row with Neumaier's compensated summation
 * (applied twice: to the terms and to their rounding errors),
 * storing each term in `s.exp` when `keep` is set. Returns the rounded sum;
 * its rounding error is left in `s.sumError`. The sum is at least 1, since the
 * maximum contributes exp(0) exactly.
 */
export function sumExp(s: RowScratch, length: number, keep: boolean): number {
  const { hi, lo, exp } = s;
  let sum = 0;
  let c = 0;
  let cc = 0;
  for (let k = 0; k < length; k++) {
    const e = Math.exp(hi[k] as number);
    const v = e + e * (lo[k] as number);
    if (keep) exp[k] = v;
    const t = sum + v;
    const err = sum >= v ? (sum - t) + v : (v - t) + sum;
    sum = t;
    // The rounding errors are summed with compensation too: when one term
    // dominates they are the whole small part of the sum, which log1p keeps.
    const u = c + err;
    cc += Math.abs(c) >= Math.abs(err) ? (c - u) + err : (err - u) + c;
    c = u;
  }
  c += cc;
  const total = sum + c;
  s.sumError = c - (total - sum);
  return total;
}

/**
 * log(sum + error) for a sum of at least 1: log1p near 1, where log would
 * lose the small part of the sum (and with it the precision of log-softmax
 * outputs near 0).
 */
export function logOfSum(sum: number, error: number): number {
  return sum < 2 ? Math.log1p((sum - 1) + error) : Math.log(sum) + error / sum;
}

/**
 * Fills a row whose kind is not "finite": the limit distribution (each of the
 * k +Infinity entries gets `share(k)`, the rest `zero`), NaN for unmasked
 * entries, or `zero` throughout for a fully masked row. `zero` and `share`
 * are 0 and 1/k for probabilities, -Infinity and -log(k) in log space.
 */
function fillSpecialRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
  out: Float64Array | Float32Array,
  outBase: number,
  zero: number,
  share: (k: number) => number,
): void {
  const infinite = s.kind === "infinite" ? share(s.infinities) : NaN;
  for (let k = 0, j = base, o = outBase; k < length; k++) {
    const masked = mask !== undefined && mask[j] === 0;
    out[o] = masked || s.kind === "empty"
      ? zero
      : s.kind === "infinite"
      ? (data[j] === Infinity ? infinite : zero)
      : NaN;
    j += stride;
    o += stride;
  }
}

/**
 * One row of softmax, the readable reference the fast kernels are tested
 * against: entry k is read at `data[base + k * stride]` and written at
 * `out[outBase + k * stride]` (`out` may be `data` itself, with
 * `outBase === base`: the row is read in full before it is written).
 */
export function softmaxRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
  temperature: number,
  out: Float64Array | Float32Array,
  outBase: number,
): void {
  scanRow(s, data, base, stride, length, mask);
  if (s.kind !== "finite") {
    fillSpecialRow(
      s,
      data,
      base,
      stride,
      length,
      mask,
      out,
      outBase,
      0,
      (k) => 1 / k,
    );
    return;
  }
  shiftRow(s, data, base, stride, length, mask, temperature);
  const sum = sumExp(s, length, true);
  const { exp } = s;
  for (let k = 0, o = outBase; k < length; k++, o += stride) {
    out[o] = (exp[k] as number) / sum;
  }
}

/**
 * One row of logSoftmax, the reference (same layout as {@linkcode softmaxRow}):
 * (x - max) / T - log Σ exp((x - max) / T), with the shift carried exactly.
 */
export function logSoftmaxRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
  temperature: number,
  out: Float64Array | Float32Array,
  outBase: number,
): void {
  scanRow(s, data, base, stride, length, mask);
  if (s.kind !== "finite") {
    fillSpecialRow(
      s,
      data,
      base,
      stride,
      length,
      mask,
      out,
      outBase,
      -Infinity,
      (k) => -Math.log(k),
    );
    return;
  }
  shiftRow(s, data, base, stride, length, mask, temperature);
  const log = logOfSum(sumExp(s, length, false), s.sumError);
  const { hi, lo } = s;
  for (let k = 0, o = outBase; k < length; k++, o += stride) {
    out[o] = ((hi[k] as number) - log) + (lo[k] as number);
  }
}

/** logSumExp of one row, the reference (entry k at `data[base + k * stride]`). */
export function logSumExpRow(
  s: RowScratch,
  data: ArrayLike<number>,
  base: number,
  stride: number,
  length: number,
  mask: Uint8Array | undefined,
): number {
  scanRow(s, data, base, stride, length, mask);
  switch (s.kind) {
    case "finite": {
      shiftRow(s, data, base, stride, length, mask, 1);
      const sum = sumExp(s, length, false);
      return s.max + logOfSum(sum, s.sumError);
    }
    case "nan":
      return NaN;
    case "infinite":
      return Infinity;
    case "negative-infinite":
    case "empty":
      return -Infinity;
  }
}
