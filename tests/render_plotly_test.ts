import assert from "node:assert/strict";
import {
  chart,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toPlotly,
  toSVG,
} from "../mod.ts";
import {
  assertPlainJson,
  HOSTILE,
  normalize,
  SUBTITLE_SPAN,
  titleLines,
} from "./_render_helpers.ts";

const LABELS = ["cat", "dog", "bird"];
type Obj = Record<string, unknown>;
const layoutOf = (f: { layout: Obj }) => f.layout as Record<string, Obj>;

Deno.test("toPlotly(softmax): trace values are the probabilities", async (t) => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const figure = toPlotly(p);
  assert.equal(figure.data.length, 1);
  const [trace] = figure.data;
  assert.equal(trace?.type, "bar");
  assert.deepEqual(trace?.y, p.toArray());
  assert.deepEqual(trace?.x, [0, 1, 2]);
  assert.deepEqual(layoutOf(figure).xaxis?.ticktext, LABELS);
  assert.deepEqual(layoutOf(figure).xaxis?.tickvals, [0, 1, 2]);
  assert.deepEqual(trace?.text, ["argmax<br>0.66", "0.24", "0.10"]);
  assert.deepEqual((trace?.marker as Obj).color, [
    "#D55E00",
    "#0072B2",
    "#0072B2",
  ]);
  assert.equal(figure.config.showSendToCloud, false);
  assert.equal(figure.config.displaylogo, false);
  const title = layoutOf(figure).title as Obj;
  // The subtitle is the title's second line, not title.subtitle, which
  // plotly.js places from the title's measured box (empty when the figure is
  // drawn before its node is in the page).
  assert.deepEqual(titleLines(title), ["softmax over 3 classes", "sum 1.000"]);
  assert.equal(title.subtitle, undefined);
  // The y axis is fixed from 0 to 1 (in the template every axis uses).
  const template = layoutOf(figure).template as { layout: Record<string, Obj> };
  assert.deepEqual(template.layout.yaxis?.range, [0, 1]);
  await t.assertSnapshot(JSON.parse(normalize(JSON.stringify(figure))));
});

Deno.test("toPlotly(sigmoid): threshold line and label, marks above it", () => {
  const p = sigmoid([2, 1, -1], { labels: LABELS });
  const figure = toPlotly(p, { threshold: 0.7 });
  assert.deepEqual(figure.data[0]?.y, p.toArray());
  const shapes = layoutOf(figure).shapes as unknown as Obj[];
  assert.equal(shapes.length, 1);
  assert.equal(shapes[0]?.y0, 0.7);
  const notes = layoutOf(figure).annotations as unknown as Obj[];
  assert.equal(notes[0]?.text, "threshold 0.7");
  // Clear of the dashed line's end, by the SVG's gap.
  assert.deepEqual([notes[0]?.x, notes[0]?.xanchor, notes[0]?.xshift], [
    1,
    "left",
    6,
  ]);
  assert.deepEqual(figure.data[0]?.text, ["✓<br>0.88", "✓<br>0.73", "0.27"]);
});

Deno.test("toPlotly: the title starts where the SVG's does, 16 px from the chart's left edge", () => {
  // Not from the plot area (56 px in), where long titles ran off the right.
  const p = chart(softmax([1, 2]), { title: "W".repeat(60) });
  const svgX = /<text x='([\d.]+)'[^>]* class='title'/.exec(toSVG(p))?.[1];
  const template = layoutOf(toPlotly(p)).template as {
    layout: Record<string, Obj>;
  };
  const title = template.layout.title as Obj;
  assert.equal(title.xref, "container");
  assert.equal(title.x, 0);
  assert.equal(title.xanchor, "left");
  assert.equal((title.pad as Obj).l, Number(svgX));
});

Deno.test("toPlotly output is plain JSON: no typed arrays, NaN as null with a label", () => {
  for (
    const result of [
      softmax(new Float32Array([1, NaN, 2])),
      sigmoid(new Float64Array([1, 2, 3])),
      compare(new Float32Array([1, 2])),
      temperatureExplorer([1, 2, 3]),
      softmax(new Float32Array(3 * 4), { shape: [3, 4] }),
      softmax(new Float32Array(30 * 4), { shape: [30, 4] }),
    ]
  ) {
    const figure = toPlotly(result);
    assertPlainJson(figure);
    assert.deepEqual(JSON.parse(JSON.stringify(figure)), figure);
  }
  const figure = toPlotly(softmax([1, NaN, 2]));
  assert.deepEqual(figure.data[0]?.y, [null, null, null]);
  const notes = layoutOf(figure).annotations as unknown as Obj[];
  assert.deepEqual(notes.map((n) => n.text), ["NaN", "NaN", "NaN"]);
});

