/**
 * Options shared by every chart: {@linkcode toPlotly}, {@linkcode toSVG},
 * {@linkcode toHTML}, {@linkcode toText}, {@linkcode chart},
 * {@linkcode compare}, {@linkcode temperatureExplorer} and
 * {@linkcode bars}.
 *
 * Titles and labels are untrusted text: they are escaped wherever they are
 * shown, and shortened (labels to 24, titles to 80 characters).
 */
export interface ChartOptions {
  /**
   * The chart's title; `""` shows none.
   *
   * @default {"softmax over N classes" (or "sigmoid ...", "N values")}
   */
  title?: string;
  /**
   * One label per class, replacing the result's own labels.
   *
   * @default {the result's labels, else "class 0", "class 1", ... ("x[0]", "x[1]", ... for bars)}
   */
  labels?: readonly string[];
  /**
   * Where the dashed threshold line is drawn, from 0 to 1; bars above it are
   * marked as predicted on sigmoid charts. Softmax charts draw the line only
   * when it is given; bars of values never do.
   *
   * @default {0.5 for sigmoid, none for softmax}
   */
  threshold?: number;
  /**
   * The most classes drawn as their own bars, from 1 to 100; beyond it the
   * largest classes are drawn in descending order and the rest folded into
   * one "other (N classes)" bar carrying their total. Comparisons (two bars
   * per class) and temperature explorers (a frame per temperature) draw 12
   * by default; small multiples share 16 class bars between their panels;
   * heatmaps use it as the number of class columns; {@linkcode bars} draws
   * the first values, in order, and notes how many are not drawn. These
   * defaults keep a chart's notebook bundle under 30 KB.
   *
   * @default {20}
   */
  maxBars?: number;
  /**
   * Plotly layout attributes merged (deeply) into the figure's layout, for
   * people who know Plotly; must be plain JSON data. It is passed to
   * plotly.js as given, so do not put untrusted text in it. The SVG and
   * text charts ignore it.
   *
   * @default {undefined}
   */
  layout?: Readonly<Record<string, unknown>>;
}

/** Options for {@linkcode toHTML}: the chart options plus `standalone`. */
export interface HTMLOptions extends ChartOptions {
  /**
   * A complete offline HTML page with plotly.js inlined (about 4.7 MB)
   * instead of a fragment; the result is then a promise, since plotly.js is
   * read only when first needed.
   *
   * @default {false}
   */
  standalone?: boolean;
}

/**
 * A Plotly figure as plain JSON data: what {@linkcode toPlotly} returns and
 * what notebook front ends render from `application/vnd.plotly.v1+json`.
 */
export interface PlotlyFigure {
  /** The traces. */
  data: Record<string, unknown>[];
  /** The layout, with {@linkcode ChartOptions.layout} merged in. */
  layout: Record<string, unknown>;
  /** Plotly config: responsive, no logo, no "send to cloud". */
  config: Record<string, unknown>;
  /** Animation frames (the temperature explorer's slider), if any. */
  frames?: Record<string, unknown>[];
}
