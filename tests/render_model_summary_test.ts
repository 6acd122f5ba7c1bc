// What the chart model says in words (the aria-label a screen reader reads,
// the subtitle and panel lines of the text chart) and how it colours and
// marks the "other" bar: the summaries of rows, small multiples and heatmaps.
// Expected numbers are worked out by hand from the logistic function and
// softmax (sigmoid(2) = 0.8808, sigmoid(-1) = 0.2689, ...), not read back.

import assert from "node:assert/strict";
import {
  bars,
  compare,
  sigmoid,
  softmax,
  toPlotly,
  toSVG,
  toText,
} from "../mod.ts";
import type { Chartable, ChartOptions } from "../mod.ts";
import { BASE, HIGHLIGHT, OTHER, SERIES } from "../lib/charts/_palette.ts";
import { ariaOf, byClass, parseXml } from "./_render_helpers.ts";

/** The sentence a screen reader reads for the chart: the SVG's aria-label. */
const ariaLabel = (result: Chartable, options?: ChartOptions) =>
  ariaOf(toSVG(result, options));

/** The colours of each trace's bars in the Plotly figure. */
function traceColors(result: Chartable, options?: ChartOptions): string[][] {
  const figure = toPlotly(result, options) as unknown as {
    data: { marker: { color: string[] } }[];
  };
  return figure.data.map((trace) => trace.marker.color);
}

Deno.test("the largest value is the first of equal largest ones", async (t) => {
  await t.step("bars([1, 3, 2], { mark: 'max' }) marks x[1]", () => {
    assert.equal(
      ariaLabel(bars([1, 3, 2], { mark: "max", summary: "none" })),
      "3 values: x[0] 1, x[1] 3 (argmax), x[2] 2",
    );
  });
  await t.step("bars of -Infinity only marks the first as the largest", () => {
    // No value beats -Infinity, so the first one stays the largest.
    assert.equal(
      ariaLabel(bars([-Infinity, -Infinity], { mark: "max", summary: "none" })),
      "2 values: x[0] -Infinity (argmax), x[1] -Infinity",
    );
  });
});

Deno.test("summaries count the classes strictly above the threshold", async (t) => {
  // sigmoid([-2, 0.5, 3]) = [0.1192, 0.6225, 0.9526], sum 1.6942.
  await t.step("sigmoid at the default 0.5: two of three classes", () => {
    assert.equal(
      ariaLabel(sigmoid([-2, 0.5, 3])),
      "sigmoid over 3 classes: class 0 0.12, class 1 0.62 (above 0.5), " +
        "class 2 0.95 (above 0.5); " +
        "sum 1.69, 2 classes above 0.5: not a probability distribution",
    );
  });
  await t.step("sigmoid at threshold 0.3: the marks name 0.3", () => {
    assert.equal(
      ariaLabel(sigmoid([-2, 0.5, 3]), { threshold: 0.3 }),
      "sigmoid over 3 classes: class 0 0.12, class 1 0.62 (above 0.3), " +
        "class 2 0.95 (above 0.3); " +
        "sum 1.69, 2 classes above 0.3: not a probability distribution",
    );
  });
  await t.step("softmax with a threshold adds how many pass it", () => {
    // softmax([2, 1, 0.1]) = [0.659, 0.2424, 0.0986]: one above 0.3.
    const text = toText(softmax([2, 1, 0.1]), { threshold: 0.3 });
    assert.equal(text.split("\n").at(-1), "sum 1.000, 1 class above 0.3");
  });
  await t.step("softmax without a threshold says only the sum", () => {
    const text = toText(softmax([2, 1, 0.1]));
    assert.equal(text.split("\n").at(-1), "sum 1.000");
  });
});

