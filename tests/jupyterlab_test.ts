// What a JupyterLab user sees, checked with JupyterLab's own output
// renderers: @jupyterlab/outputarea, @jupyterlab/rendermime with the real
// Sanitizer from @jupyterlab/apputils, and the Plotly extension plotly.py 5
// installs (jupyterlab-plotly 5.24.1, drawing with its own plotly.js 2.35),
// bundled with esbuild into one page in headless Chromium (see
// tests/_jupyterlab/bundle.ts; the bundle is cached in the Deno cache
// folder).
//
// Every tutorial notebook and a notebook kept outside the repository
// (importing mod.ts by absolute path, executed by the project's runner) is
// shown in eight ways: with and without the Plotly extension, trusted and
// untrusted, its outputs present on open and added one by one as cells run.
// Each fails when a chart is neither an interactive Plotly chart nor a
// visible picture, a plotly.js part output is taller than 2 px, a title
// overlaps its subtitle, or the page logs an error or requests anything off
// file://.
//
// Needs `deno test -A`, Chromium at /usr/bin/chromium, the npm registry on
// the first run, and Jupyter from /usr/bin/python3 for the out-of-repo
// notebook. Outside CI a missing Chromium or Jupyter skips, with a warning;
// under CI=true it fails.

import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assertAllPermissions,
  CHROMIUM_HINT,
  hasChromium,
  isLocal,
  shortUrl,
  withChromium,
} from "./_browser/chromium.ts";
import { hasNotebook, NOTEBOOK_HINT } from "./_browser/notebook_server.ts";
import {
  type ChartCase,
  HOSTILE_TITLE,
  hostileCharts,
} from "./_browser/fixtures.ts";
import { harnessPage } from "./_jupyterlab/bundle.ts";
import type { OutputJson } from "./_jupyterlab/in_lab.ts";
import { displayTitle } from "../lib/charts/_format.ts";
import { plotlyEmbedPartsOf } from "../lib/charts/render/_html.ts";
import { plotlyPacked } from "../lib/charts/render/_plotly_source.ts";
import { toHTML, toPlotly, toSVG, toText } from "../mod.ts";
import {
  codeCellOutputs,
  LAB_CASES,
  outOfRepoNotebook,
  showInLab,
} from "./_jupyterlab/harness.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CI = Deno.env.get("CI") === "true";
const missing = [
  ...(await hasChromium()) ? [] : [`Chromium (${CHROMIUM_HINT})`],
  ...(await hasNotebook()) ? [] : [`Jupyter (${NOTEBOOK_HINT})`],
].join(" and ");
const ignore = missing !== "" && !CI;
if (ignore) {
  console.warn(
    `jupyterlab_test.ts: ignoring the JupyterLab checks: ${missing} missing`,
  );
}

function tutorialNotebooks(): string[] {
  return [...Deno.readDirSync(join(ROOT, "notebooks"))]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
    .map((e) => join(ROOT, "notebooks", e.name))
    .sort();
}

Deno.test({
  name:
    "JupyterLab output areas show every chart of every notebook as a chart or a picture, parts take no room, titles clear of subtitles",
  ignore,
  async fn(t) {
    assert.equal(missing, "", `missing: ${missing}`);
    await assertAllPermissions();
    const { url } = await harnessPage();
    const user = await outOfRepoNotebook();
    try {
      const notebooks = [...tutorialNotebooks(), user.path];
      assert.ok(notebooks.length > 1, "no tutorial notebooks");
      await withChromium(async (context) => {
        for (const path of notebooks) {
          const cells = await codeCellOutputs(path);
          const name = path === user.path
            ? "a notebook outside the repo"
            : basename(path);
          for (const lab of LAB_CASES) {
            await t.step(`${name}, ${lab.name}`, async () => {
              const r = await showInLab(context, url, cells, lab);
              const charts = r.outputs.filter((o) => o.role === "chart");
              assert.ok(charts.length > 0, "no chart outputs found");
              assert.deepEqual(r.outputs.flatMap((o) => o.problems), []);
              assert.deepEqual(r.log.errors, [], "console errors");
              const remote = [
                ...r.log.blocked,
                ...r.log.requests.filter((u) => !isLocal(u)),
              ];
              assert.deepEqual(
                remote.map(shortUrl),
                [],
                "requests off file://",
              );
            });
          }
        }
      });
    } finally {
      await user.remove();
    }
  },
});

/** A chart's display bundle, as the kernel sends it (see lib/charts/render/_bundle.ts). */
function displayData(c: ChartCase): OutputJson {
  return {
    output_type: "display_data",
    metadata: {},
    data: {
      "application/vnd.plotly.v1+json": toPlotly(c.result, c.options),
      "text/html": toHTML(c.result, c.options),
      "image/svg+xml": toSVG(c.result, c.options),
      "text/plain": toText(c.result, c.options),
    },
  };
}

Deno.test({
  name:
    "hostile labels and titles stay text in JupyterLab's output areas: nothing runs, nothing injected, the title reads literally",
  ignore,
  async fn(t) {
    assert.equal(missing, "", `missing: ${missing}`);
    await assertAllPermissions();
    const { url } = await harnessPage();
    const parts = plotlyEmbedPartsOf(await plotlyPacked()).map((html) => ({
      output_type: "display_data",
      metadata: {},
      data: { "text/html": html, "text/plain": "" },
    }));
    const charts = hostileCharts();
    const cells = [parts, ...charts.map((c) => [displayData(c)])];
    const title = displayTitle(HOSTILE_TITLE);
    await withChromium(async (context) => {
      for (const lab of LAB_CASES) {
        await t.step(lab.name, async () => {
          const r = await showInLab(context, url, cells, lab);
          assert.deepEqual(r.outputs.flatMap((o) => o.problems), []);
          assert.deepEqual(r.injections.problems, []);
          assert.equal(r.injections.titles.length, charts.length);
          for (const shown of r.injections.titles) {
            if (shown.startsWith("alt: ")) {
              assert.ok(shown.startsWith(`alt: ${title}`), shown);
            } else assert.equal(shown, title);
          }
          assert.deepEqual(r.log.errors, [], "console errors");
          assert.deepEqual(r.log.blocked.map(shortUrl), [], "requests");
        });
      }
    });
  },
});
