// Charts of n-D results: one panel per row up to MAX_PANELS (6) rows, a
// heatmap beyond, and what each says about the rows and classes it leaves out.

import assert from "node:assert/strict";
import { Probabilities, sigmoid, softmax, toSVG, toText } from "../mod.ts";
import { ariaOf } from "./_render_helpers.ts";

/** Rows of logits whose softmax is `p`, row by row (NaN stays NaN). */
const logitsOf = (rows: readonly (readonly number[])[]) =>
  rows.map((row) => row.map(Math.log));

/** Row lines of a heatmap's text chart ("row 3  ▁▂█  argmax ..."). */
const heatmapRows = (text: string) =>
  text.split("\n").filter((line) => /^row \d+ /.test(line));

/** The column line of a heatmap's text chart. */
const columnsOf = (text: string) =>
  text.split("\n").find((line) => line.startsWith("columns: "));

/** `rows` × `count` logits, varied so that argmaxes differ between rows. */
const varied = (rows: number, count: number) =>
  Array.from(
    { length: rows },
    (_, r) => Array.from({ length: count }, (_, k) => (r * 7 + k * 3) % 11),
  );

Deno.test("toText(softmax(rows)) draws up to 6 rows as panels and 7 as a heatmap", async (t) => {
  await t.step("6 rows: one panel per row", () => {
    const lines = toText(softmax(varied(6, 2))).split("\n");
    assert.equal(lines[0], "softmax over 2 classes, 6 rows");
    assert.equal(lines[1], "row 0: sum 1.000");
    assert.equal(lines.filter((l) => /^row \d: sum 1\.000$/.test(l)).length, 6);
    assert.equal(lines.at(-1), "one panel per row, argmax marked");
  });
  await t.step("7 rows: a heatmap", () => {
    const text = toText(softmax(varied(7, 2)));
    assert.equal(columnsOf(text), "columns: class 0, class 1");
    assert.equal(heatmapRows(text).length, 7);
  });
});

Deno.test("toText(softmax(x, { axis: 1 })) of a 2×3×2 array draws each [i, :, j] row's own values", () => {
  // The class axis is the middle one: row [i, :, j] reads x[i][k][j].
  // Its argmax is class A[i][j], whose logit is 5 (the others 0).
  const A = [[0, 1], [2, 0]];
  const x = [0, 1].map((i) =>
    [0, 1, 2].map((k) => [0, 1].map((j) => (k === A[i]![j] ? 5 : 0)))
  );
  const lines = toText(softmax(x, { axis: 1 })).split("\n");
  const argmaxOf = (name: string) => {
    const at = lines.indexOf(`${name}: sum 1.000`);
    assert.ok(at > 0, `no panel ${name}`);
    const marked = lines.slice(at + 1, at + 4)
      .filter((l) => l.endsWith("argmax"));
    assert.equal(marked.length, 1, name);
    return marked[0]!.trim().split(/\s+/).slice(0, 2).join(" ");
  };
  assert.equal(argmaxOf("[0, :, 0]"), "class 0");
  assert.equal(argmaxOf("[0, :, 1]"), "class 1");
  assert.equal(argmaxOf("[1, :, 0]"), "class 2");
  assert.equal(argmaxOf("[1, :, 1]"), "class 0");
});

Deno.test("small multiples' subtitle says what is marked and what is folded", async (t) => {
  await t.step(
    "sigmoid rows: bars above the threshold, not distributions",
    () => {
      const p = sigmoid([[1, 2], [3, 4]]);
      assert.equal(
        toText(p).split("\n").at(-1),
        "one panel per row, bars above 0.5 marked: rows are not probability distributions",
      );
      assert.equal(
        toText(p, { threshold: 0.3 }).split("\n").at(-1),
        "one panel per row, bars above 0.3 marked: rows are not probability distributions",
      );
    },
  );
  await t.step(
    "2 rows share 16 bars: 8 per panel, more classes are folded",
    () => {
      assert.equal(
        toText(softmax(varied(2, 10))).split("\n").at(-1),
        "one panel per row, top 8 of 10 classes per row, argmax marked",
      );
    },
  );
  await t.step("2 rows of exactly 8 classes fold nothing", () => {
    assert.equal(
      toText(softmax(varied(2, 8))).split("\n").at(-1),
      "one panel per row, argmax marked",
    );
  });
});

