/// <reference lib="dom" />
/**
 * How heavy the pages and notebooks are: each tutorial notebook's size, and
 * the time from opening a page in headless Chromium (from disk, offline) to
 * every chart on it being an interactive Plotly chart, for the nbconvert
 * export of each tutorial notebook and for the demo's standalone page. The
 * median of `runs` loads (default 5), in a fresh tab each.
 *
 * ```sh
 * deno run -A tests/bench/time_to_interactive.ts [runs]
 * ```
 *
 * @module
 */

import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main as demo } from "../../lib/cli/demo.ts";
import { main as notebooks } from "../../notebooks/_runner/notebooks.ts";
import { watchPage, withChromium } from "../_browser/chromium.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 5);
  const dir = await Deno.makeTempDir({ prefix: "softmax-tti-" });
  try {
    const sources = [...Deno.readDirSync(join(ROOT, "notebooks"))]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
      .map((e) => join(ROOT, "notebooks", e.name)).sort();
    console.log("| notebook | size (MB) |\n| --- | --- |");
    for (const s of sources) {
      const mb = (await Deno.stat(s)).size / 1e6;
      console.log(`| ${basename(s)} | ${mb.toFixed(2)} |`);
    }
    if (await notebooks(["html", `--out-dir=${dir}`]) !== 0) {
      throw new Error("notebooks:html failed");
    }
    const demoPage = join(dir, "demo.html");
    const code = await demo(["--html", demoPage], {
      writeTextFile: (path, text) => Deno.writeTextFile(path, text),
      print: () => {},
      printError: (line) => console.error(line),
    });
    if (code !== 0) throw new Error(`the demo failed (${code})`);
    const pages = [
      ...sources.map((s) => join(dir, basename(s, ".ipynb") + ".html")),
      demoPage,
    ];
    console.log(
      `\n| page | size (MB) | to interactive (ms, median of ${runs}) |\n| --- | --- | --- |`,
    );
    await withChromium(async (context) => {
      for (const path of pages) {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const page = await context.newPage();
          try {
            const log = await watchPage(page);
            await page.goto(`file://${path}`, { waitUntil: "commit" });
            // Parsed to the end (every chart is on the page), and no chart
            // static or upgrading any more.
            await page.waitForFunction(
              () =>
                document.readyState !== "loading" &&
                document.querySelector("div.softmax-chart") !== null &&
                [...document.querySelectorAll("div.softmax-chart")].every((c) =>
                  /^(interactive|failed)$/.test(
                    c.getAttribute("data-state") ?? "",
                  )
                ),
              undefined,
              { timeout: 60_000, polling: 10 },
            );
            const interactive = await page.evaluate(() => performance.now());
            const failed = await page.locator(
              "div.softmax-chart:not([data-state=interactive])",
            ).count();
            if (failed > 0 || log.errors.length > 0 || log.blocked.length > 0) {
              throw new Error(
                `${basename(path)}: ${failed} charts not interactive; ${
                  [...log.errors, ...log.blocked].join("; ")
                }`,
              );
            }
            times.push(interactive);
          } finally {
            await page.close();
          }
        }
        const mb = (await Deno.stat(path)).size / 1e6;
        console.log(
          `| ${basename(path)} | ${mb.toFixed(2)} | ${
            Math.round(median(times))
          } |`,
        );
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
