// The static chart: a standalone SVG document that is also inlined, byte for
// byte, in the HTML fragment (visible without scripts). No ids (two copies of
// one chart may share a page), explicit colours on a white card (readable on
// light and dark themes), role="img" with a <title> and an aria-label that
// reads the values out. Text positions come from estimated text widths.
//
// Markup is collected by layer (grid, bars, values, labels...) and each layer
// is one group for all panels: presentation attributes are written once, which
// keeps small multiples within the bundle budget.

import { escapeXml } from "../_escape.ts";
import {
  BOLD_WIDTH,
  formatNumber,
  formatParameter,
  px,
  shortSummary,
  textWidth,
} from "../_format.ts";
import type {
  BarsModel,
  Category,
  ChartModel,
  HeatmapModel,
  Mark,
  MultiplesModel,
  Series,
} from "../_model.ts";
import {
  AXIS,
  BACKGROUND,
  BORDER,
  FONT,
  GRID,
  HEAT,
  HIGHLIGHT,
  INK,
  MISSING,
  MUTED,
  THRESHOLD,
} from "../_palette.ts";
import { labelRoom, PROBABILITY_SCALE, type Scale } from "../_scale.ts";

const MIN_WIDTH = 640;
const PAD = 16;
const TITLE_SIZE = 15;
const SUBTITLE_SIZE = 12;
const TICK_SIZE = 11;
const VALUE_SIZE = 10;
const MARK_SIZE = 11;
const COS45 = Math.SQRT1_2;
/** Values of negative bars, written downwards from below the bar. */
const END = " text-anchor='end'";

// Attributes are single-quoted: the SVG travels inside JSON (the notebook
// bundle), where every double quote would cost an escape. escapeXml escapes
// both quote characters, so either kind is safe.

/** Whole pixels for text positions: sub-pixel precision buys nothing there. */
const ip = (v: number) => String(Math.round(v) || 0);

/**
 * Coordinates inside `<g transform="rotate(-45)">` (or -90) that land on
 * (x, y). rotate(θ) maps (u, v) to (u cos θ - v sin θ, u sin θ + v cos θ).
 */
function unrotate(x: number, y: number, degrees: -45 | -90): [number, number] {
  return degrees === -90 ? [-y, x] : [(x - y) * COS45, (x + y) * COS45];
}

function text(x: number, y: number, content: string, extra = ""): string {
  return `<text x='${ip(x)}' y='${ip(y)}'${extra}>${escapeXml(content)}</text>`;
}

function markLabel(mark: Mark): string {
  return mark === "argmax" ? "argmax" : mark === "predicted" ? "✓" : "";
}

/** Markup by layer; `render` writes each non-empty layer as one group. */
class Layers {
  grid: string[] = [];
  axis: string[] = [];
  yTicks: string[] = [];
  bars: string[] = [];
  values: string[] = [];
  valuesUp: string[] = [];
  marks: string[] = [];
  marksUp: string[] = [];
  gaps: string[] = [];
  labels: string[] = [];
  labelsSlanted: string[] = [];
  thresholds: string[] = [];
  thresholdLabels: string[] = [];
  panelTitles: string[] = [];
  panelSummaries: string[] = [];
  notes: string[] = [];

