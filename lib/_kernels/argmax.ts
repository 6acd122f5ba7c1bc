import { align16, CHUNK } from "./instance.ts";
import { runChunks } from "./pool.ts";

// Longest row the kernel takes; longer rows go to the reference.
const MAX_ROW = 1 << 27;

/**
 * argmax of the contiguous rows of `len` entries of `data` into `out` (one
 * index per row), a chunk of rows at a time through linear memory (pool.ts). Returns
 * false, having done nothing, when the kernel does not take the rows.
 */
export function fastArgmax(
  data: Float64Array | Float32Array,
  out: Float64Array | Int32Array,
  len: number,
): boolean {
  if (len === 0 || len > MAX_ROW) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / len));
  const xBytes = align16(chunkRows * len * data.BYTES_PER_ELEMENT);
  const f32 = data instanceof Float32Array;
  const Type = f32 ? Float32Array : Float64Array;
  runChunks({
    kernel: f32 ? "argmax32" : "argmax64",
    slotBytes: xBytes + chunkRows * 8,
    args: (x, entries) => [x, entries / len, len, x + xBytes],
    io: {
      input: data,
      inputPerChunk: chunkRows * len,
      stage: Type.name as "Float32Array" | "Float64Array",
      output: out,
      outputPerChunk: chunkRows,
      resultAt: xBytes,
      result: "Float64Array",
    },
  });
  return true;
}
