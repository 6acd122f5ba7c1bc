// What people see, checked in a real browser (Debian's Chromium, driven by
// playwright-core; nothing is downloaded):
//
// 1. every tutorial notebook exported by nbconvert, opened from disk with
//    scripts on: each chart becomes an interactive Plotly chart that matches
//    its figure, with no console errors and no request leaving file://;
// 2. the same pages with JavaScript off: each chart is its inline SVG,
//    visible and readable;
// 3. the classic Notebook: a committed notebook opened untrusted, not run,
//    shows every chart as a picture and no room for plotly.js; then Run All
//    through the menus, every chart drawn interactive, each one
//    screenshotted;
// 4. hostile labels and titles in every kind of chart, as standalone pages
//    and as notebook-style fragments: nothing runs, nothing is injected,
//    the text reads literally;
// 5. every kind of figure the module makes passes Plotly.validate;
// 6. standalone pages and the demo page render offline.
//
// Needs `deno test -A` (playwright-core), Chromium at /usr/bin/chromium and,
// for 1-3, Jupyter from /usr/bin/python3. Outside CI a missing Chromium or
// Jupyter skips the checks that need it, with a warning; with CI set (any
// non-empty value) they fail. Set BROWSER_TEST_ARTIFACTS=DIR to keep the classic Notebook's
// screenshots in DIR (otherwise they go to a temporary folder).

import { underCI } from "./_ci.ts";
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "npm:playwright-core@1.65.1";
import { main as demo } from "../lib/cli/demo.ts";
import { UPGRADE_SCRIPT } from "../lib/charts/render/_html.ts";
import { displayTitle } from "../lib/charts/_format.ts";
import { toPlotly } from "../mod.ts";
import { main as notebooks } from "../notebooks/_runner/notebooks.ts";
import { userNotebook } from "./_jupyterlab/harness.ts";
import {
  assertAllPermissions,
  CHROMIUM,
  CHROMIUM_HINT,
  hasChromium,
  isLocal,
  type PageLog,
  shortUrl,
  VIEWPORT,
  watchPage,
  withChromium,
} from "./_browser/chromium.ts";
import {
  everyFigure,
  fragmentOf,
  fragmentPage,
  HOSTILE_TITLE,
  hostileCharts,
  longTextCharts,
  standaloneOf,
} from "./_browser/fixtures.ts";
import {
  barCentre,
  type ChartReport,
  chartsSettled,
  embedOutputHeights,
  type FigureCase,
  hoverText,
  injectionProblems,
  inspectCharts,
  kernelOutputArrives,
  notebookReady,
  notebookState,
  notebookTrusted,
  pictures,
  picturesDecoded,
  plotlySubtitle,
  runAllProgress,
  sliderStep,
  svgText,
  validateFigures,
} from "./_browser/in_page.ts";
import {
  hasNotebook,
  NOTEBOOK_HINT,
  type NotebookServer,
  startNotebookServer,
} from "./_browser/notebook_server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOKS = join(ROOT, "notebooks");
const CI = underCI(Deno.env.get("CI"));
const CHROMIUM_OK = await hasChromium();
const NOTEBOOK_OK = await hasNotebook();
/** The notebook the classic Notebook check runs through its UI. */
const CLASSIC_NOTEBOOK = "notebooks/01_why_not_sigmoid.ipynb";

/** Notebook 6's hard-coded fallback load of ipywidgets' extension (main.js). */
const WIDGETS_PROBE =
  /^console error: .*\/nbextensions\/widgets\/notebook\/js\/extension\.js\?v=\d+/;

function missingTools(jupyter: boolean): string {
  if (CI) return "";
  const missing: string[] = [];
  if (!CHROMIUM_OK) missing.push(`Chromium (${CHROMIUM_HINT})`);
  if (jupyter && !NOTEBOOK_OK) missing.push(`Jupyter (${NOTEBOOK_HINT})`);
  return missing.join(" and ");
}

/**
 * A browser test: ignored, with a warning, when a tool it needs is missing
 * outside CI; with CI set (any non-empty value) a missing tool fails it. Every browser, server
 * and folder is closed by the test itself (the sanitizers stay on).
 */