  render(fill: string): string {
    const g = (items: string[], attrs: string) =>
      items.length === 0 ? "" : `<g ${attrs}>${items.join("")}</g>`;
    const path = (items: string[], attrs: string) =>
      items.length === 0 ? "" : `<path ${attrs} d='${items.join("")}'/>`;
    return [
      path(this.grid, `class='grid' stroke='${GRID}'`),
      path(this.axis, `class='axis' stroke='${AXIS}'`),
      g(
        this.yTicks,
        `class='y-ticks' font-size='${TICK_SIZE}' fill='${MUTED}' text-anchor='end'`,
      ),
      g(
        this.panelTitles,
        `class='panel-titles' font-size='12' font-weight='600' fill='${INK}'`,
      ),
      g(
        this.panelSummaries,
        `class='panel-summaries' font-size='11' fill='${MUTED}'`,
      ),
      g(this.bars, `class='bars' fill='${fill}'`),
      path(
        this.thresholds,
        `class='threshold' stroke='${THRESHOLD}' stroke-width='1.5' stroke-dasharray='6 4'`,
      ),
      g(
        this.thresholdLabels,
        `class='threshold-label' font-size='${TICK_SIZE}' fill='${THRESHOLD}'`,
      ),
      g(
        this.values,
        `class='values' font-size='${VALUE_SIZE}' fill='${INK}' text-anchor='middle'`,
      ),
      g(
        this.valuesUp,
        `class='values' font-size='${VALUE_SIZE}' fill='${INK}' transform='rotate(-90)'`,
      ),
      g(
        this.marks,
        `class='marks' font-size='${MARK_SIZE}' font-weight='600' fill='${HIGHLIGHT}' text-anchor='middle'`,
      ),
      g(
        this.marksUp,
        `class='marks' font-size='${VALUE_SIZE}' font-weight='600' fill='${HIGHLIGHT}' transform='rotate(-90)'`,
      ),
      g(
        this.gaps,
        `class='gaps' font-size='${VALUE_SIZE}' fill='${MUTED}' text-anchor='middle'`,
      ),
      g(
        this.labels,
        `class='labels' font-size='${TICK_SIZE}' fill='${INK}' text-anchor='middle'`,
      ),
      g(
        this.labelsSlanted,
        `class='labels' font-size='${TICK_SIZE}' fill='${INK}' text-anchor='end' transform='rotate(-45)'`,
      ),
      g(
        this.notes,
        `class='note' font-size='13' fill='${MUTED}' text-anchor='middle'`,
      ),
    ].join("");
  }
}

/** Title and subtitle lines (with legend swatches for a comparison). */
function header(
  model: ChartModel,
  swatches: readonly string[] | undefined,
): { markup: string; bottom: number; width: number } {
  const parts: string[] = [];
  let y = 0;
  let width = 0;
  if (model.title !== "") {
    y = 26;
    parts.push(
      text(
        PAD,
        y,
        model.title,
        ` class='title' font-size='${TITLE_SIZE}' font-weight='600' fill='${INK}'`,
      ),
    );
    width = textWidth(model.title, TITLE_SIZE) * BOLD_WIDTH + 2 * PAD;
  }
  model.subtitle.forEach((line, i) => {
    y += y === 0 ? 24 : 19;
    const swatch = swatches?.[i];
    const x = swatch === undefined ? PAD : PAD + 16;
    if (swatch !== undefined) {
      parts.push(
        `<rect class='swatch' x='${PAD}' y='${
          y - 10
        }' width='11' height='11' fill='${swatch}'/>`,
      );
    }
    parts.push(
      text(
        x,
        y,
        line,
        ` class='subtitle' font-size='${SUBTITLE_SIZE}' fill='${MUTED}'`,
      ),
    );
    width = Math.max(width, x + textWidth(line, SUBTITLE_SIZE) + PAD);
  });
  return { markup: parts.join(""), bottom: y, width };
}

interface BarPanel {
  categories: readonly Category[];
  series: readonly Series[];
  scale: Scale;
  threshold: number | undefined;
  /** Draw "threshold 0.5" in the right margin (single charts). */
  thresholdLabel: boolean;
  plotHeight: number;
  note: string;
}

interface PanelSize {
  left: number;
  plotWidth: number;
  top: number;
  /** Room under the plot for the values of negative bars (above the labels). */
  below: number;
  bottom: number;
  rotate: boolean;
  vertical: boolean;
  width: number;
  height: number;
}

