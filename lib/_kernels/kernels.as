// WebAssembly SIMD kernels for softmax, logSoftmax, logSumExp, sigmoid and
// argmax over contiguous rows (AssemblyScript; built by build.ts into
// kernels.wasm and kernels_wasm.ts). They follow the plain TypeScript
// reference in lib/_softmax_row.ts step for step and are tested against it
// (tests/kernels_test.ts).
//
// Every kernel works in place on rows copied into linear memory. A row whose
// maximum is NaN or ±Infinity is left alone and flagged in `status` (one byte
// per row): the caller computes it with the reference, which defines those
// cases.
//
// float64 exp(d + dl), d ≤ 0 (exp64):
//   k = round(d / ln 2), r = (d - k·ln2hi) + (dl - k·ln2lo) (Cody and Waite;
//   ln2hi has 21 trailing zero bits, so d - k·ln2hi is exact), with the
//   rounding error of that last sum kept as rerr. Then
//   exp(r) = 1 + r + r²·q(r), q a degree-10 fit of (exp(r) - 1 - r) / r² on
//   |r| ≤ ln2/2 (relative error 2^-57, lib/_kernels/exp_coefficients.py), is
//   summed as s = 1 + r (error e1 recovered exactly, Fast2Sum) plus the small
//   tail e1 + r²q + rerr·s, so the only rounding of size is the last addition:
//   about 0.52 ulp before scaling. 2^k is added to the exponent bits; when a
//   lane would leave the normal range the product is formed as
//   (p·2^k1)·2^(k-k1), one correctly rounded step into the subnormals.
// float32 results (exp32) are computed in float64 with a shorter reduction
// (one ln 2 constant) and exp(r) = 1 + r·g(r), g of degree 6 (relative error
// 2^-33, exact at r = 0), and rounded once to float32: within 1 ulp.
// Polynomials are evaluated by Estrin's scheme, whose dependency chains are a
// third of Horner's.
// Sums of exponentials: float64 uses Neumaier's compensated summation in each
// lane, with lanes started at 1 so that the Fast2Sum ordering always holds
// (every term is at most 1). float32 softmax sums plainly in float64
// (relative error n·2^-53, far below a float32 ulp); float32 logSoftmax
// compensates too, since log Σ near 0 needs Σ - 1 to full relative precision.
// Fused multiply-adds are relaxed_madd: fused on hardware with FMA. The
// exact steps above (TwoSum, Fast2Sum, d - k·ln2hi) hold either way; only the
// polynomial's last bits differ.

// ---- Constants ----------------------------------------------------------

const LOG2E: f64 = 1.4426950408889634;
// 1.5·2^52: adding it rounds to an integer and leaves k in the low bits.
const SHIFT: f64 = 6755399441055744.0;
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42fee00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef35793c76
const LN2: f64 = 0.6931471805599453;
const ONE_BITS: i64 = 0x3ff0000000000000;
// exp(d) for d below this is 0 in float64 even through the subnormals, and
// clamping keeps k within the range the scaling handles.
const FLOOR64: f64 = -1100.0;
// exp(d) for d below this is 0 once rounded to float32.
const FLOOR32: f64 = -200.0;
// Lanes with k below this need the two-step scaling.
const NORMAL_K: f64 = -1020.0;

// q(r) ≈ (exp(r) - 1 - r) / r², |r| ≤ ln2/2 + 1e-3.
const Q0: f64 = 0.5;
const Q1: f64 = 0.1666666666666667;
const Q2: f64 = 0.04166666666666661;
const Q3: f64 = 0.008333333333326006;
const Q4: f64 = 0.0013888888888923393;
const Q5: f64 = 0.00019841269875286896;
const Q6: f64 = 2.4801587233725637e-05;
const Q7: f64 = 2.7557254794575413e-06;
const Q8: f64 = 2.755736043009973e-07;
const Q9: f64 = 2.510547348610389e-08;
const Q10: f64 = 2.088598114239972e-09;

