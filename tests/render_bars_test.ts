// bars(values): a chart of any values (logits, exponentials, sums) on an
// axis fitted to them, drawn by the same model and renderers as softmax.
// `deno run tests/render_bars_test.ts` prints the bundles of FIXTURES, for
// the second-process determinism test.

import assert from "node:assert/strict";
import { Bars, bars, chart, toHTML, toPlotly, toSVG, toText } from "../mod.ts";
import { bundleOf } from "../lib/charts/render/_bundle.ts";
import { formatNumber } from "../lib/charts/_format.ts";
import { UPGRADE_SCRIPT } from "../lib/charts/render/_html.ts";
import { modelOf } from "../lib/charts/_model.ts";
import { scaleOf } from "../lib/charts/_scale.ts";
import { BAR_CELLS } from "../lib/charts/render/_text.ts";
import {
  assertInert,
  assertPlainJson,
  byClass,
  byTag,
  HOSTILE,
  lines,
  normalize,
  parseHtml,
  parseXml,
  SUBTITLE_SPAN,
  titleLines,
} from "./_render_helpers.ts";

const LABELS = ["cat", "dog", "bird"];
const EXPS = [2, 1, 0.1].map(Math.exp);
const LOGITS = [-3, 0.5, 4];
type Obj = Record<string, unknown>;

/** The charts the golden files and the determinism tests cover. */
const FIXTURES = () => ({
  exponentials: bars(EXPS, { labels: LABELS, title: "step 1: e^logit" }),
  logits: bars(LOGITS, { labels: LABELS, mark: "max", summary: "none" }),
  gaps: bars([1, NaN, Infinity, -Infinity, -2, 22026, 1.2e6, 0.0041]),
  many: bars(Array.from({ length: 60 }, (_, i) => Math.sin(i) * 10 ** (i % 4))),
  hostile: chart(bars(HOSTILE.map((_, i) => i - 3), { labels: HOSTILE }), {
    title: HOSTILE[0]!,
  }),
});
const bundles = () =>
  JSON.stringify(
    Object.entries(FIXTURES()).map(([name, value]) => [
      name,
      bundleOf(modelOf("fixture", value, undefined)),
    ]),
  );

if (import.meta.main) console.log(bundles());

function svgOf(markup: string) {
  const root = parseXml(markup).documentElement;
  assert.ok(root !== null);
  assert.equal(root.localName, "svg");
  return root;
}
const texts = (node: Parameters<typeof byTag>[0]) =>
  byTag(node, "text").map((t) => t.textContent ?? "");
const num = (e: { getAttribute(name: string): string | null }, name: string) =>
  Number(e.getAttribute(name));

function throwsWith(
  fn: () => unknown,
  type: ErrorConstructor,
  message: string,
) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

Deno.test("bars(values) copies the values and keeps labels and options apart", () => {
  const x = new Float32Array([1.5, -2, 3]);
  const b = bars(x, { labels: ["a", "b", "c"], title: "T", maxBars: 5 });
  x[0] = 100;
  assert.ok(b instanceof Bars);
  assert.deepEqual(b.values, [1.5, -2, 3]);
  assert.ok(Array.isArray(b.values));
  assert.deepEqual(b.labels, ["a", "b", "c"]);
  assert.deepEqual(b.options, {
    title: "T",
    maxBars: 5,
    mark: "none",
    summary: "sum",
  });
  assert.deepEqual(bars(7).values, [7]);
  assert.equal(bars([1, 2]).labels, undefined);
});

