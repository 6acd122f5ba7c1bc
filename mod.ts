/**
 * Softmax, sigmoid and argmax for Deno and Jupyter notebooks, exact to a few
 * ulp, whose results draw themselves as probability bar charts.
 *
 * Softmax turns logits into a probability distribution (non-negative, sums to
 * 1) and argmax picks the predicted class; sigmoid squashes each logit on its
 * own, which is right for multi-label problems, but when exactly one class out
 * of many is true its outputs are not a distribution. crossEntropy is the
 * loss a softmax classifier is trained with.
 *
 * @example Softmax and argmax predict a class; sigmoid does not sum to 1
 * ```ts
 * import { argmax, sigmoid, softmax } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const logits = [2, 1, 0.1];
 * const p = softmax(logits, { labels: ["cat", "dog", "bird"] });
 * assert.equal(argmax(p), 0);
 * const sum = (a: Iterable<number>) => [...a].reduce((s, v) => s + v, 0);
 * assert.ok(Math.abs(sum(p) - 1) < 1e-15);
 * assert.ok(sum(sigmoid(logits)) > 1.8);
 * ```
 *
 * @module
 */

export { argmax, type ArgmaxOptions } from "./lib/argmax.ts";
export { crossEntropy, type CrossEntropyOptions } from "./lib/cross_entropy.ts";
export type {
  Mask,
  Matrix,
  NestedArray,
  NestedNumbers,
  NumericInput,
  Vector,
} from "./lib/input_types.ts";
export { logSoftmax, type LogSoftmaxOptions } from "./lib/log_softmax.ts";
export { logSumExp, type LogSumExpOptions } from "./lib/log_sum_exp.ts";
export {
  Probabilities,
  type ProbabilitiesInit,
  type ProbabilityKind,
} from "./lib/probabilities.ts";
export { sigmoid, type SigmoidOptions } from "./lib/sigmoid.ts";
export { softmax, type SoftmaxOptions } from "./lib/softmax.ts";

// The display layer: charts of results (SVG, Plotly, HTML, text), the
// comparison, temperature explorer and bars of any values, and the notebook
// display protocol.
import "./lib/charts/display.ts";
export { Bars, bars, type BarsOptions } from "./lib/charts/bars.ts";
export { Chart, chart, type Chartable } from "./lib/charts/chart.ts";
export { compare, Comparison } from "./lib/charts/compare.ts";
export type {
  ChartOptions,
  HTMLOptions,
  PlotlyFigure,
} from "./lib/charts/options.ts";
export { toHTML } from "./lib/charts/render/html.ts";
export { toPlotly } from "./lib/charts/render/plotly.ts";
export { toSVG } from "./lib/charts/render/svg.ts";
export { toText } from "./lib/charts/render/text.ts";
export {
  TemperatureExplorer,
  temperatureExplorer,
  type TemperatureExplorerOptions,
} from "./lib/charts/temperature_explorer.ts";
