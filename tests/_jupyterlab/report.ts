/**
 * Prints what JupyterLab's output areas show for each notebook in each case
 * of the harness (see tests/jupyterlab_test.ts): how the charts show, how
 * tall the plotly.js parts are, the problems found and the time the page
 * took to settle.
 *
 * ```sh
 * deno run -A tests/_jupyterlab/report.ts [--out-of-repo] [notebooks...]
 * ```
 *
 * @module
 */

import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withChromium } from "../_browser/chromium.ts";
import { harnessPage } from "./bundle.ts";
import {
  codeCellOutputs,
  LAB_CASES,
  outOfRepoNotebook,
  showInLab,
} from "./harness.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

if (import.meta.main) {
  const args = Deno.args.filter((a) => a !== "--out-of-repo");
  let paths = args;
  if (paths.length === 0) {
    paths = [...Deno.readDirSync(join(ROOT, "notebooks"))]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
      .map((e) => join(ROOT, "notebooks", e.name))
      .sort();
  }
  const user = Deno.args.includes("--out-of-repo")
    ? await outOfRepoNotebook()
    : undefined;
  if (user !== undefined) paths.push(user.path);
  try {
    const { url } = await harnessPage();
    await withChromium(async (context) => {
      for (const path of paths) {
        const cells = await codeCellOutputs(path);
        const size = (await Deno.stat(path)).size;
        console.log(`\n${basename(path)} (${(size / 1e6).toFixed(2)} MB)`);
        for (const lab of LAB_CASES) {
          const r = await showInLab(context, url, cells, lab);
          const charts = r.outputs.filter((o) => o.role === "chart");
          const parts = r.outputs.filter((o) => o.role === "part");
          const shows = new Map<string, number>();
          for (const c of charts) {
            shows.set(c.shows, (shows.get(c.shows) ?? 0) + 1);
          }
          const problems = r.outputs.flatMap((o) => o.problems);
          const errors = [...r.log.errors, ...r.log.blocked];
          console.log(
            `  ${lab.name.padEnd(36)} charts ${
              [...shows].map(([k, n]) => `${n} ${k}`).join(", ")
            }; parts ${parts.map((p) => p.height).join("/") || "none"} px; ` +
              `png ${charts.filter((c) => c.png).length}; ` +
              `settled ${r.settledMs} ms; plotly.js ${
                r.plotlyVersion ?? "none"
              }; ` +
              `${problems.length} problems, ${errors.length} errors`,
          );
          for (const p of [...problems, ...errors].slice(0, 6)) {
            console.log(`      ${p.slice(0, 220)}`);
          }
        }
      }
    });
  } finally {
    await user?.remove();
  }
}
