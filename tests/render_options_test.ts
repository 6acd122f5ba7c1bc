import assert from "node:assert/strict";
import {
  chart,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toHTML,
  toPlotly,
  toSVG,
  toText,
} from "../mod.ts";

const p = softmax([2, 1, 0.1]);
const RENDERERS = { toPlotly, toSVG, toHTML, toText } as const;

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

Deno.test("renderers reject what they cannot draw, naming the function", async (t) => {
  for (const [name, render] of Object.entries(RENDERERS)) {
    await t.step(name, () => {
      const draw = render as (r: unknown, o?: unknown) => unknown;
      throwsWith(
        () => draw([0.5, 0.5]),
        TypeError,
        `${name}: result is an array, expected a Probabilities (from softmax or sigmoid), a Comparison, a TemperatureExplorer, Bars (from bars) or a Chart`,
      );
      throwsWith(
        () => draw(0.5),
        TypeError,
        `${name}: result is a number (0.5), expected a Probabilities (from softmax or sigmoid), a Comparison, a TemperatureExplorer, Bars (from bars) or a Chart`,
      );
      throwsWith(
        () => draw(p, 3),
        TypeError,
        `${name}: options is a number (3), expected an object`,
      );
    });
  }
});

Deno.test("renderers validate every option with the option's name", async (t) => {
  const cases: [string, unknown, ErrorConstructor, string][] = [
    [
      "title",
      { title: 3 },
      TypeError,
      "options.title is a number (3), expected a string",
    ],
    [
      "labels type",
      { labels: "cat" },
      TypeError,
      'options.labels is a string ("cat"), expected an array of strings',
    ],
    [
      "labels item",
      { labels: ["a", 1, "c"] },
      TypeError,
      "options.labels[1] is a number (1), expected a string",
    ],
    [
      "labels count",
      { labels: ["a"] },
      RangeError,
      "options.labels has 1 entry but the axis has 3",
    ],
    [
      "threshold type",
      { threshold: "0.5" },
      TypeError,
      'options.threshold is a string ("0.5"), expected a number',
    ],
    [
      "threshold range",
      { threshold: 1.5 },
      RangeError,
      "options.threshold is 1.5, expected a number from 0 to 1",
    ],
    [
      "threshold NaN",
      { threshold: NaN },
      RangeError,
      "options.threshold is NaN, expected a number from 0 to 1",
    ],
    [
      "maxBars 0",
      { maxBars: 0 },
      RangeError,
      "options.maxBars is 0, expected an integer from 1 to 100",
    ],
    [
      "maxBars fraction",
      { maxBars: 2.5 },
      RangeError,
      "options.maxBars is 2.5, expected an integer from 1 to 100",
    ],
    [
      "maxBars too many",
      { maxBars: 101 },
      RangeError,
      "options.maxBars is 101, expected an integer from 1 to 100",
    ],
    [
      "maxBars type",
      { maxBars: "20" },
      TypeError,
      'options.maxBars is a string ("20"), expected an integer',
    ],
    [
      "layout type",
      { layout: [] },
      TypeError,
      "options.layout is an array, expected a plain object",
    ],
    [
      "layout class",
      { layout: new Map() },
      TypeError,
      "options.layout is an object (Map), expected a plain object",
    ],
    [
      "layout function",
      { layout: { xaxis: { tickformat: () => 1 } } },
      TypeError,
      "options.layout.xaxis.tickformat is a function, expected JSON data",
    ],
    [
      "layout typed array",
      { layout: { x: [new Float64Array(2)] } },
      TypeError,
      "options.layout.x[0] is an object (Float64Array), expected JSON data",
    ],
    [
      "layout NaN",
      { layout: { height: NaN } },
      RangeError,
      "options.layout.height is NaN, expected a finite number (JSON data)",
    ],
  ];
  for (const [name, options, type, message] of cases) {
    await t.step(name, () => {
      throwsWith(() => toSVG(p, options as never), type, `toSVG: ${message}`);
      throwsWith(
        () => toPlotly(p, options as never),
        type,
        `toPlotly: ${message}`,
      );
    });
  }
  await t.step("a cyclic layout", () => {
    const layout: Record<string, unknown> = {};
    layout.self = layout;
    assert.throws(() => toPlotly(p, { layout }), RangeError);
  });
  await t.step("standalone is toHTML's and must be a boolean", () => {
    throwsWith(
      () => toHTML(p, { standalone: "yes" } as never),
      TypeError,
      'toHTML: options.standalone is a string ("yes"), expected a boolean',
    );
  });
  await t.step("unknown options are ignored, as in Observable Plot", () => {
    assert.equal(toText(p, { colour: "red" } as never), toText(p));
  });
});

