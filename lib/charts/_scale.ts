// The value axis of a bar chart: probabilities sit on a fixed 0 to 1 axis;
// other values (bars) get an axis fitted to them, 0 included, with round
// ticks, so that negative bars hang from a zero line.

import { formatNumber, formatValue } from "./_format.ts";

/** Where bars start and end, the ticks, and how a value is written. */
export interface Scale {
  /** The bottom of the axis (at most 0). */
  min: number;
  /** The top of the axis (at least 0, greater than min). */
  max: number;
  /** Tick values, ascending, 0 among them. */
  ticks: number[];
  /**
   * A value as written on the chart; `digits` is for probabilities, whose
   * text chart shows 3 decimals where the SVG shows 2.
   */
  format(value: number, digits?: number): string;
}

/** Softmax and sigmoid charts: 0 to 1, ticks at quarters. */
export const PROBABILITY_SCALE: Scale = {
  min: 0,
  max: 1,
  ticks: [0, 0.25, 0.5, 0.75, 1],
  format: formatValue,
};

// d3-array's tick steps (ticks.js, Bostock): 1, 2, 5 or 10 times a power of
// ten, whichever gives the step nearest to span / count.
const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);
const TICKS = 5;

/**
 * An axis for `values`: it spans 0 and every finite value, widened to round
 * ticks as d3's `scale.nice()` does (about 5 of them). NaN and ±Infinity are
 * left out (they are drawn as labelled gaps); no finite value, or only
 * zeros, gives 0 to 1. Spans near the ends of the float range, where a round
 * step would overflow or underflow, keep their exact ends.
 */
export function scaleOf(values: readonly number[]): Scale {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === 0 && hi === 0) hi = 1;
  // Divided before subtracting: the span of ±1e308 would overflow.
  const step = hi / TICKS - lo / TICKS;
  const power = Math.floor(Math.log10(step));
  if (power > -300 && power < 300) {
    const error = step / 10 ** power;
    const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
    // Below 1 the step is used as its inverse, an integer: i / 5 is exact
    // where i * 0.2 is not (d3 does the same).
    const inverse = power < 0 ? 10 ** -power / factor : 0;
    const size = power < 0 ? 0 : 10 ** power * factor;
    const at = (i: number) => (power < 0 ? i / inverse : i * size);
    const first = Math.floor(power < 0 ? lo * inverse : lo / size);
    const last = Math.ceil(power < 0 ? hi * inverse : hi / size);
    if (Number.isFinite(at(first)) && Number.isFinite(at(last))) {
      const ticks: number[] = [];
      for (let i = first; i <= last; i++) ticks.push(at(i) || 0);
      return { min: at(first), max: at(last), ticks, format: formatNumber };
    }
  }
  return {
    min: lo,
    max: hi,
    ticks: lo < 0 && hi > 0 ? [lo, 0, hi] : [lo, hi],
    format: formatNumber,
  };
}

/**
 * Pixels a bar chart needs beyond its plot for the labels written past the
 * ends of the bars: above for bars that reach near the top, below for
 * negative bars that reach near the bottom. `extent(j)` is how far the
 * label of bar j reaches from the bar's end; NaN and ±Infinity have none.
 */
export function labelRoom(
  values: readonly number[],
  scale: Scale,
  plotHeight: number,
  extent: (j: number) => number,
): { above: number; below: number } {
  const { min, max } = scale;
  let above = 0;
  let below = 0;
  values.forEach((v, j) => {
    if (!Number.isFinite(v)) return;
    const at = Math.min(Math.max(v, min), max);
    if (v < 0) {
      below = Math.max(
        below,
        extent(j) - (at - min) / (max - min) * plotHeight,
      );
    } else {
      above = Math.max(
        above,
        extent(j) - (max - at) / (max - min) * plotHeight,
      );
    }
  });
  return { above, below };
}