Deno.test("toPlotly escapes labels and titles, which plotly.js would read as HTML", () => {
  const figure = toPlotly(
    softmax([1, 2, 3], {
      labels: ["<b>x</b>", "a & b", "<a href='js:x'>y</a>"],
    }),
    {
      title: "<img src=x onerror=alert(1)>",
    },
  );
  assert.deepEqual(layoutOf(figure).xaxis?.ticktext, [
    "&lt;b&gt;x&lt;/b&gt;",
    "a &amp; b",
    "&lt;a href='js:x'&gt;y&lt;/a&gt;",
  ]);
  assert.equal(
    titleLines(layoutOf(figure).title)[0],
    "&lt;img src=x onerror=alert(1)&gt;",
  );
  for (const label of HOSTILE) {
    const text = JSON.stringify(
      toPlotly(softmax([1, 2], { labels: [label, "x"] })),
    );
    assert.ok(
      !/<(b|i|a|br|span|sup|sub|em|s|u|img|script|svg)\b/i.test(
        // Our own markup: line breaks, bold marks, hover extras and the
        // subtitle's span.
        text.replace(/<br>|<\/?b>|<extra>|<\/extra>|<\/span>/g, "")
          .replaceAll(JSON.stringify(SUBTITLE_SPAN).slice(1, -1), ""),
      ),
    );
  }
});

Deno.test("toPlotly keeps equal labels as separate bars", () => {
  const figure = toPlotly(softmax([1, 2, 3], { labels: ["a", "a", ""] }));
  assert.deepEqual(figure.data[0]?.x, [0, 1, 2]);
  assert.deepEqual(layoutOf(figure).xaxis?.ticktext, ["a", "a", "(empty)"]);
});

Deno.test("toPlotly merges options.layout deeply and last", async (t) => {
  const figure = toPlotly(softmax([1, 2, 3]), {
    layout: {
      height: 300,
      xaxis: { title: { text: "class" } },
      margin: { b: 99 },
    },
  });
  const layout = layoutOf(figure);
  assert.equal(layout.height as unknown, 300);
  assert.deepEqual(layout.xaxis?.title, { text: "class" });
  assert.deepEqual(layout.xaxis?.tickvals, [0, 1, 2]);
  assert.equal(layout.margin?.b, 99);
  assert.equal(layout.margin?.l, 56);
  await t.step("arrays replace, they do not merge", () => {
    const f = toPlotly(softmax([1, 2]), {
      layout: { xaxis: { tickvals: [5] } },
    });
    assert.deepEqual(layoutOf(f).xaxis?.tickvals, [5]);
  });
  await t.step("a __proto__ key is data, not a prototype", () => {
    const layout = JSON.parse(
      '{"__proto__": {"polluted": true}, "font": {"size": 9}}',
    );
    const f = toPlotly(softmax([1, 2]), { layout });
    assert.equal(({} as Obj).polluted, undefined);
    assert.equal(Object.getPrototypeOf(f.layout), Object.prototype);
    assert.deepEqual(
      Object.getOwnPropertyDescriptor(f.layout, "__proto__")?.value,
      { polluted: true },
    );
  });
  await t.step("the caller's layout object is copied", () => {
    const given = { font: { size: 9 } };
    const f = toPlotly(softmax([1, 2]), { layout: given });
    given.font.size = 20;
    assert.equal((layoutOf(f).font as Obj).size, 9);
  });
});

Deno.test("toPlotly of a comparison: two grouped traces, threshold and legend", () => {
  const c = compare([2, 1, 0.1], { labels: LABELS });
  const figure = toPlotly(c);
  assert.deepEqual(figure.data.map((d) => d.name), ["sigmoid", "softmax"]);
  assert.deepEqual(figure.data[0]?.y, c.sigmoid.toArray());
  assert.deepEqual(figure.data[1]?.y, c.softmax.toArray());
  assert.equal(layoutOf(figure).barmode as unknown, "group");
  assert.equal(layoutOf(figure).showlegend as unknown, true);
  assert.equal((layoutOf(figure).shapes as unknown as Obj[]).length, 1);
});