Deno.test("bars validates its input and options, naming bars", async (t) => {
  const cases: [string, () => unknown, ErrorConstructor, string][] = [
    [
      "a matrix",
      () => bars([[1, 2], [3, 4]] as never),
      TypeError,
      "bars: x has shape [2, 2], expected one row of values",
    ],
    [
      "no values",
      () => bars([]),
      RangeError,
      "bars: x has no entries, expected at least one value",
    ],
    [
      "a string",
      () => bars("1, 2" as never),
      TypeError,
      'bars: x is a string ("1, 2"), expected a number, an array of numbers, a Float64Array or a Float32Array',
    ],
    [
      "a string among numbers",
      () => bars([1, "2"] as never),
      TypeError,
      'bars: x[1] is a string ("2"), expected a number',
    ],
    [
      "labels of another length",
      () => bars([1, 2, 3], { labels: ["a", "b"] }),
      RangeError,
      "bars: options.labels has 2 entries but the axis has 3",
    ],
    [
      "a label that is not a string",
      () => bars([1, 2], { labels: ["a", 2] as never }),
      TypeError,
      "bars: options.labels[1] is a number (2), expected a string",
    ],
    [
      "an unknown mark",
      () => bars([1, 2], { mark: "min" as never }),
      RangeError,
      'bars: options.mark is a string ("min"), expected "max" or "none"',
    ],
    [
      "a mark that is not a string",
      () => bars([1, 2], { mark: true as never }),
      TypeError,
      'bars: options.mark is a boolean (true), expected "max" or "none"',
    ],
    [
      "an unknown summary",
      () => bars([1, 2], { summary: "mean" as never }),
      RangeError,
      'bars: options.summary is a string ("mean"), expected "sum" or "none"',
    ],
    [
      "maxBars out of range",
      () => bars([1, 2], { maxBars: 0 }),
      RangeError,
      "bars: options.maxBars is 0, expected an integer from 1 to 100",
    ],
    [
      "options that are not an object",
      () => bars([1, 2], 3 as never),
      TypeError,
      "bars: options is a number (3), expected an object",
    ],
  ];
  for (const [name, fn, type, message] of cases) {
    await t.step(name, () => throwsWith(fn, type, message));
  }
  await t.step("a threshold does not apply and is not checked", () => {
    const b = bars([1, 2], { threshold: 5 } as never);
    assert.equal(byClass(svgOf(toSVG(b)), "threshold").length, 0);
  });
  await t.step("renderers check labels against the values", () => {
    throwsWith(
      () => toSVG(bars([1, 2]), { labels: ["a"] }),
      RangeError,
      "toSVG: options.labels has 1 entry but the axis has 2",
    );
  });
});

Deno.test("formatNumber(v) writes any magnitude readably", async (t) => {
  const cases: [string, [number, string][]][] = [
    ["3 significant digits, no trailing zeros", [
      [2, "2"],
      [0.5, "0.5"],
      [Math.E ** 2, "7.39"],
      [33.14, "33.1"],
      [-3, "-3"],
    ]],
    ["grouped from 1,000", [[22026.47, "22,026"], [999.5, "1,000"], [
      -22026,
      "-22,026",
    ]]],
    ["exponent form from a million", [[1.2e6, "1.2e+6"], [999_999.6, "1e+6"]]],
    ["small values keep their digits, tiny ones in exponent form", [
      [0.0041, "0.0041"],
      [0.00099, "9.9e-4"],
      [4.5e-5, "4.5e-5"],
    ]],
    ["±0, subnormals, NaN and ±Infinity", [
      [0, "0"],
      [-0, "0"],
      [5e-324, "5e-324"],
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [-Infinity, "-Infinity"],
    ]],
  ];
  for (const [name, pairs] of cases) {
    await t.step(name, () => {
      for (const [v, text] of pairs) assert.equal(formatNumber(v), text);
    });
  }
});

