import assert from "node:assert/strict";
import { logSumExp } from "../mod.ts";

Deno.test("logSumExp(x) is log Σ exp(x) without overflow", () => {
  assert.equal(logSumExp([0, 0]), Math.LN2);
  assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2);
  assert.equal(logSumExp([-1000, -1000]), -1000 + Math.LN2);
  assert.equal(logSumExp([1e308, 1e308]), 1e308);
  assert.equal(logSumExp([1e308, -1e308]), 1e308);
  assert.ok(
    Math.abs(
      logSumExp([1, 2, 3]) - Math.log(Math.E + Math.E ** 2 + Math.E ** 3),
    ) < 1e-15,
  );
  assert.equal(logSumExp(7), 7);
});

Deno.test("logSumExp(x) edge cases", async (t) => {
  await t.step("empty: -Infinity, the log of an empty sum", () => {
    assert.equal(logSumExp([]), -Infinity);
    assert.deepEqual(logSumExp([[], []]), [-Infinity, -Infinity]);
    assert.equal(logSumExp([1, 2], { where: [false, false] }), -Infinity);
  });
  await t.step("NaN gives NaN, even beside +Infinity", () => {
    assert.ok(Number.isNaN(logSumExp([1, NaN])));
    assert.ok(Number.isNaN(logSumExp([Infinity, NaN])));
  });
  await t.step("+Infinity gives +Infinity", () => {
    assert.equal(logSumExp([1, Infinity, -Infinity]), Infinity);
  });
  await t.step("a row of only -Infinity gives -Infinity", () => {
    assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
  });
  await t.step("masked entries are left out", () => {
    assert.equal(
      logSumExp([0, 1000, 0], { where: [true, false, true] }),
      Math.LN2,
    );
  });
});

Deno.test("logSumExp(x, { axis }) reduces the axis", () => {
  assert.deepEqual(logSumExp([[0, 0], [5, 5]]), [Math.LN2, 5 + Math.LN2]);
  assert.deepEqual(logSumExp([[0, 5], [0, 5]], { axis: 0 }), [
    Math.LN2,
    5 + Math.LN2,
  ]);
  assert.deepEqual(
    logSumExp(Float32Array.of(0, 0, 0, 0, 0, 0), { shape: [1, 2, 3], axis: 1 }),
    [[Math.LN2, Math.LN2, Math.LN2]],
  );
  // A middle axis with axes on both sides: result (o, i) is row (o, i).
  assert.deepEqual(
    logSumExp([[[0, 1], [0, 1]], [[2, 3], [2, 3]]], { axis: 1 }),
    [[Math.LN2, 1 + Math.LN2], [2 + Math.LN2, 3 + Math.LN2]],
  );
});
