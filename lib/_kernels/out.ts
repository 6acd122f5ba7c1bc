// Reads `options.out`, the caller's output array, for every function that
// takes one. It lives beside the kernels because it is what lets them write
// results without allocating.

import { describe, type Tensor } from "../_input.ts";
import { freshFloats } from "./fresh.ts";

/** Typed arrays a result can be written to. */
export type OutArray = Float64Array | Float32Array | Int32Array;

type OutType = "Float64Array" | "Float32Array" | "Int32Array";

function isOfType(value: unknown, type: OutType): value is OutArray {
  switch (type) {
    case "Float64Array":
      return value instanceof Float64Array;
    case "Float32Array":
      return value instanceof Float32Array;
    case "Int32Array":
      return value instanceof Int32Array;
  }
}

function article(type: OutType): string {
  return type === "Int32Array" ? "an" : "a";
}

// Whether two views share memory without being the same view.
function overlapsPartly(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer) return false;
  const same = a.byteOffset === b.byteOffset && a.byteLength === b.byteLength &&
    a.constructor === b.constructor;
  if (same) return false;
  return a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Reads `options.out`: undefined, or a typed array of one of `types` with
 * exactly `length` entries. It may be `x` itself when `inPlace` allows (then
 * every entry is read before it is written) but must not otherwise share
 * memory with `x`.
 */
export function readOut<T extends OutArray>(
  fn: string,
  out: unknown,
  types: readonly OutType[],
  length: number,
  x: ArrayBufferView,
  inPlace: boolean,
): T | undefined {
  if (out === undefined) return undefined;
  if (!types.some((type) => isOfType(out, type))) {
    const expected = types.map((type) => `${article(type)} ${type}`)
      .join(" or ");
    throw new TypeError(
      `${fn}: options.out is ${describe(out)}, expected ${expected}`,
    );
  }
  const array = out as T;
  if (array.length !== length) {
    throw new RangeError(
      `${fn}: options.out has length ${array.length} but the result has ${length} ${
        length === 1 ? "entry" : "entries"
      }`,
    );
  }
  if (inPlace ? overlapsPartly(array, x) : sharesMemory(array, x)) {
    throw new RangeError(
      `${fn}: options.out overlaps x; ${
        inPlace
          ? "pass x itself to work in place, or a separate array"
          : "pass a separate array"
      }`,
    );
  }
  return array;
}

function sharesMemory(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Reads `options.out` for an elementwise float result of `input` (float32
 * storage for Float32Array input; `x` itself allowed, to work in place):
 * `given` is the caller's array if any, `out` where the result goes.
 */
export function readFloatOut(
  fn: string,
  out: unknown,
  input: Tensor,
): {
  given: Float64Array | Float32Array | undefined;
  out: Float64Array | Float32Array;
} {
  const given = readOut<Float64Array | Float32Array>(
    fn,
    out,
    [input.float32 ? "Float32Array" : "Float64Array"],
    input.data.length,
    input.data,
    true,
  );
  return { given, out: given ?? resultArrayFor(input) };
}

/**
 * A new array for an elementwise result of `input`, of its storage type; the
 * copy `data` itself when the call made one, so that plain-array input costs
 * one allocation (the results are computed in place, entry by entry).
 */
function resultArrayFor(input: Tensor): Float64Array | Float32Array {
  const { data } = input;
  if (input.copied) return data;
  return freshFloats(input.float32, data.length);
}
