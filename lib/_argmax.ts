import type { NestedNumbers } from "./input_types.ts";
import { nest } from "./_input.ts";
import { forEachRow, rowsOf } from "./_rows.ts";

/**
 * Index of the largest entry of each row along `axis`: the first one on ties
 * (`-0` and `0` tie, since neither is greater), the first NaN if there is one
 * (NumPy's rule). Rows must be non-empty.
 */
export function argmaxOf(
  data: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
): number | NestedNumbers {
  const rows = rowsOf(shape, axis);
  const { length, inner } = rows;
  const out = new Float64Array(rows.outer * inner);
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
  return nest(out, shape.filter((_, d) => d !== axis));
}
