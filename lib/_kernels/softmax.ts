// Drivers for the softmax-family kernels: rows are copied into linear memory
// a chunk at a time (whole rows, about CHUNK entries, so that the working set
// stays in the L2 cache; one row at a time when rows are longer), computed in
// place, and copied out, by pool.ts. Rows the kernels flag (NaN or ±Infinity
// maximum) are computed by the reference straight into the chunk before it is
// copied out, so `out` may be `data` itself.

import { align16, CHUNK } from "./instance.ts";
import { type Floats, type KernelName, runChunks } from "./pool.ts";

/** Computes row `row` of the input into `out` at `outBase` with the reference. */
export type RowFallback = (
  row: number,
  out: Float64Array | Float32Array,
  outBase: number,
) => void;

// Longest row the kernels take; longer rows (gigabytes of scratch) go to the
// reference.
const MAX_ROW = 1 << 26;

function inPlaceRows(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  len: number,
  kernel: KernelName,
  scratchPerEntry: number,
  fallback: RowFallback,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const Type = data instanceof Float32Array ? Float32Array : Float64Array;
  const xBytes = align16(chunkRows * len * data.BYTES_PER_ELEMENT);
  const scratchBytes = align16(len * scratchPerEntry);
  runChunks({
    kernel,
    slotBytes: xBytes + scratchBytes + chunkRows,
    args(x, entries) {
      const scratch = x + xBytes;
      const status = scratch + scratchBytes;
      return scratchPerEntry > 0
        ? [x, entries / len, len, scratch, status]
        : [x, entries / len, len, status];
    },
    finish(x, flagged, results, from, buffer) {
      if (flagged === 0) return;
      const r0 = from / len;
      const n = results.length / len;
      const flags = new Uint8Array(buffer, x + xBytes + scratchBytes, n);
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 0) fallback(r0 + i, results, i * len);
      }
    },
    io: {
      input: data,
      inputPerChunk: chunkRows * len,
      stage: Type.name as Floats,
      output: out,
      outputPerChunk: chunkRows * len,
      resultAt: 0,
      result: Type.name as Floats,
    },
  });
  return true;
}

/**
 * softmax of the contiguous rows of `len` entries of `data` (temperature 1,
 * no mask) into `out`, which has the type of `data` or is a Float64Array for
 * Float64Array data. Returns false, having done nothing, when the kernels do
 * not take the rows.
 */
export function fastSoftmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  len: number,
  fallback: RowFallback,
): boolean {
  return data instanceof Float32Array
    ? inPlaceRows(data, out, len, "softmax32", 8, fallback)
    : inPlaceRows(data, out, len, "softmax64", 0, fallback);
}

/** logSoftmax of contiguous rows into `out`; as {@linkcode fastSoftmax}. */
export function fastLogSoftmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  len: number,
  fallback: RowFallback,
): boolean {
  return data instanceof Float32Array
    ? inPlaceRows(data, out, len, "logSoftmax32", 0, fallback)
    : inPlaceRows(data, out, len, "logSoftmax64", 0, fallback);
}

/**
 * logSumExp of contiguous rows into `out` (one float64 per row), computed in
 * float64 for float32 data too. `fallback(row)` gives a flagged row's value.
 */
export function fastLogSumExp(
  data: Float64Array | Float32Array,
  out: Float64Array,
  len: number,
  fallback: (row: number) => number,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * 8);
  const sumsBytes = chunkRows * 8;
  runChunks({
    kernel: "logSumExp64",
    slotBytes: xBytes + sumsBytes + chunkRows,
    args: (x, entries) => [
      x,
      entries / len,
      len,
      x + xBytes,
      x + xBytes + sumsBytes,
    ],
    finish(x, flagged, sums, from, buffer) {
      if (flagged === 0) return;
      const flags = new Uint8Array(buffer, x + xBytes + sumsBytes, sums.length);
      for (let i = 0; i < sums.length; i++) {
        if (flags[i] !== 0) sums[i] = fallback(from + i);
      }
    },
    io: {
      input: data,
      inputPerChunk: chunkRows * len,
      stage: "Float64Array",
      output: out,
      outputPerChunk: chunkRows,
      resultAt: xBytes,
      result: "Float64Array",
    },
  });
  return true;
}