function browserTest(
  name: string,
  needs: { jupyter?: boolean },
  fn: (t: Deno.TestContext) => Promise<void>,
): void {
  const missing = missingTools(needs.jupyter ?? false);
  if (missing !== "") {
    console.warn(`browser_test.ts: ignoring "${name}": ${missing} missing`);
  }
  Deno.test({
    name,
    ignore: missing !== "",
    async fn(t) {
      assert.ok(
        CHROMIUM_OK,
        `Chromium is missing (${CHROMIUM}): ${CHROMIUM_HINT}`,
      );
      if (needs.jupyter) {
        assert.ok(NOTEBOOK_OK, `Jupyter is missing: ${NOTEBOOK_HINT}`);
      }
      await assertAllPermissions();
      await fn(t);
    },
  });
}

/** Opens `url` in a new page that may reach only file:, data:, about: and blob: URLs. */
async function openOffline(
  context: BrowserContext,
  url: string,
): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  const log = await watchPage(page, isLocal);
  await page.goto(url, { waitUntil: "load" });
  return { page, log };
}

/** Waits until no chart is static or upgrading any more. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(chartsSettled, undefined, { timeout: 30_000 });
}

/** No console errors or uncaught exceptions, and no request beyond `allowed`. */
function assertClean(
  log: PageLog,
  allowed: (url: string) => boolean = isLocal,
): void {
  assert.deepEqual(log.errors, [], "console errors or uncaught exceptions");
  const remote = [...log.blocked, ...log.requests.filter((u) => !allowed(u))];
  assert.deepEqual(remote.map(shortUrl), [], "requests off the machine");
}

/** plotly.js went out in parts, and the notebook outputs holding them take no room. */
async function assertEmbedOutputsHidden(page: Page): Promise<void> {
  const heights = await page.evaluate(embedOutputHeights);
  assert.ok(heights.length >= 1, `${heights.length} plotly.js parts`);
  assert.deepEqual(heights, heights.map(() => 0));
}

/**
 * The page shows `kinds` of charts, in order, each right and, unless
 * `clipping` is false, with no text crossing its edge.
 */
function assertCharts(
  reports: ChartReport[],
  kinds: readonly string[],
  { clipping = true } = {},
): void {
  assert.deepEqual(reports.map((r) => r.kind), kinds, "the charts on the page");
  assert.deepEqual(reports.flatMap((r) => r.problems), []);
  if (clipping) assert.deepEqual(reports.flatMap((r) => r.clipped), []);
}

/** The charts a notebook's committed outputs hold, by `data-chart`, in order. */
async function chartKindsOf(notebook: string): Promise<string[]> {
  const json = JSON.parse(await Deno.readTextFile(notebook)) as {
    cells: { outputs?: { data?: Record<string, string | string[]> }[] }[];
  };
  return json.cells.flatMap((cell) =>
    (cell.outputs ?? []).flatMap((output) => {
      const html = output.data?.["text/html"] ?? "";
      const text = Array.isArray(html) ? html.join("") : html;
      return [
        ...text.matchAll(
          /<div class='softmax-chart'[^>]*?data-chart='([a-z-]+)'/g,
        ),
      ]
        .map((m) => m[1] as string);
    })
  );
}

async function tutorialNotebooks(): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(NOTEBOOKS)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) {
      found.push(join(NOTEBOOKS, entry.name));
    }
  }
  return found.sort();
}

