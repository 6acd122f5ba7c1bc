// Rows for testing the kernels: a seeded generator and rows that each
// exercise one edge case (tests/kernels_test.ts, tests/pool_test.ts).

// Mulberry32: a small seeded generator, so every failure reproduces.
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Rows that each exercise one edge case, at several positions, mixed into
// one batch with ordinary rows so that the flagged rows are routed to the
// reference while their neighbours are not.
export function adversarialRows(len: number, next: () => number): number[][] {
  const rows: number[][] = [];
  const base = () => Array.from({ length: len }, () => (next() - 0.5) * 10);
  const at = (value: number, where: number) => {
    const row = base();
    row[Math.min(where, len - 1)] = value;
    return row;
  };
  for (const where of [0, 1, 2, 3, len - 1]) {
    rows.push(at(NaN, where));
    rows.push(at(Infinity, where));
    rows.push(at(-Infinity, where));
    rows.push(at(1e308, where));
    rows.push(at(-1e308, where));
    rows.push(at(-800, where));
    rows.push(base());
  }
  rows.push(Array.from({ length: len }, () => -Infinity));
  rows.push(Array.from({ length: len }, () => Infinity));
  rows.push(Array.from({ length: len }, (_, i) => (i % 2 ? -0 : 0)));
  rows.push(Array.from({ length: len }, () => 5e-324));
  rows.push(Array.from({ length: len }, (_, i) => (i % 2 ? 1e308 : -1e308)));
  rows.push(Array.from({ length: len }, (_, i) => -i * 1e300));
  // exp(x - max) around the float64 underflow thresholds.
  rows.push(
    Array.from(
      { length: len },
      (_, i) => [0, -708.4, -745.1, -1100, -2e3][i % 5]!,
    ),
  );
  rows.push(Array.from({ length: len }, (_, i) => (i === 0 ? 3e38 : -3e38)));
  rows.push(Array.from({ length: len }, (_, i) => (i === 0 ? 0 : -103.5)));
  rows.push(base());
  return rows;
}
