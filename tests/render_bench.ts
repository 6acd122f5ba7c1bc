// Bundle creation (model, Plotly figure, SVG, HTML fragment and text: what a
// notebook display costs, plotly.js excluded) for 10, 1,000 and 50,000
// classes, and a 1000 × 50,000 batch. Run: deno bench --allow-read tests/render_bench.ts

import { compare, sigmoid, softmax } from "../mod.ts";
import { bundleOf } from "../lib/charts/render/_bundle.ts";
import { modelOf } from "../lib/charts/_model.ts";

const logits = (n: number) =>
  new Float64Array(n).map((_, i) => Math.sin(i * 12.9898) * 4);
const bundle = (result: unknown) =>
  bundleOf(modelOf("bench", result, undefined));

for (const n of [10, 1000, 50_000]) {
  const p = softmax(logits(n));
  const s = sigmoid(logits(n));
  Deno.bench(`softmax bundle, ${n} classes`, {
    group: `${n} classes`,
    baseline: true,
  }, () => {
    bundle(p);
  });
  Deno.bench(`sigmoid bundle, ${n} classes`, { group: `${n} classes` }, () => {
    bundle(s);
  });
}

const c = compare(logits(10));
Deno.bench("compare bundle, 10 classes", { group: "10 classes" }, () => {
  bundle(c);
});

const batch = new Float32Array(1000 * 50_000);
for (let i = 0; i < batch.length; i++) {
  batch[i] = ((i * 2654435761) % 1000) / 125;
}
const heat = softmax(batch, { shape: [1000, 50_000] });
Deno.bench("softmax heatmap bundle, 1000 × 50,000", () => {
  bundle(heat);
});