/** Lays out one bar panel: margins that fit the labels, the values above the bars and the threshold label. */
function sizePanel(panel: BarPanel, minWidth: number): PanelSize {
  const { categories, series, plotHeight, scale } = panel;
  const n = Math.max(categories.length, 1);
  const grouped = series.length > 1;
  const right = panel.threshold === undefined || !panel.thresholdLabel
    ? PAD
    : textWidth(`threshold ${formatParameter(panel.threshold)}`, TICK_SIZE) +
      20;
  const ticks = scale.ticks.map((t) => textWidth(formatNumber(t), TICK_SIZE));
  let left = Math.max(40, Math.ceil(Math.max(...ticks)) + 12);
  const slotMin = grouped ? 44 : 26;
  let plotWidth = Math.max(minWidth - left - right, n * slotMin);
  const labelWidths = categories.map((c) => textWidth(c.label, TICK_SIZE));
  const widest = Math.max(0, ...labelWidths);
  let slot = plotWidth / n;
  const rotate = widest > slot - 6;
  if (rotate) {
    // A label rotated by -45° reaches left of its bar by width · cos 45°.
    let reach = 0;
    labelWidths.forEach((w, i) => {
      reach = Math.max(reach, w * COS45 - slot * (i + 0.5));
    });
    left = Math.max(left, reach + 8);
    plotWidth = Math.max(minWidth - left - right, n * slotMin);
    slot = plotWidth / n;
  }
  const barWidth = (slot * (grouped ? 0.8 : 0.7)) / series.length;
  let widestValue = 0;
  for (const s of series) {
    for (const v of s.values) {
      widestValue = Math.max(
        widestValue,
        textWidth(scale.format(v), VALUE_SIZE),
      );
    }
  }
  const vertical = widestValue > barWidth + 6;
  // Room above the plot for the labels of bars that reach near its top,
  // and below it for those of negative bars that reach near its bottom.
  let above = 8;
  let below = 0;
  for (const s of series) {
    const room = labelRoom(s.values, scale, plotHeight, (j) => {
      const v = s.values[j] as number;
      const mark = markLabel(s.marks[j] ?? "");
      return vertical
        ? textWidth(`${scale.format(v)} ${mark}`, VALUE_SIZE) + 8
        : mark
        ? 30
        : 17;
    });
    above = Math.max(above, room.above);
    below = Math.max(below, room.below);
  }
  const bottom = below +
    (rotate ? 12 + (widest + TICK_SIZE) * COS45 + 6 : 24);
  return {
    left,
    plotWidth,
    top: above,
    below,
    bottom,
    rotate,
    vertical,
    width: left + plotWidth + right,
    height: above + plotHeight + bottom,
  };
}