Deno.test("the folded 'other' bar is grey and unmarked, or in its series colour", async (t) => {
  // softmax([3, 2, 1, 0]) = [0.644, 0.237, 0.087, 0.032]; maxBars 2 keeps
  // classes 0 and 1, and classes 2 and 3 become "other (2 classes)".
  await t.step("a single softmax: argmax, plain bar, grey other bar", () => {
    assert.deepEqual(traceColors(softmax([3, 2, 1, 0]), { maxBars: 2 }), [
      [HIGHLIGHT, BASE, OTHER],
    ]);
  });
  await t.step("a comparison: every bar in its series colour", () => {
    assert.deepEqual(traceColors(compare([3, 2, 1, 0]), { maxBars: 2 }), [
      [SERIES.sigmoid, SERIES.sigmoid, SERIES.sigmoid],
      [SERIES.softmax, SERIES.softmax, SERIES.softmax],
    ]);
  });
  await t.step("the SVG's other bar has no mark class", () => {
    const svg = parseXml(toSVG(softmax([3, 2, 1, 0]), { maxBars: 2 }))
      .documentElement!;
    const other = byClass(svg, "other").filter((e) => e.localName === "rect");
    assert.equal(other.length, 1);
    assert.equal(other[0]!.getAttribute("class"), "bar other");
    assert.equal(other[0]!.getAttribute("data-index"), "-1");
  });
});

Deno.test("small multiples read each row out in one clause", async (t) => {
  await t.step("softmax rows: the argmax, or none for a NaN row", () => {
    // softmax([1, 2]) = [0.2689, 0.7311].
    assert.equal(
      ariaLabel(softmax([[NaN, 1], [1, 2]])),
      "softmax over 2 classes, 2 rows: row 0: no argmax; " +
        "row 1: argmax class 1 0.73",
    );
  });
  await t.step("sigmoid rows: sum, count above, and the highest class", () => {
    // Row 0: [0.8808, 0.2689, 0.6225], highest first.
    // Row 1: [0.5, 0.5, 0.0474], a tie: the first of the two; 0.5 is not
    // above 0.5. Row 2: [0.2689, 0.7311, 0.5], highest in the middle.
    assert.equal(
      ariaLabel(sigmoid([[2, -1, 0.5], [0, 0, -3], [-1, 1, 0]])),
      "sigmoid over 3 classes, 3 rows: " +
        "row 0: sum 1.77, 2 above 0.5, highest class 0 0.88; " +
        "row 1: sum 1.05, 0 above 0.5, highest class 0 0.50; " +
        "row 2: sum 1.50, 1 above 0.5, highest class 1 0.73",
    );
  });
  await t.step("sigmoid rows: NaN is never the highest", () => {
    // Row 1: [NaN, 0.7311]; row 0 has no number at all.
    assert.equal(
      ariaLabel(sigmoid([[NaN, NaN], [NaN, 1]])),
      "sigmoid over 2 classes, 2 rows: row 0: sum NaN, 0 above 0.5; " +
        "row 1: sum NaN, 1 above 0.5, highest class 1 0.73",
    );
  });
  await t.step("sigmoid rows: the other bar is never the highest class", () => {
    // 2 rows share 16 bars: 8 per panel, so 2 of 10 classes are folded.
    // Row 0: [0.9526, 0.8808 x 7, 0.7311 x 2]: other = 1.4621 > 0.9526.
    // Row 1: [0.0474, 0.2689, 0.1192 x 6, 0.018, 0.5], sum 1.5496: class 9
    // is the highest, and classes 0 and 8 are folded.
    assert.equal(
      ariaLabel(sigmoid([
        [3, 2, 2, 2, 2, 2, 2, 2, 1, 1],
        [-3, -1, -2, -2, -2, -2, -2, -2, -4, 0],
      ])),
      "sigmoid over 10 classes, 2 rows: " +
        "row 0: sum 8.58, 10 above 0.5, highest class 0 0.95; " +
        "row 1: sum 1.55, 0 above 0.5, highest class 9 0.50",
    );
  });
  await t.step("rows of a 3-D result are named by their index", () => {
    const x = Array.from(
      { length: 2 },
      (_, i) => Array.from({ length: 3 }, (_, j) => [i, j]),
    );
    const names = (text: string) =>
      text.split("\n").filter((line) => line.startsWith("["))
        .map((line) => line.slice(0, line.indexOf("]") + 1));
    assert.deepEqual(names(toText(softmax(x))), [
      "[0, 0, :]",
      "[0, 1, :]",
      "[0, 2, :]",
      "[1, 0, :]",
      "[1, 1, :]",
      "[1, 2, :]",
    ]);
    assert.deepEqual(names(toText(softmax(x, { axis: 1 }))), [
      "[0, :, 0]",
      "[0, :, 1]",
      "[1, :, 0]",
      "[1, :, 1]",
    ]);
  });
});

