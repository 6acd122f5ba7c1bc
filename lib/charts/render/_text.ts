// The text chart: Unicode bars with eighth-block resolution, for terminals
// (console.log under `deno run`) and `text/plain` in notebooks. No ANSI
// codes: it must read the same in a log file.

import { columns, formatValue, padEnd, padStart } from "../_format.ts";
import type {
  BarsModel,
  Category,
  ChartModel,
  HeatmapModel,
  Mark,
  MultiplesModel,
  Series,
} from "../_model.ts";
import { PROBABILITY_SCALE, type Scale } from "../_scale.ts";

/** Terminal columns of a bar at value 1 (at the top of the value axis). */
export const BAR_CELLS = 24;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
const THRESHOLD_MARK = "┊";
/** The zero line, drawn when the axis has negative values. */
const ZERO = "│";
const SPARK = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * A bar of exactly BAR_CELLS columns (one more with a zero line); the
 * threshold shows where the bar does not reach it. Negative values grow
 * left of the zero line in half cells: Unicode's partial blocks that grow
 * from the right stop at ▐ and ▕.
 */
function bar(
  value: number,
  threshold: number | undefined,
  scale: Scale,
): string {
  const { min, max } = scale;
  const negative = min < 0 ? Math.round((BAR_CELLS * -min) / (max - min)) : 0;
  const positive = BAR_CELLS - negative;
  const cells: string[] = new Array(positive).fill(" ");
  if (value > 0 && value < Infinity) {
    const eighths = Math.round(Math.min(value / max, 1) * positive * 8);
    const full = Math.floor(eighths / 8);
    for (let i = 0; i < full; i++) cells[i] = "█";
    if (eighths % 8 > 0) cells[full] = EIGHTHS[eighths % 8] as string;
  }
  if (threshold !== undefined) {
    const at = Math.min(BAR_CELLS - 1, Math.floor(threshold * BAR_CELLS));
    if (cells[at] === " ") cells[at] = THRESHOLD_MARK;
  }
  if (negative === 0) return cells.join("");
  const halves = value < 0 && value > -Infinity
    ? Math.round(Math.min(value / min, 1) * negative * 2)
    : 0;
  const left = (halves % 2 ? "▐" : "") + "█".repeat(Math.floor(halves / 2));
  return left.padStart(negative) + ZERO + cells.join("");
}

function markText(mark: Mark): string {
  return mark === "argmax" ? "  argmax" : mark === "predicted" ? "  ✓" : "";
}

/** Lines `label  bar  value  mark` for one or more series, labels and values aligned. */
function barLines(
  categories: readonly Category[],
  series: readonly Series[],
  threshold: number | undefined,
  indent: string,
  scale = PROBABILITY_SCALE,
): string[] {
  const labelWidth = Math.max(0, ...categories.map((c) => columns(c.label)));
  const named = series.length > 1;
  const nameWidth = named ? Math.max(...series.map((s) => s.name.length)) : 0;
  const values = series.map((s) => s.values.map((v) => scale.format(v, 3)));
  const valueWidth = Math.max(0, ...values.flat().map((v) => v.length));
  const lines: string[] = [];
  categories.forEach((c, j) => {
    series.forEach((s, k) => {
      const label = padEnd(k === 0 ? c.label : "", labelWidth);
      const name = named ? `  ${s.name.padEnd(nameWidth)}` : "";
      const value = padStart((values[k] as string[])[j] as string, valueWidth);
      lines.push(
        `${indent}${label}${name}  ${
          bar(s.values[j] as number, threshold, scale)
        }  ${value}${markText(s.marks[j] ?? "")}`.trimEnd(),
      );
    });
  });
  return lines;
}

function barsText(model: BarsModel): string[] {
  if (model.categories.length === 0) return [`(${model.note})`];
  return barLines(
    model.categories,
    model.series,
    model.threshold,
    "",
    model.scale,
  );
}

function multiplesText(model: MultiplesModel): string[] {
  const lines: string[] = [];
  for (const panel of model.panels) {
    const series = panel.series[0] as Series;
    lines.push(`${panel.name}: ${series.summary}`);
    lines.push(
      ...barLines(panel.categories, panel.series, model.threshold, "  "),
    );
  }
  return lines;
}

function heatmapText(model: HeatmapModel): string[] {
  const nameWidth = Math.max(...model.rowNames.map((n) => columns(n)));
  const lines = [
    `columns: ${model.categories.map((c) => c.label).join(", ")}`,
    "shade: ▁ to █ is 0 to 1, · is NaN",
  ];
  model.rowNames.forEach((name, r) => {
    const row = model.cells[r] as number[];
    const spark = row.map((v) =>
      v === v ? SPARK[Math.round(Math.min(Math.max(v, 0), 1) * 8)] : "·"
    ).join("");
    const c = model.argmax[r] as number;
    const argmax = c < 0
      ? ""
      : `  argmax ${(model.categories[c] as Category).label} ${
        formatValue(row[c] as number, 3)
      }`;
    lines.push(`${padEnd(name, nameWidth)}  ${spark}${argmax}`.trimEnd());
  });
  return lines;
}

/** The text chart of a model: title, one line per bar, subtitle lines. */
export function textOf(model: ChartModel): string {
  const body = model.type === "bars"
    ? barsText(model)
    : model.type === "multiples"
    ? multiplesText(model)
    : heatmapText(model);
  const lines = model.title === "" ? [] : [model.title];
  lines.push(...body, ...model.subtitle);
  return lines.join("\n");
}
