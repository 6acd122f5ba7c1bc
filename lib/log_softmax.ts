import { nest } from "./_nest.ts";
import { fastLogSoftmax } from "./_kernels/softmax.ts";
import { logSoftmaxRow } from "./_softmax_row.ts";
import { readSoftmaxCall, runSoftmaxRows } from "./_softmax_rows.ts";
import type { NestedNumbers, NumericInput } from "./input_types.ts";
import type { SoftmaxOptions } from "./softmax.ts";

/** Options for {@linkcode logSoftmax}: those of {@linkcode softmax} but labels. */
export type LogSoftmaxOptions = Omit<SoftmaxOptions, "labels">;

/**
 * Log-softmax: log(softmax(x)) = x_i - logSumExp(x), computed directly so that
 * tiny probabilities keep their full relative precision (log(softmax(x))
 * gives -Infinity once softmax underflows) and outputs near 0 keep theirs too
 * (log1p of the sum's small part). Within 4 ulp of the exact result.
 *
 * Masked-out entries give -Infinity (log 0); rows with NaN give NaN; rows with
 * k entries of +Infinity give -log(k) for those and -Infinity elsewhere.
 *
 * @param x Logits: a number, nested arrays, a `Float64Array` or a `Float32Array`.
 * @param options Axis, temperature, mask, shape and output array.
 * @returns A `Float64Array` for 1-D input (a `Float32Array` for
 * `Float32Array` input), plain nested `number[]` arrays for n-D input;
 * `options.out` itself, flat and row-major, when it is given.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is empty or out of range, the
 * temperature is not finite and positive, or `options.out` has the wrong
 * length or overlaps x without being x.
 *
 * @example Log-probabilities far below what softmax can represent
 * ```ts
 * import { logSoftmax, softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const x = [0, -800];
 * assert.deepEqual([...logSoftmax(x)], [0, -800]);
 * assert.equal(softmax(x)[1], 0); // exp(-800) underflows
 * ```
 */
export function logSoftmax<Out extends Float64Array | Float32Array>(
  x: NumericInput,
  options: LogSoftmaxOptions & { out: Out },
): Out;
/** logSoftmax of 1-D input: a `Float64Array`. */
export function logSoftmax(
  x: number | readonly number[] | Float64Array,
  options?: LogSoftmaxOptions & { shape?: undefined },
): Float64Array;
/** logSoftmax of a `Float32Array`: a `Float32Array`. */
export function logSoftmax(
  x: Float32Array,
  options?: LogSoftmaxOptions & { shape?: undefined },
): Float32Array;
/** logSoftmax of n-D input: nested arrays (1-D input: a typed array). */
export function logSoftmax(
  x: NumericInput,
  options?: LogSoftmaxOptions,
): Float64Array | Float32Array | NestedNumbers;
export function logSoftmax(
  x: NumericInput,
  options?: LogSoftmaxOptions,
): Float64Array | Float32Array | NestedNumbers {
  const call = readSoftmaxCall("logSoftmax", x, options);
  const { input, out, given } = call;
  runSoftmaxRows(logSoftmaxRow, fastLogSoftmax, call);
  if (given !== undefined) return given;
  return input.shape.length === 1
    ? out
    : nest(out, input.shape) as NestedNumbers;
}
