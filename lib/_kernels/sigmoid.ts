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
  const Type = f32 ? Float32Array : Float64Array;
  const args = (chunk: number, x: number) => [
    x,
    Math.min(CHUNK, size - chunk * CHUNK),
  ];
  runChunks({
    kernel: f32 ? "sigmoid32" : "sigmoid64",
    count: Math.ceil(size / CHUNK),
    slotBytes: CHUNK * data.BYTES_PER_ELEMENT,
    size,
    args,
    drain(chunk, x, _result, buffer) {
      const from = chunk * CHUNK;
      const n = Math.min(CHUNK, size - from);
      out.set(new Type(buffer, x, n), from);
    },
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