// p(r) = 1 + r·g(r) ≈ exp(r), |r| ≤ ln2/2 + 1e-3, for float32 results;
// exact at r = 0, so that exp(0) is exactly 1.
const G0: f64 = 1.00000000003643;
const G1: f64 = 0.5000000047350687;
const G2: f64 = 0.1666666617455452;
const G3: f64 = 0.041666351210595184;
const G4: f64 = 0.008333418743045955;
const G5: f64 = 0.0013941281149797786;
const G6: f64 = 0.00019832928385454088;

// Vector constants are read from this table rather than written as
// v128.const: V8 materialises a 128-bit immediate with three or four
// instructions at every use, which costs more than the arithmetic around it;
// a splatting load is one.
const enum K {
  LOG2E,
  SHIFT,
  LN2_HI,
  LN2_LO,
  LN2,
  FLOOR64,
  FLOOR32,
  NORMAL_K,
  Q0,
  Q1,
  Q2,
  Q3,
  Q4,
  Q5,
  Q6,
  Q7,
  Q8,
  Q9,
  Q10,
  G0,
  G1,
  G2,
  G3,
  G4,
  G5,
  G6,
  ONE,
  ZERO,
  MINUS_HALF,
  THREE_HALVES,
  NEG_INF,
}
const TABLE = memory.data<f64>([
  LOG2E,
  SHIFT,
  LN2_HI,
  LN2_LO,
  LN2,
  FLOOR64,
  FLOOR32,
  NORMAL_K,
  Q0,
  Q1,
  Q2,
  Q3,
  Q4,
  Q5,
  Q6,
  Q7,
  Q8,
  Q9,
  Q10,
  G0,
  G1,
  G2,
  G3,
  G4,
  G5,
  G6,
  1,
  0,
  -0.5,
  1.5,
  -Infinity,
]);

@inline function vec(index: K): v128 {
  return v128.load64_splat(TABLE + (<usize>index << 3));
}

// Rounding error of the last float64 sum (see sum64), read by the caller.
let sumError: f64 = 0;

// ---- exp ----------------------------------------------------------------

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f64x2.relaxed_madd(a, b, c);
}

// 2^k·p for integer-valued k ≤ 0 whose lanes may fall below the normal range.
function scaleSubnormal(p: v128, k: v128): v128 {
  const k1 = f64x2.pmax(k, vec(K.NORMAL_K));
  const k2 = f64x2.sub(k, k1);
  const high = i64x2.add(p, i64x2.shl(f64x2.add(k1, vec(K.SHIFT)), 52));
  const low = i64x2.add(
    i64x2.splat(ONE_BITS),
    i64x2.shl(f64x2.add(k2, vec(K.SHIFT)), 52),
  );
  return f64x2.mul(high, low);
}

// exp(d + dl) to about 0.52 ulp, for FLOOR64 ≤ d ≤ 0 and |dl| ≤ ulp(d).
@inline function exp64(d: v128, dl: v128): v128 {
  const kd = madd(d, vec(K.LOG2E), vec(K.SHIFT));
  const k = f64x2.sub(kd, vec(K.SHIFT));
  const rHi = f64x2.relaxed_nmadd(k, vec(K.LN2_HI), d);
  const rLo = f64x2.relaxed_nmadd(k, vec(K.LN2_LO), dl);
  const r = f64x2.add(rHi, rLo);
  const rerr = f64x2.add(f64x2.sub(rHi, r), rLo);
  // Estrin's scheme: a third of Horner's dependency chain, which is what
  // limits throughput here.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const q01 = madd(vec(K.Q1), r, vec(K.Q0));
  const q23 = madd(vec(K.Q3), r, vec(K.Q2));
  const q45 = madd(vec(K.Q5), r, vec(K.Q4));
  const q67 = madd(vec(K.Q7), r, vec(K.Q6));
  const q89 = madd(vec(K.Q9), r, vec(K.Q8));
  const q03 = madd(q23, r2, q01);
  const q47 = madd(q67, r2, q45);
  const q8x = madd(vec(K.Q10), r2, q89);
  const q = madd(madd(q8x, r4, q47), r4, q03);
  const s = f64x2.add(vec(K.ONE), r);
  const e1 = f64x2.add(f64x2.sub(vec(K.ONE), s), r);
  const tail = madd(rerr, s, madd(r2, q, e1));
  const p = f64x2.add(s, tail);
  if (v128.any_true(f64x2.lt(k, vec(K.NORMAL_K)))) return scaleSubnormal(p, k);
  return i64x2.add(p, i64x2.shl(kd, 52));
}

