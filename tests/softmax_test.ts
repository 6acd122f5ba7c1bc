import assert from "node:assert/strict";
import {
  logSoftmax,
  Probabilities,
  sigmoid,
  softmax,
  type SoftmaxOptions,
} from "../mod.ts";
import { ulpDistance } from "./reference/_ulp.ts";
import temperatureReference from "./reference/temperature.json" with {
  type: "json",
};

// An independent oracle for small, well-scaled inputs: the textbook formula.
function naive(x: readonly number[]): number[] {
  const e = x.map(Math.exp);
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function close(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-15,
) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    assert.ok(
      Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)),
      `index ${i}: ${a} vs ${e}`,
    );
  }
}

Deno.test("softmax(x) matches the textbook formula on small logits", () => {
  close(softmax([2, 1, 0.1]).values, naive([2, 1, 0.1]));
  close(softmax([-3, 0, 3, 1.5]).values, naive([-3, 0, 3, 1.5]));
  assert.deepEqual(softmax([0, 0]).toArray(), [0.5, 0.5]);
  assert.deepEqual(softmax([7, 7, 7, 7]).toArray(), [0.25, 0.25, 0.25, 0.25]);
  // exp(ln 3) / (exp(ln 3) + 1) = 3/4
  close(softmax([Math.log(3), 0]).values, [0.75, 0.25]);
});

