import { align16, CHUNK } from "./instance.ts";
import { runChunks } from "./pool.ts";

// Longest row the kernel takes; longer rows go to the reference.
const MAX_ROW = 1 << 27;

/**
 * argmax of `rows` contiguous rows of `len` entries into `out` (one index per
 * row), a chunk of rows at a time through linear memory (pool.ts). Returns
 * false, having done nothing, when the kernel does not take the rows.
 */
export function fastArgmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Int32Array,
  rows: number,
  len: number,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * data.BYTES_PER_ELEMENT);
  const f32 = data instanceof Float32Array;
  runChunks({
    kernel: f32 ? "argmax32" : "argmax64",
    count: Math.ceil(rows / chunkRows),
    slotBytes: xBytes + chunkRows * 8,
    size: rows * len,
    fill(chunk, x, buffer) {
      const r0 = chunk * chunkRows;
      const n = Math.min(chunkRows, rows - r0);
      const from = r0 * len;
      const view = f32
        ? new Float32Array(buffer, x, n * len)
        : new Float64Array(buffer, x, n * len);
      view.set(data.subarray(from, from + n * len));
      return [x, n, len, x + xBytes];
    },
    drain(chunk, x, _result, buffer) {
      const r0 = chunk * chunkRows;
      const n = Math.min(chunkRows, rows - r0);
      out.set(new Float64Array(buffer, x + xBytes, n), r0);
    },
  });
  return true;
}
