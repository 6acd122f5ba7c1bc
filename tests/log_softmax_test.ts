import assert from "node:assert/strict";
import { logSoftmax } from "../mod.ts";

Deno.test("logSoftmax(x) is x - log Σ exp(x)", () => {
  const out = logSoftmax([Math.log(3), 0]);
  assert.ok(out instanceof Float64Array);
  assert.ok(Math.abs(out[0]! - Math.log(0.75)) < 1e-16 * 2);
  assert.ok(Math.abs(out[1]! - Math.log(0.25)) < 4e-16);
  assert.deepEqual([...logSoftmax([0, 0])], [-Math.LN2, -Math.LN2]);
});

Deno.test("logSoftmax(x) keeps precision where log(softmax(x)) cannot", async (t) => {
  await t.step("tiny probabilities: exp underflows, the log does not", () => {
    assert.deepEqual([...logSoftmax([0, -800])], [0, -800]);
    assert.deepEqual([...logSoftmax([1e308, -1e308])], [0, -Infinity]);
  });
  await t.step("outputs near 0 keep their relative precision (log1p)", () => {
    // log(1 / (1 + e^-40)) = -log1p(e^-40) ≈ -e^-40
    const [top] = logSoftmax([40, 0]);
    const expected = -Math.log1p(Math.exp(-40));
    assert.ok(
      Math.abs(top! - expected) <= Math.abs(expected) * 4e-16,
      `${top}`,
    );
  });
});

Deno.test("logSoftmax(x) edge cases", async (t) => {
  await t.step(
    "+Infinity: -log(k) on the k infinite entries, -Infinity elsewhere",
    () => {
      assert.deepEqual([...logSoftmax([1, Infinity, 2])], [
        -Infinity,
        -0,
        -Infinity,
      ]);
      assert.deepEqual([...logSoftmax([Infinity, 0, Infinity])], [
        -Math.LN2,
        -Infinity,
        -Math.LN2,
      ]);
    },
  );
  await t.step("NaN makes the row NaN", () => {
    assert.ok([...logSoftmax([1, NaN, 3])].every(Number.isNaN));
  });
  await t.step("a row of only -Infinity is NaN", () => {
    assert.ok([...logSoftmax([-Infinity, -Infinity])].every(Number.isNaN));
  });
  await t.step("masked entries are -Infinity; a fully masked row too", () => {
    const out = logSoftmax([1, 5, 1], { where: [true, false, true] });
    assert.deepEqual([...out], [-Math.LN2, -Infinity, -Math.LN2]);
    assert.deepEqual(logSoftmax([[1, 2]], { where: [[false, false]] }), [[
      -Infinity,
      -Infinity,
    ]]);
  });
  await t.step(
    "masked entries of a NaN or +Infinity row stay -Infinity",
    () => {
      const nan = logSoftmax([NaN, 1, 2], { where: [true, false, true] });
      assert.ok(Number.isNaN(nan[0]) && Number.isNaN(nan[2]));
      assert.equal(nan[1], -Infinity);
      assert.deepEqual(
        [...logSoftmax([Infinity, Infinity, 0], {
          where: [true, false, true],
        })],
        [-0, -Infinity, -Infinity],
      );
    },
  );
  await t.step(
    "a spread near the double range divided by T stays (x - max) / T",
    () => {
      // (x - max) / T overflows to -Infinity (T < 1), or is finite while its
      // product with T rounds past -MAX_VALUE (T = 3); either way the sum is
      // exactly 1 and the result is the correctly rounded (x - max) / T.
      assert.deepEqual([...logSoftmax([0, -1e308], { temperature: 0.5 })], [
        0,
        -Infinity,
      ]);
      assert.deepEqual(
        [...logSoftmax([0, -Number.MAX_VALUE], { temperature: 3 })],
        [0, -Number.MAX_VALUE / 3],
      );
    },
  );
  await t.step("temperature divides the logits", () => {
    assert.deepEqual([...logSoftmax([2, 2], { temperature: 0.5 })], [
      -Math.LN2,
      -Math.LN2,
    ]);
    const out = logSoftmax([6, 0], { temperature: 3 });
    const expected = [-Math.log1p(Math.exp(-2)), -2 - Math.log1p(Math.exp(-2))];
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(out[i]! - expected[i]!) < 1e-15);
    }
  });
});

Deno.test("logSoftmax(x) returns typed arrays for 1-D, nested arrays for n-D", () => {
  assert.ok(logSoftmax(Float32Array.of(1, 2)) instanceof Float32Array);
  const nested = logSoftmax([[0, 0], [1, 1]]);
  assert.ok(Array.isArray(nested));
  assert.deepEqual(nested, [[-Math.LN2, -Math.LN2], [-Math.LN2, -Math.LN2]]);
  assert.deepEqual(
    logSoftmax(Float64Array.of(0, 5, 0, 5), { shape: [2, 2], axis: 0 }),
    [[-Math.LN2, -Math.LN2], [-Math.LN2, -Math.LN2]],
  );
});

Deno.test("logSoftmax(x) rejects an empty axis and never mutates x", () => {
  assert.throws(() => logSoftmax([]), {
    name: "RangeError",
    message:
      "logSoftmax: x has an empty axis 0 (length 0); logSoftmax needs at least one entry",
  });
  const x = Object.freeze([3, 2, 1]);
  logSoftmax(x);
  assert.deepEqual(x, [3, 2, 1]);
});
