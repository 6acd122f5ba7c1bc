// A chart's bundle, plotly.js excluded, stays under 40 KB whatever the class
// and row counts: measured as the JSON the kernel sends (what a notebook file
// stores), with short and with long (24-character, shortened) labels. (30 KB
// until the HTML's picture became a base64 <img>, a third larger than the
// inline SVG it replaced, so that it survives HTML sanitizers.)

import assert from "node:assert/strict";
import { compare, sigmoid, softmax, temperatureExplorer } from "../mod.ts";
import { bundleOf } from "../lib/charts/render/_bundle.ts";
import { modelOf } from "../lib/charts/_model.ts";

const LIMIT = 40_000;
const bytes = (result: unknown) =>
  new TextEncoder().encode(
    JSON.stringify(bundleOf(modelOf("size", result, undefined))),
  ).length;
const logits = (n: number) =>
  new Float64Array(n).map((_, i) => Math.sin(i * 12.9898) * 4);
const long = (n: number) =>
  Array.from({ length: n }, (_, i) => `a rather long label ${i} for sizing`);

function check(name: string, result: unknown) {
  const size = bytes(result);
  assert.ok(size < LIMIT, `${name}: ${size} bytes`);
}

Deno.test("bundles stay under 40 KB for 10, 1,000 and 50,000 classes", async (t) => {
  for (const n of [10, 1000, 50_000]) {
    await t.step(`${n} classes`, () => {
      for (const labels of [undefined, long(n)]) {
        const o = labels === undefined ? {} : { labels };
        const kind = labels === undefined ? "short" : "long";
        check(`softmax ${n} ${kind}`, softmax(logits(n), o));
        check(`sigmoid ${n} ${kind}`, sigmoid(logits(n), o));
        check(`compare ${n} ${kind}`, compare(logits(n), o));
        check(`explorer ${n} ${kind}`, temperatureExplorer(logits(n), o));
      }
    });
  }
});

Deno.test("bundles stay under 40 KB for any row count, up to 1000 × 50,000 (float32 + shape)", async (t) => {
  const classes = 50_000;
  const x = new Float32Array(1000 * classes);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 2654435761) % 1000) / 125;
  for (const rows of [2, 3, 4, 5, 6, 7, 12, 13, 40, 1000]) {
    await t.step(`${rows} rows`, () => {
      const data = x.subarray(0, rows * classes);
      for (const labels of [undefined, long(classes)]) {
        const o = labels === undefined
          ? { shape: [rows, classes] }
          : { shape: [rows, classes], labels };
        check(`softmax ${rows}×${classes}`, softmax(data, o));
        check(`sigmoid ${rows}×${classes}`, sigmoid(data, o));
      }
    });
  }
  await t.step("few classes, many rows", () => {
    for (const rows of [6, 7, 60, 1000]) {
      const data = x.subarray(0, rows * 4);
      check(
        `softmax ${rows}×4`,
        softmax(data, { shape: [rows, 4], labels: long(4) }),
      );
      check(
        `sigmoid ${rows}×4`,
        sigmoid(data, { shape: [rows, 4], labels: long(4) }),
      );
    }
  });
});