async function withTempDir<T>(
  prefix: string,
  body: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fileUrl = (path: string) => new URL(`file://${path}`).href;

browserTest(
  "nbconvert exports of the tutorial notebooks: every chart interactive with scripts on, its SVG with scripts off",
  { jupyter: true },
  async (t) => {
    await withTempDir("softmax-nbconvert-", async (dir) => {
      // The committed notebooks, exported as they are (no execution).
      assert.equal(await notebooks(["html", `--out-dir=${dir}`]), 0);
      const sources = await tutorialNotebooks();
      assert.ok(sources.length > 0, "no tutorial notebooks");
      await withChromium(async (context) => {
        for (const source of sources) {
          const html = join(dir, basename(source, ".ipynb") + ".html");
          const kinds = await chartKindsOf(source);
          await t.step(
            `${
              basename(html)
            } with scripts on: ${kinds.length} charts interactive, offline, no console errors, plotly.js outputs take no room`,
            async () => {
              const { page, log } = await openOffline(context, fileUrl(html));
              try {
                await settle(page);
                assertCharts(
                  await page.evaluate(inspectCharts, "interactive"),
                  kinds,
                );
                await assertEmbedOutputsHidden(page);
                assertClean(log);
              } finally {
                await page.close();
              }
            },
          );
        }
        const browser = context.browser();
        assert.ok(browser !== null);
        const noScripts = await browser.newContext({
          javaScriptEnabled: false,
          viewport: VIEWPORT,
        });
        try {
          for (const source of sources) {
            const html = join(dir, basename(source, ".ipynb") + ".html");
            const kinds = await chartKindsOf(source);
            await t.step(
              `${
                basename(html)
              } with scripts off: ${kinds.length} charts visible as SVG, labels readable`,
              async () => {
                const { page, log } = await openOffline(
                  noScripts,
                  fileUrl(html),
                );
                try {
                  assertCharts(
                    await page.evaluate(inspectCharts, "static"),
                    kinds,
                  );
                  assertClean(log);
                } finally {
                  await page.close();
                }
              },
            );
          }
        } finally {
          await noScripts.close();
        }
      });
    });
  },
);

/**
 * How many garbled IOPub messages the Notebook server has logged. Deno's
 * kernel garbles single messages of a few megabytes when the server holds
 * more than one IOPub connection, as this one does; plotly.js therefore goes
 * out in parts of at most 1 MB, and this must stay 0.
 */
function garbledMessages(server: NotebookServer): number {
  return server.log().match(/Invalid Signature|'<IDS\|MSG>' is not in list/g)
    ?.length ?? 0;
}

/**
 * Opens the notebook in the classic Notebook and, through the menus as a
 * person would, clears every output and runs all cells; returns when the
 * kernel is idle again and `charts` charts have arrived.
 */
async function runAllThroughMenus(
  page: Page,
  server: NotebookServer,
  path: string,
  charts: number,
): Promise<void> {
  await page.goto(server.notebookUrl(path));
  await page.waitForFunction(notebookReady, undefined, { timeout: 60_000 });
  if (!await page.evaluate(kernelOutputArrives, 15_000)) {
    throw new Error("the kernel's outputs do not reach the page");
  }
  await page.click("#celllink");
  await page.hover("#all_outputs");
  await page.click("#clear_all_output");
  assert.equal(await page.locator("div.softmax-chart").count(), 0);
  await page.click("#celllink");
  await page.click("#run_all_cells");
  // Every cell numbered but the kernel still busy means its idle status
  // never arrived.
  const started = Date.now();
  let numberedSince: number | undefined;
  let errors: string[];
  for (;;) {
    const progress = await page.evaluate(runAllProgress);
    if (progress.numbered && progress.idle) {
      errors = progress.errors;
      break;
    }
    numberedSince = progress.numbered ? numberedSince ?? Date.now() : undefined;
    const late = numberedSince !== undefined &&
      Date.now() - numberedSince > 20_000;
    if (late || Date.now() - started > 180_000) {
      throw new Error(
        `Run All did not finish${
          late ? ": every cell ran but the kernel never went idle" : ""
        }: ${await page.evaluate(notebookState)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.deepEqual(errors, [], "cells raised");
  // Displays can arrive just after the kernel went idle.
  try {
    await page.waitForFunction(
      (n) => document.querySelectorAll("div.softmax-chart").length >= n,
      charts,
      { timeout: 30_000 },
    );
  } catch {
    throw new Error(
      `${await page.locator("div.softmax-chart")
        .count()} of ${charts} charts arrived: ${await page
        .evaluate(notebookState)}`,
    );
  }
}

browserTest(
  `classic Notebook: ${
    basename(CLASSIC_NOTEBOOK)
  } opened untrusted shows every chart as a picture; Run All draws every chart interactive`,
  { jupyter: true },
  async () => {
    const kinds = await chartKindsOf(join(ROOT, CLASSIC_NOTEBOOK));
    assert.ok(kinds.length > 0, `${CLASSIC_NOTEBOOK} has no charts`);
    const kept = Deno.env.get("BROWSER_TEST_ARTIFACTS");
    await withTempDir("softmax-classic-", async (temp) => {
      const shots = kept ?? temp;
      await Deno.mkdir(shots, { recursive: true });
      const server = await startNotebookServer(ROOT);
      const allowed = (url: string) => {
        const { protocol, host } = new URL(url);
        return isLocal(url) ||
          (/^(http|ws):$/.test(protocol) && host === server.host);
      };
      try {
        await withChromium(async (context) => {
          const first = await context.newPage();
          const firstLog = await watchPage(first, allowed);
          // First as a newcomer opens it: untrusted (the server's notary has
          // never seen it), not run. The sanitizer removes every script,
          // style and <svg>: each chart must still be a picture, and the
          // plotly.js outputs must take no room.
          await first.goto(server.notebookUrl(CLASSIC_NOTEBOOK));
          await first.waitForFunction(notebookReady, undefined, {
            timeout: 60_000,
          });
          await first.waitForFunction(picturesDecoded, undefined, {
            timeout: 10_000,
          });
          assert.equal(await first.evaluate(notebookTrusted), false);
          assert.equal(
            await first.locator("div.softmax-chart-plotly").count(),
            0,
          );
          const shown = await first.evaluate(pictures);
          assert.equal(shown.length, kinds.length, "pictures untrusted");
          for (const [i, p] of shown.entries()) {
            assert.ok(
              p.loaded && p.visible && p.width >= 400 && p.height >= 300,
              `untrusted chart ${i}: ${JSON.stringify(p)}`,
            );
            assert.match(p.alt, /over \d+ classes/);
          }
          // The part hides itself (hidden="hidden" survives), but the
          // Notebook pads every output area and its <style> that hides
          // the area is gone: one part leaves about 11 px.
          const parts = await first.evaluate(embedOutputHeights);
          assert.equal(parts.length, 1, "plotly.js part outputs");
          assert.ok(parts.every((h) => h <= 12), `part heights ${parts}`);
          await first.screenshot({
            path: join(
              shots,
              `classic-untrusted-${basename(CLASSIC_NOTEBOOK, ".ipynb")}.png`,
            ),
          });
          firstLog.errors = firstLog.errors.filter((e) =>
            !WIDGETS_PROBE.test(e)
          );
          assertClean(firstLog, allowed);
          await first.close();
          const page = await context.newPage();
          const log = await watchPage(page, allowed);
          try {
            await runAllThroughMenus(
              page,
              server,
              CLASSIC_NOTEBOOK,
              kinds.length,
            );
          } catch (error) {
            throw new Error(
              `${(error as Error).message}\n${server.log().slice(-4000)}`,
            );
          }
          assert.equal(
            garbledMessages(server),
            0,
            "the Notebook server logged garbled IOPub messages",
          );
          await settle(page);
          assertCharts(
            await page.evaluate(inspectCharts, "interactive"),
            kinds,
          );
          await assertEmbedOutputsHidden(page);
          const charts = page.locator("div.softmax-chart");
          const stem = basename(CLASSIC_NOTEBOOK, ".ipynb");
          for (let i = 0; i < kinds.length; i++) {
            const path = join(shots, `classic-${stem}-chart-${i}.png`);
            await charts.nth(i).scrollIntoViewIfNeeded();
            await charts.nth(i).screenshot({ path });
            assert.ok((await Deno.stat(path)).size > 5_000, `${path} is empty`);
          }
          await page.screenshot({ path: join(shots, `classic-${stem}.png`) });
          // The Notebook itself probes for ipywidgets' extension, which is
          // not installed: two console errors that are not ours.
          log.errors = log.errors.filter((e) => !WIDGETS_PROBE.test(e));
          assertClean(log, allowed);
        });
      } finally {
        await server.stop();
      }
    });
  },
);

browserTest(
  "hostile labels and titles stay text in softmax, sigmoid, compare, heatmap and top-k charts",
  {},
  async (t) => {
    const cases = hostileCharts();
    const title = displayTitle(HOSTILE_TITLE);
    await withTempDir("softmax-hostile-", async (dir) => {
      const pages: { name: string; path: string; cases: typeof cases }[] = [];
      for (const c of cases) {
        const path = join(dir, `${c.name}.html`);
        await Deno.writeTextFile(path, await standaloneOf(c));
        pages.push({
          name: `${c.name} (toHTML standalone page)`,
          path,
          cases: [c],
        });
      }
      const fragments = join(dir, "fragments.html");
      await Deno.writeTextFile(
        fragments,
        await fragmentPage(
          cases.slice(0, 2).map(fragmentOf),
          cases.slice(2).map(fragmentOf),
        ),
      );
      pages.push({
        name: "all five as toHTML fragments, two before the plotly.js embed",
        path: fragments,
        cases,
      });
      await withChromium(async (context) => {
        for (const { name, path, cases: shown } of pages) {
          await t.step(
            `${name}: nothing runs, the labels read literally`,
            async () => {
              const { page, log } = await openOffline(context, fileUrl(path));
              try {
                await settle(page);
                const reports = await page.evaluate(
                  inspectCharts,
                  "interactive",
                );
                // Safety only: a title of markup (wide glyphs) at the length
                // limit is wider than ordinary text, and whether ordinary
                // long text fits is the long-text test's business.
                assertCharts(reports, shown.map((c) => c.kind), {
                  clipping: false,
                });
                for (const [i, c] of shown.entries()) {
                  assert.deepEqual(
                    reports[i]?.labels,
                    c.labels,
                    `${c.name}: Plotly's labels`,
                  );
                  assert.equal(
                    reports[i]?.title,
                    title,
                    `${c.name}: Plotly's title`,
                  );
                  const svg = await page.evaluate(svgText, i);
                  assert.deepEqual(
                    svg.labels,
                    c.labels,
                    `${c.name}: the SVG's labels`,
                  );
                  assert.equal(svg.title, title, `${c.name}: the SVG's title`);
                  if (c.name === "heatmap") continue;
                  // Hover the first bar: the hover label shows its label as text.
                  await page.locator("div.softmax-chart").nth(i)
                    .scrollIntoViewIfNeeded();
                  const at = await page.evaluate(
                    barCentre,
                    [i, 0] as [number, number],
                  );
                  assert.ok(at !== null, `${c.name}: no bar to hover`);
                  await page.mouse.move(at.x, at.y);
                  await page.waitForFunction(hoverText, undefined, {
                    timeout: 5_000,
                  });
                  const hover = await page.evaluate(hoverText);
                  assert.ok(
                    hover.includes(c.labels[0] as string),
                    `${c.name}: hover label ${JSON.stringify(hover)} lacks ${
                      JSON.stringify(c.labels[0])
                    }`,
                  );
                  await page.mouse.move(0, 0);
                }
                assert.deepEqual(
                  await page.evaluate(injectionProblems, UPGRADE_SCRIPT),
                  [],
                );
                assertClean(log);
              } finally {
                await page.close();
              }
            },
          );
        }
        await t.step(
          "the fragments with scripts off: the SVGs hold the same text, nothing injected",
          async () => {
            const noScripts = await context.browser()!.newContext({
              javaScriptEnabled: false,
              viewport: VIEWPORT,
            });
            try {
              const { page, log } = await openOffline(
                noScripts,
                fileUrl(fragments),
              );
              const reports = await page.evaluate(inspectCharts, "static");
              assertCharts(reports, cases.map((c) => c.kind), {
                clipping: false,
              });
              for (const [i, c] of cases.entries()) {
                assert.deepEqual(
                  reports[i]?.labels,
                  c.labels,
                  `${c.name}: the SVG's labels`,
                );
                assert.equal(
                  reports[i]?.title,
                  title,
                  `${c.name}: the SVG's title`,
                );
              }
              assert.deepEqual(
                await page.evaluate(injectionProblems, UPGRADE_SCRIPT),
                [],
              );
              assertClean(log);
            } finally {
              await noScripts.close();
            }
          },
        );
      });
    });
  },
);

