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
  rows: number,
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
  const args = (chunk: number, x: number) => {
    const n = Math.min(chunkRows, rows - chunk * chunkRows);
    const scratch = x + xBytes;
    const status = scratch + scratchBytes;
    return scratchPerEntry > 0
      ? [x, n, len, scratch, status]
      : [x, n, len, status];
  };
  runChunks({
    kernel,
    count: Math.ceil(rows / chunkRows),
    slotBytes: xBytes + scratchBytes + chunkRows,
    size: rows * len,
    args,
    drain(chunk, x, flagged, buffer) {
      const r0 = chunk * chunkRows;
      const n = Math.min(chunkRows, rows - r0);
      const view = new Type(buffer, x, n * len);
      if (flagged > 0) {
        const flags = new Uint8Array(buffer, x + xBytes + scratchBytes, n);
        for (let i = 0; i < n; i++) {
          if (flags[i] !== 0) fallback(r0 + i, view, i * len);
        }
      }
      out.set(view, r0 * len);
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
    ? inPlaceRows(data, out, rows, len, "softmax32", 8, fallback)
    : inPlaceRows(data, out, rows, len, "softmax64", 0, fallback);
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
    ? inPlaceRows(data, out, rows, len, "logSoftmax32", 0, fallback)
    : inPlaceRows(data, out, rows, len, "logSoftmax64", 0, fallback);
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
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * 8);
  const sumsBytes = chunkRows * 8;
  const args = (chunk: number, x: number) => [
    x,
    Math.min(chunkRows, rows - chunk * chunkRows),
    len,
    x + xBytes,
    x + xBytes + sumsBytes,
  ];
  runChunks({
    kernel: "logSumExp64",
    count: Math.ceil(rows / chunkRows),
    slotBytes: xBytes + sumsBytes + chunkRows,
    size: rows * len,
    args,
    drain(chunk, x, flagged, buffer) {
      const r0 = chunk * chunkRows;
      const n = Math.min(chunkRows, rows - r0);
      out.set(new Float64Array(buffer, x + xBytes, n), r0);
      if (flagged > 0) {
        const flags = new Uint8Array(buffer, x + xBytes + sumsBytes, n);
        for (let i = 0; i < n; i++) {
          if (flags[i] !== 0) out[r0 + i] = fallback(r0 + i);
        }
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
