import {
  nest,
  readAxis,
  readMask,
  readOptions,
  readTemperature,
  readTensor,
} from "./_input.ts";
import { worthKernels } from "./_kernels/instance.ts";
import { floatOutType, readOut } from "./_kernels/out.ts";
import { fastLogSoftmax } from "./_kernels/softmax.ts";
import { forEachRow, rowsOf } from "./_rows.ts";
import { logSoftmaxRow, rowScratch } from "./_softmax_row.ts";
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
  const fn = "logSoftmax";
  const { axis, temperature = 1, where, shape, out: into } = readOptions<
    LogSoftmaxOptions
  >(fn, options);
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const t = readTemperature(fn, temperature);
  const mask = readMask(fn, where, input.shape);
  const rows = rowsOf(input.shape, classAxis);
  const { length, inner } = rows;
  if (length === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${classAxis} (length 0); logSoftmax needs at least one entry`,
    );
  }
  const { data } = input;
  const given = readOut<Float64Array | Float32Array>(
    fn,
    into,
    [floatOutType(input.float32)],
    data.length,
    data,
    true,
  );
  const out = given ??
    (input.float32
      ? new Float32Array(data.length)
      : new Float64Array(data.length));
  // As in softmax: the kernels for large contiguous rows without mask or
  // temperature, the reference for the rest and for flagged rows.
  const fast = inner === 1 && mask === undefined && t === 1 &&
    worthKernels(data.length) &&
    fastLogSoftmax(
      data,
      out,
      rows.outer,
      length,
      (row, target, at) =>
        logSoftmaxRow(
          rowScratch(length),
          data,
          row * length,
          1,
          length,
          undefined,
          1,
          target,
          at,
        ),
    );
  if (!fast) {
    const s = rowScratch(length);
    forEachRow(rows, (base) => {
      logSoftmaxRow(s, data, base, inner, length, mask, t, out, base);
    });
  }
  if (given !== undefined) return given;
  return input.shape.length === 1
    ? out
    : nest(out, input.shape) as NestedNumbers;
}
