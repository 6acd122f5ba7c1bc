import { readAxis, readMask, readOptions, readTensor } from "./_input.ts";
import { nest } from "./_nest.ts";
import { worthKernels } from "./_kernels/instance.ts";
import { readOut } from "./_kernels/out.ts";
import { fastLogSumExp } from "./_kernels/softmax.ts";
import { forEachRow, rowsOf } from "./_rows.ts";
import { logSumExpRow, rowScratch } from "./_softmax_row.ts";
import type {
  Mask,
  NestedNumbers,
  NumericInput,
  Vector,
} from "./input_types.ts";

/** Options for {@linkcode logSumExp}. */
export interface LogSumExpOptions {
  /**
   * The axis to reduce; negative counts from the end.
   *
   * @default {-1}
   */
  axis?: number;
  /**
   * Entries to include; a row masked out entirely gives -Infinity (the log of
   * an empty sum).
   *
   * @default {undefined}
   */
  where?: Mask;
  /**
   * The row-major shape of flat data.
   *
   * @default {[x.length]}
   */
  shape?: readonly number[];
  /**
   * A `Float64Array` with one entry per row to write the result into, flat
   * and row-major, instead of new arrays; it is returned as is and must not
   * share memory with x.
   *
   * @default {undefined}
   */
  out?: Float64Array;
}

/**
 * log(Σ exp(x_i)) along an axis, without overflow: max(x) + log(Σ exp(x_i - max(x))),
 * with the shift carried exactly and the sum compensated.
 *
 * An empty row gives -Infinity (the log of an empty sum); a row with NaN
 * gives NaN; a row with +Infinity (and no NaN) gives +Infinity; a row of only
 * -Infinity gives -Infinity. Always max(x) ≤ logSumExp(x) ≤ max(x) + log(n).
 *
 * @param x A number, nested arrays, a `Float64Array` or a `Float32Array`.
 * @param options Axis, mask, shape and output array.
 * @returns A number for 1-D input; for n-D input, nested arrays with the axis
 * removed; `options.out` itself when it is given. Computed in float64 for
 * float32 input too.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is out of range, or `options.out` has the
 * wrong length or overlaps x.
 *
 * @example Beyond the range of exp
 * ```ts
 * import { logSumExp } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2);
 * assert.equal(logSumExp([]), -Infinity);
 * ```
 */
export function logSumExp(
  x: NumericInput,
  options: LogSumExpOptions & { out: Float64Array },
): Float64Array;
/** logSumExp of 1-D input: a number. */
export function logSumExp(
  x: Vector,
  options?: LogSumExpOptions & { shape?: undefined },
): number;
/** logSumExp of n-D input: nested arrays with the axis removed. */
export function logSumExp(
  x: NumericInput,
  options?: LogSumExpOptions,
): number | NestedNumbers;
export function logSumExp(
  x: NumericInput,
  options?: LogSumExpOptions,
): number | NestedNumbers | Float64Array {
  const fn = "logSumExp";
  const { axis, where, shape, out: into } = readOptions<LogSumExpOptions>(
    fn,
    options,
  );
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const mask = readMask(fn, where, input.shape);
  const rows = rowsOf(input.shape, classAxis);
  const { length, inner } = rows;
  const { data } = input;
  const count = rows.outer * inner;
  const given = readOut<Float64Array>(
    fn,
    into,
    ["Float64Array"],
    count,
    data,
    false,
  );
  const out = given ?? new Float64Array(count);
  const fast = inner === 1 && mask === undefined &&
    worthKernels(data.length) &&
    fastLogSumExp(
      data,
      out,
      length,
      (row) =>
        logSumExpRow(
          rowScratch(length),
          data,
          row * length,
          1,
          length,
          undefined,
        ),
    );
  if (!fast) {
    const s = rowScratch(length);
    forEachRow(rows, (base, row) => {
      out[row] = logSumExpRow(s, data, base, inner, length, mask);
    });
  }
  if (given !== undefined) return given;
  const reduced = input.shape.filter((_, d) => d !== classAxis);
  return nest(out, reduced);
}
