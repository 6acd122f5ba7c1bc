// Colours from Okabe and Ito's colour-blind-safe palette ("Color Universal
// Design", 2008), on a white card so that text contrast does not depend on
// the notebook's light or dark theme.

/** Bars of a single-series chart. */
export const BASE = "#0072B2"; // blue
/** The argmax bar, and sigmoid bars above the threshold. */
export const HIGHLIGHT = "#D55E00"; // vermillion
/** The folded "other (N classes)" bar. */
export const OTHER = "#8C8C8C";
/** Series colours of the comparison chart. */
export const SERIES: Readonly<Record<"sigmoid" | "softmax", string>> = {
  sigmoid: "#E69F00", // orange
  softmax: "#0072B2", // blue
};
/** The card behind every chart, and its border. */
export const BACKGROUND = "#ffffff";
export const BORDER = "#d0d0d0";
/** Titles and values; secondary text; grid lines and axes. */
export const INK = "#1a1a1a";
export const MUTED = "#555555";
export const GRID = "#e6e6e6";
export const AXIS = "#9a9a9a";
/** The dashed threshold line and its label. */
export const THRESHOLD = "#333333";
/**
 * Heatmap scale: ColorBrewer "Blues" (Brewer, colorbrewer2.org), a
 * single-hue sequential scale that stays readable under colour blindness;
 * nine steps from 0 to 1.
 */
export const HEAT: readonly string[] = [
  "#f7fbff",
  "#deebf7",
  "#c6dbef",
  "#9ecae1",
  "#6baed6",
  "#4292c6",
  "#2171b5",
  "#08519c",
  "#08306b",
];
/** Heatmap cells that are NaN. */
export const MISSING = "#bdbdbd";
/** The font for SVG text (Plotly uses the same stack). */
export const FONT =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
