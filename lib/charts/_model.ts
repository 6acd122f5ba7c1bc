// The chart model: what a chart shows, decided once from a result and its
// options, before any output format. Text, SVG and Plotly renderers draw the
// same model, so they cannot disagree about labels, values, marks or sums.

import { readLabels } from "../_input.ts";
import { rowsOf } from "../_rows.ts";
import { Bars } from "./bars.ts";
import { Chart, readChartable } from "./chart.ts";
import { Comparison } from "./compare.ts";
import type { Probabilities } from "../probabilities.ts";
import { TemperatureExplorer } from "./temperature_explorer.ts";
import {
  classes,
  displayLabel,
  displayTitle,
  formatNumber,
  formatParameter,
  formatValue,
  groupDigits,
  shortSummary,
} from "./_format.ts";
import { BASE, HIGHLIGHT, OTHER, SERIES } from "./_palette.ts";
import {
  type JsonObject,
  mergeOptions,
  readChartOptions,
  type ReadOptions,
} from "./_read_options.ts";
import { PROBABILITY_SCALE, type Scale, scaleOf } from "./_scale.ts";
import { compensatedSum } from "../_sum.ts";
import { type Fold, foldTopK } from "./_top_k.ts";

/** What a bar is marked as: the argmax (softmax, bars with `mark: "max"`), above the threshold (sigmoid), or nothing. */
export type Mark = "argmax" | "predicted" | "";

/** One position on the class axis. */
export interface Category {
  /** The label as shown: sanitised and shortened, not escaped. */
  label: string;
  /** The class index, or -1 for the "other" bar. */
  index: number;
  /** How many classes the bar stands for when it is the "other" bar, else 0. */
  folded: number;
}

/** One set of bars over the categories. */
export interface Series {
  /** "softmax" or "sigmoid" (the legend of a comparison). */
  name: string;
  /** One value per category; NaN is a labelled gap. */
  values: number[];
  /** One mark per category. */
  marks: Mark[];
  /** One colour per category. */
  colors: string[];
  /** The series colour (legend swatch). */
  color: string;
  /** "sum 1.000", or for sigmoid the sum and how many classes pass the threshold; bars: "sum 11.2" or "". */
  summary: string;
}

/** One temperature of the temperature explorer. */
export interface Frame {
  /** The temperature as written ("0.5"): the frame's name and slider label. */
  name: string;
  /** The bars at that temperature. */
  series: Series[];
  /** The subtitle at that temperature. */
  subtitle: string[];
}

interface ModelBase {
  /** The title as shown ("" for none). */
  title: string;
  /** Subtitle lines (a comparison has one per series). */
  subtitle: string[];
  /** A sentence that reads the chart out, for `aria-label`. */
  aria: string;
  /** Where the dashed threshold line goes, if anywhere. */
  threshold: number | undefined;
  /** The user's Plotly layout, merged last. */
  layout: JsonObject | undefined;
}

/** A bar chart: one series, or two grouped (comparison), maybe with frames. */
export interface BarsModel extends ModelBase {
  type: "bars";
  /** The value axis: 0 to 1 for probabilities, fitted to the values of {@linkcode Bars}. */
  scale: Scale;
  categories: Category[];
  series: Series[];
  /** Shown instead of bars when there are none ("no classes"). */
  note: string;
  /** Temperature explorer frames, and the one the static chart shows. */
  frames: Frame[] | undefined;
  activeFrame: number;
}

/** One row of an n-D result in small multiples. */
export interface Panel {
  name: string;
  categories: Category[];
  series: Series[];
}

/** Small multiples: one bar chart per row. */
export interface MultiplesModel extends ModelBase {
  type: "multiples";
  panels: Panel[];
}

/** A heatmap: rows × classes, argmax marked per row. */
export interface HeatmapModel extends ModelBase {
  type: "heatmap";
  rowNames: string[];
  categories: Category[];
  /** cells[row][column]. */
  cells: number[][];
  /** The column of each row's argmax, or -1 (NaN row, or argmax not shown). */
  argmax: number[];
}

/** Everything a renderer draws. */
export type ChartModel = BarsModel | MultiplesModel | HeatmapModel;

