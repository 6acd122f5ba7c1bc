// Invariants that must hold for every input, checked on random logits
// (fast-check, seeded so that a failure reproduces).
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import {
  argmax,
  crossEntropy,
  logSoftmax,
  logSumExp,
  Probabilities,
  sigmoid,
  softmax,
} from "../mod.ts";
import { ulpDistance } from "./reference/_ulp.ts";

const EPSILON = Number.EPSILON;
const settings = { seed: 20261128, numRuns: 300 };

const logit = fc.double({ min: -700, max: 700, noNaN: true });
const logits = fc.array(logit, { minLength: 1, maxLength: 60 });
// Multiples of 1/1024 in [-512, 512]: shifting them by an integer is exact.
const gridLogits = fc.array(
  fc.integer({ min: -(2 ** 19), max: 2 ** 19 }).map((k) => k / 1024),
  { minLength: 1, maxLength: 40 },
);
const sum = (values: Iterable<number>) => {
  let s = 0;
  for (const v of values) s += v;
  return s;
};

Deno.test("softmax(x) sums to 1 within n·ε", () => {
  fc.assert(
    fc.property(logits, (x) => {
      const s = sum(softmax(x));
      return Math.abs(s - 1) <= x.length * EPSILON;
    }),
    settings,
  );
});

Deno.test("softmax(x) is non-negative and at most 1", () => {
  fc.assert(
    fc.property(logits, (x) => [...softmax(x)].every((p) => p >= 0 && p <= 1)),
    settings,
  );
});

Deno.test("softmax(x + c) = softmax(x): adding a constant changes nothing", () => {
  fc.assert(
    fc.property(gridLogits, fc.integer({ min: -1000, max: 1000 }), (x, c) => {
      const shifted = softmax(x.map((v) => v + c)).toArray();
      assert.deepEqual(shifted, softmax(x).toArray());
    }),
    settings,
  );
});

Deno.test("softmax(x) preserves order", () => {
  fc.assert(
    fc.property(logits, (x) => {
      const p = softmax(x).values;
      for (let i = 0; i < x.length; i++) {
        for (let j = 0; j < x.length; j++) {
          if (x[i]! < x[j]! && !(p[i]! <= p[j]!)) return false;
        }
      }
      return true;
    }),
    settings,
  );
});

Deno.test("argmax(softmax(x)) = argmax(x) for finite untied x", () => {
  // Distinct multiples of 1/16 in a range where no probability underflows.
  const untied = fc.uniqueArray(fc.integer({ min: -8000, max: 8000 }), {
    minLength: 1,
    maxLength: 50,
  }).map((a) => a.map((k) => k / 16));
  fc.assert(
    fc.property(untied, (x) => argmax(softmax(x)) === argmax(x)),
    settings,
  );
});

Deno.test("sigmoid(x) + sigmoid(-x) = 1 within 2ε", () => {
  fc.assert(
    fc.property(fc.double({ min: -800, max: 800, noNaN: true }), (x) => {
      return Math.abs(sigmoid(x) + sigmoid(-x) - 1) <= 2 * EPSILON;
    }),
    settings,
  );
});

Deno.test("sigmoid(x) = softmax([x, 0])[0] within 4 ulp", () => {
  fc.assert(
    fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
      const s = sigmoid(x);
      const viaSoftmax = softmax([x, 0])[0]!;
      return s < 1e-300 || ulpDistance(viaSoftmax, s) <= 4;
    }),
    settings,
  );
});

Deno.test("softmax(x, { temperature }) tends to uniform as T grows, one-hot as T shrinks", () => {
  const untied = fc.uniqueArray(fc.integer({ min: -100, max: 100 }), {
    minLength: 2,
    maxLength: 20,
  });
  fc.assert(
    fc.property(untied, (x) => {
      const n = x.length;
      const hot = softmax(x, { temperature: 1e-4 }).toArray() as number[];
      const top = argmax(x);
      const warm = softmax(x, { temperature: 1e9 }).toArray() as number[];
      return hot.every((p, i) => p === (i === top ? 1 : 0)) &&
        warm.every((p) => Math.abs(p - 1 / n) < 1e-6 / n);
    }),
    settings,
  );
});

Deno.test("logSoftmax(x) = log(softmax(x)) where softmax is normal", () => {
  fc.assert(
    fc.property(logits, (x) => {
      const log = logSoftmax(x);
      const p = softmax(x).values;
      for (let i = 0; i < x.length; i++) {
        if (!(p[i]! > 1e-300)) continue;
        // softmax is within 4 ulp, so log(p) is within 4ε absolute of it.
        const direct = log[i]!;
        const viaLog = Math.log(p[i]!);
        if (
          Math.abs(direct - viaLog) >
            6 * EPSILON * Math.max(1, Math.abs(direct))
        ) {
          return false;
        }
      }
      return true;
    }),
    settings,
  );
});

