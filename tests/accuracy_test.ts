// Accuracy against correctly rounded values computed with mpmath at 200 bits
// (tests/reference/generate_reference.py). Bounds are in ulps of the output
// format; see tests/reference/accuracy_report.ts for what is measured.

import assert from "node:assert/strict";
import { sigmoid } from "../mod.ts";
import { ulpDistance } from "./reference/_ulp.ts";
import {
  BOUNDS,
  describeMiss,
  type Dtype,
  type FunctionName,
  loadReference,
  measure,
  type Measurement,
} from "./reference/accuracy_report.ts";

const reference = await loadReference();

// Lists the worst misses so that a failure names every case to reproduce.
function assertWithinBound(m: Measurement): void {
  assert.ok(m.outputs > 0, `No ${m.function} ${m.dtype} outputs were checked`);
  const shown = m.misses.slice(0, 20).map(describeMiss);
  if (m.misses.length > shown.length) {
    shown.push(`… and ${m.misses.length - shown.length} more`);
  }
  assert.equal(
    m.misses.length,
    0,
    `${m.misses.length} of ${m.outputs} ${m.function} ${m.dtype} outputs are ` +
      `over ${m.bound} ulp (max ${m.maxUlps}):\n${shown.join("\n")}`,
  );
}

function boundOf(fn: FunctionName, dtype: Dtype): number {
  const found = BOUNDS.find((b) => b.function === fn && b.dtype === dtype);
  assert.ok(found !== undefined, `No bound for ${fn} ${dtype}`);
  return found.bound;
}

Deno.test("ulpDistance() counts the representable numbers between two values", async (t) => {
  await t.step(
    "ulpDistance(1, 1 + 2^-52) is 1, and 1 below 1 is 2^-53 away",
    () => {
      assert.equal(ulpDistance(1, 1 + 2 ** -52), 1);
      assert.equal(ulpDistance(1 + 2 ** -52, 1), 1);
      assert.equal(ulpDistance(1, 1 - 2 ** -53), 1);
      assert.equal(ulpDistance(1 - 2 ** -53, 1 + 2 ** -52), 2);
      assert.equal(ulpDistance(2, 2 + 2 ** -51 * 3), 3);
    },
  );

  await t.step("ulpDistance() of equal values is 0, and +0 equals -0", () => {
    assert.equal(ulpDistance(0.1, 0.1), 0);
    assert.equal(ulpDistance(0, -0), 0);
    assert.equal(ulpDistance(-0, 0, { format: "float32" }), 0);
    assert.equal(ulpDistance(Infinity, Infinity), 0);
    assert.equal(ulpDistance(NaN, NaN), 0);
  });

  await t.step(
    "ulpDistance() counts across zero and through the subnormals",
    () => {
      assert.equal(ulpDistance(5e-324, -5e-324), 2);
      assert.equal(ulpDistance(0, 5e-324 * 7), 7);
      assert.equal(ulpDistance(-0, 5e-324), 1);
      assert.equal(ulpDistance(2 ** -1022, 2 ** -1022 - 2 ** -1074), 1);
      assert.equal(ulpDistance(-1, 1), 2 * 0x3ff0_0000_0000_0000);
    },
  );

  await t.step("ulpDistance() of NaN or a wrong infinity is Infinity", () => {
    assert.equal(ulpDistance(NaN, 1), Infinity);
    assert.equal(ulpDistance(1, NaN), Infinity);
    assert.equal(ulpDistance(Number.MAX_VALUE, Infinity), Infinity);
    assert.equal(ulpDistance(-Infinity, Infinity), Infinity);
  });

  await t.step(
    'ulpDistance(a, b, { format: "float32" }) counts float32 numbers',
    () => {
      const f32 = { format: "float32" } as const;
      assert.equal(ulpDistance(1, 1 + 2 ** -23, f32), 1);
      assert.equal(ulpDistance(1, 1 - 2 ** -24, f32), 1);
      assert.equal(ulpDistance(2 ** -149, -(2 ** -149), f32), 2);
      assert.equal(ulpDistance(2 ** -126, 2 ** -126 - 2 ** -149, f32), 1);
      assert.equal(ulpDistance(0, 2 ** -149 * 5, f32), 5);
      assert.equal(ulpDistance(1, 2, f32), 2 ** 23);
    },
  );

  await t.step(
    'ulpDistance(a, b, { format: "float32" }) rejects non-float32 values',
    () => {
      assert.throws(
        () => ulpDistance(0.1, 0.1, { format: "float32" }),
        { name: "RangeError", message: "Value 0.1 is not a float32" },
      );
    },
  );
});

