import { nest, readAxis, readMask, readOptions, readTensor } from "./_input.ts";
import { forEachRow, rowsOf } from "./_rows.ts";
import {
  logOfSum,
  RowScratch,
  scanRow,
  shiftRow,
  sumExp,
} from "./_softmax_row.ts";
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
 * @param options Axis, mask and shape.
 * @returns A number for 1-D input; for n-D input, nested arrays with the axis
 * removed. Computed in float64 for float32 input too.
 * @throws {TypeError} If x or an option has the wrong type or shape.
 * @throws {RangeError} If the axis is out of range.
 *
 * @example Beyond the range of exp
 * ```ts
 * import { logSumExp } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2);
 * assert.equal(logSumExp([]), -Infinity);
 * ```
 */
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
): number | NestedNumbers {
  const fn = "logSumExp";
  const { axis, where, shape } = readOptions<LogSumExpOptions>(fn, options);
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const mask = readMask(fn, where, input.shape);
  const rows = rowsOf(input.shape, classAxis);
  const { length, inner } = rows;
  const { data } = input;
  const out = new Float64Array(rows.outer * inner);
  const s = new RowScratch().reserve(length);
  forEachRow(rows, (base, row) => {
    scanRow(s, data, base, inner, length, mask);
    switch (s.kind) {
      case "finite": {
        shiftRow(s, data, base, inner, length, mask, 1);
        const sum = sumExp(s, length, false);
        out[row] = s.max + logOfSum(sum, s.sumError);
        break;
      }
      case "nan":
        out[row] = NaN;
        break;
      case "infinite":
        out[row] = Infinity;
        break;
      case "negative-infinite":
      case "empty":
        out[row] = -Infinity;
        break;
    }
  });
  const reduced = input.shape.filter((_, d) => d !== classAxis);
  return nest(out, reduced);
}
