import { describe, readLabels } from "../_input.ts";
import { Bars } from "./bars.ts";
import { Comparison } from "./compare.ts";
import { Probabilities } from "../probabilities.ts";
import {
  mergeOptions,
  readChartOptions,
  type ReadOptions,
} from "./_read_options.ts";
import type { ChartOptions } from "./options.ts";
import { TemperatureExplorer } from "./temperature_explorer.ts";

/**
 * What the renderers draw: a {@linkcode Probabilities} (from softmax or
 * sigmoid), a {@linkcode Comparison}, a {@linkcode TemperatureExplorer},
 * {@linkcode Bars}, or a {@linkcode Chart} wrapping one of them with options.
 */
export type Chartable =
  | Probabilities
  | Comparison
  | TemperatureExplorer
  | Bars
  | Chart;

/**
 * A result with chart options attached, made by {@linkcode chart}: in a
 * notebook it displays with those options (a title, other labels, a
 * threshold, maxBars, a Plotly layout), and the renderers start from them.
 */
export class Chart {
  /** The result drawn. */
  readonly result: Exclude<Chartable, Chart>;
  /** The options it is drawn with. */
  readonly options: Readonly<ChartOptions>;

  /**
   * Made by {@linkcode chart}.
   *
   * @param result The result drawn.
   * @param options Validated chart options.
   */
  constructor(
    result: Exclude<Chartable, Chart>,
    options: Readonly<ChartOptions>,
  ) {
    this.result = result;
    this.options = options;
  }
}

/** How many classes a result has: the length of its class axis. */
export function classCountOf(result: Exclude<Chartable, Chart>): number {
  if (result instanceof Probabilities) return result.shape[result.axis] ?? 0;
  if (result instanceof Bars) return result.values.length;
  return result.logits.length;
}

/** Checks that `value` is something the renderers draw, for a public function `fn`. */
export function readChartable(fn: string, value: unknown): Chartable {
  if (
    value instanceof Probabilities || value instanceof Comparison ||
    value instanceof TemperatureExplorer || value instanceof Bars ||
    value instanceof Chart
  ) {
    return value;
  }
  throw new TypeError(
    `${fn}: result is ${
      describe(value)
    }, expected a Probabilities (from softmax or sigmoid), a Comparison, a TemperatureExplorer, Bars (from bars) or a Chart`,
  );
}

/**
 * Attaches chart options to a result so that it displays with them in a
 * notebook: `chart(softmax(logits), { title: "Next token" })` as a cell's
 * last expression shows a titled chart. Options given to a renderer later
 * (`toSVG(c, options)`) override these, key by key.
 *
 * @param result A softmax or sigmoid result, a comparison, a temperature
 * explorer, bars, or a chart (whose options are merged with the new ones).
 * @param options Title, labels, threshold, maxBars and a Plotly layout.
 * @returns A {@linkcode Chart} that displays itself in a notebook.
 * @throws {TypeError} If result is not one of those or an option has the
 * wrong type.
 * @throws {RangeError} If an option is out of range.
 *
 * @example A titled chart
 * ```ts
 * import { chart, softmax, toText } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const c = chart(softmax([2, 1, 0.1]), { title: "Next token" });
 * assert.equal(toText(c).split("\n")[0], "Next token");
 * ```
 */
export function chart(result: Chartable, options?: ChartOptions): Chart {
  const fn = "chart";
  const target = readChartable(fn, result);
  const given = readChartOptions(fn, options);
  const inner = target instanceof Chart ? target.result : target;
  readLabels(fn, given.labels, classCountOf(inner));
  if (target instanceof Chart) {
    return new Chart(
      target.result,
      mergeOptions(target.options as ReadOptions, given) as ChartOptions,
    );
  }
  return new Chart(target, given as ChartOptions);
}