// exp(d) to about 2^-33 relative, for FLOOR32 ≤ d ≤ 0: float32 results only.
@inline function exp32(d: v128): v128 {
  const kd = madd(d, vec(K.LOG2E), vec(K.SHIFT));
  const k = f64x2.sub(kd, vec(K.SHIFT));
  const r = f64x2.relaxed_nmadd(k, vec(K.LN2), d);
  const r2 = f64x2.mul(r, r);
  const g01 = madd(vec(K.G1), r, vec(K.G0));
  const g23 = madd(vec(K.G3), r, vec(K.G2));
  const g45 = madd(vec(K.G5), r, vec(K.G4));
  const g25 = madd(madd(vec(K.G6), r2, g45), r2, g23);
  const p = madd(madd(g25, r2, g01), r, vec(K.ONE));
  return i64x2.add(p, i64x2.shl(kd, 52));
}

// exp((x - m) + its rounding error), the reference's shiftRow + sumExp step:
// TwoSum (Knuth) recovers the error of x - m; past FLOOR64 (or at -Infinity,
// where that error is NaN) the result is 0 and the error is dropped.
@inline function expShifted64(x: v128, m: v128, negM: v128): v128 {
  const d = f64x2.sub(x, m);
  const bb = f64x2.sub(d, x);
  const dl = f64x2.add(f64x2.sub(x, f64x2.sub(d, bb)), f64x2.sub(negM, bb));
  const inRange = f64x2.ge(d, vec(K.FLOOR64));
  return exp64(f64x2.pmax(d, vec(K.FLOOR64)), v128.and(dl, inRange));
}

@inline function expShifted32(x: v128, m: v128): v128 {
  return exp32(f64x2.pmax(f64x2.sub(x, m), vec(K.FLOOR32)));
}

// ---- Row maxima ---------------------------------------------------------

// The row's maximum, or NaN if the row holds a NaN.
function max64(p: usize, len: i32): f64 {
  let m0 = vec(K.NEG_INF);
  let m1 = m0;
  let nan = i64x2.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const a = v128.load(p + (<usize>i << 3));
    const b = v128.load(p + (<usize>i << 3), 16);
    m0 = f64x2.pmax(m0, a);
    m1 = f64x2.pmax(m1, b);
    nan = v128.or(nan, v128.or(f64x2.ne(a, a), f64x2.ne(b, b)));
  }
  m0 = f64x2.pmax(m0, m1);
  let m = f64x2.extract_lane(m0, 0);
  const m2 = f64x2.extract_lane(m0, 1);
  if (m2 > m) m = m2;
  for (; i < len; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    if (v != v) return NaN;
    if (v > m) m = v;
  }
  return v128.any_true(nan) ? NaN : m;
}

