// The Plotly figure: plain JSON (no typed arrays, NaN as null), every
// untrusted string entity-escaped because plotly.js renders a subset of HTML
// in text, shared attributes said once in a template, and the user's layout
// merged last.

import { escapePlotly } from "../_escape.ts";
import {
  formatNumber,
  formatParameter,
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
  FONT,
  GRID,
  HEAT,
  INK,
  MUTED,
  THRESHOLD,
} from "../_palette.ts";
import { type JsonObject, mergeJson } from "../_read_options.ts";
import { labelRoom, PROBABILITY_SCALE, type Scale } from "../_scale.ts";
import type { PlotlyFigure } from "../options.ts";

const CONFIG: JsonObject = {
  responsive: true,
  displaylogo: false,
  showSendToCloud: false,
};

/** A finite number, else null (what JSON would make of it anyway). */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
/** 4 significant digits, for animation frames. */
const short = (v: number): number | null =>
  Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
/** 3 decimals for heatmap cells (values from 0 to 1): colour needs no more. */
const cell = (v: number): number | null =>
  Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null;

function markLabel(mark: Mark): string {
  return mark === "argmax" ? "argmax" : mark === "predicted" ? "✓" : "";
}

/**
 * What every trace and axis shares, said once: Plotly applies a template's
 * `data.bar` to every bar trace and `layout.xaxis` to every x axis (xaxis2,
 * ...), which keeps small multiples' figures small.
 */
function template(
  tickSize: number,
  yTicks: readonly number[],
  bars = true,
): JsonObject {
  return {
    data: !bars ? {} : {
      bar: [{
        textposition: "outside",
        textangle: 0,
        cliponaxis: false,
        constraintext: "none",
        textfont: { size: 10, color: INK },
        // %{x} shows the tick text, so labels appear once in the figure.
        hovertemplate: "%{x}: %{y:.4f}<extra>%{fullData.name}</extra>",
        showlegend: false,
      }],
    },
    layout: {
      paper_bgcolor: BACKGROUND,
      plot_bgcolor: BACKGROUND,
      font: { family: FONT, color: INK, size: 12 },
      // 16 px from the chart's left edge, as on the SVG, not from the plot
      // area's (56 px in): long titles get the chart's whole width.
      title: {
        x: 0,
        xref: "container",
        xanchor: "left",
        y: 1,
        yref: "container",
        yanchor: "top",
        pad: { t: 14, l: 16 },
        font: { size: 15, color: INK, weight: 600 }, // the SVG title's size
      },
      annotationdefaults: {
        showarrow: false,
        yanchor: "bottom",
        font: { size: 10, color: INK },
      },
      shapedefaults: {
        type: "line",
        x0: 0,
        x1: 1,
        line: { color: THRESHOLD, width: 1.5, dash: "dash" },
      },
      xaxis: {
        tickmode: "array",
        fixedrange: true,
        showgrid: false,
        automargin: true,
        // Plotly hides labels that cross the div's edge; margins are sized to fit.
        ticklabeloverflow: "allow",
        tickfont: { size: tickSize },
      },
      yaxis: {
        range: [0, 1],
        fixedrange: true,
        gridcolor: GRID,
        zeroline: true,
        zerolinecolor: AXIS,
        tickmode: "array",
        tickvals: [...yTicks],
        tickfont: { size: tickSize },
      },
    },
  };
}

/**
 * The title's text: the title, then each subtitle line in smaller, muted
 * type, as lines of one text. Not `title.subtitle`: plotly.js places that
 * below the title's measured box, which is empty when the figure is drawn
 * before its node is in the page (JupyterLab's Plotly extension does so),
 * and the two were drawn over each other. Lines of one text are placed by
 * font size alone.
 */
function titleText(title: string, subtitle: readonly string[]): string {
  return [
    escapePlotly(title),
    ...subtitle.map((line) =>
      `<span style="font-size:12px;font-weight:400;color:${MUTED}">${
        escapePlotly(line)
      }</span>`
    ),
  ].join("<br>");
}

/** The title object; its placement and font come from the template. */
function titleOf(model: ChartModel, subtitle: readonly string[]): JsonObject {
  return { text: titleText(model.title, subtitle) };
}

