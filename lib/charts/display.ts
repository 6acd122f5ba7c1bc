// The edge between the pure renderers and the places results are shown:
// Jupyter's display protocol (the Deno kernel calls
// `value[Symbol.for("Jupyter.display")]()` on a cell's last expression) and
// Deno's console (`Symbol.for("Deno.customInspect")`). This module attaches
// both to the result classes, and holds the one piece of state the display
// layer has: whether this session has already sent plotly.js.
//
// It touches `Deno.jupyter` (which even `typeof` cannot probe outside the
// kernel) in one place, `sendToKernel`, reached only from the display method
// the kernel calls, and does nothing at import time beyond defining the
// methods.

import { Bars } from "./bars.ts";
import { Chart } from "./chart.ts";
import { Comparison } from "./compare.ts";
import { Probabilities } from "../probabilities.ts";
import { type Bundle, bundleOf } from "./render/_bundle.ts";
import { plotlyEmbedPartsOf } from "./render/_html.ts";
import { modelOf } from "./_model.ts";
import { plotlyPacked } from "./render/_plotly_source.ts";
import { textOf } from "./render/_text.ts";
import { TemperatureExplorer } from "./temperature_explorer.ts";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
const CUSTOM_INSPECT = Symbol.for("Deno.customInspect");

/**
 * Whether plotly.js went out with an earlier chart of this kernel session.
 * The first displayed chart is preceded by it (about 4.7 MB, once, in parts
 * of at most 1 MB, each its own output); later charts reuse it. Given the
 * same sequence of cells, the same chart is preceded by it.
 */
let plotlySent = false;

/** Whether this session was told that plotly.js could not be loaded. */
let plotlyWarned = false;

/** Sends one output of the current cell ahead of the chart's own. */
export type SendOutput = (bundle: Record<string, string>) => Promise<void>;

/**
 * The bundle for the next chart of the session; before the first, plotly.js
 * goes out through `send` in parts (see plotlyEmbedPartsOf for why).
 */
export async function displayBundle(
  value: unknown,
  send: SendOutput,
): Promise<Bundle> {
  const model = modelOf("display", value, undefined);
  if (!plotlySent) {
    plotlySent = true;
    try {
      for (const part of plotlyEmbedPartsOf(await plotlyPacked())) {
        await send({ "text/html": part, "text/plain": "" });
      }
    } catch (error) {
      // Without plotly.js the chart stays the SVG; the next chart tries
      // again (parts the page already has are not counted twice). Said
      // once a session, not once a chart.
      plotlySent = false;
      if (!plotlyWarned) {
        plotlyWarned = true;
        console.warn(
          `softmax-notebook: charts stay static: plotly.js could not be loaded: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
  }
  return bundleOf(model);
}

/** Starts a new "session" as far as the plotly.js embedding is concerned (for tests). */
export function resetPlotlyEmbedding(): void {
  plotlySent = false;
  plotlyWarned = false;
}

// The library's one use of Deno.jupyter: only the Deno kernel calls
// Jupyter.display, and Deno.jupyter exists only there.
const sendToKernel: SendOutput = (bundle) =>
  Deno.jupyter.display(bundle, { raw: true });

function display(this: unknown): Promise<Bundle> {
  return displayBundle(this, sendToKernel);
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
