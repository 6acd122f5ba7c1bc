import {
  readAxis,
  readLabels,
  readMask,
  readOptions,
  readTemperature,
  readTensor,
} from "./_input.ts";
import { forEachRow, rowsOf } from "./_rows.ts";
import { RowScratch, scanRow, shiftRow, sumExp } from "./_softmax_row.ts";
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
 * @param options Axis, temperature, mask, labels and shape.
 * @returns A {@linkcode Probabilities} of x's shape, stored as float32 for
 * `Float32Array` input and float64 otherwise.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is empty or out of range, the temperature
 * is not finite and positive, or labels or shape do not match x.
 *
 * @example Probabilities that sum to 1
 * ```ts
 * import { softmax } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const p = softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
 * assert.equal(p.argmax(), 0);
 * assert.ok(Math.abs(p[0] - 0.659) < 1e-3);
 * assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-15);
 * ```
 *
 * @example Extreme logits never overflow
 * ```ts
 * import { softmax } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softmax([1e308, -1e308]).toArray(), [1, 0]);
 * assert.deepEqual(softmax([1, Infinity, 2]).toArray(), [0, 1, 0]);
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
  const fn = "softmax";
  const { axis, temperature = 1, where, labels, shape } = readOptions<
    SoftmaxOptions
  >(fn, options);
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const t = readTemperature(fn, temperature);
  const mask = readMask(fn, where, input.shape);
  const rows = rowsOf(input.shape, classAxis);
  const { length, inner } = rows;
  if (length === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${classAxis} (length 0); softmax needs at least one entry`,
    );
  }
  const names = readLabels(fn, labels, length);
  const { data } = input;
  const out = input.float32
    ? new Float32Array(data.length)
    : new Float64Array(data.length);
  const s = new RowScratch().reserve(length);
  forEachRow(rows, (base) => {
    scanRow(s, data, base, inner, length, mask);
    const masked = (j: number) => mask !== undefined && mask[j] === 0;
    switch (s.kind) {
      case "finite": {
        shiftRow(s, data, base, inner, length, mask, t);
        const sum = sumExp(s, length, true);
        const { exp } = s;
        for (let k = 0, j = base; k < length; k++, j += inner) {
          out[j] = (exp[k] as number) / sum;
        }
        break;
      }
      case "infinite": {
        const share = 1 / s.infinities;
        for (let k = 0, j = base; k < length; k++, j += inner) {
          out[j] = !masked(j) && data[j] === Infinity ? share : 0;
        }
        break;
      }
      case "nan":
      case "negative-infinite":
        for (let k = 0, j = base; k < length; k++, j += inner) {
          out[j] = masked(j) ? 0 : NaN;
        }
        break;
      case "empty":
        break; // all zeros already
    }
  });
  return new Probabilities({
    kind: "softmax",
    values: out,
    shape: input.shape,
    axis: classAxis,
    labels: names,
  });
}
