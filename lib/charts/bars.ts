import { readLabels, readOptions, readVector } from "../_input.ts";
import type { Vector } from "../input_types.ts";
import { readChartOptions, readKeyword } from "./_read_options.ts";
import type { ChartOptions } from "./options.ts";

/**
 * Options for {@linkcode bars}: the chart options (a bar chart of values
 * draws no threshold line) plus what to mark and what to sum up.
 */
export interface BarsOptions extends Omit<ChartOptions, "threshold"> {
  /**
   * `"max"` highlights the largest value and marks it "argmax" (none when a
   * value is NaN, as for {@linkcode argmax}); `"none"` draws every bar
   * alike.
   *
   * @default {"none"}
   */
  mark?: "max" | "none";
  /**
   * `"sum"` writes the sum of all values (compensated, so exact to the
   * digits shown) under the title, as in "sum 11.2"; `"none"` writes none.
   *
   * @default {"sum"}
   */
  summary?: "sum" | "none";
}

/**
 * A bar chart of any values, made by {@linkcode bars}: in a notebook it
 * displays itself, and {@linkcode toSVG} and the other renderers draw it.
 */
export class Bars {
  /** The values, copied (float32 input widened to numbers). */
  readonly values: number[];
  /** One label per value, if given. */
  readonly labels: readonly string[] | undefined;
  /** The options given to {@linkcode bars}, without labels. */
  readonly options: Readonly<BarsOptions>;

  /**
   * Made by {@linkcode bars}.
   *
   * @param values The values.
   * @param labels One label per value, or undefined.
   * @param options Validated options.
   */
  constructor(
    values: number[],
    labels: readonly string[] | undefined,
    options: Readonly<BarsOptions>,
  ) {
    this.values = values;
    this.labels = labels;
    this.options = options;
  }
}

/**
 * A bar chart of any values, for the steps before softmax: logits of any
 * sign, their exponentials (which can be huge), sums. Softmax and sigmoid
 * results chart themselves on a 0 to 1 axis; these bars get an axis fitted
 * to the values, 0 included, so negative values hang down from a zero line.
 *
 * Bars keep the values' order and are not ranked: past `maxBars` (default
 * 20) the first values are drawn and a note under the title says how many
 * are not; the sum still covers all of them. Values are written with 3
 * significant digits ("7.39", "0.0041"), grouped from 1,000 ("22,026") and in
 * exponent form from a million ("1.2e+6"). NaN and ±Infinity are labelled
 * gaps. Unlabelled values are named `x[0]`, `x[1]`, ..., as in error
 * messages. The text chart draws bars proportional to the values, negative
 * ones to the left of a `│` zero line (at half-cell resolution: Unicode has
 * no left-growing eighth blocks).
 *
 * @param x One row of values: a number, an array of numbers, a
 * `Float64Array` or a `Float32Array`.
 * @param options Labels, title, maxBars, a Plotly layout, `mark` ("max" or
 * "none") and `summary` ("sum" or "none").
 * @returns A {@linkcode Bars} that displays itself in a notebook.
 * @throws {TypeError} If x is not one row of numbers or an option has the
 * wrong type.
 * @throws {RangeError} If x is empty, the labels do not match it, or an
 * option is out of range.
 *
 * @example The steps of softmax, each as a chart
 * ```ts
 * import { bars, toText } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const labels = ["cat", "dog", "bird"];
 * const logits = bars([-3, 0.5, 4], { labels, summary: "none" });
 * assert.deepEqual(toText(logits).split("\n"), [
 *   "3 values",
 *   "cat   ██████████│                 -3",
 *   "dog             │█▊              0.5",
 *   "bird            │██████████████    4",
 * ]);
 * const exps = bars([2, 1, 0.1].map(Math.exp), { labels, mark: "max" });
 * assert.equal(toText(exps).split("\n").at(-1), "sum 11.2");
 * ```
 */
export function bars(x: Vector, options?: BarsOptions): Bars {
  const fn = "bars";
  // No threshold: a bar chart of values draws none, so none is checked.
  const { threshold: _, mark, summary, ...given } = readOptions<
    Record<string, unknown>
  >(fn, options);
  const { labels, ...rest } = readChartOptions(fn, given);
  const values = Array.from(readVector(fn, x, "value"));
  return new Bars(values, readLabels(fn, labels, values.length), {
    ...rest as Omit<ChartOptions, "threshold">,
    mark: readKeyword(fn, "mark", mark, ["max", "none"], "none"),
    summary: readKeyword(fn, "summary", summary, ["sum", "none"], "sum"),
  });
}