function max32(p: usize, len: i32): f64 {
  let m0 = f32x4.splat(-Infinity);
  let m1 = m0;
  let nan = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const a = v128.load(p + (<usize>i << 2));
    const b = v128.load(p + (<usize>i << 2), 16);
    m0 = f32x4.pmax(m0, a);
    m1 = f32x4.pmax(m1, b);
    nan = v128.or(nan, v128.or(f32x4.ne(a, a), f32x4.ne(b, b)));
  }
  m0 = f32x4.pmax(m0, m1);
  // Lanes 2 and 3 onto 0 and 1, then 1 onto 0; pmax keeps the first of ties.
  m0 = f32x4.pmax(m0, i8x16.shuffle(m0, m0, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  m0 = f32x4.pmax(m0, i8x16.shuffle(m0, m0, 4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15));
  let m: f32 = f32x4.extract_lane(m0, 0);
  for (; i < len; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (v != v) return NaN;
    if (v > m) m = v;
  }
  return v128.any_true(nan) ? NaN : <f64>m;
}

// ---- Sums of exponentials -----------------------------------------------

// Adds `e` to the lane sums `s` (each ≥ 1, so Fast2Sum is exact) and their
// errors to `c`.
@inline function neumaier(s: v128, e: v128, c: v128): v128 {
  return f64x2.add(c, f64x2.add(f64x2.sub(s, f64x2.add(s, e)), e));
}

// One more term in a scalar Neumaier sum.
@inline function twoSumError(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// The total of lane sums that each started at 1 (s - 1 is exact for
// 1 ≤ s < 2^53) plus their errors, added with TwoSum; leaves the rounding
// error of the returned total in `sumError`.
@inline function combineLanes(s0: v128, s1: v128, c0: v128, c1: v128): f64 {
  let sum = f64x2.extract_lane(s0, 0) - 1;
  let c = f64x2.extract_lane(c0, 0) + f64x2.extract_lane(c0, 1) +
    f64x2.extract_lane(c1, 0) + f64x2.extract_lane(c1, 1);
  let v = f64x2.extract_lane(s0, 1) - 1;
  let t = sum + v;
  c += twoSumError(sum, v, t);
  sum = t;
  v = f64x2.extract_lane(s1, 0) - 1;
  t = sum + v;
  c += twoSumError(sum, v, t);
  sum = t;
  v = f64x2.extract_lane(s1, 1) - 1;
  t = sum + v;
  c += twoSumError(sum, v, t);
  sum = t;
  const total = sum + c;
  sumError = c - (total - sum);
  return total;
}

// Σ exp(x - m) over the row with the reference's compensated shift and sum;
// stores each exponential in place when `keep`. Returns the rounded sum and
// leaves its rounding error in `sumError`.
@inline function sum64(p: usize, len: i32, m: f64, keep: bool): f64 {
  const mv = splat(m);
  const negM = splat(-m);
  let s0 = vec(K.ONE);
  let s1 = s0;
  let c0 = vec(K.ZERO);
  let c1 = c0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const at = p + (<usize>i << 3);
    const e0 = expShifted64(v128.load(at), mv, negM);
    const e1 = expShifted64(v128.load(at, 16), mv, negM);
    if (keep) {
      v128.store(at, e0);
      v128.store(at, e1, 16);
    }
    c0 = neumaier(s0, e0, c0);
    s0 = f64x2.add(s0, e0);
    c1 = neumaier(s1, e1, c1);
    s1 = f64x2.add(s1, e1);
  }
  if (i + 2 <= len) {
    const at = p + (<usize>i << 3);
    const e0 = expShifted64(v128.load(at), mv, negM);
    if (keep) v128.store(at, e0);
    c0 = neumaier(s0, e0, c0);
    s0 = f64x2.add(s0, e0);
    i += 2;
  }
  if (i < len) {
    const at = p + (<usize>i << 3);
    const e = expShifted64(v128.load64_splat(at), mv, negM);
    if (keep) v128.store64_lane(at, e, 0);
    const e0 = f64x2.replace_lane(e, 1, 0);
    c1 = neumaier(s1, e0, c1);
    s1 = f64x2.add(s1, e0);
  }
  return combineLanes(s0, s1, c0, c1);
}

// Σ exp(x - m) in float64 over a float32 row; stores each exponential as a
// float64 at `scratch` when `keep`. A plain float64 sum is far within a
// float32 ulp of the sum; `compensated` (Neumaier, lanes started at 1 as in
// sum64) also keeps Σ - 1 to full relative precision, which logSoftmax needs
// when the maximum dominates and log Σ is tiny; it then leaves the rounding
// error of the returned sum in `sumError`.
@inline function sum32(
  p: usize,
  len: i32,
  m: f64,
  scratch: usize,
  keep: bool,
  compensated: bool,
): f64 {
  const mv = splat(m);
  let s0 = compensated ? vec(K.ONE) : vec(K.ZERO);
  let s1 = s0;
  let c0 = vec(K.ZERO);
  let c1 = c0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const at = p + (<usize>i << 2);
    const e0 = expShifted32(f64x2.promote_low_f32x4(v128.load64_zero(at)), mv);
    const e1 = expShifted32(
      f64x2.promote_low_f32x4(v128.load64_zero(at, 8)),
      mv,
    );
    if (keep) {
      const to = scratch + (<usize>i << 3);
      v128.store(to, e0);
      v128.store(to, e1, 16);
    }
    if (compensated) {
      c0 = neumaier(s0, e0, c0);
      c1 = neumaier(s1, e1, c1);
    }
    s0 = f64x2.add(s0, e0);
    s1 = f64x2.add(s1, e1);
  }
  if (i + 2 <= len) {
    const e0 = expShifted32(
      f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2))),
      mv,
    );
    if (keep) v128.store(scratch + (<usize>i << 3), e0);
    if (compensated) c0 = neumaier(s0, e0, c0);
    s0 = f64x2.add(s0, e0);
    i += 2;
  }
  if (i < len) {
    const e = f64x2.replace_lane(
      expShifted32(
        f64x2.promote_low_f32x4(v128.load32_zero(p + (<usize>i << 2))),
        mv,
      ),
      1,
      0,
    );
    if (keep) v128.store64_lane(scratch + (<usize>i << 3), e, 0);
    if (compensated) c1 = neumaier(s1, e, c1);
    s1 = f64x2.add(s1, e);
  }
  if (compensated) return combineLanes(s0, s1, c0, c1);
  s0 = f64x2.add(s0, s1);
  return f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
}

