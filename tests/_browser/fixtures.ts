// What the browser checks render: one result of every kind of figure the
// module makes, charts with hostile labels and titles, and pages that hold
// chart fragments the way a notebook does (plotly.js embedded once, charts
// before and after it).

import {
  chart,
  type Chartable,
  type ChartOptions,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toHTML,
} from "../../mod.ts";
import { plotlyEmbedPartsOf } from "../../lib/charts/render/_html.ts";
import { plotlyPacked } from "../../lib/charts/render/_plotly_source.ts";
import { displayLabel } from "../../lib/charts/_format.ts";
import { HOSTILE } from "../_render_helpers.ts";

/** A chart to render: a result and the options it is drawn with. */
export interface ChartCase {
  name: string;
  /** Its `data-chart`: bars, compare, temperature-explorer, multiples or heatmap. */
  kind: string;
  result: Chartable;
  options?: ChartOptions;
}

const LABELS = ["cat", "dog", "bird"];

/** Deterministic logits: a sine wave, so no two runs differ. */
function wave(n: number, scale = 4, phase = 0.37): Float64Array {
  return new Float64Array(n).map((_, i) => Math.sin(i * phase + 1) * scale);
}

/**
 * One chart of every kind of figure the module produces: bars (softmax,
 * with and without a threshold, NaN, empty, one class, slanted labels, a
 * custom layout), sigmoid with its threshold and a folded tail above 1,
 * compare (plain and folded), small multiples (softmax, sigmoid, 3-D,
 * folded panels), heatmaps (more rows than panels, more classes than bars,
 * NaN rows, 3-D), top-k and the temperature explorer with its frames and
 * slider.
 */
export function everyFigure(): ChartCase[] {
  const long = Array.from(
    { length: 15 },
    (_, i) => `a rather long class name ${i}`,
  );
  return [
    {
      name: "softmax bars",
      kind: "bars",
      result: softmax([2, 1, 0.1], { labels: LABELS }),
    },
    {
      name: "softmax with a threshold",
      kind: "bars",
      result: softmax([2, 1, 0.1], { labels: LABELS }),
      options: { threshold: 0.3 },
    },
    {
      name: "softmax without a title, custom layout",
      kind: "bars",
      result: chart(softmax([0.5, 1.5, -1, 2]), {
        title: "",
        layout: { height: 320, font: { size: 13 } },
      }),
    },
    { name: "softmax with NaN", kind: "bars", result: softmax([1, NaN, 2]) },
    { name: "softmax of one class", kind: "bars", result: softmax([5]) },
    {
      name: "softmax with slanted labels",
      kind: "bars",
      result: softmax(wave(15), { labels: long }),
    },
    { name: "sigmoid, no classes", kind: "bars", result: sigmoid([]) },
    {
      name: "sigmoid, no rows",
      kind: "bars",
      result: sigmoid(new Float64Array(0), { shape: [0, 3] }),
    },
    {
      name: "sigmoid with the default threshold",
      kind: "bars",
      result: sigmoid([2, 1, -1], { labels: LABELS }),
    },
    {
      name: "sigmoid with threshold 0.8",
      kind: "bars",
      result: sigmoid([2, 1, -1], { labels: LABELS }),
      options: { threshold: 0.8 },
    },
    {
      name: "sigmoid top-k with a tail above 1",
      kind: "bars",
      result: sigmoid(new Float64Array(60).map((_, i) => 3 - i * 0.01)),
    },
    {
      name: "compare",
      kind: "compare",
      result: compare([2, 1, 0.1], { labels: LABELS }),
    },
    {
      name: "compare, folded to 12 classes",
      kind: "compare",
      result: compare(wave(30), { threshold: 0.6 }),
    },
    {
      name: "small multiples, softmax",
      kind: "multiples",
      result: softmax([[1, 2, 3], [3, 2, 1]], { labels: LABELS }),
    },
    {
      name: "small multiples, sigmoid",
      kind: "multiples",
      result: sigmoid([[1, -2, 0.5, 3], [0, 0, 1, -1], [2, 2, -3, 0.2]]),
    },
    {
      name: "small multiples, 3-D",
      kind: "multiples",
      result: softmax(wave(12), { shape: [2, 2, 3] }),
    },
    {
      name: "small multiples, folded panels",
      kind: "multiples",
      result: softmax(wave(6 * 30), { shape: [6, 30] }),
    },
    {
      name: "heatmap, 40 × 30 float32",
      kind: "heatmap",
      result: softmax(
        new Float32Array(40 * 30).map((_, i) => Math.cos(i)),
        { shape: [40, 30] },
      ),
    },
    {
      name: "heatmap, sigmoid 20 × 5",
      kind: "heatmap",
      result: sigmoid(wave(100), { shape: [20, 5] }),
    },
    {
      name: "heatmap with a NaN row",
      kind: "heatmap",
      result: softmax(
        Array.from({ length: 14 }, (_, r) => r === 3 ? [NaN, 1, 2] : [r, 1, 2]),
        { labels: LABELS },
      ),
    },
    {
      name: "heatmap, 3-D 3 × 5 × 4",
      kind: "heatmap",
      result: softmax(wave(60), { shape: [3, 5, 4] }),
    },
    {
      name: "top-k of 5,000 classes",
      kind: "bars",
      result: softmax(wave(5000)),
    },
    {
      name: "temperature explorer",
      kind: "temperature-explorer",
      result: temperatureExplorer([2, 1, 0.1], { labels: LABELS }),
    },
    {
      name: "temperature explorer, own temperatures and threshold",
      kind: "temperature-explorer",
      result: temperatureExplorer([3, 1, 0.5, -1], {
        temperatures: [0.25, 0.5, 2, 4],
        threshold: 0.4,
      }),
    },
    {
      name: "temperature explorer, folded to 12 classes",
      kind: "temperature-explorer",
      result: temperatureExplorer(wave(30)),
    },
  ];
}

