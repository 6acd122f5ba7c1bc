import { describe, readLabels, readOptions, readVector } from "../_input.ts";
import type { Vector } from "../input_types.ts";
import type { Probabilities } from "../probabilities.ts";
import { readChartOptions } from "./_read_options.ts";
import type { ChartOptions } from "./options.ts";
import { softmax } from "../softmax.ts";

/** Options for {@linkcode temperatureExplorer}. */
export interface TemperatureExplorerOptions extends ChartOptions {
  /**
   * The temperatures the slider steps through, each finite and greater than
   * 0, at most 25 of them; 1 is always added, since the static chart shows
   * T = 1. Sorted, duplicates dropped.
   *
   * @default {[0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10]}
   */
  temperatures?: readonly number[];
}

/**
 * Softmax of the same logits at several temperatures, made by
 * {@linkcode temperatureExplorer}. In a notebook it displays as a Plotly
 * chart with a temperature slider; its SVG and text show T = 1.
 */
export class TemperatureExplorer {
  /** The logits, copied. */
  readonly logits: number[];
  /** The temperatures, ascending, including 1. */
  readonly temperatures: number[];
  /** softmax(logits / T) for each temperature, in the same order. */
  readonly frames: Probabilities<number>[];
  /** The chart options given, without labels and temperatures. */
  readonly options: Readonly<ChartOptions>;

  /**
   * Made by {@linkcode temperatureExplorer}.
   *
   * @param logits The logits.
   * @param temperatures The temperatures, ascending, including 1.
   * @param frames Softmax at each temperature.
   * @param options Validated chart options.
   */
  constructor(
    logits: number[],
    temperatures: number[],
    frames: Probabilities<number>[],
    options: Readonly<ChartOptions>,
  ) {
    this.logits = logits;
    this.temperatures = temperatures;
    this.frames = frames;
    this.options = options;
  }
}

/** Default temperatures: a roughly geometric sweep from sharp to flat. */
const TEMPERATURES = [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10];
const MAX_TEMPERATURES = 25;

function readTemperatures(fn: string, value: unknown): number[] {
  if (value === undefined) return [...TEMPERATURES];
  if (!Array.isArray(value)) {
    throw new TypeError(
      `${fn}: options.temperatures is ${
        describe(value)
      }, expected an array of numbers`,
    );
  }
  if (value.length === 0 || value.length > MAX_TEMPERATURES) {
    throw new RangeError(
      `${fn}: options.temperatures has ${value.length} entries, expected 1 to ${MAX_TEMPERATURES}`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const t: unknown = value[i];
    if (typeof t !== "number") {
      throw new TypeError(
        `${fn}: options.temperatures[${i}] is ${
          i in value ? describe(t) : "a hole in a sparse array"
        }, expected a number`,
      );
    }
    if (!(t > 0 && t < Infinity)) {
      throw new RangeError(
        `${fn}: options.temperatures[${i}] is ${t}, expected a finite number greater than 0`,
      );
    }
  }
  return [...new Set([...value as number[], 1])].sort((a, b) => a - b);
}

/**
 * A softmax chart with a temperature slider: dividing logits by T < 1
 * sharpens the distribution towards the argmax, T > 1 flattens it towards
 * uniform, and the argmax never changes. The Plotly figure animates between
 * temperatures; its static SVG and text charts show T = 1.
 *
 * @param x One row of logits: a number, an array of numbers, a
 * `Float64Array` or a `Float32Array`.
 * @param options Temperatures, labels, title, threshold, maxBars and a
 * Plotly layout.
 * @returns A {@linkcode TemperatureExplorer} holding softmax at each
 * temperature; it displays itself in a notebook.
 * @throws {TypeError} If x is not one row of numbers or an option has the
 * wrong type.
 * @throws {RangeError} If x is empty, a temperature is not finite and
 * positive, there are more than 25 temperatures, or an option is out of
 * range.
 *
 * @example Lower temperatures sharpen the distribution
 * ```ts
 * import { temperatureExplorer } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const e = temperatureExplorer([2, 1, 0.1], { temperatures: [0.5, 2] });
 * assert.deepEqual(e.temperatures, [0.5, 1, 2]);
 * const [sharp, plain, flat] = e.frames.map((p) => p[0] ?? NaN);
 * assert.ok(sharp! > plain! && plain! > flat!);
 * ```
 */
export function temperatureExplorer(
  x: Vector,
  options?: TemperatureExplorerOptions,
): TemperatureExplorer {
  const fn = "temperatureExplorer";
  const { temperatures } = readOptions<{ temperatures?: unknown }>(
    fn,
    options,
  );
  const { labels, ...rest } = readChartOptions(fn, options);
  const ts = readTemperatures(fn, temperatures);
  const data = readVector(fn, x, "logit");
  const n = data.length;
  const names = readLabels(fn, labels, n);
  const given = names === undefined ? {} : { labels: names };
  return new TemperatureExplorer(
    Array.from(data),
    ts,
    ts.map((temperature) => softmax(data, { ...given, temperature })),
    rest as ChartOptions,
  );
}
