// Charts rendered in this process and, by the determinism and display tests,
// in a second `deno` process: `deno run tests/_render_fixtures.ts bundles`
// prints every fixture's bundle as JSON; `print` console.logs a result;
// `imports` reports whether importing and rendering read plotly.js.

import {
  chart,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toHTML,
  toPlotly,
  toSVG,
  toText,
} from "../mod.ts";
import { bundleOf } from "../lib/charts/render/_bundle.ts";
import { modelOf } from "../lib/charts/_model.ts";
import { HOSTILE } from "./_render_helpers.ts";

/** One result of each kind the renderers draw. */
export function fixtures(): Record<string, unknown> {
  const labels = ["cat", "dog", "bird"];
  const many = new Float64Array(5000).map((_, i) => Math.sin(i * 0.37) * 4);
  return {
    softmax: softmax([2, 1, 0.1], { labels }),
    sigmoid: sigmoid([2, 1, -1], { labels }),
    compare: compare([2, 1, 0.1], { labels }),
    explorer: temperatureExplorer([2, 1, 0.1], { labels }),
    topK: softmax(many),
    multiples: softmax([[1, 2, 3], [3, 2, 1]], { labels }),
    heatmap: softmax(new Float32Array(40 * 30).map((_, i) => Math.cos(i)), {
      shape: [40, 30],
    }),
    hostile: chart(sigmoid(HOSTILE.map((_, i) => i - 3), { labels: HOSTILE }), {
      title: HOSTILE[0]!,
    }),
    nan: softmax([1, NaN, 2]),
  };
}

/** The notebook bundle of each fixture (without the plotly.js embed). */
export function bundles(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fixtures()).map((
      [name, r],
    ) => [name, bundleOf(modelOf("fixture", r, undefined))]),
  );
}

if (import.meta.main) {
  const [what] = Deno.args;
  if (what === "bundles") console.log(JSON.stringify(bundles()));
  if (what === "print") {
    console.log(softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] }));
  }
  if (what === "imports") {
    const { plotlySourceRequested } = await import(
      "../lib/charts/render/_plotly_source.ts"
    );
    const p = softmax([1, 2, 3]);
    toText(p);
    toSVG(p);
    toPlotly(p);
    toHTML(p);
    console.log(JSON.stringify({ requested: plotlySourceRequested() }));
  }
}