/** Bars drawn per chart unless `maxBars` says otherwise. */
export const DEFAULT_MAX_BARS = 20;
/**
 * Classes drawn by comparisons (two bars per class) and temperature
 * explorers (a frame per temperature) unless `maxBars` says otherwise.
 */
export const DEFAULT_MAX_CLASSES_PAIRED = 12;
/**
 * Rows drawn as small multiples; more become a heatmap. Each panel costs
 * about 1.2 KB across the bundle's five copies of the chart (SVG twice,
 * figure twice, text), so more than 6 would break the 30 KB budget.
 */
export const MAX_PANELS = 6;
/** Class bars shared by all panels of small multiples (keeps bundles small). */
export const PANEL_BARS = 16;
/** Heatmap cells drawn at most (rows shown × columns), and rows at most. */
export const HEATMAP_CELLS = 300;
export const HEATMAP_ROWS = 40;

interface RowStats {
  /** First largest entry, or -1 when the row has a NaN. */
  argmax: number;
  sum: number;
  /** Entries strictly above the threshold (0 without one). */
  above: number;
}

function rowStats(
  values: ArrayLike<number>,
  base: number,
  stride: number,
  count: number,
  threshold: number | undefined,
): RowStats {
  let argmax = -1;
  let max = -Infinity;
  let nan = false;
  let above = 0;
  for (let k = 0, j = base; k < count; k++, j += stride) {
    const v = values[j] as number;
    if (v !== v) {
      nan = true;
      continue;
    }
    if (argmax < 0 || v > max) {
      max = v;
      argmax = k;
    }
    if (threshold !== undefined && v > threshold) above++;
  }
  return {
    argmax: nan ? -1 : argmax,
    sum: compensatedSum(values, base, stride, count),
    above,
  };
}

function summaryOf(
  kind: "softmax" | "sigmoid",
  stats: RowStats,
  count: number,
  threshold: number | undefined,
): string {
  if (kind === "softmax") {
    return `sum ${formatValue(stats.sum, 3)}` +
      (threshold === undefined
        ? ""
        : `, ${classes(stats.above)} above ${formatParameter(threshold)}`);
  }
  return `sum ${formatValue(stats.sum, 2)}, ${classes(stats.above)} above ${
    formatParameter(threshold ?? 0.5)
  }` + (count > 1 ? ": not a probability distribution" : "");
}

/** The same classes as `indices`, with the rest summed: for series that follow another's fold. */
function foldAs(
  values: ArrayLike<number>,
  base: number,
  stride: number,
  count: number,
  indices: readonly number[],
  kept: Uint8Array = keptOf(indices, count),
): Fold {
  if (indices.length === count) {
    return { indices: [...indices], otherCount: 0, otherMass: 0 };
  }
  return {
    indices: [...indices],
    otherCount: count - indices.length,
    otherMass: compensatedSum(
      values,
      base,
      stride,
      count,
      (k) => kept[k] === 1,
    ),
  };
}

/** A 0/1 mask of the kept classes. */
function keptOf(indices: readonly number[], count: number): Uint8Array {
  const kept = new Uint8Array(count);
  for (const i of indices) kept[i] = 1;
  return kept;
}

function categoriesOf(
  fold: Fold,
  labels: readonly string[] | undefined,
  unlabelled = (index: number) => `class ${index}`,
): Category[] {
  const out: Category[] = fold.indices.map((index) => ({
    label: labels === undefined
      ? unlabelled(index)
      : displayLabel(labels[index] as string),
    index,
    folded: 0,
  }));
  if (fold.otherCount > 0) {
    out.push({
      label: `other (${classes(fold.otherCount)})`,
      index: -1,
      folded: fold.otherCount,
    });
  }
  return out;
}

/** Bars of one row: marks by kind, colours either highlighted or one series colour. */
function seriesOf(
  kind: "softmax" | "sigmoid",
  values: ArrayLike<number>,
  base: number,
  stride: number,
  count: number,
  fold: Fold,
  threshold: number | undefined,
  color: string | "highlight",
): Series {
  const stats = rowStats(values, base, stride, count, threshold);
  const vals = fold.indices.map((i) => values[base + i * stride] as number);
  const marks: Mark[] = fold.indices.map((i, j) => {
    if (kind === "softmax") return i === stats.argmax ? "argmax" : "";
    return (vals[j] as number) > (threshold ?? 0.5) ? "predicted" : "";
  });
  const colors = marks.map((m) =>
    color === "highlight" ? (m === "" ? BASE : HIGHLIGHT) : color
  );
  if (fold.otherCount > 0) {
    vals.push(fold.otherMass);
    marks.push("");
    colors.push(color === "highlight" ? OTHER : color);
  }
  return {
    name: kind,
    values: vals,
    marks,
    colors,
    color: color === "highlight" ? BASE : color,
    summary: summaryOf(kind, stats, count, threshold),
  };
}