Deno.test("toPlotly of a temperature explorer: one frame per temperature and a slider", async (t) => {
  const e = temperatureExplorer([2, 1, 0.1], {
    labels: LABELS,
    temperatures: [0.5, 2],
  });
  const figure = toPlotly(e);
  assert.deepEqual(figure.data[0]?.y, e.frames[1]?.toArray());
  assert.deepEqual(figure.frames?.map((f) => f.name), ["0.5", "1", "2"]);
  figure.frames?.forEach((frame, i) => {
    const y = (frame.data as Obj[])[0]?.y as number[];
    const exact = e.frames[i]!.toArray() as number[];
    y.forEach((v, j) => assert.ok(Math.abs(v - exact[j]!) <= 5e-4 * exact[j]!));
    assert.equal(frame.group, frame.name);
  });
  const slider = (layoutOf(figure).sliders as unknown as Obj[])[0]!;
  assert.equal(slider.active, 1);
  assert.deepEqual((slider.steps as Obj[]).map((s) => s.args), [
    ["0.5"],
    ["1"],
    ["2"],
  ]);
  await t.assertSnapshot(JSON.parse(normalize(JSON.stringify(figure))));
});

Deno.test("toPlotly of n-D results: subplots up to 6 rows, a heatmap beyond", async (t) => {
  await t.step("small multiples", () => {
    const p = softmax([[1, 2, 3], [3, 2, 1]], { labels: LABELS });
    const figure = toPlotly(p);
    assert.equal(figure.data.length, 2);
    assert.deepEqual(figure.data.map((d) => [d.xaxis, d.yaxis]), [["x", "y"], [
      "x2",
      "y2",
    ]]);
    assert.deepEqual(figure.data[1]?.y, p[1]?.toArray());
    assert.deepEqual((layoutOf(figure).grid as Obj).rows, 1);
    assert.deepEqual(layoutOf(figure).xaxis2?.ticktext, LABELS);
  });
  await t.step("heatmap", () => {
    const x = Array.from({ length: 9 }, (_, r) => [r % 3, 1, 0.5]);
    const figure = toPlotly(softmax(x, { labels: LABELS }));
    const [heat, marks] = figure.data;
    assert.equal(heat?.type, "heatmap");
    const z = heat?.z as number[][];
    assert.equal(z.length, 9);
    assert.ok(z.every((row) => row.length === 3));
    assert.equal(z[0]![1], Number(softmax([0, 1, 0.5])[1]!.toFixed(3)));
    assert.equal(marks?.type, "scatter");
    // Row r is [r % 3, 1, 0.5]: the argmax is 1, then 0 (a tie goes to the first), then 0.
    assert.deepEqual(marks?.x, [1, 0, 0, 1, 0, 0, 1, 0, 0]);
    assert.deepEqual(marks?.y, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

Deno.test("toPlotly returns a new object each call", () => {
  const p = softmax([1, 2]);
  const a = toPlotly(p);
  (a.data[0]!.y as number[])[0] = 99;
  (layoutOf(a).template as Obj).data = {};
  assert.notEqual(toPlotly(p).data[0]!.y, a.data[0]!.y);
  assert.deepEqual(toPlotly(p), toPlotly(p));
  assert.notEqual(
    (layoutOf(toPlotly(p)).template as Obj).data,
    (layoutOf(a).template as Obj).data,
  );
});

Deno.test("chart() options reach the figure, and renderer options override them", () => {
  const c = chart(sigmoid([1, 2]), {
    title: "T",
    threshold: 0.9,
    layout: { height: 200 },
  });
  const f = toPlotly(c, { layout: { width: 500 } });
  assert.equal(titleLines(layoutOf(f).title)[0], "T");
  assert.equal((layoutOf(f).shapes as unknown as Obj[])[0]?.y0, 0.9);
  assert.equal(layoutOf(f).height as unknown, 200);
  assert.equal(layoutOf(f).width as unknown, 500);
  assert.equal(titleLines(layoutOf(toPlotly(c, { title: "U" })).title)[0], "U");
});
