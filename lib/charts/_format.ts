// How numbers and untrusted text look on a chart: one place decides, so the
// SVG, the Plotly figure, the text chart and the aria-label agree.

import { escapeXml } from "./_escape.ts";

/** Labels longer than this many graphemes end in "…". */
export const LABEL_GRAPHEMES = 24;
/**
 * Labels whose XML-escaped form is longer than this are shortened further:
 * markup-heavy text (`<<<<`, `""""`) costs 4 to 6 bytes a character in the
 * SVG and up to 10 in the HTML's JSON, and the bundle must stay small.
 */
export const LABEL_ESCAPED = 48;
/** Titles longer than this many graphemes end in "…". */
export const TITLE_GRAPHEMES = 56;

let segmenter: Intl.Segmenter | undefined;

/** Splits text into user-perceived characters (an emoji with its modifiers stays whole). */
export function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

// C0 and C1 controls and the bidi embedding, override and isolate controls:
// matching control characters is the point here.
// deno-lint-ignore no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes untrusted text safe to lay out on one line: lone surrogates become
 * U+FFFD (they are not XML characters), line and paragraph breaks and tabs
 * become spaces, and other control characters and the bidi embedding,
 * override and isolate controls (which could reorder the rest of a line of
 * the text chart) become U+FFFD.
 */
export function sanitizeText(text: string): string {
  return text.toWellFormed()
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, " ")
    .replace(CONTROLS, "\ufffd");
}

/** Shortens text to at most `max` graphemes, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const parts = graphemes(text);
  return parts.length <= max ? text : parts.slice(0, max - 1).join("") + "…";
}

/** How a class label is shown: sanitised, shortened, and "(empty)" when blank. */
export function displayLabel(label: string): string {
  const clean = sanitizeText(label);
  if (clean.trim() === "") return "(empty)";
  const short = truncate(clean, LABEL_GRAPHEMES);
  if (escapeXml(short).length <= LABEL_ESCAPED) return short;
  const fits = (text: string) => escapeXml(text).length <= LABEL_ESCAPED - 1;
  const parts = graphemes(short.endsWith("…") ? short.slice(0, -1) : short);
  while (parts.length > 1 && !fits(parts.join(""))) parts.pop();
  // One grapheme can still be huge (hundreds of stacked combining marks):
  // then it is cut by code points, the one place a grapheme is split.
  const points = Array.from(parts.join(""));
  while (points.length > 1 && !fits(points.join(""))) points.pop();
  return points.join("") + "…";
}

/** How a title is shown: sanitised and shortened. */
export function displayTitle(title: string): string {
  return truncate(sanitizeText(title), TITLE_GRAPHEMES);
}

/** 50000 → "50,000": fixed grouping, whatever the locale. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1 class", "3 classes". */
export function classes(n: number): string {
  return `${groupDigits(n)} ${n === 1 ? "class" : "classes"}`;
}

/**
 * A probability with `digits` decimals ("0.66"), exact 0 as "0", tiny
 * non-zero values in exponent form ("4.5e-5") rather than a misleading
 * "0.00", large totals (a folded sigmoid tail) rounded, and NaN and
 * ±Infinity spelled out.
 */
export function formatValue(value: number, digits = 2): string {
  if (value !== value) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 0.5 * 10 ** -digits) return value.toExponential(1);
  if (magnitude >= 1000) return groupDigits(Math.round(value));
  return value.toFixed(digits);
}

/**
 * Any value, at 3 significant digits without trailing zeros ("2", "0.5",
 * "7.39", "0.0041"); from 1,000 rounded with grouping ("22,026"); from a
 * million and below 0.001 in exponent form with at most 2 significant
 * digits ("1.2e+6", "4.5e-5"); 0, NaN and ±Infinity as {@linkcode formatValue}
 * writes them. Used for charts of values that are not probabilities, their
 * sums and axis ticks.
 */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatValue(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 999_999.5 || magnitude < 0.001) {
    return Number(value.toPrecision(2)).toExponential();
  }
  if (magnitude >= 999.5) return groupDigits(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** A panel's summary line: "sum 1.86, 2 above 0.5" for "sum 1.86, 2 classes above 0.5: not ...". */
export function shortSummary(summary: string): string {
  return (summary.split(":")[0] as string).replace(
    / class(es)? above/,
    " above",
  );
}

/** A threshold or temperature as written: 0.5, 0.25, 1e-7. */
export function formatParameter(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** A coordinate for SVG: at most one decimal, no "-0". */
export function px(value: number): string {
  const r = Math.round(value * 10) / 10;
  return String(r === 0 ? 0 : r);
}

// East Asian wide and fullwidth ranges and emoji: two terminal columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
// Combining marks, zero-width joiners and variation selectors: no column.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]$/u;

/** Terminal columns a grapheme takes: 2 for wide characters and emoji, else 1. */
function graphemeColumns(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  return WIDE.test(grapheme) || /\p{Extended_Pictographic}/u.test(grapheme)
    ? 2
    : 1;
}

/** Terminal columns that text takes (approximate, as terminals differ). */
export function columns(text: string): number {
  // ASCII is the common case and needs no segmentation.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let n = 0;
  for (const g of graphemes(text)) n += graphemeColumns(g);
  return n;
}

/** Pads text with spaces to `width` terminal columns. */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - columns(text)));
}

/** Pads text with spaces on the left to `width` terminal columns. */
export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - columns(text))) + text;
}

/** How much wider bold text runs than regular: 1.10 to 1.13 in DejaVu Sans. */
export const BOLD_WIDTH = 1.13;

/**
 * Estimated width in pixels of text in a sans-serif font of `size` pixels,
 * from advance widths of DejaVu Sans (the widest common fallback, so the
 * estimate errs on the generous side for Helvetica, Arial or Segoe UI):
 * enough to lay out labels without clipping, since a pure function cannot
 * measure text in a browser. Bold text is wider by {@linkcode BOLD_WIDTH}.
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (/[il']/.test(ch)) em += 0.31;
    else if (/[|.,:;]/.test(ch)) em += 0.36;
    else if (/[ !fjrt()[\]\/\\-]/.test(ch)) em += 0.44;
    else if (/["*_`]/.test(ch)) em += 0.5;
    else if (ch === "W" || ch === "@") em += 1;
    else if (/[mM%]/.test(ch)) em += 0.98;
    else if (/[w&<>=+~#^]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.8;
    else if (/[\x21-\x7e]/.test(ch)) em += 0.64;
    else if (ZERO_WIDTH.test(ch)) em += 0;
    else em += graphemeColumns(ch) === 2 ? 1.1 : 0.68;
  }
  return em * size;
}
