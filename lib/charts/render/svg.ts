import type { Chartable } from "../chart.ts";
import { modelOf } from "../_model.ts";
import { svgOf } from "./_svg.ts";
import type { ChartOptions } from "../options.ts";

/**
 * The chart as a standalone SVG document: bars with values and marks (the
 * argmax, or the bars above the threshold), a dashed threshold line for
 * sigmoid, the sum in the subtitle; small multiples or a heatmap for n-D
 * results. It is exactly the `image/svg+xml` a notebook receives, and the
 * static chart inside the HTML.
 *
 * The document is self-contained (no scripts, no ids, no external fonts),
 * draws on its own white card, and is accessible: `role="img"`, a
 * `<title>`, and an `aria-label` that reads out the values. Each bar is one
 * `<rect class="bar">` with `data-index` (the class index, -1 for "other");
 * n-D results give small multiples (`<g class="panel" data-row="0">`, up to
 * 6 rows) or a heatmap beyond. Attributes are single-quoted, which keeps the
 * SVG small inside the notebook's JSON.
 *
 * @param result A softmax or sigmoid result, a {@linkcode Comparison}, a
 * {@linkcode TemperatureExplorer}, {@linkcode Bars}, or a {@linkcode Chart}.
 * @param options Title, labels, threshold and maxBars (layout is for Plotly only).
 * @returns The SVG document as a string; the same bytes for the same input.
 * @throws {TypeError} If result is not one of those or an option has the
 * wrong type.
 * @throws {RangeError} If an option is out of range or the labels do not
 * match the classes.
 *
 * @example An accessible chart that reads out its values
 * ```ts
 * import { softmax, toSVG } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const svg = toSVG(softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] }));
 * assert.ok(svg.startsWith("<svg xmlns='http://www.w3.org/2000/svg'"));
 * assert.ok(svg.includes(
 *   "aria-label='softmax over 3 classes: cat 0.66 (argmax), dog 0.24, bird 0.10; sum 1.000'",
 * ));
 * assert.equal(svg.match(/<rect class='bar/g)?.length, 3);
 * ```
 */
export function toSVG(result: Chartable, options?: ChartOptions): string {
  return svgOf(modelOf("toSVG", result, options));
}
