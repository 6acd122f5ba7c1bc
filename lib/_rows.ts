/** A shape split around an axis: entry k of row (o, i) sits at `(o * length + k) * inner + i`. */
export interface Rows {
  /** Product of the axes before `axis`. */
  outer: number;
  /** Entries per row: the length of `axis`. */
  length: number;
  /** Product of the axes after `axis`: the stride between entries of a row. */
  inner: number;
}

/** Splits `shape` around `axis`. */
export function rowsOf(shape: readonly number[], axis: number): Rows {
  const product = (a: readonly number[]) => a.reduce((p, n) => p * n, 1);
  return {
    outer: product(shape.slice(0, axis)),
    length: shape[axis] ?? 1,
    inner: product(shape.slice(axis + 1)),
  };
}

/** Calls `visit(base, row)` for every row along the axis, in row-major order of the other axes. */
export function forEachRow(
  { outer, length, inner }: Rows,
  visit: (base: number, row: number) => void,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      visit(o * length * inner + i, o * inner + i);
    }
  }
}
