import { readLabels } from "./_input.ts";
import { fastSoftmax } from "./_kernels/softmax.ts";
import { softmaxRow } from "./_softmax_row.ts";
import { readSoftmaxCall, runSoftmaxRows } from "./_softmax_rows.ts";
import type { Mask, Matrix, NumericInput, Vector } from "./input_types.ts";
import { Probabilities } from "./probabilities.ts";

/** Options for {@linkcode softmax}. */
export interface SoftmaxOptions {
  /**
   * The axis the classes run along; negative counts from the end.
   *
   * @default {-1}
   */
  axis?: number;
  /**
   * Computes softmax(x / temperature): above 1 flattens the distribution,
   * below 1 sharpens it. Must be finite and greater than 0.
   *
   * @default {1}
   */
  temperature?: number;
  /**
   * Entries to include; masked-out entries get probability 0, and a row
   * masked out entirely gives all zeros.
   *
   * @default {undefined}
   */
  where?: Mask;
  /**
   * One label per class along the axis, shown on charts.
   *
   * @default {undefined}
   */
  labels?: readonly string[];
  /**
   * The row-major shape of flat data (a typed array or a flat array), e.g.
   * `[1000, 50000]`: the zero-copy form for big batches.
   *
   * @default {[x.length]}
   */
  shape?: readonly number[];
  /**
   * An array to write the result into instead of a new one: a `Float64Array`
   * (a `Float32Array` for `Float32Array` input) of x's size, returned
   * wrapped in the {@linkcode Probabilities} (logSoftmax returns it as is).
   * It may be x itself, to work in place, but must not otherwise share
   * memory with x. With it, a call on a typed array allocates nothing
   * proportional to the input.
   *
   * @default {undefined}
   */
  out?: Float64Array | Float32Array;
}

/**
 * Softmax: turns logits into a probability distribution along an axis,
 * exp(x_i) / Σ_j exp(x_j), computed so that it never overflows and stays
 * within 4 ulp of the exact result (1 ulp for float32).
 *
 * Rows with a NaN give NaN; rows with +Infinity entries give the limit
 * distribution (the mass shared equally among them); a row of only -Infinity
 * gives NaN.
 *
 * @param x Logits: a number, nested arrays, a `Float64Array` or a `Float32Array`.
 * @param options Axis, temperature, mask, labels, shape and output array.
 * @returns A {@linkcode Probabilities} of x's shape, stored as float32 for
 * `Float32Array` input and float64 otherwise.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is empty or out of range, the temperature
 * is not finite and positive, labels or shape do not match x, or
 * `options.out` has the wrong length or overlaps x without being x.
 *
 * @example Probabilities that sum to 1
 * ```ts
 * import { softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const p = softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
 * assert.equal(p.argmax(), 0);
 * assert.ok(Math.abs(p[0]! - 0.659) < 1e-3);
 * assert.ok(Math.abs([...p].reduce((a, b) => a + b) - 1) < 1e-15);
 * ```
 *
 * @example Extreme logits never overflow
 * ```ts
 * import { softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softmax([1e308, -1e308]).toArray(), [1, 0]);
 * assert.deepEqual(softmax([1, Infinity, 2]).toArray(), [0, 1, 0]);
 * ```
 *
 * @example A batch of rows into a buffer that is reused
 * ```ts
 * import { softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const logits = new Float32Array(4 * 1000).map((_, i) => Math.sin(i));
 * const out = new Float32Array(logits.length);
 * const p = softmax(logits, { shape: [4, 1000], out });
 * assert.equal(p.values, out);
 * const first = out.subarray(0, 1000).reduce((a, b) => a + b, 0);
 * assert.ok(Math.abs(first - 1) < 1e-5);
 * ```
 */
export function softmax(
  x: Vector,
  options?: SoftmaxOptions & { shape?: undefined },
): Probabilities<number>;
/** softmax of a batch of rows: one distribution per row. */
export function softmax(
  x: Matrix,
  options?: SoftmaxOptions & { shape?: undefined },
): Probabilities<Probabilities<number>>;
/** softmax of any input, including flat data with a `shape`. */
export function softmax(
  x: NumericInput,
  options?: SoftmaxOptions,
): Probabilities;
export function softmax(
  x: NumericInput,
  options?: SoftmaxOptions,
): Probabilities {
  const call = readSoftmaxCall("softmax", x, options);
  const { input, classAxis, rows, out } = call;
  const names = readLabels("softmax", call.labels, rows.length);
  runSoftmaxRows(softmaxRow, fastSoftmax, call);
  return new Probabilities({
    kind: "softmax",
    values: out,
    shape: input.shape,
    axis: classAxis,
    labels: names,
  });
}
