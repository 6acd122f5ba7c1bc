import { readLabels, readOptions, readTensor } from "./_input.ts";
import { worthKernels } from "./_kernels/instance.ts";
import { readFloatOut } from "./_kernels/out.ts";
import { fastSigmoid } from "./_kernels/sigmoid.ts";
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
  /**
   * An array to write the result into instead of a new one: a `Float64Array`
   * (a `Float32Array` for `Float32Array` input) of x's size, returned
   * wrapped in the {@linkcode Probabilities}. It may be x itself, to work in
   * place, but must not otherwise share memory with x.
   *
   * @default {undefined}
   */
  out?: Float64Array | Float32Array;
}

/**
 * The logistic function 1 / (1 + exp(-x)) of one number, within 2 ulp over
 * the whole range: exp is only ever taken of -|x| (it cannot overflow), and
 * the rounding error of 1 + exp(-|x|) is corrected (TwoSum). The readable
 * reference the WebAssembly kernel is tested against.
 */
export function logistic(x: number): number {
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
 * @param options Labels, shape and output array (arrays only).
 * @returns A number for a number; otherwise a {@linkcode Probabilities} of
 * kind "sigmoid" with x's shape.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If labels or shape do not match x, or `options.out`
 * has the wrong length or overlaps x without being x.
 *
 * @example Independent probabilities
 * ```ts
 * import { sigmoid } from "@softmax/notebook";
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
  const { labels, shape, out: into } = readOptions<SigmoidOptions>(
    fn,
    options,
  );
  if (typeof x === "number") {
    const given = labels !== undefined
      ? "labels"
      : shape !== undefined
      ? "shape"
      : into !== undefined
      ? "out"
      : undefined;
    if (given !== undefined) {
      throw new TypeError(`${fn}: options.${given} is given but x is a number`);
    }
    return logistic(x);
  }
  const input = readTensor(fn, x, shape);
  const axis = input.shape.length - 1;
  const names = readLabels(fn, labels, input.shape[axis] ?? 0);
  const { data } = input;
  const { out } = readFloatOut(fn, into, input);
  if (worthKernels(data.length)) fastSigmoid(data, out);
  else {for (let i = 0; i < data.length; i++) {
      out[i] = logistic(data[i] as number);
    }}
  return new Probabilities({
    kind: "sigmoid",
    values: out,
    shape: input.shape,
    axis,
    labels: names,
  });
}
