import assert from "node:assert/strict";
import { crossEntropy, softmax } from "../mod.ts";
import { ulpDistance } from "./reference/_ulp.ts";
import { loadReference } from "./reference/accuracy_report.ts";

Deno.test("crossEntropy(x, t) is -log softmax(x)[t]", () => {
  // log(e^2 + e + e^-0.5) - 1, written out.
  const expected = Math.log(Math.exp(2) + Math.E + Math.exp(-0.5)) - 1;
  assert.ok(Math.abs(crossEntropy([2, 1, -0.5], 1) - expected) < 1e-15);
  assert.equal(crossEntropy([0, 0], 1), Math.LN2);
  assert.equal(crossEntropy([1000, 1000], 0), Math.LN2);
  assert.equal(crossEntropy(3, 0), 0);
});

Deno.test("crossEntropy(x, t) stays finite where softmax underflows", () => {
  assert.equal(softmax([0, -800])[1], 0);
  assert.equal(crossEntropy([0, -800], 1), 800);
  assert.equal(crossEntropy([1e308, -1e308], 1), Infinity); // the spread overflows
});

Deno.test("crossEntropy(x, t) keeps its digits near 0", () => {
  // -log(1 / (1 + e^-40)) = log1p(e^-40), about 4.25e-18.
  const expected = Math.log1p(Math.exp(-40));
  assert.ok(ulpDistance(crossEntropy([40, 0], 0), expected) <= 1);
  assert.equal(1 - softmax([40, 0])[0]!, 0); // 1 - p loses it all
});

Deno.test("crossEntropy(x, t) edge cases", async (t) => {
  await t.step("a certain right answer is +0, not -0", () => {
    assert.ok(Object.is(crossEntropy([0, -Infinity], 0), 0));
  });
  await t.step("NaN in the row gives NaN", () => {
    assert.ok(Number.isNaN(crossEntropy([1, NaN], 0)));
    assert.ok(Number.isNaN(crossEntropy([NaN, Infinity], 1)));
  });
  await t.step(
    "+Infinity: log(k) for one of k infinite logits, else +Infinity",
    () => {
      assert.equal(crossEntropy([1, Infinity, Infinity], 1), Math.LN2);
      assert.equal(crossEntropy([1, Infinity], 1), 0);
      assert.equal(crossEntropy([1, Infinity], 0), Infinity);
    },
  );
  await t.step("a row of only -Infinity gives NaN (0 / 0)", () => {
    assert.ok(Number.isNaN(crossEntropy([-Infinity, -Infinity], 0)));
  });
  await t.step("float32 input is computed in float64", () => {
    const expected = Math.log1p(Math.exp(-1)); // logits 1 and 2, true class 1
    assert.ok(
      ulpDistance(crossEntropy(Float32Array.of(1, 2), 1), expected) <= 1,
    );
  });
});

Deno.test("crossEntropy(x, targets) gives one loss per row", () => {
  assert.deepEqual(crossEntropy([[0, 0], [5, 5]], [0, 1]), [
    Math.LN2,
    Math.LN2,
  ]);
  assert.deepEqual(crossEntropy([[0, -800], [-800, 0]], [1, 1]), [800, 0]);
  // Classes down the columns.
  assert.deepEqual(crossEntropy([[0, -800], [-800, 0]], [1, 0], { axis: 0 }), [
    800,
    800,
  ]);
  // Flat data with a shape, and 3-D input.
  assert.deepEqual(
    crossEntropy([0, -800, -800, 0], [1, 1], { shape: [2, 2] }),
    [800, 0],
  );
  assert.deepEqual(crossEntropy([[[0, -800]], [[-800, 0]]], [[0], [0]]), [
    [0],
    [800],
  ]);
});

Deno.test("crossEntropy's gradient is softmax(x) - onehot(t)", () => {
  const x = [0.3, -1.2, 2.1, 0.5];
  const p = softmax(x);
  const h = 1e-6;
  x.forEach((_, k) => {
    const up = x.with(k, x[k]! + h);
    const down = x.with(k, x[k]! - h);
    const slope = (crossEntropy(up, 2) - crossEntropy(down, 2)) / (2 * h);
    assert.ok(Math.abs(slope - (p[k]! - (k === 2 ? 1 : 0))) < 1e-9);
  });
});