browserTest(
  "long titles and labels stay inside the chart, interactive and static",
  {},
  async (t) => {
    const cases = longTextCharts();
    await withTempDir("softmax-long-text-", async (dir) => {
      const path = join(dir, "long.html");
      await Deno.writeTextFile(
        path,
        await fragmentPage([], cases.map(fragmentOf)),
      );
      await withChromium(async (context) => {
        await t.step("with scripts on (Plotly)", async () => {
          const { page, log } = await openOffline(context, fileUrl(path));
          try {
            await settle(page);
            assertCharts(
              await page.evaluate(inspectCharts, "interactive"),
              cases.map((c) => c.kind),
            );
            assertClean(log);
          } finally {
            await page.close();
          }
        });
        await t.step("with scripts off (SVG)", async () => {
          const noScripts = await context.browser()!.newContext({
            javaScriptEnabled: false,
            viewport: VIEWPORT,
          });
          try {
            const { page } = await openOffline(noScripts, fileUrl(path));
            assertCharts(
              await page.evaluate(inspectCharts, "static"),
              cases.map((c) => c.kind),
            );
          } finally {
            await noScripts.close();
          }
        });
      });
    });
  },
);

browserTest(
  "every kind of Plotly figure the module makes passes Plotly.validate and draws",
  {},
  async () => {
    const cases = everyFigure();
    const figures: FigureCase[] = cases.map((c) => ({
      name: c.name,
      figure: toPlotly(c.result, c.options) as FigureCase["figure"],
    }));
    await withTempDir("softmax-validate-", async (dir) => {
      const path = join(dir, "figures.html");
      const fragments = cases.map(fragmentOf);
      await Deno.writeTextFile(
        path,
        await fragmentPage(fragments.slice(0, 3), fragments.slice(3)),
      );
      await withChromium(async (context) => {
        const { page, log } = await openOffline(context, fileUrl(path));
        await settle(page);
        assert.deepEqual(await page.evaluate(validateFigures, figures), []);
        const reports = await page.evaluate(inspectCharts, "interactive");
        assert.equal(reports.length, cases.length);
        assertCharts(reports, cases.map((c) => c.kind));
        assertClean(log);
      });
    });
  },
);