// log(sum + error) for a sum of at least 1, as the reference's logOfSum.
@inline function logOfSum(sum: f64, error: f64): f64 {
  return sum < 2 ? Math.log1p((sum - 1) + error) : Math.log(sum) + error / sum;
}

// Rows whose maximum is NaN or infinite go to the reference.
@inline function finite(m: f64): bool {
  return m - m == 0;
}

// ---- softmax ------------------------------------------------------------

/** softmax of `rows` float64 rows of `len` at `x`, in place. Returns the count of flagged rows. */
export function softmax64(x: usize, rows: i32, len: i32, status: usize): i32 {
  let flagged = 0;
  const stride = <usize>len << 3;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max64(p, len);
    const bad = !finite(m);
    store<u8>(status + <usize>row, <u8>bad);
    if (bad) {
      flagged++;
      continue;
    }
    const sum = sum64(p, len, m, true);
    // 1 / (sum + sumError) to first order.
    let scale = 1 / sum;
    scale -= scale * (sumError * scale);
    const sv = splat(scale);
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const at = p + (<usize>i << 3);
      v128.store(at, f64x2.mul(v128.load(at), sv));
      v128.store(at, f64x2.mul(v128.load(at, 16), sv), 16);
    }
    for (; i < len; i++) {
      const at = p + (<usize>i << 3);
      store<f64>(at, load<f64>(at) * scale);
    }
  }
  return flagged;
}

/**
 * softmax of float32 rows in place, computed in float64: `scratch` holds
 * `len` float64s.
 */
export function softmax32(
  x: usize,
  rows: i32,
  len: i32,
  scratch: usize,
  status: usize,
): i32 {
  let flagged = 0;
  const stride = <usize>len << 2;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max32(p, len);
    const bad = !finite(m);
    store<u8>(status + <usize>row, <u8>bad);
    if (bad) {
      flagged++;
      continue;
    }
    const sv = splat(1 / sum32(p, len, m, scratch, true, false));
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const from = scratch + (<usize>i << 3);
      const a = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(from), sv));
      const b = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(from, 16), sv));
      v128.store(
        p + (<usize>i << 2),
        i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
      );
    }
    for (; i < len; i++) {
      const v = load<f64>(scratch + (<usize>i << 3)) * f64x2.extract_lane(sv, 0);
      store<f32>(p + (<usize>i << 2), <f32>v);
    }
  }
  return flagged;
}

// ---- logSoftmax and logSumExp -------------------------------------------