function xAxis(categories: readonly Category[], angle: number): JsonObject {
  return {
    // Positions, not category names, so that equal labels stay separate bars.
    tickvals: categories.map((_, j) => j),
    ticktext: categories.map((c) => escapePlotly(c.label)),
    range: [-0.5, Math.max(categories.length, 1) - 0.5],
    tickangle: angle,
  };
}

/** Whether tick labels need rotating, and how far rotated ones reach left of the plot. */
function tickLayout(
  categories: readonly Category[],
  plotWidth: number,
): { angle: number; reach: number } {
  const widths = categories.map((c) => textWidth(c.label, 11));
  const slot = plotWidth / Math.max(categories.length, 1);
  if (Math.max(0, ...widths) <= slot - 6) return { angle: 0, reach: 0 };
  let reach = 0;
  widths.forEach((w, i) => {
    reach = Math.max(reach, w * Math.SQRT1_2 - slot * (i + 0.5));
  });
  return { angle: -45, reach };
}

/** Labels on the bars: the value, with the mark above it. Values off the axis get an annotation instead. */
function barText(s: Series, scale: Scale): string[] {
  return s.values.map((v, j) => {
    if (!(v >= scale.min && v <= scale.max)) return "";
    const mark = markLabel(s.marks[j] ?? "");
    const value = scale.format(v);
    return mark === "" ? value : `${mark}<br>${value}`;
  });
}

function barTrace(
  s: Series,
  categories: readonly Category[],
  named: boolean,
  axes: JsonObject = {},
  scale = PROBABILITY_SCALE,
): JsonObject {
  const trace: JsonObject = {
    type: "bar",
    name: s.name,
    x: categories.map((_, j) => j),
    y: s.values.map(num),
    text: barText(s, scale),
    marker: { color: [...s.colors] },
    ...axes,
  };
  if (named) trace.showlegend = true;
  return trace;
}

/**
 * Annotations for bars Plotly cannot label itself: NaN and ±Infinity (a
 * gap, labelled) and totals above 1 (a folded sigmoid tail, whose bar runs
 * past the top of the fixed axis, where Plotly hides its text).
 */
function barNotes(
  series: readonly Series[],
  axes: { xref: string; yref: string },
  scale = PROBABILITY_SCALE,
): JsonObject[] {
  const out: JsonObject[] = [];
  series.forEach((s, k) => {
    s.values.forEach((v, j) => {
      if (v >= scale.min && v <= scale.max) return;
      const offset = series.length > 1
        ? (k - (series.length - 1) / 2) * 0.4
        : 0;
      const gap = !Number.isFinite(v);
      const note: JsonObject = {
        ...axes,
        x: j + offset,
        y: gap ? 0 : v > scale.max ? scale.max : scale.min,
        text: scale.format(v),
      };
      if (gap) note.font = { size: 10, color: MUTED };
      out.push(note);
    });
  });
  return out;
}

function thresholdShapes(
  threshold: number | undefined,
  axes: { xref: string; yref: string },
  label: boolean,
): { shapes: JsonObject[]; annotations: JsonObject[] } {
  if (threshold === undefined) return { shapes: [], annotations: [] };
  return {
    // Type, extent and style come from the template's shapedefaults.
    shapes: [{
      xref: axes.xref,
      yref: axes.yref,
      y0: threshold,
      y1: threshold,
    }],
    annotations: label
      ? [{
        xref: axes.xref,
        x: 1,
        xanchor: "left",
        xshift: 6, // clear of the dashed line's end, as on the SVG
        yref: axes.yref,
        y: threshold,
        yanchor: "middle",
        text: `threshold ${formatParameter(threshold)}`,
        font: { size: 11, color: THRESHOLD },
      }]
      : [],
  };
}

/**
 * The value axis of bars of values: fitted to them, ticks written as on the
 * SVG, and widened by the room their labels need where bars reach its ends
 * (Plotly writes values outside the bars, over the tick labels or the
 * title). Values wider than their bars are written upwards, as on the SVG.
 */