Deno.test("softmax(x) returns Probabilities of x's shape", () => {
  const p = softmax([1, 2, 3], { labels: ["a", "b", "c"] });
  assert.ok(p instanceof Probabilities);
  assert.equal(p.kind, "softmax");
  assert.deepEqual(p.shape, [3]);
  assert.equal(p.axis, 0);
  assert.deepEqual(p.labels, ["a", "b", "c"]);
  assert.ok(p.values instanceof Float64Array);
  const m = softmax([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(m.shape, [2, 3]);
  assert.equal(m.length, 2);
  close(m[1]!.values, naive([4, 5, 6]));
});

Deno.test("softmax(x) of a scalar is the one-entry distribution", () => {
  assert.deepEqual(softmax(5).toArray(), [1]);
});

Deno.test("softmax(x) edge cases", async (t) => {
  await t.step(
    "+Infinity: the mass is shared among the +Infinity entries",
    () => {
      assert.deepEqual(softmax([1, Infinity, 2]).toArray(), [0, 1, 0]);
      assert.deepEqual(softmax([Infinity, 1, Infinity]).toArray(), [
        0.5,
        0,
        0.5,
      ]);
      assert.deepEqual(
        softmax([Infinity, -Infinity, Infinity, Infinity]).toArray(),
        [1 / 3, 0, 1 / 3, 1 / 3],
      );
    },
  );
  await t.step("NaN anywhere makes the whole row NaN", () => {
    for (
      const x of [[NaN, 1, 2], [1, 2, NaN], [Infinity, NaN], [-Infinity, NaN]]
    ) {
      assert.ok(softmax(x).toArray().every((v) => Number.isNaN(v)), String(x));
    }
    const m = softmax([[1, NaN], [1, 1]]).toArray();
    assert.deepEqual(m[1], [0.5, 0.5]);
  });
  await t.step(
    "a row of only -Infinity is NaN; -Infinity among finite gets 0",
    () => {
      assert.ok(softmax([-Infinity, -Infinity]).toArray().every(Number.isNaN));
      assert.deepEqual(softmax([-Infinity, 0]).toArray(), [0, 1]);
    },
  );
  await t.step("huge magnitudes never overflow", () => {
    assert.deepEqual(softmax([1e308, -1e308]).toArray(), [1, 0]);
    assert.deepEqual(softmax([1e308, 1e308]).toArray(), [0.5, 0.5]);
    assert.deepEqual(softmax([-1e308, -1e308]).toArray(), [0.5, 0.5]);
    assert.deepEqual(
      softmax([Number.MAX_VALUE, -Number.MAX_VALUE, 0]).toArray(),
      [1, 0, 0],
    );
    close(softmax([1000, 999, 998]).values, naive([2, 1, 0]));
    close(softmax([-1000, -999, -998]).values, naive([0, 1, 2]));
  });
  await t.step("±0 and subnormal logits are ordinary", () => {
    assert.deepEqual(softmax([0, -0]).toArray(), [0.5, 0.5]);
    assert.deepEqual(softmax([5e-324, 0]).toArray(), [0.5, 0.5]);
  });
  await t.step(
    "masked entries of a NaN or +Infinity row keep probability 0",
    () => {
      const nan = softmax([NaN, 1, 2], { where: [true, false, true] });
      assert.ok(Number.isNaN(nan[0]) && Number.isNaN(nan[2]));
      assert.equal(nan[1], 0);
      assert.deepEqual(
        softmax([Infinity, Infinity, 0], { where: [true, false, true] })
          .toArray(),
        [1, 0, 0],
      );
    },
  );
  await t.step("outputs underflow to subnormals and 0 gracefully", () => {
    const [big, small] = softmax([0, -740]);
    assert.equal(big, 1);
    assert.ok(small! > 0 && small! < 1e-320, String(small));
    assert.deepEqual(softmax([0, -800]).toArray(), [1, 0]);
  });
});

Deno.test("softmax(x, { axis }) normalises along the axis", () => {
  const x = [[1, 2, 3], [4, 6, 8]];
  const byColumn = softmax(x, { axis: 0 }).toArray() as number[][];
  for (let j = 0; j < 3; j++) {
    close([byColumn[0]![j]!, byColumn[1]![j]!], naive([x[0]![j]!, x[1]![j]!]));
  }
  assert.deepEqual(
    softmax(x, { axis: -2 }).toArray(),
    softmax(x, { axis: 0 }).toArray(),
  );
  assert.deepEqual(softmax(x, { axis: 1 }).toArray(), softmax(x).toArray());
  const cube = [[[1, 2], [3, 4]], [[5, 6], [7, 9]]];
  const mid = softmax(cube, { axis: 1 }).toArray() as number[][][];
  close([mid[1]![0]![1]!, mid[1]![1]![1]!], naive([6, 9]));
});

Deno.test("softmax(x, { temperature }) computes softmax(x / T)", async (t) => {
  await t.step("T = 2 halves the logits", () => {
    close(softmax([4, 2, 0], { temperature: 2 }).values, naive([2, 1, 0]));
  });
  await t.step(
    "a spread near the double range divided by T gives 0, never NaN",
    () => {
      // (x - max) / T overflows to -Infinity (T < 1), or is finite while
      // its product with T rounds past -MAX_VALUE (T = 3): exp is 0 either way.
      assert.deepEqual(softmax([0, -1e308], { temperature: 0.5 }).toArray(), [
        1,
        0,
      ]);
      assert.deepEqual(
        softmax([0, -Number.MAX_VALUE], { temperature: 3 }).toArray(),
        [1, 0],
      );
    },
  );
  await t.step("large T tends to uniform, small T to one-hot", () => {
    const flat = softmax([3, 1, 2], { temperature: 1e12 })
      .toArray() as number[];
    for (const v of flat) assert.ok(Math.abs(v - 1 / 3) < 1e-11);
    assert.deepEqual(softmax([3, 1, 2], { temperature: 1e-3 }).toArray(), [
      1,
      0,
      0,
    ]);
  });
  // Dividing by a power of two is exact, so softmax(x / T) at T = 1 (held to
  // 4 ulp of mpmath by the accuracy test) is an independent expectation for
  // softmax(x, { temperature: T }); both are within 4 ulp of the exact value.
  // Rows spread over 1000 make x - max inexact, so the temperature's error
  // term matters (without it: hundreds of ulp).
  const spreadRows = (rows: number, length: number) =>
    Float64Array.from(
      { length: rows * length },
      (_, i) => 1000 * Math.sin(i * 12.9898 + 0.5) + 0.1 * Math.cos(i),
    );
  const rowsOf = (nested: unknown) => (nested as number[][]).flat();
  const withinUlps = (
    actual: ArrayLike<number>,
    expected: ArrayLike<number>,
    bound: number,
  ) => {
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      const a = actual[i] as number;
      const e = expected[i] as number;
      const ulps = ulpDistance(a, e);
      assert.ok(ulps <= bound, `index ${i}: ${a} vs ${e}: ${ulps} ulp`);
    }
  };
  await t.step(
    "T = 2, 0.5, 4: within 8 ulp of softmax(x / T), short rows",
    () => {
      const x = spreadRows(8, 50);
      for (const temperature of [2, 0.5, 4]) {
        const scaled = x.map((v) => v / temperature);
        const options = { shape: [8, 50], temperature };
        withinUlps(
          softmax(x, options).values,
          softmax(scaled, { shape: [8, 50] }).values,
          8,
        );
        withinUlps(
          rowsOf(logSoftmax(x, options)),
          rowsOf(logSoftmax(scaled, { shape: [8, 50] })),
          8,
        );
      }
    },
  );
  await t.step(
    "T = 0.3, 3, 7.7, 0.01: within 4 ulp of mpmath (generate_temperature_reference.py)",
    () => {
      // Neither x - max nor (x - max) / T is exact here: both error terms count.
      for (const c of temperatureReference.cases) {
        const options = { temperature: c.temperature };
        const p = softmax(c.x, options).values;
        const lp = logSoftmax(c.x, options);
        c.softmax.forEach((expected, i) => {
          if (expected < 1e-300) return; // no ulp bound there (docs/accuracy.md)
          const ulps = ulpDistance(p[i]!, expected);
          assert.ok(ulps <= 4, `T=${c.temperature} softmax[${i}]: ${ulps} ulp`);
        });
        c.logSoftmax.forEach((expected, i) => {
          const ulps = ulpDistance(lp[i]!, expected);
          assert.ok(
            ulps <= 4,
            `T=${c.temperature} logSoftmax[${i}]: ${ulps} ulp`,
          );
        });
      }
    },
  );
  await t.step(
    "rows of 1,024 entries and more take the temperature too",
    () => {
      // Large contiguous rows go to the WebAssembly kernels only at T = 1.
      for (const shape of [[2, 1024], [1, 3000]]) {
        const x = spreadRows(shape[0]!, shape[1]!);
        const scaled = x.map((v) => v / 2);
        withinUlps(
          softmax(x, { shape, temperature: 2 }).values,
          softmax(scaled, { shape }).values,
          8,
        );
        withinUlps(
          rowsOf(logSoftmax(x, { shape, temperature: 2 })),
          rowsOf(logSoftmax(scaled, { shape })),
          8,
        );
      }
    },
  );
  await t.step("temperature must be finite and positive", () => {
    for (const temperature of [0, -1, NaN, Infinity, -Infinity]) {
      assert.throws(() => softmax([1, 2], { temperature }), {
        name: "RangeError",
        message:
          `softmax: options.temperature is ${temperature}, expected a finite number greater than 0`,
      });
    }
    assert.throws(
      () => softmax([1, 2], { temperature: "2" as unknown as number }),
      {
        name: "TypeError",
        message:
          'softmax: options.temperature is a string ("2"), expected a number',
      },
    );
  });
});

Deno.test("softmax(x, { where }) gives masked entries probability 0", () => {
  const p = softmax([1, 2, 3], { where: [true, false, true] });
  close(p.values, [...naive([1, 3]).slice(0, 1), 0, naive([1, 3])[1]!]);
  assert.equal(p[1], 0);
  const rows = softmax([[1, 2], [3, 4]], {
    where: [[false, false], [true, true]],
  });
  assert.deepEqual(rows[0]!.toArray(), [0, 0]);
  close(rows[1]!.values, naive([3, 4]));
  // NaN and +Infinity in masked entries are ignored.
  assert.deepEqual(
    softmax([NaN, 0, 0], { where: [false, true, true] }).toArray(),
    [0, 0.5, 0.5],
  );
  assert.deepEqual(softmax([Infinity, 0], { where: [false, true] }).toArray(), [
    0,
    1,
  ]);
  // A flat Uint8Array mask in row-major order, or flat booleans.
  assert.deepEqual(
    softmax([[5, 5], [1, 1]], { where: Uint8Array.of(1, 0, 1, 1) }).toArray(),
    [[1, 0], [0.5, 0.5]],
  );
  assert.deepEqual(
    softmax([[5, 5], [1, 1]], { where: [true, false, true, true] }).toArray(),
    [[1, 0], [0.5, 0.5]],
  );
});

Deno.test("softmax(number[]) reads each entry of a flat array once", () => {
  // The common case is read in one pass, not read and then re-validated:
  // an array behind a Proxy or getters sees one read per entry.
  const reads: string[] = [];
  const x = new Proxy([3, 1, 2], {
    get(target, key, receiver) {
      if (typeof key === "string" && /^-?\d+$/.test(key)) reads.push(key);
      return Reflect.get(target, key, receiver);
    },
  });
  assert.deepEqual(softmax(x).toArray(), softmax([3, 1, 2]).toArray());
  assert.deepEqual(reads, ["0", "1", "2"]);
});

Deno.test("softmax(x, { shape }) reads flat typed arrays as n-D", () => {
  const data = Float64Array.of(1, 2, 3, 4, 5, 6);
  const p = softmax(data, { shape: [2, 3] });
  assert.deepEqual(p.shape, [2, 3]);
  assert.deepEqual(p.toArray(), softmax([[1, 2, 3], [4, 5, 6]]).toArray());
  assert.deepEqual(softmax(data, { shape: [3, 2], axis: 0 }).shape, [3, 2]);
});

Deno.test("softmax(Float32Array) stores float32, computed in float64", () => {
  const x = Float32Array.of(1, 2, 3);
  const p = softmax(x);
  assert.ok(p.values instanceof Float32Array);
  const exact = naive([1, 2, 3]);
  assert.deepEqual([...p.values], exact.map(Math.fround));
  const row = softmax(x, { shape: [1, 3] })[0] as Probabilities<number>;
  assert.ok(row.values instanceof Float32Array);
});

Deno.test("softmax(x) never mutates its input", () => {
  const nested = [[3, 1], [2, 2]];
  Object.freeze(nested);
  nested.forEach((row) => Object.freeze(row));
  softmax(nested, { axis: 0 });
  assert.deepEqual(nested, [[3, 1], [2, 2]]);
  const typed = Float64Array.of(1000, -1000, NaN);
  const copy = typed.slice();
  softmax(typed);
  softmax(typed, { shape: [3, 1], axis: 0, temperature: 3 });
  assert.deepEqual(typed, copy);
  const labels = ["a", "b"];
  const p = softmax([1, 2], { labels });
  labels[0] = "changed";
  assert.deepEqual(p.labels, ["a", "b"]);
});

Deno.test("softmax(number[][]) equals softmax of the same Float64Array, whatever the options", async (t) => {
  // Plain arrays are copied once and computed in place in that copy: every
  // option must give what the typed-array path gives.
  const nested = [[0.5, -3, 700, 2], [1e-300, 4, -Infinity, 4], [NaN, 1, 2, 3]];
  const flat = Float64Array.from(nested.flat());
  const shape = [3, 4];
  const mask = [
    [true, true, false, true],
    [false, true, true, true],
    [true, true, true, true],
  ];
  const cases: [string, SoftmaxOptions][] = [
    ["last axis", {}],
    ["axis 0 (strided rows)", { axis: 0 }],
    ["temperature", { temperature: 0.3 }],
    ["mask", { where: mask }],
  ];
  for (const [name, options] of cases) {
    await t.step(name, () => {
      const expected = softmax(flat, { ...options, shape });
      assert.deepEqual(softmax(nested, options).values, expected.values);
      assert.deepEqual(
        logSoftmax(nested, options),
        logSoftmax(flat, { ...options, shape }) as unknown as number[][],
      );
    });
  }
  await t.step("sigmoid", () => {
    assert.deepEqual(
      sigmoid(nested).values,
      sigmoid(flat, { shape }).values,
    );
  });
});