/**
 * Ordinary text at the lengths the module allows: titles past the length
 * limit (shown shortened), labels past theirs (slanted under bars, and on
 * the first columns of a heatmap, where they reach furthest left).
 */
export function longTextCharts(): ChartCase[] {
  const title =
    "Class probabilities of flower 17 (a versicolor) under the one-vs-rest sigmoid model, fold 3 of 5";
  const long = [
    "a very long label number one",
    "second long label here ok",
    "c",
    "d",
    "e",
  ];
  return [
    {
      name: "softmax with a title past the limit",
      kind: "bars",
      result: softmax([2, 1, 0.1], { labels: LABELS }),
      options: { title },
    },
    {
      name: "compare with a title past the limit",
      kind: "compare",
      result: compare([2, 1, 0.1], { labels: LABELS }),
      options: { title },
    },
    {
      name: "sigmoid with a title of the widest letters, at the limit",
      kind: "bars",
      result: sigmoid([2, 1, 0.1], { labels: LABELS }),
      options: { title: "W".repeat(28) + "M".repeat(14) + "m".repeat(14) },
    },
    {
      name: "bars with 15 long labels",
      kind: "bars",
      result: softmax(wave(15), {
        labels: Array.from({ length: 15 }, (_, i) => `${long[0]} ${i}`),
      }),
    },
    {
      name: "heatmap with long labels on its first columns",
      kind: "heatmap",
      result: softmax(wave(15 * 5), { shape: [15, 5], labels: long }),
    },
  ];
}

/**
 * Labels that try to escape every context they land in: HTML and SVG
 * markup, script endings, event handlers, `javascript:` URLs, the subset of
 * HTML that plotly.js renders in text (`<a href>`, `<b>`, `<br>`, `<span
 * style>`), already-escaped entities that must not be decoded twice, and
 * Plotly's hover-template syntax.
 */
