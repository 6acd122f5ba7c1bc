import assert from "node:assert/strict";
import { foldTopK } from "../lib/charts/_top_k.ts";
import { compensatedSum } from "../lib/_sum.ts";

Deno.test("foldTopK(values, k) keeps every class in order when there are at most k", () => {
  assert.deepEqual(foldTopK([0.2, 0.5, 0.3], 0, 1, 3, 3), {
    indices: [0, 1, 2],
    otherCount: 0,
    otherMass: 0,
  });
});

Deno.test("foldTopK keeps the k largest in descending order and sums the rest", () => {
  const fold = foldTopK([0.1, 0.4, 0.05, 0.3, 0.15], 0, 1, 5, 2);
  assert.deepEqual(fold.indices, [1, 3]);
  assert.equal(fold.otherCount, 3);
  // Compensated: the sum rounded once, where 0.1 + 0.05 + 0.15 rounds twice.
  assert.equal(fold.otherMass, 0.3);
  assert.notEqual(0.1 + 0.05 + 0.15, 0.3);
});

Deno.test("foldTopK edge cases", async (t) => {
  await t.step("ties go to the lower index", () => {
    assert.deepEqual(foldTopK([1, 2, 2, 2, 1], 0, 1, 5, 2).indices, [1, 2]);
  });
  await t.step("NaN ranks below everything and makes the rest NaN", () => {
    const fold = foldTopK([NaN, 0.1, 0.2], 0, 1, 3, 2);
    assert.deepEqual(fold.indices, [2, 1]);
    assert.ok(Number.isNaN(fold.otherMass));
    assert.deepEqual(foldTopK([NaN, NaN, 0.1], 0, 1, 3, 1).indices, [2]);
  });
  await t.step("±0 and subnormals keep their order", () => {
    assert.deepEqual(foldTopK([-0, 5e-324, 0], 0, 1, 3, 2).indices, [1, 0]);
  });
  await t.step("k = 1 keeps the first maximum", () => {
    assert.deepEqual(foldTopK([3, 1, 3], 0, 1, 3, 1).indices, [0]);
  });
  await t.step("strided rows of a matrix", () => {
    // Column 1 of [[0, 9], [1, 7], [2, 8]] read with stride 2 from offset 1.
    assert.deepEqual(foldTopK([0, 9, 1, 7, 2, 8], 1, 2, 3, 2), {
      indices: [0, 2],
      otherCount: 1,
      otherMass: 7,
    });
  });
  await t.step("50,000 classes in one pass", () => {
    const x = new Float64Array(50_000).map((_, i) =>
      ((i * 7919) % 50_000) / 50_000
    );
    const fold = foldTopK(x, 0, 1, x.length, 20);
    const sorted = [...x].map((v, i) => [v, i] as const).sort((a, b) =>
      b[0] - a[0] || a[1] - b[1]
    );
    assert.deepEqual(fold.indices, sorted.slice(0, 20).map(([, i]) => i));
    assert.equal(fold.otherCount, 49_980);
  });
});

Deno.test("compensatedSum(values) is right where a plain sum is not", async (t) => {
  await t.step("cancellation", () => {
    assert.equal(compensatedSum([1e100, 1, -1e100]), 1);
    // A term larger than the running sum: Neumaier's case, where Kahan's
    // compensation loses the 1 added before it.
    assert.equal(compensatedSum([1, 1e100, 1, -1e100]), 2);
    assert.equal([1e100, 1, -1e100].reduce((a, b) => a + b), 0);
  });
  await t.step("many small terms", () => {
    const x = new Float64Array(50_000).fill(0.1);
    assert.equal(compensatedSum(x), 5000);
  });
  await t.step("NaN and infinities", () => {
    assert.ok(Number.isNaN(compensatedSum([1, NaN])));
    assert.equal(compensatedSum([1, Infinity]), Infinity);
    assert.ok(Number.isNaN(compensatedSum([Infinity, -Infinity])));
  });
  await t.step("strided", () => {
    assert.equal(compensatedSum([1, 100, 2, 100, 3], 0, 2, 3), 6);
  });
  await t.step("empty", () => {
    assert.equal(compensatedSum([]), 0);
  });
});

Deno.test("foldTopK(values, base, stride, count, k) equals sorting, for every k, inside a larger buffer", () => {
  // Mulberry32, seeded: values with ties and NaN, in row 1 of a 3-row
  // buffer whose other rows hold larger values that must never be read.
  let seed = 7;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const count of [2, 3, 7, 16, 33, 64]) {
    const row = Array.from(
      { length: count },
      () => random() < 0.1 ? NaN : Math.floor(random() * 8) / 8,
    );
    for (const stride of [1, 3]) {
      // Entry k of the row at 1 + k * stride (stride 3: a column) or
      // count + k (stride 1: the middle row); the rest is 2.
      const base = stride === 1 ? count : 1;
      const buffer = new Array(3 * count).fill(2);
      row.forEach((v, k) => buffer[base + k * stride] = v);
      const order = row.map((_, i) => i).sort((a, b) => {
        const [ra, rb] = [row[a]!, row[b]!].map((v) => v === v ? v : -Infinity);
        return rb! - ra! || a - b;
      });
      for (let k = 1; k < count; k++) {
        const fold = foldTopK(buffer, base, stride, count, k);
        const kept = order.slice(0, k);
        assert.deepEqual(
          fold.indices,
          kept,
          `count ${count}, stride ${stride}, k ${k}`,
        );
        assert.equal(fold.otherCount, count - k);
        const rest = order.slice(k).map((i) => row[i]!);
        const expected = rest.reduce((a, b) => a + b, 0);
        if (Number.isNaN(expected)) assert.ok(Number.isNaN(fold.otherMass));
        else assert.ok(Math.abs(fold.otherMass - expected) < 1e-12);
      }
    }
  }
});