/** logSoftmax of float64 rows in place: (x - m - log Σ) + the error of x - m. */
export function logSoftmax64(
  x: usize,
  rows: i32,
  len: i32,
  status: usize,
): i32 {
  let flagged = 0;
  const stride = <usize>len << 3;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max64(p, len);
    const bad = !finite(m);
    store<u8>(status + <usize>row, <u8>bad);
    if (bad) {
      flagged++;
      continue;
    }
    const sum = sum64(p, len, m, false);
    const log = logOfSum(sum, sumError);
    const mv = splat(m);
    const negM = splat(-m);
    const lv = splat(log);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const at = p + (<usize>i << 3);
      const v = v128.load(at);
      const d = f64x2.sub(v, mv);
      const bb = f64x2.sub(d, v);
      const dl = f64x2.add(f64x2.sub(v, f64x2.sub(d, bb)), f64x2.sub(negM, bb));
      const finite = f64x2.ne(d, vec(K.NEG_INF));
      v128.store(at, f64x2.add(f64x2.sub(d, lv), v128.and(dl, finite)));
    }
    if (i < len) {
      const at = p + (<usize>i << 3);
      const v = load<f64>(at);
      const d = v - m;
      const dl = d == -Infinity ? 0 : twoSumError(v, -m, d);
      store<f64>(at, (d - log) + dl);
    }
  }
  return flagged;
}

/** logSoftmax of float32 rows in place, computed in float64. */
export function logSoftmax32(
  x: usize,
  rows: i32,
  len: i32,
  status: usize,
): i32 {
  let flagged = 0;
  const stride = <usize>len << 2;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max32(p, len);
    const bad = !finite(m);
    store<u8>(status + <usize>row, <u8>bad);
    if (bad) {
      flagged++;
      continue;
    }
    // Σ ≥ 1 (the maximum contributes exactly 1): log1p keeps its small part.
    const sum = sum32(p, len, m, 0, false, true);
    const lv = splat(logOfSum(sum, sumError));
    const mv = splat(m);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const at = p + (<usize>i << 2);
      const v = f64x2.promote_low_f32x4(v128.load64_zero(at));
      const y = f64x2.sub(f64x2.sub(v, mv), lv);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(y), 0);
    }
    if (i < len) {
      const at = p + (<usize>i << 2);
      const y = (<f64>load<f32>(at) - m) - f64x2.extract_lane(lv, 0);
      store<f32>(at, <f32>y);
    }
  }
  return flagged;
}

/** logSumExp of float64 rows: one float64 per row at `out`. */
export function logSumExp64(
  x: usize,
  rows: i32,
  len: i32,
  out: usize,
  status: usize,
): i32 {
  let flagged = 0;
  const stride = <usize>len << 3;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max64(p, len);
    const bad = !finite(m);
    store<u8>(status + <usize>row, <u8>bad);
    if (bad) {
      flagged++;
      continue;
    }
    const sum = sum64(p, len, m, false);
    store<f64>(out + (<usize>row << 3), m + logOfSum(sum, sumError));
  }
  return flagged;
}

// ---- sigmoid ------------------------------------------------------------

/**
 * sigmoid of `n` float64s in place, as the reference's logistic:
 * e = exp(-|x|), q = (x ≥ 0 ? 1 : e) / (1 + e), corrected for the rounding
 * error of 1 + e (TwoSum); 1 / (1 + e) in that correction needs only a few
 * bits, and 1.5 - (1 + e) / 2 gives them.
 */
export function sigmoid64(x: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const at = x + (<usize>i << 3);
    const v = i + 2 <= n ? v128.load(at) : v128.load64_splat(at);
    const e = exp64(
      f64x2.pmax(f64x2.neg(f64x2.abs(v)), vec(K.FLOOR64)),
      vec(K.ZERO),
    );
    const d = f64x2.add(vec(K.ONE), e);
    const err = f64x2.add(f64x2.sub(vec(K.ONE), d), e);
    const num = v128.bitselect(vec(K.ONE), e, f64x2.ge(v, vec(K.ZERO)));
    const q = f64x2.div(num, d);
    const inv = madd(d, vec(K.MINUS_HALF), vec(K.THREE_HALVES));
    const y = f64x2.relaxed_nmadd(q, f64x2.mul(err, inv), q);
    const result = v128.bitselect(y, v, f64x2.eq(v, v));
    if (i + 2 <= n) v128.store(at, result);
    else v128.store64_lane(at, result, 0);
  }
}

