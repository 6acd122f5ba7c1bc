import type { Chartable } from "../chart.ts";
import { modelOf } from "../_model.ts";
import { textOf } from "./_text.ts";
import type { ChartOptions } from "../options.ts";

/**
 * The chart as Unicode text, one line per class: label, bar (24 columns at
 * eighth-block resolution, `┊` where the threshold is), value, and a mark
 * (`argmax`, or `✓` above the threshold); then the subtitle line with the
 * sum (and for sigmoid how many classes pass the threshold). Bars of any
 * values ({@linkcode bars}) fill the 24 columns at the top of their axis,
 * negative ones growing left of a `│` zero line. No ANSI codes.
 * It is what `console.log(result)` prints and a notebook's `text/plain`.
 *
 * @param result A softmax or sigmoid result, a {@linkcode Comparison}, a
 * {@linkcode TemperatureExplorer}, {@linkcode Bars}, or a {@linkcode Chart}.
 * @param options Title, labels, threshold and maxBars.
 * @returns Lines joined by "\n", without a trailing newline.
 * @throws {TypeError} If result is not one of those or an option has the
 * wrong type.
 * @throws {RangeError} If an option is out of range or the labels do not
 * match the classes.
 *
 * @example A bar chart in the terminal
 * ```ts
 * import { sigmoid, toText } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const lines = toText(sigmoid([2, 1, -1], { labels: ["a", "b", "c"] })).split("\n");
 * assert.equal(lines[0], "sigmoid over 3 classes");
 * assert.equal(lines[1], "a  █████████████████████▏    0.881  ✓");
 * assert.equal(lines[4], "sum 1.88, 2 classes above 0.5: not a probability distribution");
 * ```
 */
export function toText(result: Chartable, options?: ChartOptions): string {
  return textOf(modelOf("toText", result, options));
}
