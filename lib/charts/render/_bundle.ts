import { fragmentOf } from "./_html.ts";
import type { ChartModel } from "../_model.ts";
import { plotlyOf } from "./_plotly.ts";
import { svgOf } from "./_svg.ts";
import { textOf } from "./_text.ts";

/** The MIME bundle a notebook displays: plain JSON data only. */
export interface Bundle {
  "application/vnd.plotly.v1+json": Record<string, unknown>;
  "text/html": string;
  "image/svg+xml": string;
  "text/plain": string;
}

/** All four representations of one chart. */
export function bundleOf(model: ChartModel): Bundle {
  const figure = plotlyOf(model);
  const svg = svgOf(model);
  return {
    "application/vnd.plotly.v1+json": figure as unknown as Record<
      string,
      unknown
    >,
    "text/html": fragmentOf(model, figure, svg),
    "image/svg+xml": svg,
    "text/plain": textOf(model),
  };
}
