/**
 * `deno task screenshots`: PNG pictures of the key charts, taken from the
 * interactive Plotly charts in Debian's Chromium, into `docs/`: softmax with
 * its argmax, sigmoid with its threshold, the two compared, the temperature
 * explorer and a heatmap, each on a light page (`docs/NAME.png`) and a dark
 * one (`docs/NAME-dark.png`). The README shows them; look at each before
 * committing it.
 *
 * ```sh
 * deno task screenshots [--out-dir=DIR]
 * ```
 *
 * @module
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toHTML,
} from "../../mod.ts";
import {
  CHROMIUM,
  CHROMIUM_HINT,
  hasChromium,
  isLocal,
  watchPage,
  withChromium,
} from "./chromium.ts";
import { type ChartCase, fragmentPage } from "./fixtures.ts";
import { chartsSettled, inspectCharts } from "./in_page.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The pictures: file name (without `.png`) and chart. */
export function pictures(): ChartCase[] {
  const pets = ["cat", "dog", "bird"];
  const tags = ["beach", "dog", "person", "car", "night"];
  const species = ["setosa", "versicolor", "virginica"];
  // A batch of 16 flowers' logits: deterministic, each row leaning towards
  // one species with some doubt between the last two.
  const batch = Array.from({ length: 16 }, (_, r) => {
    const lean = r % 3;
    return species.map((_, c) =>
      (c === lean ? 2.2 : 0) + Math.sin(r * 1.7 + c * 2.3) * 1.1
    );
  });
  return [
    {
      name: "softmax",
      kind: "bars",
      result: softmax([2, 1, 0.1], { labels: pets }),
    },
    {
      name: "sigmoid",
      kind: "bars",
      result: sigmoid([2.1, 1.4, 0.8, -1.5, -2.7], { labels: tags }),
    },
    {
      name: "compare",
      kind: "compare",
      result: compare([2, 1, 0.1], { labels: pets }),
    },
    {
      name: "temperature",
      kind: "temperature-explorer",
      result: temperatureExplorer([2, 1, 0.1], { labels: pets }),
    },
    {
      name: "heatmap",
      kind: "heatmap",
      result: softmax(batch, { labels: species }),
      options: { title: "softmax over 3 species, 16 flowers" },
    },
  ];
}

/** Page backgrounds: a light notebook and a dark one. */
const THEMES = [
  { suffix: "", background: "#ffffff", scheme: "light" },
  { suffix: "-dark", background: "#1e1e1e", scheme: "dark" },
] as const;

/** Space around the chart in each picture, in CSS pixels. */
const MARGIN = 16;

/**
 * Takes the pictures into `outDir` and returns the files written. Each chart
 * must upgrade to Plotly without console errors or requests off the
 * machine, and pass the browser checks' chart inspection, or nothing is
 * written for it.
 */
export async function takeScreenshots(outDir: string): Promise<string[]> {
  await Deno.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const temp = await Deno.makeTempDir({ prefix: "softmax-screenshots-" });
  try {
    await withChromium(async (context) => {
      for (const picture of pictures()) {
        for (const theme of THEMES) {
          const path = join(temp, `${picture.name}${theme.suffix}.html`);
          await Deno.writeTextFile(
            path,
            await fragmentPage([], [toHTML(picture.result, picture.options)], {
              title: picture.name,
              background: theme.background,
            }),
          );
          const page = await context.newPage();
          try {
            await page.emulateMedia({ colorScheme: theme.scheme });
            const log = await watchPage(page, isLocal);
            await page.goto(new URL(`file://${path}`).href);
            await page.waitForFunction(chartsSettled, undefined, {
              timeout: 30_000,
            });
            const problems = [
              ...log.errors,
              ...log.blocked.map((url) => `request off the machine: ${url}`),
              ...(await page.evaluate(inspectCharts, "interactive"))
                .flatMap((r) => r.problems),
            ];
            if (problems.length > 0) {
              throw new Error(`${picture.name}: ${problems.join("; ")}`);
            }
            const chart = page.locator("div.softmax-chart").first();
            const box = await chart.boundingBox();
            if (box === null) throw new Error(`${picture.name}: no chart`);
            const file = join(outDir, `${picture.name}${theme.suffix}.png`);
            await page.screenshot({
              path: file,
              clip: {
                x: Math.max(0, box.x - MARGIN),
                y: Math.max(0, box.y - MARGIN),
                width: box.width + 2 * MARGIN,
                height: box.height + 2 * MARGIN,
              },
            });
            written.push(file);
          } finally {
            await page.close();
          }
        }
      }
    }, { deviceScaleFactor: 2 });
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "out-dir": { type: "string" } },
    strict: true,
  });
  if (!await hasChromium()) {
    console.error(
      `screenshots: Chromium is missing (${CHROMIUM}): ${CHROMIUM_HINT}`,
    );
    Deno.exit(1);
  }
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const outDir = values["out-dir"] === undefined
    ? join(ROOT, "docs")
    : resolve(base, values["out-dir"]);
  for (const file of await takeScreenshots(outDir)) {
    const { size } = await Deno.stat(file);
    console.log(`wrote ${file} (${Math.ceil(size / 1024)} KB)`);
  }
}