Deno.test("scaleOf(values) spans 0 and every finite value with round ticks", async (t) => {
  const axis = (values: number[]) => {
    const { min, max, ticks } = scaleOf(values);
    return { min, max, ticks };
  };
  await t.step("positive values start at 0", () => {
    assert.deepEqual(axis(EXPS), { min: 0, max: 8, ticks: [0, 2, 4, 6, 8] });
  });
  await t.step("negative values hang from 0", () => {
    assert.deepEqual(axis(LOGITS), {
      min: -3,
      max: 4,
      ticks: [-3, -2, -1, 0, 1, 2, 3, 4],
    });
    assert.deepEqual(axis([-1, -2]).max, 0);
  });
  await t.step("decimal steps are exact", () => {
    assert.deepEqual(axis([0.3, 0.6]).ticks, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  });
  await t.step("huge", () => {
    assert.deepEqual(axis([22026]).ticks.at(-1), 25_000);
    assert.deepEqual(axis([1e308, -1e308]), {
      min: -1e308,
      max: 1e308,
      ticks: [-1e308, 0, 1e308],
    });
    assert.deepEqual(axis([1.7e308]).max, 1.7e308);
  });
  await t.step("subnormal", () => {
    assert.deepEqual(axis([5e-324]), {
      min: 0,
      max: 5e-324,
      ticks: [0, 5e-324],
    });
  });
  await t.step("NaN and ±Infinity are left out", () => {
    assert.deepEqual(axis([NaN, Infinity, -Infinity, 3]), axis([3]));
  });
  await t.step("only zeros, or nothing finite, give 0 to 1", () => {
    for (const v of [[0], [-0], [NaN], [Infinity]]) {
      assert.deepEqual(axis(v).min, 0);
      assert.deepEqual(axis(v).max, 1);
    }
  });
  await t.step("-0 is 0: negative values and -0 end the axis at +0", () => {
    assert.deepEqual(axis([-1, -0]), axis([-1, 0]));
    assert.ok(Object.is(axis([-1, -0]).max, 0));
    assert.deepEqual(axis([-1e308, -0]), {
      min: -1e308,
      max: 0,
      ticks: [-1e308, 0],
    });
  });
  await t.step("steps of 1, 2, 5 or 10, nearest to a fifth of the span", () => {
    // Nearer on a log scale: a fifth of 40 is 8, above √50, so 10; of 16,
    // 3.2 is between √10 and √50, so 5.
    assert.deepEqual(axis([40]).ticks, [0, 10, 20, 30, 40]);
    assert.deepEqual(axis([16]).ticks, [0, 5, 10, 15, 20]);
    // 1.6 is above √2, so 2; 1.4 is just under √2, so 1.
    assert.deepEqual(axis([8]).ticks, [0, 2, 4, 6, 8]);
    assert.deepEqual(axis([7]).ticks, [0, 1, 2, 3, 4, 5, 6, 7]);
  });
  await t.step(
    "a fifth of the span at d3's cut-offs takes the larger step",
    () => {
      // d3 compares step / 10^power with √50, √10 and √2 by >=.
      assert.deepEqual(axis([5 * Math.sqrt(50)]).ticks, [0, 10, 20, 30, 40]);
      assert.deepEqual(axis([5 * Math.sqrt(10)]).ticks, [0, 5, 10, 15, 20]);
      assert.deepEqual(axis([5 * Math.sqrt(2)]).ticks, [0, 2, 4, 6, 8]);
    },
  );
  await t.step("steps of 0.2 below 1, for negative values too", () => {
    assert.deepEqual(axis([0.8]), {
      min: 0,
      max: 0.8,
      ticks: [0, 0.2, 0.4, 0.6, 0.8],
    });
    assert.deepEqual(axis([-0.8]), {
      min: -0.8,
      max: 0,
      ticks: [-0.8, -0.6, -0.4, -0.2, 0],
    });
    assert.deepEqual(axis([-0.3, 0.6]), {
      min: -0.4,
      max: 0.6,
      ticks: [-0.4, -0.2, 0, 0.2, 0.4, 0.6],
    });
  });
  await t.step(
    "steps of 1e-300 and 1e300 or beyond keep the exact ends",
    () => {
      assert.deepEqual(axis([7e-300]), {
        min: 0,
        max: 7e-300,
        ticks: [0, 7e-300],
      });
      assert.deepEqual(axis([7e300]), {
        min: 0,
        max: 7e300,
        ticks: [0, 7e300],
      });
      // One power of ten inside, the ticks are round.
      assert.ok(axis([7e-299]).ticks.length > 2);
      assert.ok(axis([7e299]).ticks.length > 2);
    },
  );
  await t.step("exact ends of negative values only: 0 is one tick", () => {
    assert.deepEqual(axis([-1e308]), {
      min: -1e308,
      max: 0,
      ticks: [-1e308, 0],
    });
  });
});

Deno.test("toSVG(bars) makes room for value labels past the ends of the axis", async (t) => {
  const layout = (values: number[]) => {
    const svg = svgOf(toSVG(bars(values)));
    return {
      values: byTag(byClass(svg, "values")[0]!, "text").map((e) => num(e, "y")),
      labels: byTag(byClass(svg, "labels")[0]!, "text").map((e) => num(e, "y")),
      zero: Number(
        /M[\d.]+ ([\d.]+)h/.exec(
          byClass(svg, "axis")[0]!.getAttribute("d")!,
        )![1],
      ),
    };
  };
  await t.step(
    "a bar just under the top has its value where a bar at the top has",
    () => {
      // Either way the label reaches 17 px above the bar's end, all of it in the picture.
      assert.equal(layout([-1, 3.9]).values[1], layout([-1, 4]).values[1]);
    },
  );
  await t.step(
    "a negative bar just above the bottom keeps its value 20 px over the category labels",
    () => {
      // The value is written 13 px under the bar's end and reaches 17 px;
      // category labels are written 16 px under that.
      for (const values of [[-3.9, 4], [-4, 4], [-1, 3.9], [-0.7, 6]]) {
        const { values: v, labels } = layout(values);
        assert.ok(
          Math.abs(labels[0]! - v[0]! - 20) <= 0.5,
          `${values}: value at ${v[0]}, label at ${labels[0]}`,
        );
      }
    },
  );
  await t.step(
    "a zero bar has its value above the zero line, taking no room below",
    () => {
      const { values, labels, zero } = layout([0, 1]);
      assert.ok(values[0]! < zero);
      assert.equal(labels[0], zero + 16);
      assert.deepEqual(labels, layout([1, 1]).labels);
    },
  );
});

Deno.test("toSVG(bars) draws one bar per value from a zero line", async (t) => {
  const markup = toSVG(bars(LOGITS, { labels: LABELS }));
  const svg = svgOf(markup);
  assert.equal(svg.getAttribute("role"), "img");
  assert.equal(
    svg.getAttribute("aria-label"),
    "3 values: cat -3, dog 0.5, bird 4; sum 1.5",
  );
  assert.equal(byTag(svg, "title")[0]?.textContent, "3 values");
  const rects = byClass(svg, "bar");
  assert.deepEqual(rects.map((r) => r.getAttribute("data-index")), [
    "0",
    "1",
    "2",
  ]);
  assert.deepEqual(texts(byClass(svg, "labels")[0]!), LABELS);
  assert.deepEqual(texts(byClass(svg, "values")[0]!), ["-3", "0.5", "4"]);
  assert.deepEqual(texts(byClass(svg, "y-ticks")[0]!), [
    "-3",
    "-2",
    "-1",
    "0",
    "1",
    "2",
    "3",
    "4",
  ]);
  // The negative bar starts at the zero line and goes down; the others end there.
  const zero = Number(
    /M[\d.]+ ([\d.]+)h/.exec(
      byClass(svg, "axis")[0]!.getAttribute("d")!,
    )![1],
  );
  const [cat, dog, bird] = rects;
  assert.equal(num(cat!, "y"), zero);
  assert.equal(num(dog!, "y") + num(dog!, "height"), zero);
  assert.equal(num(bird!, "y") + num(bird!, "height"), zero);
  assert.ok(
    Math.abs(num(cat!, "height") / num(bird!, "height") - 3 / 4) < 0.01,
  );
  // No mark unless asked for.
  assert.equal(byClass(svg, "argmax").length, 0);
  assert.equal(byClass(svg, "marks").length, 0);
  await t.assertSnapshot(lines(markup));
});

Deno.test("toSVG(bars) of exponentials: values on bars, the sum under the title", async (t) => {
  const markup = toSVG(FIXTURES().exponentials);
  const svg = svgOf(markup);
  assert.deepEqual(texts(byClass(svg, "values")[0]!), ["7.39", "2.72", "1.11"]);
  assert.equal(byClass(svg, "subtitle")[0]?.textContent, "sum 11.2");
  assert.equal(byClass(svg, "title")[0]?.textContent, "step 1: e^logit");
  await t.assertSnapshot(lines(markup));
});

Deno.test('bars marks the largest value only with mark: "max"', () => {
  const svg = svgOf(toSVG(bars(LOGITS, { mark: "max" })));
  const marked = byClass(svg, "argmax");
  assert.deepEqual(marked.map((m) => m.getAttribute("data-index")), ["2"]);
  assert.equal(marked[0]?.getAttribute("fill"), "#D55E00");
  assert.deepEqual(texts(byClass(svg, "marks")[0]!), ["argmax"]);
  assert.match(svg.getAttribute("aria-label")!, /x\[2\] 4 \(argmax\)/);
  // All negative: the largest is the one nearest 0, marked under its bar.
  const neg = svgOf(toSVG(bars([-1, -2, -0.5], { mark: "max" })));
  assert.deepEqual(
    byClass(neg, "argmax").map((m) => m.getAttribute("data-index")),
    ["2"],
  );
  // NaN: no largest value, as for argmax.
  assert.equal(
    byClass(svgOf(toSVG(bars([1, NaN], { mark: "max" }))), "argmax").length,
    0,
  );
});

Deno.test("toSVG(bars) draws NaN and ±Infinity as labelled gaps", () => {
  const svg = svgOf(toSVG(bars([1, NaN, Infinity, -Infinity])));
  const missing = byClass(svg, "missing");
  assert.deepEqual(missing.map((m) => m.getAttribute("data-index")), [
    "1",
    "2",
    "3",
  ]);
  assert.ok(missing.every((m) => m.getAttribute("fill") === "none"));
  assert.deepEqual(texts(byClass(svg, "gaps")[0]!), [
    "NaN",
    "Infinity",
    "-Infinity",
  ]);
  assert.equal(
    svg.getAttribute("aria-label"),
    "4 values: x[0] 1, x[1] NaN, x[2] Infinity, x[3] -Infinity; sum NaN",
  );
});

Deno.test("bars beyond maxBars: the first ones, in order, and a note", () => {
  const values = Array.from({ length: 30 }, (_, i) => 30 - i);
  const svg = svgOf(toSVG(bars(values, { maxBars: 5 })));
  assert.deepEqual(
    byClass(svg, "bar").map((b) => b.getAttribute("data-index")),
    ["0", "1", "2", "3", "4"],
  );
  assert.deepEqual(
    byClass(svg, "subtitle").map((s) => s.textContent),
    ["sum 465", "first 5 of 30 values shown"],
  );
  assert.equal(toText(bars(values)).split("\n").length, 1 + 20 + 2);
});

Deno.test("toPlotly(bars): trace values are the values, on a fitted axis", async (t) => {
  const figure = toPlotly(bars(LOGITS, { labels: LABELS }));
  const [trace] = figure.data;
  assert.deepEqual(trace?.y, LOGITS);
  assert.deepEqual(trace?.x, [0, 1, 2]);
  assert.deepEqual(trace?.text, ["-3", "0.5", "4"]);
  assert.equal(trace?.hovertemplate, "%{x}: %{y:.5~g}<extra></extra>");
  const layout = figure.layout as Record<string, Obj>;
  assert.deepEqual(layout.xaxis?.ticktext, LABELS);
  const [lo, hi] = layout.yaxis?.range as number[];
  assert.ok(lo! < -3 && hi! >= 4, `range ${lo} to ${hi}`);
  assert.deepEqual(layout.yaxis?.ticktext, [
    "-3",
    "-2",
    "-1",
    "0",
    "1",
    "2",
    "3",
    "4",
  ]);
  assert.deepEqual(
    ((layout.template as Obj).layout as Record<string, Obj>).yaxis?.tickvals,
    [-3, -2, -1, 0, 1, 2, 3, 4],
  );
  assert.deepEqual(titleLines(layout.title), ["3 values", "sum 1.5"]);
  assert.equal(figure.config.showSendToCloud, false);
  assertPlainJson(figure);
  await t.assertSnapshot(
    JSON.parse(normalize(JSON.stringify(toPlotly(FIXTURES().exponentials)))),
  );
});

Deno.test("toPlotly(bars) is plain JSON: gaps are null with a label, huge values stay numbers", () => {
  const figure = toPlotly(
    bars(new Float32Array([1, NaN, Infinity, -Infinity, 1e30])),
  );
  assertPlainJson(figure);
  assert.deepEqual(figure.data[0]?.y, [
    1,
    null,
    null,
    null,
    1.0000000150474662e30,
  ]);
  const notes = (figure.layout.annotations as Obj[]).map((n) => n.text);
  assert.deepEqual(notes, ["NaN", "Infinity", "-Infinity"]);
  assert.deepEqual(figure.data[0]?.text, ["1", "", "", "", "1e+30"]);
});

Deno.test("toPlotly(bars) writes values upwards where bars are narrow", () => {
  const many = toPlotly(
    bars(Array.from({ length: 20 }, (_, i) => -1000 / (i + 1))),
  );
  assert.equal(many.data[0]?.textangle, -90);
  assert.equal(toPlotly(bars(LOGITS)).data[0]?.textangle, undefined);
});

Deno.test("toText(bars) draws bars to scale, negative ones left of a zero line", async (t) => {
  await t.step("logits of any sign", () => {
    assert.deepEqual(
      toText(bars(LOGITS, { labels: LABELS, summary: "none" })).split("\n"),
      [
        "3 values",
        "cat   ██████████│                 -3",
        "dog             │█▊              0.5",
        "bird            │██████████████    4",
      ],
    );
  });
  await t.step(
    "positive values fill the 24 columns at the top of the axis",
    () => {
      const [, top, half] = toText(bars([10, 5])).split("\n");
      assert.equal(top, `x[0]  ${"█".repeat(BAR_CELLS)}  10`);
      assert.equal(
        half,
        `x[1]  ${"█".repeat(BAR_CELLS / 2)}${" ".repeat(12)}   5`,
      );
    },
  );
  await t.step("eighth blocks on the right, half blocks on the left", () => {
    const [, a, b] = toText(bars([-1.5, 10 / 16 + 10])).split("\n");
    assert.match(a!, /^x\[0\] +▐██│ +-1\.5$/);
    assert.match(b!, /^x\[1\] +│█+[▏▎▍▌▋▊▉] +10\.6$/);
  });
  await t.step(
    "gaps are blank and labelled; NaN leaves no largest value",
    () => {
      const text = toText(bars([3, NaN, -Infinity], { mark: "max" }));
      assert.deepEqual(text.split("\n"), [
        "3 values",
        `x[0]  ${"█".repeat(BAR_CELLS)}          3`,
        `x[1]  ${" ".repeat(BAR_CELLS)}        NaN`,
        `x[2]  ${" ".repeat(BAR_CELLS)}  -Infinity`,
        "sum NaN",
      ]);
      const marked = toText(bars([3, 1], { mark: "max" })).split("\n")[1]!;
      assert.ok(marked.endsWith("3  argmax"));
    },
  );
  await t.assertSnapshot(toText(FIXTURES().exponentials));
});

Deno.test("bars escapes hostile labels and titles everywhere", async (t) => {
  const b = FIXTURES().hostile;
  await t.step("SVG: nothing can run, labels read literally", () => {
    const svg = svgOf(toSVG(b));
    assertInert(svg);
    assert.equal(byTag(svg, "title")[0]?.textContent, HOSTILE[0]);
    const shown = texts(byClass(svg, "labels")[0]!);
    assert.equal(shown.length, HOSTILE.length);
    shown.forEach((label, i) =>
      assert.ok(
        HOSTILE[i]!.replace(/[\u2028\u2029]/g, " ").startsWith(
          label.replace(/…$/, ""),
        ),
        label,
      )
    );
  });
  await t.step(
    "HTML: only our two scripts; the JSON cannot end its element",
    () => {
      const html = toHTML(b);
      const doc = parseHtml(`<body>${html}</body>`);
      const scripts = byTag(doc, "script");
      assert.equal(scripts.length, 2);
      assertInert(
        doc,
        (s) =>
          s.getAttribute("type") === "application/json" ||
          s.textContent === UPGRADE_SCRIPT,
      );
      const json = scripts[0]!.textContent ?? "";
      assert.ok(!/<\/script|<!--|[\u2028\u2029]/i.test(json));
      assert.deepEqual(JSON.parse(json), toPlotly(b));
    },
  );
  await t.step("Plotly: labels and title entity-escaped", () => {
    const text = JSON.stringify(toPlotly(b));
    assert.ok(
      !/<(b|i|a|span|img|script|svg)\b/i.test(
        text.replace(/<br>|<extra>|<\/extra>|<\/span>/g, "")
          .replaceAll(JSON.stringify(SUBTITLE_SPAN).slice(1, -1), ""),
      ),
    );
    assert.ok(text.includes("&lt;/script&gt;&lt;script&gt;"));
  });
  await t.step("text: no control characters or ANSI codes", () => {
    // Matching control characters is the point.
    // deno-lint-ignore no-control-regex
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/.test(toText(b)));
  });
});

