// The HTML fragment: the chart as a picture (the SVG in an <img> data URI),
// visible at once, with scripts off and through every HTML sanitizer, plus the
// Plotly figure as inert JSON and a small script that upgrades the chart in
// place when plotly.js is on the page. Nothing here is random or counted:
// charts are found by class and state, so two identical charts on one page
// both upgrade, whatever order the outputs arrive in.

import { escapeXml, jsonForScript } from "../_escape.ts";
import { fnv1a } from "./_hash.ts";
import type { ChartModel } from "../_model.ts";
import { FONT } from "../_palette.ts";
import type { PlotlyFigure } from "../options.ts";
import type { PackedPlotly } from "./_plotly_source.ts";

/**
 * Upgrades every static chart on the page when `window.Plotly` exists, else
 * does nothing (the picture stays). Each chart's fragment runs it, and so does
 * the plotly.js embed once it has loaded, which catches charts whose output
 * came before the embed. plotly.js loads asynchronously (it is decompressed
 * first), so it may arrive while the page is still being parsed: a chart
 * whose upgrade script (its last child) is not parsed yet may hold half its
 * figure JSON, and is left to that script. Written without `<` and `&` so
 * the fragment stays well-formed XML.
 */
export const UPGRADE_SCRIPT =
  "(function(w,d){var P=w.Plotly;if(!P||!P.newPlot)return;" +
  '[].forEach.call(d.querySelectorAll("div.softmax-chart[data-state=static]"),function(c){' +
  'var a="data-state",f,p=d.createElement("div"),j=c.querySelector("script.softmax-chart-figure");' +
  "if(!j||!j.nextElementSibling)return;" +
  "try{f=JSON.parse(j.textContent)}" +
  'catch(e){c.setAttribute(a,"failed");return}' +
  'c.setAttribute(a,"upgrading");p.className="softmax-chart-plotly";c.insertBefore(p,c.firstChild);' +
  "Promise.resolve().then(function(){return P.newPlot(p,f)}).then(function(){" +
  'c.querySelector("img.softmax-chart-img").style.display="none";c.setAttribute(a,"interactive")},' +
  'function(){c.removeChild(p);c.setAttribute(a,"failed")})})})(window,document)';

/** What kind of chart a model is, for the container's `data-chart` attribute. */
export function chartKind(model: ChartModel): string {
  if (model.type !== "bars") return model.type;
  if (model.frames !== undefined) return "temperature-explorer";
  return model.series.length > 1 ? "compare" : "bars";
}

/**
 * The fragment for one chart. The SVG goes in as an `<img>` with a base64
 * data URI, not inline: HTML sanitizers (JupyterLab's and the classic
 * Notebook's for untrusted outputs) remove `svg` and `style` elements and
 * keep their text, which ran every label together, while an `<img>` with a
 * data URI passes them all, and an SVG shown as an image runs nothing. Its
 * `alt` carries the chart's description, so it is still read out.
 * `data-chart-id` is a hash of the figure and the SVG: the same chart gives
 * the same id in every session, and it is an attribute, not an `id`, because
 * one chart may appear twice on a page.
 */
export function fragmentOf(
  model: ChartModel,
  figure: PlotlyFigure,
  svg: string,
): string {
  const json = jsonForScript(figure);
  const id = fnv1a(json + svg);
  const width = /width='(\d+)'/.exec(svg)?.[1] ?? "640";
  const height = /height='(\d+)'/.exec(svg)?.[1] ?? "360";
  const src = "data:image/svg+xml;base64," +
    new TextEncoder().encode(svg).toBase64();
  return `<div class='softmax-chart' data-state='static' data-chart='${
    chartKind(model)
  }' data-chart-id='${id}' style='max-width:${width}px;margin:4px 0'>` +
    `<img class='softmax-chart-img' src='${src}' alt='${
      escapeXml(model.aria)
    }' width='${width}' height='${height}' style='max-width:100%;height:auto;display:block'/>` +
    `<script type='application/json' class='softmax-chart-figure'>${json}</script>` +
    `<script>${UPGRADE_SCRIPT}</script></div>`;
}

/**
 * Characters of plotly.js per embed part. In a notebook each part is one
 * output message: the Deno kernel (2.9) garbles single IOPub messages of a
 * few megabytes when the server holds more than one IOPub connection (the
 * classic Notebook and Jupyter Server do), while parts this size went
 * through in every trial (tests/bench/iopub_stress.ts).
 */
export const EMBED_PART_CHARS = 1_000_000;

