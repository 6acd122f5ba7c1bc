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