Deno.test("float64 results are within a few ulps of the correctly rounded value", async (t) => {
  await t.step("softmax(x) is within 4 ulp for every output ≥ 1e-300", () => {
    assertWithinBound(measure(reference, "softmax", "float64"));
  });

  await t.step("logSoftmax(x) is within 4 ulp for every finite output", () => {
    assertWithinBound(measure(reference, "logSoftmax", "float64"));
  });

  await t.step("logSumExp(x) is within 4 ulp for every row", () => {
    assertWithinBound(measure(reference, "logSumExp", "float64"));
  });

  await t.step(
    "sigmoid(x) of an array is within 2 ulp over [-745, 710], subnormal outputs included",
    () => {
      assertWithinBound(measure(reference, "sigmoid", "float64"));
    },
  );

  await t.step(
    "sigmoid(x) of a number is within 2 ulp over [-745, 710]",
    () => {
      const bound = boundOf("sigmoid", "float64");
      const { x, sigmoid: expected } = reference.sigmoid.float64;
      const misses: string[] = [];
      x.forEach((xi, i) => {
        const computed = sigmoid(xi);
        const ulps = ulpDistance(computed, expected[i]!);
        if (ulps > bound) {
          misses.push(
            `sigmoid(${xi}) = ${computed}, expected ${
              expected[i]
            }: ${ulps} ulps`,
          );
        }
      });
      assert.deepEqual(misses, []);
    },
  );
});

Deno.test("float32 results are within 1 ulp of the correctly rounded float32", async (t) => {
  await t.step(
    "softmax(x) of a Float32Array is within 1 ulp for every output ≥ 2^-126",
    () => {
      assertWithinBound(measure(reference, "softmax", "float32"));
    },
  );

  await t.step(
    "logSoftmax(x) of a Float32Array is within 1 ulp for every finite output",
    () => {
      assertWithinBound(measure(reference, "logSoftmax", "float32"));
    },
  );

  await t.step(
    "sigmoid(x) of a Float32Array is within 1 ulp, subnormal outputs included",
    () => {
      assertWithinBound(measure(reference, "sigmoid", "float32"));
    },
  );
});

Deno.test("the accuracy reference covers the promised domain", async (t) => {
  await t.step(
    "float64 rows span lengths 2 to 10,000 and spreads 1 to 1000 around 0 and ±500",
    () => {
      const grid = reference.rows.float64.filter((r) => r.kind === "uniform");
      assert.deepEqual(
        [...new Set(grid.map((r) => r.length))],
        [2, 3, 7, 100, 1000, 10000],
      );
      assert.deepEqual(
        [...new Set(grid.map((r) => r.spread))].sort((a, b) => a - b),
        [1, 10, 100, 1000],
      );
      assert.deepEqual(
        [...new Set(grid.map((r) => r.offset))].sort((a, b) => a - b),
        [-500, 0, 500],
      );
    },
  );

  await t.step(
    "float64 sigmoid points run from -745 to 710 through 0 and the subnormal outputs",
    () => {
      const { x, sigmoid: y } = reference.sigmoid.float64;
      assert.equal(x[0], -745);
      assert.equal(x[x.length - 1], 710);
      assert.ok(x.includes(0));
      assert.ok(x.length >= 2000);
      assert.ok(y.filter((v) => v > 0 && v < 2 ** -1022).length >= 100);
    },
  );

  await t.step("float32 inputs are exact float32 values", () => {
    for (const r of reference.rows.float32) {
      assert.ok(r.x.every((v) => Math.fround(v) === v), r.name);
    }
  });
});
