/**
 * Sum of `count` entries of `values` from `start` in steps of `stride`,
 * leaving out the k-th when `skip(k)`, with Neumaier's improvement of Kahan's
 * compensated summation (Neumaier 1974; the same method as d3-array's
 * `fsum`), so that the sum shown on a chart is right to the last digit even
 * for 50,000 classes. NaN in, NaN out.
 */
export function compensatedSum(
  values: ArrayLike<number>,
  start = 0,
  stride = 1,
  count: number = values.length,
  skip?: (k: number) => boolean,
): number {
  let sum = 0;
  let compensation = 0;
  for (let k = 0, j = start; k < count; k++, j += stride) {
    if (skip?.(k)) continue;
    const v = values[j] as number;
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v)
      ? (sum - t) + v
      : (v - t) + sum;
    sum = t;
  }
  const total = sum + compensation;
  // Infinite terms make the compensation NaN; the plain sum is then right.
  return total === total ? total : sum;
}