Deno.test("chart() validates its result and options, labels against the class count", () => {
  throwsWith(
    () => chart({} as never),
    TypeError,
    "chart: result is an object, expected a Probabilities (from softmax or sigmoid), a Comparison, a TemperatureExplorer, Bars (from bars) or a Chart",
  );
  throwsWith(
    () => chart(p, { maxBars: -1 }),
    RangeError,
    "chart: options.maxBars is -1, expected an integer from 1 to 100",
  );
  throwsWith(
    () => chart(p, { labels: ["a", "b"] }),
    RangeError,
    "chart: options.labels has 2 entries but the axis has 3",
  );
  const c = chart(chart(p, { title: "a", maxBars: 2 }), { title: "b" });
  assert.deepEqual(c.options, { title: "b", maxBars: 2 });
  assert.equal(c.result, p);
});

Deno.test("compare() takes one row of logits", () => {
  throwsWith(
    () => compare([[1, 2], [3, 4]] as never),
    TypeError,
    "compare: x has shape [2, 2], expected one row of logits",
  );
  throwsWith(
    () => compare([]),
    RangeError,
    "compare: x has no entries, expected at least one logit",
  );
  throwsWith(
    () => compare(["a"] as never),
    TypeError,
    'compare: x[0] is a string ("a"), expected a number',
  );
  throwsWith(
    () => compare([1, 2], { labels: ["a"] }),
    RangeError,
    "compare: options.labels has 1 entry but the axis has 2",
  );
  throwsWith(
    () => compare([1, 2], { threshold: -0.1 }),
    RangeError,
    "compare: options.threshold is -0.1, expected a number from 0 to 1",
  );
});

Deno.test("temperatureExplorer() validates its temperatures", () => {
  const fn = "temperatureExplorer";
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: 2 as never }),
    TypeError,
    `${fn}: options.temperatures is a number (2), expected an array of numbers`,
  );
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: [] }),
    RangeError,
    `${fn}: options.temperatures has 0 entries, expected 1 to 25`,
  );
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: Array(26).fill(1) }),
    RangeError,
    `${fn}: options.temperatures has 26 entries, expected 1 to 25`,
  );
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: [1, 0] }),
    RangeError,
    `${fn}: options.temperatures[1] is 0, expected a finite number greater than 0`,
  );
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: [Infinity] }),
    RangeError,
    `${fn}: options.temperatures[0] is Infinity, expected a finite number greater than 0`,
  );
  throwsWith(
    () => temperatureExplorer([1, 2], { temperatures: ["1"] as never }),
    TypeError,
    `${fn}: options.temperatures[0] is a string ("1"), expected a number`,
  );
  throwsWith(
    () => temperatureExplorer([[1]] as never),
    TypeError,
    `${fn}: x has shape [1, 1], expected one row of logits`,
  );
  assert.deepEqual(
    temperatureExplorer([1, 2], { temperatures: [3, 0.5, 3] }).temperatures,
    [0.5, 1, 3],
  );
});

Deno.test("labels given to a renderer replace the result's labels", () => {
  const text = toText(sigmoid([1, 2], { labels: ["a", "b"] }), {
    labels: ["x", "y"],
  });
  assert.match(text, /^x /m);
  assert.ok(!/^a /m.test(text));
});
