// The edge between the pure renderers and the places results are shown:
// Jupyter's display protocol (the Deno kernel calls
// `value[Symbol.for("Jupyter.display")]()` on a cell's last expression) and
// Deno's console (`Symbol.for("Deno.customInspect")`). This module attaches
// both to the result classes, and holds the one piece of state the display
// layer has: whether this session has already sent plotly.js.
//
// It never touches `Deno.jupyter` (which even `typeof` cannot probe outside
// the kernel) and does nothing at import time beyond defining the methods.

import { Bars } from "./bars.ts";
import { Chart } from "./chart.ts";
import { Comparison } from "./compare.ts";
import { Probabilities } from "./probabilities.ts";
import { type Bundle, bundleOf } from "./render/_bundle.ts";
import { plotlyEmbedOf } from "./render/_html.ts";
import { modelOf } from "./render/_model.ts";
import { plotlySource } from "./render/_plotly_source.ts";
import { textOf } from "./render/_text.ts";
import { TemperatureExplorer } from "./temperature_explorer.ts";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
const CUSTOM_INSPECT = Symbol.for("Deno.customInspect");

/**
 * Whether plotly.js went out with an earlier chart of this kernel session.
 * The first displayed chart carries it (about 4.7 MB, once); later charts
 * reuse it. Given the same sequence of cells, the same chart carries it.
 */
let plotlySent = false;

/** The bundle for the next chart of the session: plotly.js goes with the first. */
export async function displayBundle(value: unknown): Promise<Bundle> {
  const model = modelOf("display", value, undefined);
  let embed = "";
  if (!plotlySent) {
    plotlySent = true;
    try {
      embed = plotlyEmbedOf(await plotlySource());
    } catch {
      // Without plotly.js the chart stays the SVG; the next chart tries again.
      plotlySent = false;
    }
  }
  return bundleOf(model, embed);
}

/** Starts a new "session" as far as the plotly.js embedding is concerned (for tests). */
export function resetPlotlyEmbedding(): void {
  plotlySent = false;
}

function display(this: unknown): Promise<Bundle> {
  return displayBundle(this);
}

function inspect(this: unknown): string {
  return textOf(modelOf("inspect", this, undefined));
}

for (
  const proto of [
    Probabilities.prototype,
    Comparison.prototype,
    TemperatureExplorer.prototype,
    Bars.prototype,
    Chart.prototype,
  ]
) {
  Object.defineProperty(proto, JUPYTER_DISPLAY, {
    value: display,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(proto, CUSTOM_INSPECT, {
    value: inspect,
    writable: true,
    configurable: true,
  });
}