/** The colour most bars have: the bar group's fill, so only the others name theirs. */
function commonFill(series: readonly Series[]): string {
  const counts = new Map<string, number>();
  for (const s of series) {
    for (const c of s.colors) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = INK;
  let most = 0;
  for (const [color, n] of counts) {
    if (n > most) [best, most] = [color, n];
  }
  return best;
}

/** Draws a bar panel with its top-left corner at (x0, y0) into the layers. */
function drawPanel(
  layers: Layers,
  fill: string,
  panel: BarPanel,
  size: PanelSize,
  x0: number,
  y0: number,
  row: number | undefined,
  yTicks = true,
): void {
  const { categories, series, plotHeight, scale } = panel;
  const { left, plotWidth, top, below, rotate, vertical } = size;
  const slot = plotWidth / Math.max(categories.length, 1);
  const x = (v: number) => x0 + left + v;
  const { min, max } = scale;
  const y = (v: number) =>
    y0 + top +
    plotHeight * ((max - Math.min(Math.max(v, min), max)) / (max - min));
  // Small panels get the zero line, lines at the ends and ticks there only.
  const ticks = plotHeight >= 160 ? scale.ticks : [min, max];
  for (const t of ticks) {
    if (t !== 0) layers.grid.push(`M${px(x(0))} ${px(y(t))}h${px(plotWidth)}`);
  }
  layers.axis.push(`M${px(x(0))} ${px(y(0))}h${px(plotWidth)}`);
  if (yTicks) {
    for (const t of ticks) {
      layers.yTicks.push(text(x(0) - 6, y(t) + 4, formatNumber(t)));
    }
  }
  if (categories.length === 0) {
    layers.notes.push(text(x(plotWidth / 2), y((min + max) / 2), panel.note));
    return;
  }
  const grouped = series.length > 1;
  const groupWidth = slot * (grouped ? 0.8 : 0.7);
  const barWidth = groupWidth / series.length;
  const rects: string[] = [];
  categories.forEach((c, j) => {
    series.forEach((s, k) => {
      const v = s.values[j] as number;
      const mark = s.marks[j] ?? "";
      const bx = x(slot * j + (slot - groupWidth) / 2 + k * barWidth);
      const cx = bx + barWidth / 2;
      const classes = ["bar"];
      if (grouped) classes.push(s.name);
      if (c.index < 0) classes.push("other");
      if (mark) classes.push(mark);
      // NaN and ±Infinity: a dashed outline over the whole axis, labelled.
      const missing = !Number.isFinite(v);
      if (missing) classes.push("missing");
      const top = missing ? y(max) : y(Math.max(v, 0));
      const bottom = missing ? y(min) : y(Math.min(v, 0));
      const color = missing ? "none" : s.colors[j] as string;
      rects.push(
        `<rect class='${classes.join(" ")}' data-index='${c.index}' x='${
          px(bx)
        }' y='${px(top)}' width='${px(barWidth)}' height='${px(bottom - top)}'${
          color === fill ? "" : ` fill='${color}'`
        }${missing ? ` stroke='${AXIS}' stroke-dasharray='3 3'` : ""}/>`,
      );
      const value = scale.format(v);
      if (missing) {
        layers.gaps.push(text(cx, y(0) - 6, value));
        return;
      }
      if (v < 0) {
        // Under a negative bar: the value, then the mark.
        if (vertical) {
          const [u, w] = unrotate(cx + 3.5, bottom + 4, -90);
          layers.valuesUp.push(text(u, w, value, END));
          if (mark) {
            const u2 = u - textWidth(value, VALUE_SIZE) - 4;
            layers.marksUp.push(text(u2, w, markLabel(mark), END));
          }
        } else {
          layers.values.push(text(cx, bottom + 13, value));
          if (mark) layers.marks.push(text(cx, bottom + 26, markLabel(mark)));
        }
      } else if (vertical) {
        const [u, w] = unrotate(cx + 3.5, top - 4, -90);
        layers.valuesUp.push(text(u, w, value));
        if (mark) {
          layers.marksUp.push(
            text(u + textWidth(value, VALUE_SIZE) + 4, w, markLabel(mark)),
          );
        }
      } else {
        layers.values.push(text(cx, top - 4, value));
        if (mark) layers.marks.push(text(cx, top - 17, markLabel(mark)));
      }
    });
  });
  layers.bars.push(
    row === undefined
      ? rects.join("")
      : `<g class='panel' data-row='${row}'>${rects.join("")}</g>`,
  );
  const labelY = y(min) + below;
  categories.forEach((c, j) => {
    const cx = x(slot * (j + 0.5));
    const cls = c.index < 0 ? " class='other'" : "";
    if (rotate) {
      const [u, w] = unrotate(cx + 3, labelY + 12, -45);
      layers.labelsSlanted.push(text(u, w, c.label, cls));
    } else {
      layers.labels.push(text(cx, labelY + 16, c.label, cls));
    }
  });
  if (panel.threshold !== undefined) {
    const ty = y(panel.threshold);
    layers.thresholds.push(`M${px(x(0))} ${px(ty)}h${px(plotWidth)}`);
    if (panel.thresholdLabel) {
      layers.thresholdLabels.push(
        text(
          x(plotWidth) + 6,
          ty + 4,
          `threshold ${formatParameter(panel.threshold)}`,
        ),
      );
    }
  }
}

function document(
  model: ChartModel,
  width: number,
  height: number,
  body: string,
): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const title = model.title === "" ? model.aria : model.title;
  return `<svg xmlns='http://www.w3.org/2000/svg' class='softmax-chart-svg' role='img' aria-label='${
    escapeXml(model.aria)
  }' width='${w}' height='${h}' viewBox='0 0 ${w} ${h}' font-family='${
    escapeXml(FONT)
  }' style='max-width:100%;height:auto'><title>${escapeXml(title)}</title>` +
    `<rect class='background' x='0.5' y='0.5' width='${w - 1}' height='${
      h - 1
    }' rx='6' fill='${BACKGROUND}' stroke='${BORDER}'/>` +
    `${body}</svg>`;
}

