import { argmaxInto, argmaxOf } from "./_argmax.ts";
import { readAxis, readOptions, readTensor } from "./_input.ts";
import { readOut } from "./_kernels/out.ts";
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
  /**
   * A `Float64Array` or `Int32Array` with one entry per row to write the
   * indices into, flat and row-major, instead of new arrays; it is returned
   * as is and must not share memory with x.
   *
   * @default {undefined}
   */
  out?: Float64Array | Int32Array;
}

/**
 * The index of the largest value along an axis: the predicted class when
 * applied to logits or to their softmax (softmax preserves order).
 *
 * Ties give the first index (`-0` and `0` tie); a NaN gives the index of the
 * first NaN (NumPy's rule).
 *
 * @param x Values or a {@linkcode Probabilities}.
 * @param options Axis, shape and output array.
 * @returns A number for 1-D input; for n-D input, nested arrays of indices
 * with the axis removed; `options.out` itself when it is given.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is empty or out of range, or
 * `options.out` has the wrong length or overlaps x.
 *
 * @example The predicted class
 * ```ts
 * import { argmax, softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * assert.equal(argmax([0.1, 2.5, 0.3]), 1);
 * assert.deepEqual(argmax(softmax([[1, 3], [4, 2]])), [1, 0]);
 * ```
 */
export function argmax<Out extends Float64Array | Int32Array>(
  x: NumericInput | Probabilities,
  options: ArgmaxOptions & { out: Out },
): Out;
/** argmax of 1-D input: a number. */
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
): number | NestedNumbers | Float64Array | Int32Array {
  const fn = "argmax";
  const { axis, shape, out: into } = readOptions<ArgmaxOptions>(fn, options);
  const input = readTensor(fn, x, shape);
  const reduced = axis === undefined && x instanceof Probabilities
    ? x.axis
    : readAxis(fn, axis, input.shape.length);
  if (input.shape[reduced] === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${reduced} (length 0); argmax needs at least one entry`,
    );
  }
  const count = input.data.length / (input.shape[reduced] as number);
  const out = readOut<Float64Array | Int32Array>(
    fn,
    into,
    ["Float64Array", "Int32Array"],
    count,
    input.data,
    false,
  );
  if (out === undefined) return argmaxOf(input.data, input.shape, reduced);
  argmaxInto(input.data, input.shape, reduced, out);
  return out;
}