function markText(mark: Mark, threshold: number | undefined): string {
  if (mark === "argmax") return " (argmax)";
  if (mark === "predicted") {
    return ` (above ${formatParameter(threshold ?? 0.5)})`;
  }
  return "";
}

function readout(
  categories: readonly Category[],
  series: Series,
  threshold: number | undefined,
  format: Scale["format"] = formatValue,
): string {
  return categories.map((c, j) =>
    `${c.label} ${format(series.values[j] as number)}${
      markText(series.marks[j] ?? "", threshold)
    }`
  ).join(", ");
}

/**
 * One row of small multiples read out briefly: its argmax (softmax), or how
 * many classes pass the threshold and the highest (sigmoid).
 */
function rowReadout(panel: Panel, kind: "softmax" | "sigmoid"): string {
  const s = panel.series[0] as Series;
  const top = s.marks.indexOf("argmax");
  if (kind === "softmax") {
    return top < 0
      ? `${panel.name}: no argmax`
      : `${panel.name}: argmax ${(panel.categories[top] as Category).label} ${
        formatValue(s.values[top] as number)
      }`;
  }
  let first = -1;
  panel.categories.forEach((c, j) => {
    const v = s.values[j] as number;
    if (
      c.index >= 0 && v === v && (first < 0 || v > (s.values[first] as number))
    ) {
      first = j;
    }
  });
  const best = first < 0
    ? ""
    : `, highest ${(panel.categories[first] as Category).label} ${
      formatValue(s.values[first] as number)
    }`;
  return `${panel.name}: ${shortSummary(s.summary)}${best}`;
}

/**
 * A heatmap read out by how often each class is the argmax: "argmax cat in
 * 23 rows, dog in 17 rows" (bounded by the columns, not the rows). `folded`
 * of the rows without a column (-1) have their argmax in a class summed as
 * other ("another class"); the rest are NaN rows ("none").
 */
function heatmapReadout(
  rowNames: readonly string[],
  categories: readonly Category[],
  argmax: readonly number[],
  folded: number,
): string {
  const rows = (k: number) => `${k} ${k === 1 ? "row" : "rows"}`;
  const counts = new Map<number, number>();
  for (const c of argmax) counts.set(c, (counts.get(c) ?? 0) + 1);
  const parts = [...counts].filter(([c]) => c >= 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([c, k]) => `${(categories[c] as Category).label} in ${rows(k)}`);
  const none = (counts.get(-1) ?? 0) - folded;
  if (folded > 0) parts.push(`another class in ${rows(folded)}`);
  if (none > 0) parts.push(`none in ${rows(none)}`);
  return `${rowNames.length} rows shown, argmax ${parts.join(", ")}`;
}

/** How a row of an n-D result is named: "row 3", "column 2", "[1, :, 0]". */
function rowName(shape: readonly number[], axis: number, row: number): string {
  if (shape.length === 2) return `${axis === 1 ? "row" : "column"} ${row}`;
  const dims = shape.filter((_, d) => d !== axis);
  const index: string[] = [];
  let rest = row;
  for (let d = dims.length - 1; d >= 0; d--) {
    const n = dims[d] as number;
    index.unshift(String(rest % n));
    rest = Math.floor(rest / n);
  }
  index.splice(axis, 0, ":");
  return `[${index.join(", ")}]`;
}

function titleOf(options: ReadOptions, described: string): string {
  return options.title === undefined ? described : displayTitle(options.title);
}

/** The start of the aria-label: the title if custom, then what the chart is. */
function ariaPrefix(options: ReadOptions, described: string): string {
  const title = options.title === undefined
    ? ""
    : displayTitle(options.title).trim();
  return title === "" ? described : `${title}, ${described}`;
}