function barsSvg(model: BarsModel): string {
  const grouped = model.series.length > 1;
  const head = header(
    model,
    grouped ? model.series.map((s) => s.color) : undefined,
  );
  const panel: BarPanel = {
    categories: model.categories,
    series: model.series,
    scale: model.scale,
    threshold: model.threshold,
    thresholdLabel: true,
    plotHeight: 220,
    note: model.note,
  };
  const size = sizePanel(panel, Math.max(MIN_WIDTH, head.width));
  const y0 = head.bottom + 8;
  const layers = new Layers();
  const fill = commonFill(model.series);
  drawPanel(layers, fill, panel, size, 0, y0, undefined);
  return document(
    model,
    size.width,
    y0 + size.height,
    head.markup + layers.render(fill),
  );
}

function multiplesSvg(model: MultiplesModel): string {
  const head = header(model, undefined);
  const panels: BarPanel[] = model.panels.map((p) => ({
    categories: p.categories,
    series: p.series,
    scale: PROBABILITY_SCALE,
    threshold: model.threshold,
    thresholdLabel: false,
    plotHeight: 100,
    note: "",
  }));
  const summaries = model.panels.map((p) =>
    shortSummary((p.series[0] as Series).summary)
  );
  const minWidth = Math.max(
    200,
    ...model.panels.map((p, i) =>
      textWidth(p.name, 12) * BOLD_WIDTH + textWidth(` ${summaries[i]}`, 11) +
      PAD +
      48
    ),
  );
  const panelWidth = Math.max(
    ...panels.map((p) => sizePanel(p, minWidth).width),
  );
  const perRow = Math.max(
    1,
    Math.min(panels.length, Math.floor(900 / panelWidth)),
  );
  // One top and bottom margin for all panels, so that their axes line up.
  const sized = panels.map((p) => sizePanel(p, panelWidth));
  const top = Math.max(...sized.map((s) => s.top));
  const bottom = Math.max(...sized.map((s) => s.bottom));
  sized.forEach((s, i) => {
    s.top = top;
    s.bottom = bottom;
    s.height = top + (panels[i] as BarPanel).plotHeight + bottom;
  });
  const cellHeight = 22 + Math.max(...sized.map((s) => s.height));
  const width = Math.max(MIN_WIDTH, head.width, perRow * panelWidth);
  const y0 = head.bottom + 10;
  const layers = new Layers();
  const fill = commonFill(model.panels.flatMap((p) => p.series));
  panels.forEach((p, i) => {
    const x0 = (i % perRow) * panelWidth;
    const py = y0 + Math.floor(i / perRow) * cellHeight;
    const size = sized[i] as PanelSize;
    const name = (model.panels[i] as { name: string }).name;
    layers.panelTitles.push(text(x0 + size.left, py + 14, name));
    layers.panelSummaries.push(
      text(
        x0 + size.left + textWidth(name, 12) * BOLD_WIDTH + 8,
        py + 14,
        summaries[i] as string,
      ),
    );
    drawPanel(layers, fill, p, size, x0, py + 22, i, i % perRow === 0);
  });
  const rows = Math.ceil(panels.length / perRow);
  return document(
    model,
    width,
    y0 + rows * cellHeight + 6,
    head.markup + layers.render(fill),
  );
}

