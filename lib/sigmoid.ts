import { readLabels, readOptions, readTensor } from "./_input.ts";
import type { Matrix, NumericInput } from "./input_types.ts";
import { Probabilities } from "./probabilities.ts";

/** Options for {@linkcode sigmoid}. */
export interface SigmoidOptions {
  /**
   * One label per class along the last axis, shown on charts.
   *
   * @default {undefined}
   */
  labels?: readonly string[];
  /**
   * The row-major shape of flat data.
   *
   * @default {[x.length]}
   */
  shape?: readonly number[];
}

/**
 * The logistic function 1 / (1 + exp(-x)) of one number, within 2 ulp over
 * the whole range: exp is only ever taken of -|x| (it cannot overflow), and
 * the rounding error of 1 + exp(-|x|) is corrected (TwoSum).
 */
function logistic(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  const err = (1 - d) + e; // exact: 1 ≥ e
  // 1 / (d + err) and e / (d + err), to first order in err / d.
  const q = (x >= 0 ? 1 : e) / d;
  return x === x ? q - q * (err / d) : NaN;
}

/**
 * Sigmoid (the logistic function), element by element: squashes each logit
 * to (0, 1) on its own. Unlike {@linkcode softmax}, the values do not depend
 * on each other and do not sum to 1: right for multi-label problems (several
 * classes can be true), wrong for picking one class out of many.
 *
 * sigmoid(NaN) is NaN, sigmoid(±Infinity) is 1 and 0, and large negative
 * inputs give the correct subnormal (sigmoid(-745) ≈ 5e-324), never 0 through
 * overflow of exp(745).
 *
 * @param x A number, nested arrays, a `Float64Array` or a `Float32Array`.
 * @param options Labels and shape (arrays only).
 * @returns A number for a number; otherwise a {@linkcode Probabilities} of
 * kind "sigmoid" with x's shape.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If labels or shape do not match x.
 *
 * @example Independent probabilities
 * ```ts
 * import { sigmoid } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sigmoid(0), 0.5);
 * const p = sigmoid([2, 1, -1]);
 * assert.ok(p.toArray().filter((v) => Number(v) > 0.5).length === 2);
 * ```
 */
export function sigmoid(x: number): number;
/** sigmoid of an array: {@linkcode Probabilities} of kind "sigmoid". */
export function sigmoid(
  x: readonly number[] | Float64Array | Float32Array,
  options?: SigmoidOptions & { shape?: undefined },
): Probabilities<number>;
/** sigmoid of a batch of rows: {@linkcode Probabilities} of rows. */
export function sigmoid(
  x: Matrix,
  options?: SigmoidOptions & { shape?: undefined },
): Probabilities<Probabilities<number>>;
/** sigmoid of any array input, including flat data with a `shape`. */
export function sigmoid(
  x: Exclude<NumericInput, number>,
  options?: SigmoidOptions,
): Probabilities;
/** sigmoid of any input: a number for a number, {@linkcode Probabilities} otherwise. */
export function sigmoid(
  x: NumericInput,
  options?: SigmoidOptions,
): number | Probabilities;
export function sigmoid(
  x: NumericInput,
  options?: SigmoidOptions,
): number | Probabilities {
  const fn = "sigmoid";
  const { labels, shape } = readOptions<SigmoidOptions>(fn, options);
  if (typeof x === "number") {
    if (labels !== undefined || shape !== undefined) {
      throw new TypeError(
        `${fn}: options.${
          labels !== undefined ? "labels" : "shape"
        } is given but x is a number`,
      );
    }
    return logistic(x);
  }
  const input = readTensor(fn, x, shape);
  const axis = input.shape.length - 1;
  const names = readLabels(fn, labels, input.shape[axis] ?? 0);
  const { data } = input;
  const out = input.float32
    ? new Float32Array(data.length)
    : new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = logistic(data[i] as number);
  return new Probabilities({
    kind: "sigmoid",
    values: out,
    shape: input.shape,
    axis,
    labels: names,
  });
}