Deno.test("heatmaps read out how often each class is the argmax", async (t) => {
  const A = [1, 0, 0]; // argmax class 0
  const B = [0, 1, 0]; // argmax class 1
  const C = [0, 0, 1]; // argmax class 2
  const N = [NaN, 0, 0]; // no argmax
  const prefix = "softmax over 3 classes, 7 rows: 7 rows shown, argmax ";
  await t.step("most rows first, ties by class, '1 row' singular", () => {
    assert.equal(
      ariaLabel(softmax([C, A, C, A, C, A, B])),
      prefix + "class 0 in 3 rows, class 2 in 3 rows, class 1 in 1 row",
    );
  });
  await t.step("rows without an argmax come last: 'none in 1 row'", () => {
    assert.equal(
      ariaLabel(softmax([N, A, A, A, A, A, A])),
      prefix + "class 0 in 6 rows, none in 1 row",
    );
  });
  await t.step("'none in 2 rows'", () => {
    assert.equal(
      ariaLabel(softmax([A, N, A, A, N, A, A])),
      prefix + "class 0 in 5 rows, none in 2 rows",
    );
  });
  await t.step(
    "rows whose argmax is summed as other: 'another class', not 'none'",
    () => {
      // 5 classes, maxBars 2: rows' argmaxes 0 and 1 are the columns (two
      // rows each); the rows with argmax 2, 3 or 4 are in "other", and the
      // NaN row has none.
      const one = (k: number) => [0, 1, 2, 3, 4].map((i) => i === k ? 3 : 0);
      const rows = [0, 1, 2, 3, 0, 1, 4].map(one);
      const at = "softmax over 5 classes, 8 rows: 8 rows shown, argmax ";
      assert.equal(
        ariaLabel(softmax([...rows, [NaN, 0, 0, 0, 0]]), { maxBars: 2 }),
        at + "class 0 in 2 rows, class 1 in 2 rows, another class in 3 rows" +
          ", none in 1 row",
      );
      // Class 0 folded too: the first rows' argmaxes (1 and 2) fill maxBars.
      assert.equal(
        ariaLabel(softmax([1, 2, 0, 0, 1, 2, 3].map(one)), { maxBars: 2 }),
        "softmax over 5 classes, 7 rows: 7 rows shown, argmax " +
          "class 1 in 2 rows, class 2 in 2 rows, another class in 3 rows",
      );
    },
  );
  await t.step("the other column says how many classes it sums", () => {
    // 5 classes, maxBars 2: class 0 (every row's argmax) and class 1 (the
    // largest remaining total) are shown, classes 2 to 4 summed.
    const rows = Array.from({ length: 7 }, () => [3, 2, 0, 0, 0]);
    const text = toText(softmax(rows), { maxBars: 2 });
    assert.equal(
      text.split("\n")[1],
      "columns: class 0, class 1, other (3 classes)",
    );
  });
});

Deno.test("a custom title starts the aria-label, trimmed", async (t) => {
  const described = "softmax over 2 classes: class 0 0.27, " +
    "class 1 0.73 (argmax); sum 1.000";
  await t.step("surrounding spaces are dropped", () => {
    assert.equal(
      ariaLabel(softmax([1, 2]), { title: "  Cats  " }),
      `Cats, ${described}`,
    );
  });
  await t.step("a blank title leaves only the description", () => {
    assert.equal(ariaLabel(softmax([1, 2]), { title: "   " }), described);
  });
});