function heatmapSvg(model: HeatmapModel): string {
  const head = header(model, undefined);
  const rows = model.rowNames.length;
  const cols = model.categories.length;
  const rowLabelRoom = Math.ceil(
    12 + Math.max(...model.rowNames.map((n) => textWidth(n, TICK_SIZE))),
  );
  const legendWidth = 56;
  const cellWidth = Math.round(
    Math.min(
      40,
      Math.max(14, (MIN_WIDTH - rowLabelRoom - legendWidth - PAD) / cols),
    ),
  );
  const cellHeight = rows <= 24 ? 16 : 12;
  const labelWidths = model.categories.map((c) =>
    textWidth(c.label, TICK_SIZE)
  );
  const widest = Math.max(0, ...labelWidths);
  const rotate = widest > cellWidth - 4;
  // Rotated class labels hang down-left from their column: the first columns'
  // labels can reach past short row names, so the margin must hold them too.
  const left = rotate
    ? Math.max(
      rowLabelRoom,
      Math.ceil(
        Math.max(
          ...labelWidths.map((w, i) => w * COS45 - (i + 0.5) * cellWidth + 4),
        ),
      ),
    )
    : rowLabelRoom;
  const gridWidth = cols * cellWidth;
  const top = head.bottom + 14;
  const gridHeight = rows * cellHeight;
  const bottom = rotate ? 12 + (widest + TICK_SIZE) * COS45 + 8 : 28;
  const width = Math.max(
    MIN_WIDTH,
    head.width,
    left + gridWidth + legendWidth + PAD,
  );
  const height = top + Math.max(gridHeight, HEAT.length * 12 + 20) + bottom;
  const out: string[] = [head.markup];
  // Cells as one stroked path per colour step: a horizontal segment per cell
  // whose stroke width is the cell height keeps hundreds of cells small.
  const steps: string[][] = HEAT.map(() => []);
  const missing: string[] = [];
  model.cells.forEach((row, r) => {
    const cy = top + r * cellHeight + cellHeight / 2;
    row.forEach((v, c) => {
      const segment = `M${left + c * cellWidth + 1} ${px(cy)}h${cellWidth - 1}`;
      if (v !== v) missing.push(segment);
      else {
        const step = Math.min(
          HEAT.length - 1,
          Math.floor(Math.max(v, 0) * HEAT.length),
        );
        (steps[step] as string[]).push(segment);
      }
    });
  });
  out.push(`<g class='cells' stroke-width='${cellHeight - 1}'>`);
  steps.forEach((segments, step) => {
    if (segments.length > 0) {
      out.push(
        `<path class='step-${step}' stroke='${HEAT[step]}' d='${
          segments.join("")
        }'/>`,
      );
    }
  });
  if (missing.length > 0) {
    out.push(
      `<path class='missing' stroke='${MISSING}' d='${missing.join("")}'/>`,
    );
  }
  out.push("</g>");
  // Argmax marks: a white dot with a dark rim, visible on light and dark
  // cells, drawn as zero-length strokes with round caps (a few bytes each).
  const dots = model.argmax.flatMap((c, r) =>
    c < 0 ? [] : [
      `M${px(left + (c + 0.5) * cellWidth)} ${
        px(top + (r + 0.5) * cellHeight)
      }h0`,
    ]
  ).join("");
  if (dots !== "") {
    const size = Math.min(cellWidth, cellHeight) * 0.5;
    out.push(
      `<g class='argmax' stroke-linecap='round'><path stroke='${INK}' stroke-width='${
        px(size)
      }' d='${dots}'/><path stroke='${BACKGROUND}' stroke-width='${
        px(size - 2.4)
      }' d='${dots}'/></g>`,
    );
  }
  out.push(
    `<g class='row-labels' font-size='${TICK_SIZE}' fill='${INK}' text-anchor='end'>`,
    ...model.rowNames.map((name, r) =>
      text(left - 6, top + (r + 0.5) * cellHeight + 4, name)
    ),
    "</g>",
  );
  const labelY = top + gridHeight + 12;
  out.push(
    `<g class='labels' font-size='${TICK_SIZE}' fill='${INK}' text-anchor='${
      rotate ? "end' transform='rotate(-45)" : "middle"
    }'>`,
    ...model.categories.map((c, i) => {
      const cx = left + (i + 0.5) * cellWidth;
      const cls = c.index < 0 ? " class='other'" : "";
      const [u, w] = rotate ? unrotate(cx + 3, labelY, -45) : [cx, labelY + 4];
      return text(u, w, c.label, cls);
    }),
    "</g>",
  );
  // Legend: the colour steps, 1 at the top.
  const lx = left + gridWidth + 18;
  out.push(`<g class='legend' font-size='10' fill='${MUTED}'>`);
  HEAT.forEach((color, step) => {
    out.push(
      `<rect x='${lx}' y='${
        top + (HEAT.length - 1 - step) * 12
      }' width='12' height='12' fill='${color}'/>`,
    );
  });
  out.push(
    text(lx + 16, top + 8, "1"),
    text(lx + 16, top + HEAT.length * 12, "0"),
    "</g>",
  );
  return document(model, width, height, out.join(""));
}

/** The SVG document of a model. */
export function svgOf(model: ChartModel): string {
  return model.type === "bars"
    ? barsSvg(model)
    : model.type === "multiples"
    ? multiplesSvg(model)
    : heatmapSvg(model);
}
