import type { Chartable } from "../chart.ts";
import { modelOf } from "../_model.ts";
import { plotlyOf } from "./_plotly.ts";
import type { ChartOptions, PlotlyFigure } from "../options.ts";

/**
 * The chart as a Plotly figure, `{ data, layout, config }` (plus `frames`
 * for the temperature explorer): plain JSON that JupyterLab, VS Code or
 * plotly.js render as an interactive chart. The same figure a notebook
 * receives as `application/vnd.plotly.v1+json`.
 *
 * Softmax and sigmoid bars sit at x = 0, 1, 2, ... with the labels as tick
 * text, so equal labels stay separate bars; labels and titles are
 * entity-escaped, because plotly.js renders a subset of HTML in text; NaN
 * becomes null, with a "NaN" annotation on the gap.
 *
 * @param result A softmax or sigmoid result, a {@linkcode Comparison}, a
 * {@linkcode TemperatureExplorer}, {@linkcode Bars}, or a {@linkcode Chart}.
 * @param options Title, labels, threshold, maxBars and a layout merged into
 * the figure's layout.
 * @returns A new figure object (plain JSON data) on each call.
 * @throws {TypeError} If result is not one of those or an option has the
 * wrong type.
 * @throws {RangeError} If an option is out of range or the labels do not
 * match the classes.
 *
 * @example Trace values are the probabilities
 * ```ts
 * import { softmax, toPlotly } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const p = softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
 * const figure = toPlotly(p, { layout: { height: 300 } });
 * assert.deepEqual(figure.data[0]?.y, p.toArray());
 * assert.equal(figure.layout.height, 300);
 * assert.equal(figure.config.showSendToCloud, false);
 * ```
 */
export function toPlotly(
  result: Chartable,
  options?: ChartOptions,
): PlotlyFigure {
  return plotlyOf(modelOf("toPlotly", result, options));
}