Deno.test("max(x) ≤ logSumExp(x) ≤ max(x) + log(n)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), {
        minLength: 1,
        maxLength: 60,
      }),
      (x) => {
        const max = Math.max(...x);
        const lse = logSumExp(x);
        return max <= lse &&
          lse <= max + Math.log(x.length) * (1 + 4 * EPSILON);
      },
    ),
    settings,
  );
});

Deno.test("softmax(x) and sigmoid(x) never mutate x", () => {
  fc.assert(
    fc.property(logits, (x) => {
      const copy = [...x];
      const typed = Float64Array.from(x);
      softmax(x, { temperature: 2 });
      logSoftmax(typed);
      sigmoid(typed);
      assert.deepEqual(x, copy);
      assert.deepEqual([...typed], copy);
    }),
    settings,
  );
});

Deno.test("no function writes to its input, whatever form it takes", async (t) => {
  // Results may be computed in place only in a copy the call made itself:
  // never in the caller's typed array, nor in a Probabilities passed back in.
  const snapshot = (v: unknown): unknown =>
    v instanceof Probabilities
      ? { values: [...v.values], shape: [...v.shape] }
      : ArrayBuffer.isView(v)
      ? [...(v as Uint8Array)]
      : Array.isArray(v)
      ? v.map(snapshot)
      : v;
  const big = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 9);
  const square = { shape: [2, 2] };
  // Each form, its options, and a crossEntropy target for that shape.
  const forms: [string, () => unknown, object, number | number[]][] = [
    ["a number", () => 0.5, {}, 0],
    ["a flat array", () => [3, -1, 2, 0], {}, 3],
    ["a flat array with a shape", () => [3, -1, 2, 0], square, [1, 0]],
    ["nested arrays", () => [[3, -1], [2, 0]], {}, [1, 0]],
    ["a Float64Array", () => Float64Array.of(3, -1, 2, 0), {}, 3],
    [
      "a Float64Array with a shape",
      () => Float64Array.of(3, -1, 2, 0),
      square,
      [1, 0],
    ],
    ["a Float32Array", () => Float32Array.of(3, -1, 2, 0), {}, 3],
    [
      "a Float32Array with a shape",
      () => Float32Array.of(3, -1, 2, 0),
      square,
      [1, 0],
    ],
    ["a large Float64Array (the kernels' path)", () => big.slice(), {}, 7],
    ["a Probabilities", () => softmax([[3, -1], [2, 0]]), {}, [1, 0]],
    [
      "a float32 Probabilities",
      () => sigmoid(Float32Array.of(3, -1, 2, 0)),
      {},
      3,
    ],
    [
      "a large Probabilities",
      () => softmax(big, { shape: [3, 1000] }),
      {},
      [7, 8, 9],
    ],
  ];
  for (const [form, make, options, target] of forms) {
    await t.step(form, () => {
      const x = make() as number[];
      const before = snapshot(x);
      const check = (call: string) =>
        assert.deepEqual(snapshot(x), before, `${call} wrote to ${form}`);
      softmax(x, options);
      check("softmax");
      softmax(x, { ...options, temperature: 2 });
      check("softmax with a temperature");
      logSoftmax(x, options);
      check("logSoftmax");
      logSumExp(x, options);
      check("logSumExp");
      sigmoid(x, options);
      check("sigmoid");
      argmax(x, options);
      check("argmax");
      crossEntropy(x, target, options);
      check("crossEntropy");
    });
  }
  await t.step("a mask, nested, flat or a Uint8Array, and targets", () => {
    const wheres = [
      [[true, false], [true, true]],
      [true, false, true, true],
      Uint8Array.of(1, 0, 1, 1),
    ];
    for (const where of wheres) {
      const x = [[3, -1], [2, 0]];
      const before = [snapshot(x), snapshot(where)];
      softmax(x, { where });
      logSoftmax(x, { where });
      logSumExp(x, { where });
      assert.deepEqual([snapshot(x), snapshot(where)], before);
    }
    const x = [[3, -1], [2, 0]];
    const target = [1, 0];
    crossEntropy(x, target);
    assert.deepEqual(x, [[3, -1], [2, 0]]);
    assert.deepEqual(target, [1, 0]);
  });
});