function probabilitiesModel(
  fn: string,
  p: Probabilities,
  o: ReadOptions,
): ChartModel {
  const { shape, axis, values, kind } = p;
  const { outer, length: count, inner } = rowsOf(shape, axis);
  const rowCount = outer * inner;
  const labels = readLabels(fn, o.labels, count) ?? p.labels;
  const threshold = o.threshold ?? (kind === "sigmoid" ? 0.5 : undefined);
  const maxBars = o.maxBars ?? DEFAULT_MAX_BARS;
  const many = rowCount !== 1;
  const described = `${kind} over ${classes(count)}` +
    (many
      ? `, ${groupDigits(rowCount)} ${rowCount === 1 ? "row" : "rows"}`
      : "");
  const title = titleOf(o, described);
  const prefix = ariaPrefix(o, described);
  const common = { title, threshold, layout: o.layout };
  const oneChart = {
    scale: PROBABILITY_SCALE,
    frames: undefined,
    activeFrame: 0,
  };

  if (count === 0 || rowCount === 0) {
    const note = count === 0 ? "no classes" : "no rows";
    return {
      type: "bars",
      ...common,
      subtitle: [],
      aria: `${prefix}: ${note}`,
      categories: [],
      series: [],
      note,
      ...oneChart,
    };
  }
  const baseOf = (r: number) =>
    Math.floor(r / inner) * count * inner + (r % inner);

  if (rowCount === 1) {
    const fold = foldTopK(values, 0, inner, count, maxBars);
    const categories = categoriesOf(fold, labels);
    const series = seriesOf(
      kind,
      values,
      0,
      inner,
      count,
      fold,
      threshold,
      "highlight",
    );
    return {
      type: "bars",
      ...common,
      subtitle: [series.summary],
      aria: `${prefix}: ${
        readout(categories, series, threshold)
      }; ${series.summary}`,
      categories,
      series: [series],
      note: "",
      ...oneChart,
    };
  }

  if (rowCount <= MAX_PANELS) {
    const perPanel = Math.min(
      maxBars,
      Math.max(1, Math.floor(PANEL_BARS / rowCount)),
    );
    const panels: Panel[] = [];
    for (let r = 0; r < rowCount; r++) {
      const base = baseOf(r);
      const fold = foldTopK(values, base, inner, count, perPanel);
      panels.push({
        name: rowName(shape, axis, r),
        categories: categoriesOf(fold, labels),
        series: [
          seriesOf(
            kind,
            values,
            base,
            inner,
            count,
            fold,
            threshold,
            "highlight",
          ),
        ],
      });
    }
    const marked = kind === "softmax"
      ? "argmax marked"
      : `bars above ${
        formatParameter(threshold ?? 0.5)
      } marked: rows are not probability distributions`;
    const folded = perPanel < count
      ? `, top ${perPanel} of ${classes(count)} per row`
      : "";
    return {
      type: "multiples",
      ...common,
      subtitle: [`one panel per row${folded}, ${marked}`],
      aria: `${prefix}: ` + panels.map((panel) => rowReadout(panel, kind))
        .join("; "),
      panels,
    };
  }

  // Heatmap: the first rows (as many as the cell budget allows), and the
  // columns that matter for them: each row's argmax, then the largest total.
  const columns = count <= maxBars ? count : maxBars + 1;
  const shown = Math.min(
    rowCount,
    HEATMAP_ROWS,
    Math.max(2 * MAX_PANELS, Math.floor(HEATMAP_CELLS / columns)),
  );
  const stats = Array.from(
    { length: shown },
    (_, r) => rowStats(values, baseOf(r), inner, count, undefined),
  );
  let indices: number[];
  if (count <= maxBars) {
    indices = Array.from({ length: count }, (_, i) => i);
  } else {
    const chosen = new Set<number>();
    for (const s of stats) {
      if (s.argmax >= 0 && chosen.size < maxBars) chosen.add(s.argmax);
    }
    if (chosen.size < maxBars) {
      const mass = new Float64Array(count);
      for (let r = 0; r < shown; r++) {
        for (let k = 0, j = baseOf(r); k < count; k++, j += inner) {
          const v = values[j] as number;
          if (v === v) mass[k] = (mass[k] as number) + v;
        }
      }
      for (const i of chosen) mass[i] = NaN; // ranks last: not picked twice
      const top = foldTopK(mass, 0, 1, count, maxBars - chosen.size);
      for (const i of top.indices) chosen.add(i);
    }
    indices = [...chosen].sort((a, b) => a - b);
  }
  const rowNames: string[] = [];
  const cells: number[][] = [];
  const argmax: number[] = [];
  let folded = 0;
  let fold: Fold = { indices, otherCount: 0, otherMass: 0 };
  const kept = keptOf(indices, count);
  for (let r = 0; r < shown; r++) {
    const base = baseOf(r);
    fold = foldAs(values, base, inner, count, indices, kept);
    const row = indices.map((i) => values[base + i * inner] as number);
    if (fold.otherCount > 0) row.push(fold.otherMass);
    rowNames.push(rowName(shape, axis, r));
    cells.push(row);
    const top = (stats[r] as RowStats).argmax;
    argmax.push(indices.indexOf(top));
    if (top >= 0 && kept[top] !== 1) folded++;
  }
  const categories = categoriesOf(fold, labels);
  const notes = ["argmax marked in each row"];
  if (shown < rowCount) {
    notes.push(
      `first ${groupDigits(shown)} of ${groupDigits(rowCount)} rows shown`,
    );
  }
  if (indices.length < count) {
    notes.push(
      `${groupDigits(indices.length)} of ${
        classes(count)
      } shown, the rest summed as other`,
    );
  }
  return {
    type: "heatmap",
    ...common,
    threshold: undefined,
    subtitle: [notes.join("; ")],
    aria: `${prefix}: ${heatmapReadout(rowNames, categories, argmax, folded)}` +
      (shown < rowCount ? `; ${notes[1]}` : ""),
    rowNames,
    categories,
    cells,
    argmax,
  };
}