/** sigmoid of `n` float32s in place, computed in float64. */
export function sigmoid32(x: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const at = x + (<usize>i << 2);
    const v = f64x2.promote_low_f32x4(
      i + 2 <= n ? v128.load64_zero(at) : v128.load32_splat(at),
    );
    const e = exp32(f64x2.pmax(f64x2.neg(f64x2.abs(v)), vec(K.FLOOR32)));
    const num = v128.bitselect(vec(K.ONE), e, f64x2.ge(v, vec(K.ZERO)));
    const q = f64x2.div(num, f64x2.add(vec(K.ONE), e));
    const result = f32x4.demote_f64x2_zero(v128.bitselect(q, v, f64x2.eq(v, v)));
    if (i + 2 <= n) v128.store64_lane(at, result, 0);
    else v128.store32_lane(at, result, 0);
  }
}

// ---- argmax -------------------------------------------------------------

// Rows shorter than this take the scalar path.
const SHORT_ROW = 8;

// First index of a NaN in the row, or -1.
@inline function firstNaN64(p: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const v = load<f64>(p + (<usize>i << 3));
    if (v != v) return i;
  }
  return -1;
}

// argmax of rows shorter than a few vectors, one scalar pass each: the
// vector path's fixed cost (lane reductions, a second scan for the index)
// outweighs its gain there. The first NaN wins, as in the vector path.
@inline function argmaxShort<T>(x: usize, rows: i32, len: i32, out: usize): void {
  const size = <usize>sizeof<T>();
  const stride = <usize>len * size;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    let m = load<T>(p);
    let best = 0;
    let nan = m != m;
    for (let i = 1; i < len; i++) {
      const v = load<T>(p + <usize>i * size);
      const greater = v > m;
      m = select<T>(v, m, greater);
      best = select<i32>(i, best, greater);
      nan = nan | (v != v);
    }
    if (nan) {
      best = 0;
      while (load<T>(p + <usize>best * size) == load<T>(p + <usize>best * size)) best++;
    }
    store<f64>(out + (<usize>row << 3), <f64>best);
  }
}

/**
 * argmax of float64 rows: one float64 index per row at `out`. The first
 * index on ties (-0 and 0 tie), the first NaN if any (NumPy's rule).
 */
export function argmax64(x: usize, rows: i32, len: i32, out: usize): void {
  if (len < SHORT_ROW) {
    argmaxShort<f64>(x, rows, len, out);
    return;
  }
  const stride = <usize>len << 3;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max64(p, len);
    let best = 0;
    if (m != m) {
      best = firstNaN64(p, len);
    } else {
      const mv = splat(m);
      let i = 0;
      for (; i + 4 <= len; i += 4) {
        const at = p + (<usize>i << 3);
        const hit = v128.or(
          f64x2.eq(v128.load(at), mv),
          f64x2.eq(v128.load(at, 16), mv),
        );
        if (v128.any_true(hit)) break;
      }
      while (load<f64>(p + (<usize>i << 3)) != m) i++;
      best = i;
    }
    store<f64>(out + (<usize>row << 3), <f64>best);
  }
}

/** argmax of float32 rows: one float64 index per row at `out`. */
export function argmax32(x: usize, rows: i32, len: i32, out: usize): void {
  if (len < SHORT_ROW) {
    argmaxShort<f32>(x, rows, len, out);
    return;
  }
  const stride = <usize>len << 2;
  for (let row = 0; row < rows; row++) {
    const p = x + <usize>row * stride;
    const m = max32(p, len);
    let best = 0;
    if (m != m) {
      for (let i = 0; i < len; i++) {
        const v = load<f32>(p + (<usize>i << 2));
        if (v != v) {
          best = i;
          break;
        }
      }
    } else {
      const mv = f32x4.splat(<f32>m);
      let i = 0;
      for (; i + 8 <= len; i += 8) {
        const at = p + (<usize>i << 2);
        const hit = v128.or(
          f32x4.eq(v128.load(at), mv),
          f32x4.eq(v128.load(at, 16), mv),
        );
        if (v128.any_true(hit)) break;
      }
      while (<f64>load<f32>(p + (<usize>i << 2)) != m) i++;
      best = i;
    }
    store<f64>(out + (<usize>row << 3), <f64>best);
  }
}

/** Where free memory starts. */
export function heapBase(): usize {
  return __heap_base;
}
