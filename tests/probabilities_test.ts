import assert from "node:assert/strict";
import { Probabilities, sigmoid, softmax, toText } from "../mod.ts";

Deno.test("Probabilities is array-like over its first axis", async (t) => {
  const p = softmax([0, 0, 0, 0]);
  await t.step("length, p[i] and iteration", () => {
    assert.equal(p.length, 4);
    assert.equal(p[0], 0.25);
    assert.equal(p[3], 0.25);
    assert.deepEqual([...p], [0.25, 0.25, 0.25, 0.25]);
    assert.deepEqual(Array.from(p), [0.25, 0.25, 0.25, 0.25]);
  });
  await t.step("out-of-range and non-index keys are undefined", () => {
    assert.equal(p[4], undefined);
    assert.equal((p as unknown as Record<string, unknown>)["1.5"], undefined);
    assert.equal((p as unknown as Record<string, unknown>)["-1"], undefined);
    assert.ok(2 in p);
    assert.ok(!(4 in p));
  });
  await t.step(
    "only canonical indices below the length index an n-D result",
    () => {
      const m = softmax([[1, 2], [3, 4]]);
      const keys = m as unknown as Record<string, unknown>;
      for (
        const key of [
          "2",
          "3",
          "-1",
          "1.5",
          "01",
          "1e0",
          " 1",
          "NaN",
          "Infinity",
          "",
        ]
      ) {
        assert.equal(keys[key], undefined, JSON.stringify(key));
        assert.ok(!(key in m), JSON.stringify(key));
      }
      assert.ok(m[1] instanceof Probabilities);
      assert.ok("1" in m);
      // Properties are not indices: `in` still finds them.
      for (const key of ["length", "shape", "argmax", "toArray"]) {
        assert.ok(key in m, key);
      }
    },
  );
  await t.step("n-D items are sub-results viewing the same storage", () => {
    const m = softmax([[1, 1], [2, 2], [3, 3]], { labels: ["x", "y"] });
    const row = m[2]!;
    assert.ok(row instanceof Probabilities);
    assert.deepEqual(row.shape, [2]);
    assert.deepEqual(row.labels, ["x", "y"]);
    assert.equal(row.values.buffer, m.values.buffer);
    assert.deepEqual([...m].map((r) => r.toArray()), m.toArray());
  });
});

Deno.test("p[i] of a batch is the result of row i alone: its class axis, argmax and chart", () => {
  const p = softmax([[1, 3, 2], [0, 0, 5]]);
  const [first, second] = [p[0]!, p[1]!];
  assert.equal(first.axis, 0);
  assert.equal(first.argmax(), 1);
  assert.equal(second.argmax(), 2);
  // A fresh 1-D result of the same row is the independent expectation.
  assert.equal(toText(first), toText(softmax([1, 3, 2])));
  assert.equal(toText(second), toText(softmax([0, 0, 5])));
  assert.equal(toText(first).split("\n")[0], "softmax over 3 classes");
  const cube = softmax([[[0, 9, 1], [4, 0, 0]], [[1, 1, 7], [0, 2, 1]]]);
  const plane = cube[1] as unknown as Probabilities<Probabilities<number>>;
  assert.equal(plane.axis, 1);
  assert.deepEqual(plane.argmax(), [2, 1]);
  assert.equal(plane[0]!.axis, 0);
  assert.equal(plane[0]!.argmax(), 2);
  const columns = softmax([[1, 5], [3, 0], [2, 9]], { axis: 0 });
  assert.deepEqual(columns.argmax(), [1, 2]);
});

Deno.test("Probabilities converts to plain JSON", () => {
  const m = softmax([[1, NaN], [0, 0]]);
  assert.deepEqual(JSON.parse(JSON.stringify(m)), [[null, null], [0.5, 0.5]]);
  const f = sigmoid(Float32Array.of(0, 0, 0, 0, 0, 0), { shape: [1, 2, 3] });
  assert.deepEqual(f.toArray(), [[[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]]);
  assert.deepEqual(f.toJSON(), [[[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]]);
  assert.deepEqual(softmax([0, 0]).toJSON(), [0.5, 0.5]);
});

Deno.test("Probabilities.argmax() reduces the class axis", () => {
  assert.equal(softmax([0, 2, 1]).argmax(), 1);
  assert.deepEqual(softmax([[0, 2, 1], [5, 0, 0]]).argmax(), [1, 0]);
  assert.deepEqual(softmax([[0, 2], [5, 0]], { axis: 0 }).argmax(), [1, 0]);
});

Deno.test("new Probabilities(init) copies its shape and labels", () => {
  const shape = [2];
  const labels = ["a", "b"];
  const p = new Probabilities({
    kind: "softmax",
    values: Float64Array.of(0.25, 0.75),
    shape,
    axis: 0,
    labels,
  });
  shape[0] = 5;
  labels[1] = "z";
  assert.deepEqual(p.shape, [2]);
  assert.deepEqual(p.labels, ["a", "b"]);
  assert.equal(p[1], 0.75);
});
