import { compensatedSum } from "../_sum.ts";

/** Which classes a chart draws as their own bars, and what the rest add up to. */
export interface Fold {
  /** Class indices drawn as bars: all in class order, or the top ones in descending order. */
  indices: number[];
  /** How many classes the "other" bar stands for (0: no such bar). */
  otherCount: number;
  /** Their total (compensated sum; NaN if any of them is NaN). */
  otherMass: number;
}

/**
 * Keeps every class when there are at most `k`; otherwise the `k` largest in
 * descending order (ties: lower index first; NaN ranks below everything) plus
 * the total of the rest, found with a size-`k` min-heap in O(n log k), so a
 * chart of 50,000 classes costs one pass.
 */
export function foldTopK(
  values: ArrayLike<number>,
  base: number,
  stride: number,
  count: number,
  k: number,
): Fold {
  if (count <= k) {
    return {
      indices: Array.from({ length: count }, (_, i) => i),
      otherCount: 0,
      otherMass: 0,
    };
  }
  const at = (i: number) => values[base + i * stride] as number;
  const rank = (i: number) => {
    const v = at(i);
    return v === v ? v : -Infinity;
  };
  // `worse(a, b)`: a ranks below b. The heap keeps the worst kept class on top.
  const worse = (a: number, b: number) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra < rb || (ra === rb && a > b);
  };
  const heap: number[] = [];
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && worse(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (let i = 0; i < count; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0;) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c] as number, heap[p] as number)) break;
        [heap[c], heap[p]] = [heap[p] as number, heap[c] as number];
        c = p;
      }
    } else if (worse(heap[0] as number, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const indices = heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  const kept = new Set(indices);
  return {
    indices,
    otherCount: count - k,
    otherMass: compensatedSum(values, base, stride, count, (i) => kept.has(i)),
  };
}
