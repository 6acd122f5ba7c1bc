import { readLabels, readVector } from "../_input.ts";
import type { Vector } from "../input_types.ts";
import type { Probabilities } from "../probabilities.ts";
import { readChartOptions } from "./_read_options.ts";
import type { ChartOptions } from "./options.ts";
import { sigmoid } from "../sigmoid.ts";
import { softmax } from "../softmax.ts";

/**
 * Sigmoid and softmax of the same logits, made by {@linkcode compare}; in a
 * notebook it displays as the two side by side (grouped bars, threshold
 * line, both sums), and {@linkcode toSVG} and the other renderers draw it.
 */
export class Comparison {
  /** The logits, copied. */
  readonly logits: number[];
  /** Sigmoid of each logit: independent, does not sum to 1. */
  readonly sigmoid: Probabilities<number>;
  /** Softmax of the logits: a probability distribution. */
  readonly softmax: Probabilities<number>;
  /** The chart options given to {@linkcode compare}, without labels. */
  readonly options: Readonly<ChartOptions>;

  /**
   * Made by {@linkcode compare}.
   *
   * @param logits The logits.
   * @param sigmoid Their sigmoid.
   * @param softmax Their softmax.
   * @param options Validated chart options.
   */
  constructor(
    logits: number[],
    sigmoid: Probabilities<number>,
    softmax: Probabilities<number>,
    options: Readonly<ChartOptions>,
  ) {
    this.logits = logits;
    this.sigmoid = sigmoid;
    this.softmax = softmax;
    this.options = options;
  }
}

/**
 * Sigmoid and softmax of the same logits, side by side: the picture that
 * shows why sigmoid is not a probability distribution over classes (its
 * values do not sum to 1, and several can pass the threshold) while softmax
 * is, and how both rank the classes the same way.
 *
 * @param x One row of logits: a number, an array of numbers, a
 * `Float64Array` or a `Float32Array`.
 * @param options Labels, title, threshold (default 0.5), maxBars and a
 * Plotly layout.
 * @returns A {@linkcode Comparison} holding both results; it displays itself
 * in a notebook.
 * @throws {TypeError} If x is not one row of numbers or an option has the
 * wrong type.
 * @throws {RangeError} If x is empty, the labels do not match it, or an
 * option is out of range.
 *
 * @example Every class passes sigmoid's threshold; softmax sums to 1
 * ```ts
 * import { compare, toText } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const c = compare([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
 * assert.equal([...c.sigmoid].filter((p) => p > 0.5).length, 3);
 * assert.equal(c.softmax.argmax(), 0);
 * assert.match(toText(c), /softmax: sum 1\.000/);
 * ```
 */
export function compare(x: Vector, options?: ChartOptions): Comparison {
  const fn = "compare";
  const { labels, ...rest } = readChartOptions(fn, options);
  const data = readVector(fn, x, "logit");
  const n = data.length;
  const names = readLabels(fn, labels, n);
  const given = names === undefined ? {} : { labels: names };
  return new Comparison(
    Array.from(data),
    sigmoid(data, given),
    softmax(data, given),
    rest as ChartOptions,
  );
}