browserTest(
  "standalone pages and the demo page render offline",
  {},
  async (t) => {
    const some = everyFigure().filter((c) =>
      [
        "softmax bars",
        "sigmoid with the default threshold",
        "heatmap, 40 × 30 float32",
        "temperature explorer",
      ].includes(c.name)
    );
    await withTempDir("softmax-standalone-", async (dir) => {
      await withChromium(async (context) => {
        for (const c of some) {
          await t.step(`toHTML(${c.name}, { standalone: true })`, async () => {
            const path = join(dir, "standalone.html");
            await Deno.writeTextFile(path, await standaloneOf(c));
            const { page, log } = await openOffline(context, fileUrl(path));
            try {
              await settle(page);
              const reports = await page.evaluate(inspectCharts, "interactive");
              assertCharts(reports, [c.kind]);
              assertClean(log);
            } finally {
              await page.close();
            }
          });
        }
        await t.step(
          "deno task demo's page, and its temperature slider",
          async () => {
            const path = join(dir, "demo.html");
            const printed: string[] = [];
            const code = await demo(["--html", path], {
              writeTextFile: (p, text) => Deno.writeTextFile(p, text),
              print: (line) => printed.push(line),
              printError: (line) => printed.push(line),
            });
            assert.equal(code, 0, printed.join("\n"));
            const { page, log } = await openOffline(context, fileUrl(path));
            try {
              await settle(page);
              assertCharts(
                await page.evaluate(inspectCharts, "interactive"),
                ["compare", "bars", "bars", "temperature-explorer"],
              );
              // Click the slider's first step (T = 0.1): the subtitle follows.
              assert.match(
                await page.evaluate(plotlySubtitle, 3),
                /^temperature 1:/,
              );
              await page.locator("div.softmax-chart").nth(3)
                .scrollIntoViewIfNeeded();
              const at = await page.evaluate(
                sliderStep,
                [3, 0] as [number, number],
              );
              assert.ok(at !== null, "the temperature chart has no slider");
              await page.mouse.click(at.x, at.y);
              await page.waitForFunction(
                (i) =>
                  (document.querySelectorAll("div.softmax-chart")[i]
                    ?.querySelectorAll(".gtitle tspan.line")[1]?.textContent ??
                    "").startsWith("temperature 0.1:"),
                3,
                { timeout: 10_000 },
              );
              assertClean(log);
            } finally {
              await page.close();
            }
          },
        );
      });
    });
  },
);

