import { CHUNK } from "./instance.ts";
import { runChunks } from "./pool.ts";

/**
 * sigmoid of every entry of `data` into `out` (same length; float32 results
 * for Float32Array data), a chunk at a time through linear memory (pool.ts),
 * so `out` may be `data` itself.
 */
export function fastSigmoid(
  data: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
): void {
  const f32 = data instanceof Float32Array;
  const size = data.length;
  runChunks({
    kernel: f32 ? "sigmoid32" : "sigmoid64",
    count: Math.ceil(size / CHUNK),
    slotBytes: CHUNK * data.BYTES_PER_ELEMENT,
    size,
    fill(chunk, x, buffer) {
      const from = chunk * CHUNK;
      const n = Math.min(CHUNK, size - from);
      const view = f32
        ? new Float32Array(buffer, x, n)
        : new Float64Array(buffer, x, n);
      view.set(data.subarray(from, from + n));
      return [x, n];
    },
    drain(chunk, x, _result, buffer) {
      const from = chunk * CHUNK;
      const n = Math.min(CHUNK, size - from);
      out.set(
        f32 ? new Float32Array(buffer, x, n) : new Float64Array(buffer, x, n),
        from,
      );
    },
  });
}