Deno.test("a heatmap shows as many rows as 300 cells allow, 12 to 40, and says how many", async (t) => {
  await t.step("20 rows of 20 classes: 300 / 20 columns = 15 rows", () => {
    const p = softmax(varied(20, 20));
    const text = toText(p);
    assert.equal(heatmapRows(text).length, 15);
    assert.equal(
      text.split("\n").at(-1),
      "argmax marked in each row; first 15 of 20 rows shown",
    );
    assert.ok(ariaOf(toSVG(p)).endsWith("; first 15 of 20 rows shown"));
  });
  await t.step(
    "25 classes past maxBars 20: 21 columns with other, 14 rows",
    () => {
      const text = toText(softmax(varied(20, 25)));
      assert.equal(heatmapRows(text).length, 14);
      assert.equal(columnsOf(text)?.split(", ").length, 21);
      assert.match(columnsOf(text)!, /, other \(5 classes\)$/);
      assert.equal(
        text.split("\n").at(-1),
        "argmax marked in each row; first 14 of 20 rows shown; " +
          "20 of 25 classes shown, the rest summed as other",
      );
    },
  );
  await t.step("30 columns: 300 / 30 = 10 rows, raised to 12", () => {
    const text = toText(softmax(varied(20, 30)), { maxBars: 30 });
    assert.equal(heatmapRows(text).length, 12);
    assert.equal(
      text.split("\n").at(-1),
      "argmax marked in each row; first 12 of 20 rows shown",
    );
  });
  await t.step("50 rows of 3 classes: at most 40 rows", () => {
    const p = softmax(varied(50, 3));
    const text = toText(p);
    assert.equal(heatmapRows(text).length, 40);
    assert.equal(
      text.split("\n").at(-1),
      "argmax marked in each row; first 40 of 50 rows shown",
    );
    assert.ok(ariaOf(toSVG(p)).endsWith("; first 40 of 50 rows shown"));
  });
});

Deno.test("a heatmap past maxBars keeps each row's argmax as a column, then the largest totals, in class order", async (t) => {
  const NAN_ROW = [NaN, NaN, NaN, NaN, NaN];
  await t.step("argmaxes first, in class order, up to maxBars", () => {
    // Row argmaxes in order: none (NaN), 2, 0, 4, then 2 three times.
    // Classes 1 and 2 have the largest totals (2.05, 2.07), class 0 only
    // 0.8: with maxBars 2 the first two argmaxes, 2 and 0, are the columns.
    const rows = [
      NAN_ROW,
      [0.1, 0.2, 0.6, 0.05, 0.05],
      [0.5, 0.4, 0.04, 0.03, 0.03],
      [0.05, 0.1, 0.05, 0.1, 0.7],
      [0.05, 0.45, 0.46, 0.02, 0.02],
      [0.05, 0.45, 0.46, 0.02, 0.02],
      [0.05, 0.45, 0.46, 0.02, 0.02],
    ];
    const text = toText(softmax(logitsOf(rows)), { maxBars: 2 });
    assert.equal(
      columnsOf(text),
      "columns: class 0, class 2, other (3 classes)",
    );
  });
  await t.step(
    "then the largest total over the rows shown, NaN rows aside",
    () => {
      // Every row's argmax is class 2; class 4 has the next largest total
      // (1.2 against 0.6); the NaN row adds nothing to any total.
      const rows = [NAN_ROW, ...Array(6).fill([0.1, 0.1, 0.5, 0.1, 0.2])];
      const text = toText(softmax(logitsOf(rows)), { maxBars: 2 });
      assert.equal(
        columnsOf(text),
        "columns: class 2, class 4, other (3 classes)",
      );
    },
  );
  await t.step(
    "at most maxBars classes: every class is a column, whatever the values",
    () => {
      // Values no softmax makes (a -Infinity entry) through the public
      // constructor: class 1 still gets its column.
      const p = new Probabilities({
        kind: "softmax",
        values: Float64Array.from(
          Array(7).fill([0.5, -Infinity, 0.2]).flat(),
        ),
        shape: [7, 3],
        axis: 1,
      });
      const text = toText(p, { maxBars: 3 });
      assert.equal(columnsOf(text), "columns: class 0, class 1, class 2");
      assert.equal(text.split("\n").at(-1), "argmax marked in each row");
    },
  );
});
