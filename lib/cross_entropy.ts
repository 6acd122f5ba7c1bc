import { nest } from "./_nest.ts";
import { readAxis, readOptions, readTargets, readTensor } from "./_input.ts";
import { forEachRow, rowsOf } from "./_rows.ts";
import { logSoftmaxRow, rowScratch } from "./_softmax_row.ts";
import type { NestedNumbers, NumericInput } from "./input_types.ts";

/** Options for {@linkcode crossEntropy}. */
export interface CrossEntropyOptions {
  /**
   * The class axis; negative counts from the end.
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
 * The cross-entropy loss of softmax(x) against the true class:
 * −log softmax(x)[target] = logSumExp(x) − x[target], computed exactly as
 * {@linkcode logSoftmax} does it (the shift by the maximum carried exactly,
 * log1p near 0), so it is within 4 ulp of the exact value, stays finite when
 * softmax underflows to 0 and keeps its digits when the loss is near 0.
 *
 * Its gradient with respect to the logits is softmax(x) − onehot(target).
 * A row with NaN gives NaN; a row with k entries of +Infinity gives log(k)
 * when the target is one of them and +Infinity otherwise; a row of only
 * -Infinity gives NaN.
 *
 * @param x Logits: a number, nested arrays, a `Float64Array` or a
 * `Float32Array`; the class axis is the last one unless `options.axis` says
 * otherwise.
 * @param target The index of the true class: one integer for 1-D x, else
 * nested arrays of integers with x's shape minus the class axis.
 * @param options Axis and shape.
 * @returns A number for 1-D input; for n-D input, nested arrays with the
 * class axis removed, one loss per row. Computed in float64 for float32
 * input too.
 * @throws {TypeError} If x, target or an option has the wrong type or
 * shape.
 * @throws {RangeError} If the class axis is empty or out of range, or a
 * target is not a class index.
 *
 * @example The loss of a confident mistake, where softmax underflows
 * ```ts
 * import { crossEntropy, softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * assert.equal(crossEntropy([0, -800], 1), 800);
 * assert.equal(-Math.log(softmax([0, -800])[1]!), Infinity);
 * assert.deepEqual(crossEntropy([[0, 0], [5, 5]], [0, 1]), [Math.LN2, Math.LN2]);
 * ```
 */
export function crossEntropy(
  x: number | readonly number[] | Float64Array | Float32Array,
  target: number,
  options?: CrossEntropyOptions & { shape?: undefined },
): number;
/** crossEntropy of n-D input: nested arrays with the class axis removed. */
export function crossEntropy(
  x: NumericInput,
  target: number | NestedNumbers,
  options?: CrossEntropyOptions,
): number | NestedNumbers;
export function crossEntropy(
  x: NumericInput,
  target: number | NestedNumbers,
  options?: CrossEntropyOptions,
): number | NestedNumbers {
  const fn = "crossEntropy";
  const { axis, shape } = readOptions<CrossEntropyOptions>(fn, options);
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const rows = rowsOf(input.shape, classAxis);
  const { length, inner } = rows;
  if (length === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${classAxis} (length 0); ${fn} needs at least one entry`,
    );
  }
  const reduced = input.shape.filter((_, d) => d !== classAxis);
  const targets = readTargets(fn, target, reduced, length);
  const { data } = input;
  const out = new Float64Array(rows.outer * inner);
  const logP = new Float64Array(length * inner);
  const s = rowScratch(length);
  forEachRow(rows, (base, row) => {
    // logSoftmaxRow writes entry k at k * inner here: logP holds the row.
    logSoftmaxRow(s, data, base, inner, length, undefined, 1, logP, 0);
    // 0 - v, not -v: a loss of exactly 0 is +0.
    out[row] = 0 - (logP[(targets[row] as number) * inner] as number);
  });
  return nest(out, reduced);
}