Deno.test("crossEntropy(x, t) does not mutate its inputs", () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  const target = [2, 0];
  const typed = Float64Array.of(1, 2, 3);
  crossEntropy(x, target);
  crossEntropy(typed, 1);
  assert.deepEqual(x, [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(target, [2, 0]);
  assert.deepEqual([...typed], [1, 2, 3]);
});

Deno.test("crossEntropy(x, t) rejects bad input with the function's name", async (t) => {
  const rejects = (
    call: () => unknown,
    name: "TypeError" | "RangeError",
    message: string,
  ) => assert.throws(call, { name, message: `crossEntropy: ${message}` });
  // Logits of shape [2, 3, 4]: targets of shape [2, 3], classes 0 to 3.
  const cube = [0, 1].map(() => [0, 1, 2].map(() => [0, 1, 2, 3]));
  await t.step("a target that is not a class index", () => {
    rejects(
      () => crossEntropy([1, 2], 2),
      "RangeError",
      "target is 2, expected an integer from 0 to 1",
    );
    rejects(
      () => crossEntropy([1, 2], -1),
      "RangeError",
      "target is -1, expected an integer from 0 to 1",
    );
    rejects(
      () => crossEntropy([[1, 2], [3, 4]], [0, 1.5]),
      "RangeError",
      "target[1] is 1.5, expected an integer from 0 to 1",
    );
    rejects(
      () => crossEntropy([[[1, 2]], [[3, 4]]], [[0], [NaN]]),
      "RangeError",
      "target[1][0] is NaN, expected an integer from 0 to 1",
    );
    // Entry 4 in row-major order is at [1][1] when rows have 3 entries.
    rejects(
      () => crossEntropy(cube, [[0, 1, 2], [3, 9, 0]]),
      "RangeError",
      "target[1][1] is 9, expected an integer from 0 to 3",
    );
  });
  await t.step("a target of the wrong type or shape", () => {
    rejects(
      () => crossEntropy([1, 2], "1" as unknown as number),
      "TypeError",
      'target is a string ("1"), expected an integer (x is one row)',
    );
    rejects(
      () => crossEntropy([[1, 2]], 0),
      "TypeError",
      "target is a number (0), expected nested arrays of shape [1] (x's shape without the class axis)",
    );
    rejects(
      () => crossEntropy([[1, 2], [3, 4]], [0]),
      "TypeError",
      "target has shape [1], expected [2] (x's shape without the class axis)",
    );
    rejects(
      () => crossEntropy(cube, "x" as unknown as number),
      "TypeError",
      'target is a string ("x"), expected nested arrays of shape [2, 3] (x\'s shape without the class axis)',
    );
    rejects(
      () => crossEntropy(cube, [[0, 1], [2, 3]]),
      "TypeError",
      "target has shape [2, 2], expected [2, 3] (x's shape without the class axis)",
    );
    // Fewer axes than expected, though the ones it has agree.
    rejects(
      () => crossEntropy(cube, [0, 1]),
      "TypeError",
      "target has shape [2], expected [2, 3] (x's shape without the class axis)",
    );
    rejects(
      () => crossEntropy([[1, 2], [3, 4]], [0, "1"] as unknown as number[]),
      "TypeError",
      'target[1] is a string ("1"), expected a number',
    );
  });
  await t.step(
    "bad logits, axis or options, as for the other functions",
    () => {
      rejects(
        () => crossEntropy([1, "2"] as unknown as number[], 0),
        "TypeError",
        'x[1] is a string ("2"), expected a number',
      );
      rejects(
        () => crossEntropy([], 0),
        "RangeError",
        "x has an empty axis 0 (length 0); crossEntropy needs at least one entry",
      );
      rejects(
        () => crossEntropy([1, 2], 0, { axis: 1 }),
        "RangeError",
        "options.axis is 1 but x has 1 axis; expected an integer from -1 to 0",
      );
      rejects(
        () => crossEntropy([1, 2], 0, null as unknown as undefined),
        "TypeError",
        "options is null, expected an object",
      );
    },
  );
});

Deno.test("crossEntropy(x, t) is within 4 ulp of the mpmath reference", async () => {
  // The exact loss is -logSoftmax(x)[t], and negation is exact, so the
  // correctly rounded logSoftmax of tests/reference (mpmath, 200 bits) is
  // the correctly rounded loss. Every row is checked at its largest and
  // smallest logit (losses near 0 and the largest ones) and at every 97th.
  const reference = await loadReference();
  let checked = 0;
  let worst = 0;
  const misses: string[] = [];
  for (const row of reference.rows.float64) {
    const targets = new Set<number>();
    let top = 0;
    let bottom = 0;
    row.x.forEach((v, i) => {
      if (v > row.x[top]!) top = i;
      if (v < row.x[bottom]!) bottom = i;
      if (i % 97 === 0) targets.add(i);
    });
    targets.add(top).add(bottom);
    for (const t of targets) {
      const exact = -row.logSoftmax[t]!;
      if (!Number.isFinite(exact)) continue;
      const ulps = ulpDistance(crossEntropy(row.x, t), exact);
      checked++;
      worst = Math.max(worst, ulps);
      if (ulps > 4) misses.push(`${row.name}, t = ${t}: ${ulps} ulp`);
    }
  }
  assert.ok(checked > 500, `only ${checked} losses checked`);
  assert.deepEqual(misses.slice(0, 10), [], `worst ${worst} ulp`);
});