function valueAxis(
  model: BarsModel,
  plotWidth: number,
  plotHeight: number,
): { yaxis: JsonObject; angle: number } {
  const { scale, categories } = model;
  const s = model.series[0] as Series;
  const texts = s.values.map((v) => scale.format(v));
  const barWidth = (plotWidth / Math.max(categories.length, 1)) * 0.7;
  const widest = Math.max(0, ...texts.map((t) => textWidth(t, 10)));
  const angle = widest > barWidth + 6 ? -90 : 0;
  const room = labelRoom(s.values, scale, plotHeight, (j) => {
    const marked = s.marks[j] !== "";
    return angle === 0
      ? (marked ? 30 : 17)
      : textWidth(texts[j] as string, 10) + (marked ? 22 : 8);
  });
  // The top margin already has room for two lines of text.
  const above = Math.max(0, room.above - 30);
  const perPixel = (scale.max - scale.min) /
    Math.max(plotHeight - room.below - above, plotHeight / 2);
  return {
    yaxis: {
      range: [scale.min - room.below * perPixel, scale.max + above * perPixel],
      ticktext: scale.ticks.map(formatNumber),
      automargin: true,
    },
    angle,
  };
}

function barsFigure(model: BarsModel): PlotlyFigure {
  const named = model.series.length > 1;
  const axes = { xref: "paper", yref: "y" };
  const threshold = thresholdShapes(model.threshold, axes, true);
  const right = model.threshold === undefined && !named ? 24 : 100;
  const first = tickLayout(model.categories, 640 - 56 - right);
  const left = Math.ceil(Math.max(56, first.reach + 14));
  const ticks = tickLayout(model.categories, 640 - left - right);
  const { scale } = model;
  const height = model.frames ? 540 : 460;
  // Title, subtitle lines, and room for labels above bars that reach 1.
  const top = 78 + 20 * model.subtitle.length;
  const layout: JsonObject = {
    template: template(11, scale.ticks),
    title: titleOf(model, model.subtitle),
    height,
    margin: {
      l: Math.ceil(Math.max(56, ticks.reach + 14)),
      r: right,
      t: top,
      b: 40,
    },
    xaxis: xAxis(model.categories, ticks.angle),
    showlegend: named,
    shapes: threshold.shapes,
    annotations: [
      ...threshold.annotations,
      ...barNotes(model.series, { xref: "x", yref: "y" }, scale),
    ],
  };
  const values = scale === PROBABILITY_SCALE
    ? undefined
    : valueAxis(model, 640 - left - right, height - top - 40);
  if (values !== undefined) layout.yaxis = values.yaxis;
  // Bar settings only with bars, a legend only with two series: Plotly.validate
  // reports the first as unknown without bar traces and trips over the second.
  if (model.series.length > 0) {
    layout.barmode = "group";
    layout.bargap = named ? 0.2 : 0.3;
    layout.bargroupgap = 0.05;
  }
  if (named) layout.legend = { x: 1.02, xanchor: "left", y: 1, yanchor: "top" };
  if (model.categories.length === 0) {
    (layout.annotations as JsonObject[]).push({
      xref: "paper",
      yref: "paper",
      x: 0.5,
      y: 0.5,
      text: model.note,
      font: { size: 14, color: MUTED },
    });
  }
  const data = model.series.map((s) =>
    barTrace(s, model.categories, named, {}, scale)
  );
  if (values !== undefined) {
    // Any magnitude: 5 significant digits, in exponent form only when needed.
    for (const trace of data) {
      trace.hovertemplate = "%{x}: %{y:.5~g}<extra></extra>";
      if (values.angle !== 0) trace.textangle = values.angle;
    }
  }
  const figure: PlotlyFigure = { data, layout, config: { ...CONFIG } };
  if (model.frames !== undefined) {
    // Frames carry only what changes with the temperature: the values (4
    // significant digits), their labels and the subtitle. Colours and marks
    // stay: softmax keeps its argmax at every temperature.
    // A slider step's string argument names a frame group: one per frame.
    figure.frames = model.frames.map((f) => ({
      name: f.name,
      group: f.name,
      data: f.series.map((s) => ({
        y: s.values.map(short),
        text: barText(s, scale),
      })),
      layout: {
        "title.text": titleText(model.title, f.subtitle),
      },
    }));
    layout.sliders = [{
      active: model.activeFrame,
      currentvalue: { prefix: "temperature ", font: { size: 12, color: INK } },
      pad: { t: 56 },
      // The frame name alone: Plotly.validate rejects animation options
      // here (it copies them and reports the copy as a reset), and Plotly's
      // default, a short transition, reads well.
      steps: model.frames.map((f) => ({
        label: f.name,
        method: "animate",
        args: [f.name],
      })),
    }];
  }
  return figure;
}