function compareModel(fn: string, c: Comparison, o: ReadOptions): BarsModel {
  const n = c.logits.length;
  const labels = readLabels(fn, o.labels, n) ?? c.softmax.labels;
  const threshold = o.threshold ?? 0.5;
  const fold = foldTopK(
    c.softmax.values,
    0,
    1,
    n,
    o.maxBars ?? DEFAULT_MAX_CLASSES_PAIRED,
  );
  const categories = categoriesOf(fold, labels);
  const sig = seriesOf(
    "sigmoid",
    c.sigmoid.values,
    0,
    1,
    n,
    foldAs(c.sigmoid.values, 0, 1, n, fold.indices),
    threshold,
    SERIES.sigmoid,
  );
  const soft = seriesOf(
    "softmax",
    c.softmax.values,
    0,
    1,
    n,
    fold,
    undefined,
    SERIES.softmax,
  );
  const described = `sigmoid and softmax over ${classes(n)}`;
  const subtitle = [`sigmoid: ${sig.summary}`, `softmax: ${soft.summary}`];
  const pairs = categories.map((cat, j) =>
    `${cat.label}: sigmoid ${formatValue(sig.values[j] as number)}${
      markText(sig.marks[j] ?? "", threshold)
    }, softmax ${formatValue(soft.values[j] as number)}${
      markText(soft.marks[j] ?? "", threshold)
    }`
  );
  return {
    type: "bars",
    title: titleOf(o, described),
    subtitle,
    aria: `${ariaPrefix(o, described)}: ${pairs.join("; ")}; ${
      subtitle.join("; ")
    }`,
    threshold,
    layout: o.layout,
    scale: PROBABILITY_SCALE,
    categories,
    series: [sig, soft],
    note: "",
    frames: undefined,
    activeFrame: 0,
  };
}