/**
 * Notebook outputs that hold nothing but an embed part take no room: the
 * front ends pad every output, and five empty ones left a visible gap above
 * the first chart (JupyterLab and nbconvert's classes, then the classic
 * Notebook's). An output that also holds anything else stays. Sanitizers
 * drop this `<style>` (untrusted notebooks); the part's own `hidden` and
 * `display:none`, which they keep, then leave only the output's padding.
 */
const HIDE_EMBED_OUTPUTS = "<style>" +
  ".jp-OutputArea-child:has(>.jp-OutputArea-output>.softmax-plotly-embed:only-child)," +
  ".output_area:has(>.output_subarea>.softmax-plotly-embed:only-child)" +
  "{display:none}</style>";

/**
 * plotly.js for the page, gzip-compressed and base64-encoded (see
 * `packPlotly`), in parts of at most `partChars` characters. Each part is a hidden div holding its piece
 * as inert text and a script that, once every part of this version is on
 * the page (in any order), joins the pieces, decompresses them with the
 * browser's `DecompressionStream("gzip")` (Chromium 80+, Firefox 113+,
 * Safari 16.4+) and runs the result as one script with AMD's `define`
 * hidden, so that plotly.js sets `window.Plotly` even where require.js is
 * loaded (the classic Notebook, nbconvert's exports); then it upgrades the
 * charts. `window.softmaxPlotlyLoading` keeps a second copy of the parts from
 * loading it twice. When plotly.js is already on the page the script only
 * upgrades. Base64 has no `<` or `&`, so a part cannot end its script
 * element early.
 */
export function plotlyEmbedPartsOf(
  plotly: PackedPlotly,
  partChars: number = EMBED_PART_CHARS,
): string[] {
  const { version, base64: text } = plotly;
  const pieces: string[] = [];
  for (let at = 0; at < text.length || pieces.length === 0; at += partChars) {
    pieces.push(text.slice(at, at + partChars));
  }
  const n = pieces.length;
  const assemble =
    "(function(w,d){if(!w.Plotly){if(w.softmaxPlotlyLoading)return;var t=[],k=0;" +
    '[].forEach.call(d.querySelectorAll("div.softmax-plotly-embed"),function(e){' +
    'var i=+e.getAttribute("data-part");' +
    `if(e.getAttribute("data-plotly-version")==="${version}"` +
    `&&+e.getAttribute("data-parts")===${n}&&t[i]===undefined)` +
    '{t[i]=e.querySelector("script.softmax-plotly-part").textContent;k++}});' +
    `if(k!==${n})return;w.softmaxPlotlyLoading=1;` +
    'var b=atob(t.join("")),u=new Uint8Array(b.length);' +
    "for(var j=0;j<b.length;j++)u[j]=b.charCodeAt(j);" +
    'new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(x){' +
    'var a="define" in w,f=w.define,s=d.createElement("script");' +
    "if(a)w.define=undefined;s.text=x;" +
    "(d.head||d.documentElement).appendChild(s);s.parentNode.removeChild(s);" +
    `if(a)w.define=f;w.softmaxPlotlyLoading=0;${UPGRADE_SCRIPT}},` +
    "function(){w.softmaxPlotlyLoading=0});return}" +
    `${UPGRADE_SCRIPT}})(window,document)`;
  return pieces.map((piece, i) =>
    `<div class="softmax-plotly-embed" hidden="hidden" style="display:none" data-plotly-version="${version}" ` +
    `data-part="${i}" data-parts="${n}">${HIDE_EMBED_OUTPUTS}` +
    `<script type="text/plain" class="softmax-plotly-part">${piece}</script>` +
    `<script>${assemble}</script></div>`
  );
}

/** plotly.js for a page, in one part: see {@linkcode plotlyEmbedPartsOf}. */
export function plotlyEmbedOf(plotly: PackedPlotly): string {
  return plotlyEmbedPartsOf(plotly, Infinity)[0] as string;
}

/** A complete HTML page: plotly.js embedded first, then the fragments. */
export function pageOf(
  title: string,
  embed: string,
  fragments: readonly string[],
): string {
  return "<!DOCTYPE html>\n" +
    '<html lang="en"><head><meta charset="utf-8"/>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    `<title>${escapeXml(title)}</title>` +
    `<style>body{margin:24px;font-family:${FONT};background:#f6f6f6;color:#1a1a1a}` +
    "@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#e6e6e6}}" +
    "h1{font-size:20px;font-weight:600}</style></head>\n<body>\n" +
    `<h1>${escapeXml(title)}</h1>\n` +
    embed + "\n" + fragments.join("\n") + "\n</body></html>\n";
}
