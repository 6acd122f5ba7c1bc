import type { Chartable } from "../chart.ts";
import { fragmentOf, pageOf, plotlyEmbedOf } from "./_html.ts";
import { modelOf } from "../_model.ts";
import { plotlyOf } from "./_plotly.ts";
import { plotlyPacked } from "./_plotly_source.ts";
import { readStandalone } from "../_read_options.ts";
import { svgOf } from "./_svg.ts";
import type { ChartOptions, HTMLOptions } from "../options.ts";

/**
 * The chart as HTML. By default a fragment: the SVG chart as a picture (an
 * `<img>` with the SVG as a base64 data URI and the chart's description as
 * its `alt`, visible at once, in static viewers, with scripts off and
 * through HTML sanitizers), the Plotly figure as inert JSON, and a small
 * script that replaces the picture with the interactive Plotly chart when
 * plotly.js is on the page, and otherwise leaves it alone. This is the
 * `text/html` a notebook receives (the first chart of a session is preceded
 * by plotly.js).
 *
 * With `{ standalone: true }`, a complete offline page with plotly.js
 * inlined (its cartesian bundle, gzipped and base64-encoded, decompressed by
 * the page), returned as a promise (plotly.js is read only when first
 * needed).
 *
 * The container is `<div class="softmax-chart" data-chart="bars"
 * data-chart-id="…" data-state="static">` (`data-chart` is `bars`,
 * `compare`, `temperature-explorer`, `multiples` or `heatmap`;
 * `data-chart-id` is a hash of the content, the same in every session);
 * `data-state` becomes `interactive` once upgraded, `failed` if Plotly
 * could not draw it. The upgrade finds charts by class and state, not by id,
 * so two identical charts on one page both upgrade, in whatever order the
 * outputs and the plotly.js embed arrive. Labels and titles are escaped, and
 * the JSON cannot end its script element.
 *
 * @param result A softmax or sigmoid result, a {@linkcode Comparison}, a
 * {@linkcode TemperatureExplorer}, {@linkcode Bars}, or a {@linkcode Chart}.
 * @param options The chart options, and `standalone`.
 * @returns The fragment, or a promise of the page when `standalone` is true.
 * @throws {TypeError} If result is not one of those or an option has the
 * wrong type.
 * @throws {RangeError} If an option is out of range or the labels do not
 * match the classes.
 *
 * @example A fragment, and a standalone page
 * ```ts
 * import { softmax, toHTML, toSVG } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const p = softmax([2, 1, 0.1]);
 * const fragment = toHTML(p);
 * const svg = new TextEncoder().encode(toSVG(p)).toBase64();
 * assert.ok(fragment.includes(`src='data:image/svg+xml;base64,${svg}'`));
 * const page = await toHTML(p, { standalone: true });
 * assert.match(page, /^<!DOCTYPE html>/);
 * assert.ok(page.length > 500_000); // plotly.js inlined, compressed
 * ```
 */
export function toHTML(
  result: Chartable,
  options?: ChartOptions & { standalone?: false },
): string;
/** A complete offline page with plotly.js inlined. */
export function toHTML(
  result: Chartable,
  options: ChartOptions & { standalone: true },
): Promise<string>;
/** A fragment, or a promise of a page. */
export function toHTML(
  result: Chartable,
  options?: HTMLOptions,
): string | Promise<string>;
export function toHTML(
  result: Chartable,
  options?: HTMLOptions,
): string | Promise<string> {
  const fn = "toHTML";
  const standalone = readStandalone(fn, options);
  const model = modelOf(fn, result, options);
  const fragment = fragmentOf(model, plotlyOf(model), svgOf(model));
  if (!standalone) return fragment;
  return plotlyPacked().then((plotly) =>
    pageOf(
      model.title === "" ? "chart" : model.title,
      plotlyEmbedOf(plotly),
      [fragment],
    )
  );
}