function explorerModel(
  fn: string,
  e: TemperatureExplorer,
  o: ReadOptions,
): BarsModel {
  const n = e.logits.length;
  const first = e.frames[0] as Probabilities<number>;
  const labels = readLabels(fn, o.labels, n) ?? first.labels;
  const threshold = o.threshold;
  const active = Math.max(0, e.temperatures.indexOf(1));
  const atOne = (e.frames[active] as Probabilities<number>).values;
  const fold = foldTopK(
    atOne,
    0,
    1,
    n,
    o.maxBars ?? DEFAULT_MAX_CLASSES_PAIRED,
  );
  const categories = categoriesOf(fold, labels);
  const frames: Frame[] = e.temperatures.map((t, f) => {
    const values = (e.frames[f] as Probabilities<number>).values;
    const series = seriesOf(
      "softmax",
      values,
      0,
      1,
      n,
      foldAs(values, 0, 1, n, fold.indices),
      threshold,
      "highlight",
    );
    return {
      name: formatParameter(t),
      series: [series],
      subtitle: [`temperature ${formatParameter(t)}: ${series.summary}`],
    };
  });
  const shownFrame = frames[active] as Frame;
  const ts = e.temperatures;
  const range = ts.length > 1
    ? `; the interactive chart has a slider from ${
      formatParameter(ts[0] as number)
    } to ${formatParameter(ts[ts.length - 1] as number)}`
    : "";
  const subtitle = [`${shownFrame.subtitle[0]}${range}`];
  const described = `softmax over ${classes(n)} by temperature`;
  return {
    type: "bars",
    title: titleOf(o, described),
    subtitle,
    aria: `${ariaPrefix(o, described)}: ${
      readout(categories, shownFrame.series[0] as Series, threshold)
    }; ${subtitle[0]}`,
    threshold,
    layout: o.layout,
    scale: PROBABILITY_SCALE,
    categories,
    series: shownFrame.series,
    note: "",
    frames,
    activeFrame: active,
  };
}

/**
 * Bars of any values: in their order (values are not ranked, so past
 * maxBars the first ones are drawn and a note says how many are not), on an
 * axis fitted to them, the largest marked only when asked for.
 */
function barsModel(fn: string, b: Bars, o: ReadOptions): BarsModel {
  const { mark = "none", summary = "sum" } = b.options;
  const { values } = b;
  const n = values.length;
  const labels = readLabels(fn, o.labels, n) ?? b.labels;
  const shown = Math.min(n, o.maxBars ?? DEFAULT_MAX_BARS);
  const indices = Array.from({ length: shown }, (_, i) => i);
  const categories = categoriesOf(
    { indices, otherCount: 0, otherMass: 0 },
    labels,
    (i) => `x[${i}]`,
  );
  const stats = rowStats(values, 0, 1, n, undefined);
  const marks: Mark[] = indices.map((i) =>
    mark === "max" && i === stats.argmax ? "argmax" : ""
  );
  const series: Series = {
    name: "values",
    values: values.slice(0, shown),
    marks,
    colors: marks.map((m) => (m === "" ? BASE : HIGHLIGHT)),
    color: BASE,
    summary: summary === "sum" ? `sum ${formatNumber(stats.sum)}` : "",
  };
  const subtitle = [series.summary];
  if (shown < n) {
    subtitle.push(
      `first ${groupDigits(shown)} of ${groupDigits(n)} values shown`,
    );
  }
  const lines = subtitle.filter((line) => line !== "");
  const described = `${groupDigits(n)} ${n === 1 ? "value" : "values"}`;
  const scale = scaleOf(series.values);
  return {
    type: "bars",
    title: titleOf(o, described),
    subtitle: lines,
    aria: [
      `${ariaPrefix(o, described)}: ${
        readout(categories, series, undefined, scale.format)
      }`,
      ...lines,
    ].join("; "),
    threshold: undefined,
    layout: o.layout,
    scale,
    categories,
    series: [series],
    note: "",
    frames: undefined,
    activeFrame: 0,
  };
}

/**
 * The model of a chart, for a public function `fn`: validates the result
 * and options (options given here override a chart's own, key by key).
 */
export function modelOf(
  fn: string,
  value: unknown,
  options: unknown,
): ChartModel {
  const target = readChartable(fn, value);
  let o = readChartOptions(fn, options);
  let result = target;
  if (result instanceof Chart) {
    o = mergeOptions(result.options as ReadOptions, o);
    result = result.result;
  }
  if (result instanceof Comparison) {
    return compareModel(
      fn,
      result,
      mergeOptions(result.options as ReadOptions, o),
    );
  }
  if (result instanceof TemperatureExplorer) {
    return explorerModel(
      fn,
      result,
      mergeOptions(result.options as ReadOptions, o),
    );
  }
  if (result instanceof Bars) {
    return barsModel(
      fn,
      result,
      mergeOptions(result.options as ReadOptions, o),
    );
  }
  return probabilitiesModel(fn, result, o);
}
