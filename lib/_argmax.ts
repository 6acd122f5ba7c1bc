import type { NestedNumbers } from "./input_types.ts";
import { nest } from "./_nest.ts";
import { fastArgmax } from "./_kernels/argmax.ts";
import { worthKernels } from "./_kernels/instance.ts";
import { forEachRow, type Rows, rowsOf } from "./_rows.ts";

/**
 * Index of the largest entry of each row along `axis`, written to `out` (one
 * entry per row): the first one on ties (`-0` and `0` tie, since neither is
 * greater), the first NaN if there is one (NumPy's rule). Rows must be
 * non-empty. The readable reference; {@linkcode argmaxInto} takes the
 * WebAssembly kernel when it can.
 */
export function argmaxRows(
  data: ArrayLike<number>,
  rows: Rows,
  out: Float64Array | Int32Array,
): void {
  const { length, inner } = rows;
  forEachRow(rows, (base, row) => {
    let best = 0;
    let max = data[base] as number;
    if (max === max) {
      for (let k = 1; k < length; k++) {
        const v = data[base + k * inner] as number;
        if (v > max) {
          max = v;
          best = k;
        } else if (v !== v) {
          best = k;
          break;
        }
      }
    }
    out[row] = best;
  });
}

/** argmax along `axis` into `out`, through the kernel for large contiguous rows. */
export function argmaxInto(
  data: Float64Array | Float32Array,
  shape: readonly number[],
  axis: number,
  out: Float64Array | Int32Array,
): void {
  const rows = rowsOf(shape, axis);
  const fast = rows.inner === 1 && worthKernels(data.length) &&
    fastArgmax(data, out, rows.length);
  if (!fast) argmaxRows(data, rows, out);
}

/** argmax along `axis` as a number (1-D) or nested arrays with the axis removed. */
export function argmaxOf(
  data: Float64Array | Float32Array,
  shape: readonly number[],
  axis: number,
): number | NestedNumbers {
  const rows = rowsOf(shape, axis);
  const out = new Float64Array(rows.outer * rows.inner);
  argmaxInto(data, shape, axis, out);
  return nest(out, shape.filter((_, d) => d !== axis));
}
