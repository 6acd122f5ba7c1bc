import { align16, CHUNK, kernels, reserve } from "./instance.ts";

// Longest row the kernel takes; longer rows go to the reference.
const MAX_ROW = 1 << 27;

/**
 * argmax of `rows` contiguous rows of `len` entries into `out` (one index per
 * row). Returns false, having done nothing, when the kernel does not take the
 * rows.
 */
export function fastArgmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Int32Array,
  rows: number,
  len: number,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const k = kernels();
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * data.BYTES_PER_ELEMENT);
  const x = reserve(k, xBytes + chunkRows * 8);
  const indices = x + xBytes;
  const { buffer } = k.memory;
  const f32 = data instanceof Float32Array;
  const view = f32
    ? new Float32Array(buffer, x, chunkRows * len)
    : new Float64Array(buffer, x, chunkRows * len);
  const results = new Float64Array(buffer, indices, chunkRows);
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const n = Math.min(chunkRows, rows - r0);
    const from = r0 * len;
    const count = n * len;
    (count === view.length ? view : view.subarray(0, count))
      .set(data.subarray(from, from + count));
    if (f32) k.argmax32(x, n, len, indices);
    else k.argmax64(x, n, len, indices);
    out.set(n === chunkRows ? results : results.subarray(0, n), r0);
  }
  return true;
}
