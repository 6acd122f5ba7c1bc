import assert from "node:assert/strict";
import { argmax, sigmoid, softmax } from "../mod.ts";

Deno.test("argmax(x) is the index of the largest value", () => {
  assert.equal(argmax([0.1, 2.5, 0.3]), 1);
  assert.equal(argmax([-5]), 0);
  assert.equal(argmax(3), 0);
  assert.equal(argmax(Float32Array.of(1, 9, 3)), 1);
  assert.equal(argmax([-Infinity, -1e308]), 1);
  assert.equal(argmax([1, Infinity, Infinity]), 1);
});

Deno.test("argmax(x) edge cases", async (t) => {
  await t.step("ties give the first index", () => {
    assert.equal(argmax([3, 7, 7, 1]), 1);
    assert.equal(argmax([-Infinity, -Infinity]), 0);
  });
  await t.step("-0 and 0 tie", () => {
    assert.equal(argmax([-0, 0]), 0);
    assert.equal(argmax([0, -0]), 0);
    assert.equal(argmax([-1, -0, 0]), 1);
  });
  await t.step("NaN: the index of the first NaN (NumPy's rule)", () => {
    assert.equal(argmax([1, NaN, 5, NaN]), 1);
    assert.equal(argmax([NaN, 5]), 0);
    assert.equal(argmax([NaN, 1, NaN]), 0);
    assert.equal(argmax([Infinity, NaN]), 1);
  });
  await t.step("an empty axis is an error", () => {
    for (const x of [[], [[], []]]) {
      assert.throws(() => argmax(x), {
        name: "RangeError",
        message: `argmax: x has an empty axis ${
          x.length === 0 ? 0 : 1
        } (length 0); argmax needs at least one entry`,
      });
    }
  });
});

Deno.test("argmax(x, { axis }) reduces the axis", () => {
  assert.deepEqual(argmax([[1, 3], [4, 2]]), [1, 0]);
  assert.deepEqual(argmax([[1, 3], [4, 2]], { axis: 0 }), [1, 0]);
  assert.deepEqual(argmax([[1, 5], [4, 2]], { axis: 0 }), [1, 0]);
  assert.deepEqual(argmax([[[1, 2], [3, 0]]], { axis: 1 }), [[1, 0]]);
  assert.deepEqual(
    argmax(Float64Array.of(0, 1, 2, 9, 4, 5), { shape: [2, 3] }),
    [2, 0],
  );
});

Deno.test("argmax(Probabilities) reduces its class axis", () => {
  assert.equal(argmax(softmax([1, 3, 2])), 1);
  assert.equal(softmax([1, 3, 2]).argmax(), 1);
  // Logit columns [1, 4, 0] and [5, 2, 9]: probabilities about
  // [[0.047, 0.018], [0.936, 0.001], [0.017, 0.981]], whose columns peak at
  // rows 1 and 2 and whose rows at columns 0, 0 and 1.
  const byColumn = softmax([[1, 5], [4, 2], [0, 9]], { axis: 0 });
  assert.deepEqual(argmax(byColumn), [1, 2]);
  assert.deepEqual(byColumn.argmax(), [1, 2]);
  assert.deepEqual(argmax(byColumn, { axis: 1 }), [0, 0, 1]);
  assert.equal(argmax(sigmoid([0, 2, 1])), 1);
  // An explicit axis wins over the class axis: columns of row-wise softmax.
  const byRow = softmax([[1, 2], [0, 3]]);
  assert.deepEqual(argmax(byRow), [1, 1]);
  assert.deepEqual(argmax(byRow, { axis: 0 }), [0, 1]);
});
