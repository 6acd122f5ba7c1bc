import assert from "node:assert/strict";
import { compare, Comparison, sigmoid, softmax, toText } from "../mod.ts";
import type { BarsModel, HeatmapModel } from "../lib/charts/_model.ts";
import { modelOf } from "../lib/charts/_model.ts";

// The textbook formulas, independent of the library.
const logistic = (v: number) => 1 / (1 + Math.exp(-v));
function naiveSoftmax(x: readonly number[]): number[] {
  const e = x.map(Math.exp);
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
const sumOf = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function assertNear(
  actual: number | undefined,
  expected: number,
  what: string,
) {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-12 * expected,
    `${what}: ${actual}, expected ${expected}`,
  );
}

Deno.test("compare(logits) holds sigmoid and softmax of the same logits", () => {
  const logits = [2, 1, 0.1];
  const c = compare(logits, { labels: ["cat", "dog", "bird"] });
  assert.ok(c instanceof Comparison);
  assert.deepEqual(c.logits, logits);
  assert.deepEqual(c.sigmoid.toArray(), sigmoid(logits).toArray());
  assert.deepEqual(c.softmax.toArray(), softmax(logits).toArray());
  assert.deepEqual(c.softmax.labels, ["cat", "dog", "bird"]);
  assert.deepEqual(c.options, {});
});

Deno.test("compare copies its input and keeps float32 storage", () => {
  const x = new Float32Array([1, 2, 3]);
  const c = compare(x);
  x[0] = 100;
  assert.deepEqual(c.logits, [1, 2, 3]);
  assert.ok(c.softmax.values instanceof Float32Array);
});

Deno.test("compare keeps its chart options, without labels", () => {
  const c = compare([1, 2], { title: "T", threshold: 0.3, labels: ["a", "b"] });
  assert.deepEqual(c.options, { title: "T", threshold: 0.3 });
  assert.equal(toText(c).split("\n")[0], "T");
  assert.match(toText(c), /sigmoid: sum 1\.61, 2 classes above 0\.3/);
});

Deno.test("compare of one logit and of extreme logits", () => {
  assert.deepEqual(compare(3).softmax.toArray(), [1]);
  const c = compare([1000, -1000]);
  assert.deepEqual(c.softmax.toArray(), [1, 0]);
  assert.deepEqual(c.sigmoid.toArray(), [1, 0]);
});

Deno.test("compare shows the 12 largest classes by default (two bars each)", () => {
  const c = compare(Array.from({ length: 30 }, (_, i) => i));
  const lines = toText(c).split("\n");
  assert.equal(lines.filter((l) => /^\s+softmax /.test(l)).length, 13);
  assert.match(lines[1]!, /^class 29 /);
  assert.match(lines.at(-4)!, /^other \(18 classes\)/);
});

Deno.test("compare() of 15 logits: the other bar carries the folded classes' sigmoid and softmax mass", () => {
  // 12 bars by default: the 3 smallest logits (-3, -2, -1) are folded.
  const logits = [4, -3, 7, 0.5, 2, -1, 6, 1, 3, 5, -2, 8, 1.5, 2.5, 0];
  const model = modelOf("test", compare(logits), undefined) as BarsModel;
  const other = model.categories.at(-1);
  assert.deepEqual(other, { label: "other (3 classes)", index: -1, folded: 3 });
  const [sig, soft] = model.series;
  assert.equal(sig?.name, "sigmoid");
  assert.equal(soft?.name, "softmax");
  assertNear(
    sig?.values.at(-1),
    sumOf([-3, -2, -1].map(logistic)),
    "sigmoid other",
  );
  const p = naiveSoftmax(logits);
  assertNear(
    soft?.values.at(-1),
    sumOf([1, 10, 5].map((i) => p[i]!)),
    "softmax other",
  );
  const line = toText(compare(logits)).split("\n")
    .find((l) => l.startsWith("other (3 classes)  sigmoid"));
  assert.match(line ?? "", / 0\.436$/);
});

Deno.test("a heatmap's other column is the total of the classes it does not show", () => {
  // 8 rows (a heatmap beyond 6) of 10 classes; 3 columns: classes 0-2 are
  // the largest in every row, classes 3-9 are folded.
  const rows = Array.from(
    { length: 8 },
    (_, r) => [5, 4, 3, 0, 0.1 * r, 0, 0, 0, 0, -1],
  );
  const model = modelOf("test", softmax(rows), { maxBars: 3 }) as HeatmapModel;
  assert.equal(model.type, "heatmap");
  assert.deepEqual(model.categories.map((c) => c.index), [0, 1, 2, -1]);
  rows.forEach((row, r) => {
    const p = naiveSoftmax(row);
    assertNear(
      model.cells[r]?.[3],
      sumOf(p.slice(3)),
      `row ${r} other`,
    );
  });
});