export const HOSTILE_LABELS: readonly string[] = [
  ...HOSTILE,
  "javascript:window.__pwned=1",
  '<a href="javascript:window.__pwned=1">x</a>',
  '<a href="https://example.com/">a link</a>',
  "<b onmouseover=window.__pwned=1>b</b>",
  '<span style="font-size:90px">big</span>',
  "&lt;img src=x onerror=window.__pwned=1&gt;",
  "%{y}<extra>%{x}</extra>",
  "<iframe srcdoc='<script>parent.__pwned=1</script>'>",
  "<sup>2</sup><br>x",
];

/** A title that tries the same. */
export const HOSTILE_TITLE =
  '<img src=x onerror="window.__pwned=1"> & <a href="javascript:window.__pwned=1">t</a></script>';

/** A hostile chart and the labels it must show, as text, in order. */
export interface HostileCase extends ChartCase {
  /** The labels displayed, left to right (the "other" bar included). */
  labels: string[];
}

/**
 * Softmax, sigmoid, compare, heatmap (3-D, 15 rows) and top-k (more than 20
 * classes) charts labelled with {@linkcode HOSTILE_LABELS}. Logits fall
 * from left to right so that the hostile labels are the classes a folded
 * chart keeps, in their own order.
 */
export function hostileCharts(): HostileCase[] {
  const labels = [...HOSTILE_LABELS];
  const n = labels.length;
  const falling = (count: number) =>
    Array.from({ length: count }, (_, i) => 3 - i * 0.2);
  const shown = (kept: number, total: number, names = labels) => [
    ...names.slice(0, kept).map(displayLabel),
    ...(kept < total ? [`other (${total - kept} classes)`] : []),
  ];
  const title = { title: HOSTILE_TITLE };
  const many = [
    ...labels,
    ...Array.from({ length: 40 - n }, (_, i) => `c${i}`),
  ];
  return [
    {
      name: "softmax",
      kind: "bars",
      result: softmax(falling(n), { labels }),
      options: title,
      labels: shown(n, n),
    },
    {
      name: "sigmoid",
      kind: "bars",
      result: sigmoid(falling(n).map((v) => v - 1), { labels }),
      options: title,
      labels: shown(n, n),
    },
    {
      name: "compare",
      kind: "compare",
      result: compare(falling(n), { labels }),
      options: title,
      labels: shown(12, n),
    },
    {
      name: "heatmap",
      kind: "heatmap",
      result: softmax(
        new Float64Array(15 * n).map((_, k) =>
          (3 - (k % n) * 0.2) * ((Math.floor(k / n) + k) % 3)
        ),
        { labels, shape: [3, 5, n] },
      ),
      options: title,
      labels: shown(n, n),
    },
    {
      name: "top-k",
      kind: "bars",
      result: softmax(falling(40), { labels: many }),
      options: title,
      labels: shown(20, 40, many),
    },
  ];
}

/** The chart as an HTML fragment, as a notebook receives it. */
export function fragmentOf(c: ChartCase): string {
  return toHTML(c.result, c.options);
}

/** The chart as a standalone page, plotly.js inlined. */
export function standaloneOf(c: ChartCase): Promise<string> {
  return toHTML(c.result, { ...c.options, standalone: true });
}

/**
 * A page of chart fragments the way a notebook shows them: `before` come
 * ahead of the plotly.js embed (as outputs that arrived first), `after`
 * follow it. The embed is in parts, here in reverse order, the first of `after` between the last two (the page must assemble
 * them whatever order they arrive in). `background` colours the page behind
 * the charts.
 */
export async function fragmentPage(
  before: readonly string[],
  after: readonly string[],
  { title = "charts", background = "#ffffff" } = {},
): Promise<string> {
  // Parts of 200,000 characters (4 of them), smaller than the kernel's, so
  // that the page assembles several whatever their order.
  const embedParts = plotlyEmbedPartsOf(await plotlyPacked(), 200_000)
    .reverse();
  return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>" +
    `<title>${title}</title>` +
    `<style>body{margin:24px;background:${background}}</style></head><body>\n` +
    [
      ...before,
      ...embedParts.slice(1),
      ...after.slice(0, 1),
      embedParts[0],
      ...after.slice(1),
    ].join("\n") + "\n</body></html>\n";
}