Deno.test("bars display themselves, equal to the renderers' output", async () => {
  const b = bars(EXPS, { labels: LABELS });
  const display = Symbol.for("Jupyter.display");
  const proto = Bars.prototype as unknown as Record<symbol, unknown>;
  assert.equal(typeof proto[display], "function");
  assert.ok(!Object.hasOwn(b, display));
  const { displayBundle } = await import("../lib/charts/display.ts");
  const bundle = await displayBundle(
    b,
    () => Promise.resolve(),
  ) as unknown as Obj;
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], toPlotly(b));
  assert.equal(bundle["text/html"], toHTML(b));
  assert.equal(bundle["image/svg+xml"], toSVG(b));
  assert.equal(bundle["text/plain"], toText(b));
  assertPlainJson(bundle);
  assert.equal(Deno.inspect(b), toText(b));
  assert.match(toHTML(b), /data-chart='bars'/);
});

Deno.test("chart(bars) options reach every renderer, and renderer options override them", () => {
  const c = chart(bars(EXPS, { title: "a" }), { title: "b", labels: LABELS });
  assert.equal(toText(c).split("\n")[0], "b");
  assert.equal(toText(c, { title: "c" }).split("\n")[0], "c");
  assert.match(toText(c).split("\n")[1]!, /^cat /);
  assert.equal(Deno.inspect(c), toText(c));
  const figure = toPlotly(c, { layout: { height: 300 } });
  assert.equal(figure.layout.height, 300);
  throwsWith(
    () => chart(bars([1, 2]), { labels: ["a"] }),
    RangeError,
    "chart: options.labels has 1 entry but the axis has 2",
  );
});

Deno.test("bars bundles stay under 30 KB for 10, 1,000 and 50,000 values", () => {
  for (const n of [10, 1000, 50_000]) {
    const values = Array.from(
      { length: n },
      (_, i) => Math.sin(i) * 10 ** (i % 9 - 4),
    );
    for (
      const labels of [
        undefined,
        values.map((_, i) => `a rather long label ${i} for sizing`),
        values.map((_, i) => HOSTILE[i % HOSTILE.length]!),
      ]
    ) {
      const b = bars(values, labels === undefined ? {} : { labels });
      const size = new TextEncoder().encode(
        JSON.stringify(bundleOf(modelOf("size", b, undefined))),
      ).length;
      assert.ok(size < 30_000, `${n} values: ${size} bytes`);
    }
  }
});

Deno.test("bars bundles are byte-identical in a second process", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      "--lock",
      new URL("./deno.lock", import.meta.url).pathname,
      new URL(import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout).trim(), bundles());
});