function multiplesFigure(model: MultiplesModel): PlotlyFigure {
  const n = model.panels.length;
  const perRow = n <= 3 ? n : n <= 4 ? 2 : n <= 9 ? 3 : 4;
  const rows = Math.ceil(n / perRow);
  const layout: JsonObject = {
    template: template(10, [0, 0.5, 1]),
    title: titleOf(model, model.subtitle),
    height: 110 + rows * 280,
    margin: { l: 56, r: 24, t: 130 + 20 * model.subtitle.length, b: 40 },
    grid: {
      rows,
      columns: perRow,
      pattern: "independent",
      roworder: "top to bottom",
      xgap: 0.2,
      ygap: 0.5,
    },
    bargap: 0.3,
  };
  const shapes: JsonObject[] = [];
  const annotations: JsonObject[] = [];
  const data: JsonObject[] = [];
  model.panels.forEach((panel, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const s = panel.series[0] as Series;
    data.push(barTrace(s, panel.categories, false, {
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
    }));
    layout[`xaxis${suffix}`] = xAxis(
      panel.categories,
      tickLayout(panel.categories, 560 / perRow).angle,
    );
    const t = thresholdShapes(
      model.threshold,
      { xref: `x${suffix} domain`, yref: `y${suffix}` },
      false,
    );
    shapes.push(...t.shapes);
    annotations.push(
      {
        xref: `x${suffix} domain`,
        yref: `y${suffix} domain`,
        x: 0,
        y: 1,
        yshift: 28,
        xanchor: "left",
        text: `<b>${escapePlotly(panel.name)}</b>  ${
          escapePlotly(shortSummary(s.summary))
        }`,
        font: { size: 11, color: INK },
      },
      ...barNotes(panel.series, { xref: `x${suffix}`, yref: `y${suffix}` }),
    );
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout, config: { ...CONFIG } };
}

function heatmapFigure(model: HeatmapModel): PlotlyFigure {
  const rows = model.rowNames.length;
  const marked = model.argmax.flatMap((c, r) => (c < 0 ? [] : [r]));
  const layout: JsonObject = {
    template: template(11, [0, 0.5, 1], false),
    title: titleOf(model, model.subtitle),
    height: Math.min(900, 150 + rows * (rows <= 24 ? 22 : 14)),
    margin: { l: 56, r: 24, t: 64 + 20 * model.subtitle.length, b: 40 },
    // Positions with tick text, as for bars: equal labels stay apart, and
    // the argmax markers refer to cells by index.
    xaxis: {
      ...xAxis(model.categories, tickLayout(model.categories, 560).angle),
      zeroline: false,
    },
    yaxis: {
      tickvals: model.rowNames.map((_, r) => r),
      ticktext: model.rowNames.map(escapePlotly),
      range: [rows - 0.5, -0.5],
      zeroline: false,
      gridcolor: BACKGROUND,
      automargin: true,
    },
  };
  const data: JsonObject[] = [
    {
      type: "heatmap",
      z: model.cells.map((row) => row.map(cell)),
      zmin: 0,
      zmax: 1,
      colorscale: HEAT.map((color, i) => [i / (HEAT.length - 1), color]),
      xgap: 1,
      ygap: 1,
      colorbar: { thickness: 12, len: 0.8 },
      hovertemplate: "%{y}, %{x}: %{z:.3f}<extra></extra>",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "argmax",
      x: marked.map((r) => model.argmax[r] as number),
      y: marked,
      marker: {
        symbol: "circle",
        size: 7,
        color: BACKGROUND,
        line: { color: INK, width: 1.2 },
      },
      hovertemplate: "%{y}: argmax %{x}<extra></extra>",
      showlegend: false,
    },
  ];
  return { data, layout, config: { ...CONFIG } };
}

/** The Plotly figure of a model, with the user's layout merged in. */
export function plotlyOf(model: ChartModel): PlotlyFigure {
  const figure = model.type === "bars"
    ? barsFigure(model)
    : model.type === "multiples"
    ? multiplesFigure(model)
    : heatmapFigure(model);
  if (model.layout !== undefined) {
    figure.layout = mergeJson(figure.layout as JsonObject, model.layout);
  }
  return figure;
}
