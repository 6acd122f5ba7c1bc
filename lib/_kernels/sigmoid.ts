import { CHUNK, kernels, reserve } from "./instance.ts";

/**
 * sigmoid of every entry of `data` into `out` (same length; float32 results
 * for Float32Array data), a chunk at a time through linear memory, so `out`
 * may be `data` itself.
 */
export function fastSigmoid(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
): void {
  const k = kernels();
  const x = reserve(k, CHUNK * 8);
  const f32 = data instanceof Float32Array;
  const view = f32
    ? new Float32Array(k.memory.buffer, x, CHUNK)
    : new Float64Array(k.memory.buffer, x, CHUNK);
  for (let from = 0; from < data.length; from += CHUNK) {
    const n = Math.min(CHUNK, data.length - from);
    const chunk = n === CHUNK ? view : view.subarray(0, n);
    chunk.set(data.subarray(from, from + n));
    if (f32) k.sigmoid32(x, n);
    else k.sigmoid64(x, n);
    out.set(chunk, from);
  }
}
