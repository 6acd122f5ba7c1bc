import type { NestedNumbers } from "./input_types.ts";

/** Turns flat row-major values into nested plain arrays (shape [] gives the number). */
export function nest(
  values: ArrayLike<number>,
  shape: readonly number[],
): number | NestedNumbers {
  if (shape.length === 0) return values[0] ?? NaN;
  let at = 0;
  const build = (depth: number): NestedNumbers => {
    const n = shape[depth] ?? 0;
    const out: NestedNumbers = new Array(n);
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = values[at++] ?? NaN;
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}
