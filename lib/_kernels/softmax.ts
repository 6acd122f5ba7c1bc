// Drivers for the softmax-family kernels: rows are copied into linear memory
// a chunk at a time (whole rows, about CHUNK entries, so that the working set
// stays in the L2 cache; one row at a time when rows are longer), computed in
// place, and copied out. Rows the kernels flag (NaN or ±Infinity maximum) are
// computed by the reference straight into the chunk before it is copied out,
// so `out` may be `data` itself.

import { align16, CHUNK, type Kernels, kernels, reserve } from "./instance.ts";

/** Computes row `row` of the input into `out` at `outBase` with the reference. */
export type RowFallback = (
  row: number,
  out: Float64Array | Float32Array,
  outBase: number,
) => void;

type InPlaceKernel = (
  k: Kernels,
  x: number,
  rows: number,
  len: number,
  scratch: number,
  status: number,
) => number;

// Longest row the kernels take; longer rows (gigabytes of scratch) go to the
// reference.
const MAX_ROW = 1 << 26;

function inPlaceRows(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  rows: number,
  len: number,
  run: InPlaceKernel,
  scratchPerEntry: number,
  fallback: RowFallback,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const k = kernels();
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * data.BYTES_PER_ELEMENT);
  const scratchBytes = align16(len * scratchPerEntry);
  const x = reserve(k, xBytes + scratchBytes + chunkRows);
  const scratch = x + xBytes;
  const status = scratch + scratchBytes;
  const { buffer } = k.memory;
  const view = data instanceof Float32Array
    ? new Float32Array(buffer, x, chunkRows * len)
    : new Float64Array(buffer, x, chunkRows * len);
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const n = Math.min(chunkRows, rows - r0);
    const from = r0 * len;
    const count = n * len;
    const chunk = count === view.length ? view : view.subarray(0, count);
    chunk.set(data.subarray(from, from + count));
    if (run(k, x, n, len, scratch, status) > 0) {
      const flags = new Uint8Array(buffer, status, n);
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 0) fallback(r0 + i, chunk, i * len);
      }
    }
    out.set(chunk, from);
  }
  return true;
}

const softmax64: InPlaceKernel = (k, x, rows, len, _scratch, status) =>
  k.softmax64(x, rows, len, status);
const softmax32: InPlaceKernel = (k, x, rows, len, scratch, status) =>
  k.softmax32(x, rows, len, scratch, status);
const logSoftmax64: InPlaceKernel = (k, x, rows, len, _scratch, status) =>
  k.logSoftmax64(x, rows, len, status);
const logSoftmax32: InPlaceKernel = (k, x, rows, len, _scratch, status) =>
  k.logSoftmax32(x, rows, len, status);

/**
 * softmax of `rows` contiguous rows of `len` entries (temperature 1, no
 * mask) into `out`, which has the type of `data` or is a Float64Array for
 * Float64Array data. Returns false, having done nothing, when the kernels do
 * not take the rows.
 */
export function fastSoftmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  rows: number,
  len: number,
  fallback: RowFallback,
): boolean {
  return data instanceof Float32Array
    ? inPlaceRows(data, out, rows, len, softmax32, 8, fallback)
    : inPlaceRows(data, out, rows, len, softmax64, 0, fallback);
}

/** logSoftmax of contiguous rows into `out`; as {@linkcode fastSoftmax}. */
export function fastLogSoftmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  rows: number,
  len: number,
  fallback: RowFallback,
): boolean {
  return data instanceof Float32Array
    ? inPlaceRows(data, out, rows, len, logSoftmax32, 0, fallback)
    : inPlaceRows(data, out, rows, len, logSoftmax64, 0, fallback);
}

/**
 * logSumExp of contiguous rows into `out` (one float64 per row), computed in
 * float64 for float32 data too. `fallback(row)` gives a flagged row's value.
 */
export function fastLogSumExp(
  data: Float64Array | Float32Array,
  out: Float64Array,
  rows: number,
  len: number,
  fallback: (row: number) => number,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const k = kernels();
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * 8);
  const x = reserve(k, xBytes + chunkRows * 8 + chunkRows);
  const sums = x + xBytes;
  const status = sums + chunkRows * 8;
  const { buffer } = k.memory;
  const view = new Float64Array(buffer, x, chunkRows * len);
  const results = new Float64Array(buffer, sums, chunkRows);
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const n = Math.min(chunkRows, rows - r0);
    const from = r0 * len;
    const count = n * len;
    (count === view.length ? view : view.subarray(0, count))
      .set(data.subarray(from, from + count));
    const flagged = k.logSumExp64(x, n, len, sums, status);
    out.set(n === chunkRows ? results : results.subarray(0, n), r0);
    if (flagged > 0) {
      const flags = new Uint8Array(buffer, status, n);
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 0) out[r0 + i] = fallback(r0 + i);
      }
    }
  }
  return true;
}
