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
  const Type = f32 ? Float32Array : Float64Array;
  runChunks({
    kernel: f32 ? "sigmoid32" : "sigmoid64",
    slotBytes: CHUNK * data.BYTES_PER_ELEMENT,
    args: (x, entries) => [x, entries],
    io: {
      input: data,
      inputPerChunk: CHUNK,
      stage: Type.name as "Float32Array" | "Float64Array",
      output: out,
      outputPerChunk: CHUNK,
      resultAt: 0,
      result: Type.name as "Float32Array" | "Float64Array",
    },
  });
}
