// What a single chart says besides its bars: the read-out of an empty chart,
// the note that stands in for missing bars, the temperature explorer's slider
// sentence and the title and sum of bars of values.

import assert from "node:assert/strict";
import {
  Bars,
  bars,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toPlotly,
  toSVG,
  toText,
} from "../mod.ts";
import { modelOf } from "../lib/charts/_model.ts";
import { ariaOf } from "./_render_helpers.ts";

Deno.test("a chart with no classes or no rows reads out why, and draws no bars", async (t) => {
  await t.step("sigmoid([]): no classes", () => {
    assert.equal(
      ariaOf(toSVG(sigmoid([]))),
      "sigmoid over 0 classes: no classes",
    );
    const figure = toPlotly(sigmoid([]));
    assert.deepEqual(figure.data, []);
    assert.equal(figure.layout?.barmode, undefined);
  });
  await t.step("a 0 × 3 sigmoid: no rows", () => {
    const p = sigmoid(new Float64Array(0), { shape: [0, 3] });
    assert.equal(ariaOf(toSVG(p)), "sigmoid over 3 classes, 0 rows: no rows");
    assert.deepEqual(toPlotly(p).data, []);
  });
});

Deno.test("the note that replaces bars is empty when a chart has bars", () => {
  // Renderers draw the note only where there are no bars; a chart with bars
  // carries none, so no renderer can show a stray one.
  for (
    const value of [
      softmax([1, 2, 3]),
      compare([1, 2, 3]),
      temperatureExplorer([1, 2, 3]),
      bars([1, 2, 3]),
    ]
  ) {
    const model = modelOf("test", value, undefined);
    assert.equal(model.type, "bars");
    assert.equal((model as { note: string }).note, "");
  }
});

Deno.test("temperatureExplorer(x, { temperatures: [1] }) mentions no slider", () => {
  const lines = toText(temperatureExplorer([1, 2, 3], { temperatures: [1] }))
    .split("\n");
  assert.equal(lines.at(-1), "temperature 1: sum 1.000");
  assert.equal(
    toText(temperatureExplorer([1, 2, 3], { temperatures: [2] }))
      .split("\n").at(-1),
    "temperature 1: sum 1.000; the interactive chart has a slider from 1 to 2",
  );
});

Deno.test("bars(x) titles its chart with the number of values", () => {
  assert.equal(toText(bars([5])).split("\n")[0], "1 value");
  assert.equal(toText(bars([5, 6])).split("\n")[0], "2 values");
});

Deno.test("new Bars(values, labels, {}) sums its values and marks nothing, as bars() does by default", () => {
  const lines = toText(new Bars([1, 2], undefined, {})).split("\n");
  assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), [
    "2",
    "x[0]",
    "x[1]",
    "sum",
  ]);
  assert.equal(lines.at(-1), "sum 3");
  assert.ok(!lines.some((l) => l.endsWith("argmax")));
});
