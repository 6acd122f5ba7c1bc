import assert from "node:assert/strict";
import { Probabilities, sigmoid } from "../mod.ts";

Deno.test("sigmoid(x) is 1 / (1 + exp(-x))", () => {
  assert.equal(sigmoid(0), 0.5);
  assert.equal(sigmoid(Math.log(3)), 0.75);
  assert.equal(sigmoid(-Math.log(3)), 0.25);
  for (const x of [-20, -3.5, -1, 0.25, 2, 17]) {
    const expected = 1 / (1 + Math.exp(-x));
    assert.ok(Math.abs(sigmoid(x) - expected) <= 2.3e-16 * expected, String(x));
  }
});

Deno.test("sigmoid(x) edge cases", async (t) => {
  await t.step("±Infinity give 1 and 0; NaN gives NaN", () => {
    assert.equal(sigmoid(Infinity), 1);
    assert.equal(sigmoid(-Infinity), 0);
    assert.ok(Number.isNaN(sigmoid(NaN)));
  });
  await t.step("large negative inputs give the correct subnormal", () => {
    assert.equal(sigmoid(-745), Number.MIN_VALUE); // exact value 4.94e-324
    const x = -740;
    assert.ok(Math.abs(sigmoid(x) - Math.exp(x)) <= 1e-323, `${sigmoid(x)}`);
    assert.equal(sigmoid(-746), 0); // below half the smallest subnormal
  });
  await t.step("large positive inputs round to 1, never overflow", () => {
    assert.equal(sigmoid(710), 1);
    assert.equal(sigmoid(1e308), 1);
    assert.equal(sigmoid(-1e308), 0);
  });
  await t.step("±0 give 0.5", () => {
    assert.equal(sigmoid(-0), 0.5);
  });
});

Deno.test("sigmoid(array) gives independent probabilities that need not sum to 1", () => {
  const p = sigmoid([2, 1, -1], { labels: ["a", "b", "c"] });
  assert.ok(p instanceof Probabilities);
  assert.equal(p.kind, "sigmoid");
  assert.deepEqual(p.labels, ["a", "b", "c"]);
  assert.deepEqual(p.toArray(), [sigmoid(2), sigmoid(1), sigmoid(-1)]);
  const q = sigmoid([5, 1, -1]);
  assert.equal(q[1], p[1]); // raising one logit leaves the others alone
  assert.ok(Math.abs([...p].reduce((a, b) => a + b) - 1) > 0.5);
});

Deno.test("sigmoid(x) keeps x's shape and storage type", () => {
  const m = sigmoid([[0, 1], [2, 3]]);
  assert.deepEqual(m.shape, [2, 2]);
  assert.deepEqual(m[1]!.toArray(), [sigmoid(2), sigmoid(3)]);
  const f = sigmoid(Float32Array.of(0, 1, 2, 3), { shape: [2, 2] });
  assert.ok(f.values instanceof Float32Array);
  assert.deepEqual(
    [...f.values],
    [0, 1, 2, 3].map((v) => Math.fround(sigmoid(v))),
  );
  assert.deepEqual(sigmoid([]).toArray(), []);
});

Deno.test("sigmoid(number) rejects array-only options", () => {
  assert.throws(() => sigmoid(1, { labels: ["a"] } as never), {
    name: "TypeError",
    message: "sigmoid: options.labels is given but x is a number",
  });
  assert.throws(() => sigmoid(1, { shape: [1] } as never), {
    name: "TypeError",
    message: "sigmoid: options.shape is given but x is a number",
  });
});