/** Serves the repo's files on loopback, `.ts` as application/typescript. */
function serveRepo(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      if (path.includes("..") || !path.endsWith(".ts")) {
        return new Response("not found", { status: 404 });
      }
      try {
        return new Response(await Deno.readFile(join(ROOT, path)), {
          headers: { "content-type": "application/typescript" },
        });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}

/** Runs `deno` with `args` in `cwd` and a fresh, empty DENO_DIR. */
async function denoWithEmptyCache(
  cwd: string,
  args: string[],
): Promise<void> {
  const cache = await Deno.makeTempDir({ prefix: "softmax-deno-dir-" });
  try {
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd,
      env: { DENO_DIR: cache },
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(
      success,
      `deno ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`,
    );
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
}

browserTest(
  "a user's own notebooks, importing the module by path and by URL, and a user's script: every chart interactive, offline",
  { jupyter: true },
  async (t) => {
    const server = serveRepo();
    try {
      await withTempDir("softmax-user-", async (dir) => {
        const runner = join(ROOT, "notebooks", "_runner", "notebooks.ts");
        const ways = {
          path: join(ROOT, "mod.ts"),
          url: `http://127.0.0.1:${server.addr.port}/mod.ts`,
        };
        for (const [way, from] of Object.entries(ways)) {
          const notebook = join(dir, `by_${way}.ipynb`);
          await Deno.writeTextFile(notebook, userNotebook(from));
          // Each kernel starts from an empty Deno cache, as a new user's.
          await denoWithEmptyCache(dir, ["run", "-A", runner, "run", notebook]);
          const kinds = await chartKindsOf(notebook);
          assert.deepEqual(kinds, ["bars", "bars", "compare"]);
        }
        await Deno.writeTextFile(
          join(dir, "page.ts"),
          `import { softmax, toHTML } from "${ways.path}";\n` +
            `await Deno.writeTextFile("page.html", await toHTML(softmax([2, 1, 0.1]), { standalone: true }));\n`,
        );
        await denoWithEmptyCache(dir, ["run", "-A", "page.ts"]);
        assert.equal(
          await notebooks(["html", `--out-dir=${dir}`, dir]),
          0,
        );
        await withChromium(async (context) => {
          const pages = [
            ["by_path.html", ["bars", "bars", "compare"]],
            ["by_url.html", ["bars", "bars", "compare"]],
            ["page.html", ["bars"]],
          ] as const;
          for (const [name, kinds] of pages) {
            await t.step(
              `${name}: ${kinds.join(", ")} interactive`,
              async () => {
                const { page, log } = await openOffline(
                  context,
                  fileUrl(join(dir, name)),
                );
                try {
                  await settle(page);
                  assertCharts(
                    await page.evaluate(inspectCharts, "interactive"),
                    kinds,
                  );
                  if (name !== "page.html") {
                    await assertEmbedOutputsHidden(page);
                  }
                  assertClean(log);
                } finally {
                  await page.close();
                }
              },
            );
          }
        });
      });
    } finally {
      await server.shutdown();
    }
  },
);

browserTest(
  "plotly.js arriving mid-parse upgrades whole charts only: a chart whose upgrade script is not parsed yet is left to it",
  {},
  async () => {
    await withChromium(async (context) => {
      const page = await context.newPage();
      try {
        const log = await watchPage(page);
        // Two charts as the parser may leave them when plotly.js arrives:
        // one whole, one cut inside its figure JSON (no upgrade script yet).
        await page.setContent(
          "<div class='softmax-chart' data-state='static'><img class='softmax-chart-img'/>" +
            "<script type='application/json' class='softmax-chart-figure'>{\"data\":[]}</script>" +
            "<script type='text/plain'></script></div>" +
            "<div class='softmax-chart' data-state='static'><img class='softmax-chart-img'/>" +
            "<script type='application/json' class='softmax-chart-figure'>{\"data\":[</script></div>",
        );
        const states = await page.evaluate(async (upgrade) => {
          const drawn: unknown[] = [];
          (window as unknown as { Plotly: unknown }).Plotly = {
            newPlot: (_: unknown, figure: unknown) => {
              drawn.push(figure);
              return Promise.resolve();
            },
          };
          new Function(upgrade)();
          await new Promise((resolve) => setTimeout(resolve, 50));
          return [
            ...[...document.querySelectorAll("div.softmax-chart")].map((c) =>
              c.getAttribute("data-state")
            ),
            String(drawn.length),
          ];
        }, UPGRADE_SCRIPT);
        assert.deepEqual(states, ["interactive", "static", "1"]);
        assertClean(log);
      } finally {
        await page.close();
      }
    });
  },
);
