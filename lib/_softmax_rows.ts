// What softmax and logSoftmax share: reading their common options, and
// running a row function over every row, through the WebAssembly kernels
// where they apply.

import {
  readAxis,
  readMask,
  readOptions,
  readTemperature,
  readTensor,
  type Tensor,
} from "./_input.ts";
import { worthKernels } from "./_kernels/instance.ts";
import { readFloatOut } from "./_kernels/out.ts";
import type { RowFallback } from "./_kernels/softmax.ts";
import { forEachRow, type Rows, rowsOf } from "./_rows.ts";
import { rowScratch, type softmaxRow } from "./_softmax_row.ts";

/** The options softmax and logSoftmax share, before they are validated. */
type SoftmaxCallOptions = {
  [K in "axis" | "temperature" | "where" | "labels" | "shape" | "out"]?:
    unknown;
};

/** The validated arguments of softmax or logSoftmax. */
export interface SoftmaxCall {
  input: Tensor;
  classAxis: number;
  temperature: number;
  mask: Uint8Array | undefined;
  rows: Rows;
  /** `options.out`, if given. */
  given: Float64Array | Float32Array | undefined;
  /** Where the values go: `given`, or a new array of the input's storage type. */
  out: Float64Array | Float32Array;
  labels: unknown;
}

/** Reads and validates the arguments softmax and logSoftmax share. */
export function readSoftmaxCall(
  fn: "softmax" | "logSoftmax",
  x: unknown,
  options: unknown,
): SoftmaxCall {
  const { axis, temperature = 1, where, labels, shape, out: into } =
    readOptions<SoftmaxCallOptions>(fn, options);
  const input = readTensor(fn, x, shape);
  const classAxis = readAxis(fn, axis, input.shape.length);
  const t = readTemperature(fn, temperature);
  const mask = readMask(fn, where, input.shape);
  const rows = rowsOf(input.shape, classAxis);
  if (rows.length === 0) {
    throw new RangeError(
      `${fn}: x has an empty axis ${classAxis} (length 0); ${fn} needs at least one entry`,
    );
  }
  const { given, out } = readFloatOut(fn, into, input);
  return {
    input,
    classAxis,
    temperature: t,
    mask,
    rows,
    given,
    out,
    labels,
  };
}

/**
 * Runs `row` (softmaxRow or logSoftmaxRow) over every row. Contiguous rows
 * without mask or temperature go to `fast` (the WebAssembly kernels) when the
 * input is large enough to pay for the call; the rest, and rows the kernels
 * flag (NaN, ±Infinity), go to the reference row function.
 */
export function runSoftmaxRows(
  row: typeof softmaxRow,
  fast: (
    data: Float64Array | Float32Array,
    out: Float64Array | Float32Array,
    length: number,
    fallback: RowFallback,
  ) => boolean,
  { input: { data }, out, rows, mask, temperature }: SoftmaxCall,
): void {
  const { length, inner } = rows;
  const viaKernels = inner === 1 && mask === undefined && temperature === 1 &&
    worthKernels(data.length) &&
    fast(
      data,
      out,
      length,
      (r, target, at) =>
        row(
          rowScratch(length),
          data,
          r * length,
          1,
          length,
          undefined,
          1,
          target,
          at,
        ),
    );
  if (viaKernels) return;
  const s = rowScratch(length);
  forEachRow(rows, (base) => {
    row(s, data, base, inner, length, mask, temperature, out, base);
  });
}
