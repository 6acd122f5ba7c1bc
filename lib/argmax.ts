import { argmaxOf } from "./_argmax.ts";
import { readAxis, readOptions, readTensor } from "./_input.ts";
import type { NestedNumbers, NumericInput, Vector } from "./input_types.ts";
import { Probabilities } from "./probabilities.ts";

/** Options for {@linkcode argmax}. */
export interface ArgmaxOptions {
  /**
   * The axis to reduce; negative counts from the end. For a
   * {@linkcode Probabilities} the default is its class axis.
   *
   * @default {-1}
   */
  axis?: number;
  /**
   * The row-major shape of flat data.
   *
   * @default {[x.length]}
   */
  shape?: readonly number[];
}

/**
 * The index of the largest value along an axis: the predicted class when
 * applied to logits or to their softmax (softmax preserves order).
 *
 * Ties give the first index (`-0` and `0` tie); a NaN gives the index of the
 * first NaN (NumPy's rule).
 *
 * @param x Values or a {@linkcode Probabilities}.
 * @param options Axis and shape.
 * @returns A number for 1-D input; for n-D input, nested arrays of indices with the axis removed.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is empty or out of range.
 *
 * @example The predicted class
 * ```ts
 * import { argmax, softmax } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(argmax([0.1, 2.5, 0.3]), 1);
 * assert.deepEqual(argmax(softmax([[1, 3], [4, 2]])), [1, 0]);
 * ```
 */
export function argmax(
  x: Vector | Probabilities<number>,
  options?: ArgmaxOptions & { shape?: undefined },
): number;
/** argmax of n-D input or a flat array with a shape: nested indices with the axis removed. */
export function argmax(
  x: NumericInput | Probabilities,
  options?: ArgmaxOptions,
): number | NestedNumbers;
export function argmax(
  x: NumericInput | Probabilities,
  options?: ArgmaxOptions,
): number | NestedNumbers {
  const fn = "argmax";
  const { axis, shape } = readOptions<ArgmaxOptions>(fn, options);
  const input = readTensor(fn, x, shape);
  const reduced = axis === undefined && x instanceof Probabilities
    ? x.axis
    : readAxis(fn, axis, input.shape.length);
  if (input.shape[reduced] === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${reduced} (length 0); argmax needs at least one entry`,
    );
  }
  return argmaxOf(input.data, input.shape, reduced);
}
