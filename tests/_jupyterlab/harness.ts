// Shows a notebook's outputs in JupyterLab's own output areas (the page
// bundle.ts builds) in headless Chromium, and reports what each chart and
// plotly.js part output looks like. Used by tests/jupyterlab_test.ts and by
// report.ts, which prints the table in docs/charts.md.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "npm:playwright-core@1.65.1";
import { main as notebooks } from "../../notebooks/_runner/notebooks.ts";
import { type PageLog, watchPage } from "../_browser/chromium.ts";
import {
  inspectLab,
  labInjections,
  type LabOutput,
  labSignature,
  type OutputJson,
  type RenderCase,
  renderInLab,
} from "./in_lab.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** One way JupyterLab shows a notebook. */
export interface LabCase {
  /** Short name, e.g. `"plotly, trusted, run"`. */
  name: string;
  plotly: boolean;
  trusted: boolean;
  mode: "open" | "run";
}

/** With and without the Plotly extension × trusted and untrusted × open and run. */
export const LAB_CASES: readonly LabCase[] = [false, true].flatMap((plotly) =>
  [true, false].flatMap((trusted) =>
    (["open", "run"] as const).map((mode) => ({
      name: `${plotly ? "Plotly extension" : "no extension"}, ${
        trusted ? "trusted" : "untrusted"
      }, ${mode}`,
      plotly,
      trusted,
      mode,
    }))
  )
);

/**
 * Each code cell's outputs, in order, as Jupyter Server sends them to
 * JupyterLab: nbformat's reader joins the line lists of the file
 * (`rejoin_lines`) into single strings, and JupyterLab's output model takes
 * the strings as they come.
 */
export async function codeCellOutputs(path: string): Promise<OutputJson[][]> {
  const json = JSON.parse(await Deno.readTextFile(path)) as {
    cells: { cell_type: string; outputs?: OutputJson[] }[];
  };
  const join = (v: unknown) => Array.isArray(v) ? v.join("") : v;
  return json.cells.filter((c) => c.cell_type === "code").map((c) =>
    (c.outputs ?? []).map((output) => {
      const copy: OutputJson = { ...output };
      if ("text" in copy) copy.text = join(copy.text);
      if (typeof copy.data === "object" && copy.data !== null) {
        copy.data = Object.fromEntries(
          Object.entries(copy.data).map(([k, v]) => [k, join(v)]),
        );
      }
      return copy;
    })
  );
}

/** What a notebook looked like in one case. */
export interface LabResult {
  outputs: LabOutput[];
  /** What {@linkcode labInjections} found. */
  injections: { problems: string[]; titles: string[] };
  log: PageLog;
  /** From adding the outputs to the page settling, in ms. */
  settledMs: number;
  /** plotly.js version on the page (`window.Plotly`), if any. */
  plotlyVersion: string | undefined;
}

/**
 * Opens the harness page at `url` in a new tab, shows `cells` as `lab`
 * says, waits until the page stops changing (500 ms without change, at most
 * `timeoutMs`), and reports every chart and part output.
 */
export async function showInLab(
  context: BrowserContext,
  url: string,
  cells: OutputJson[][],
  lab: LabCase,
  timeoutMs = 30_000,
): Promise<LabResult> {
  const page = await context.newPage();
  try {
    const log = await watchPage(page);
    await page.goto(url, { waitUntil: "load" });
    const started = Date.now();
    const c: RenderCase = {
      cells,
      plotly: lab.plotly,
      trusted: lab.trusted,
      mode: lab.mode,
    };
    await page.evaluate(renderInLab, c);
    let last = "";
    let stableSince = Date.now();
    while (Date.now() - started < timeoutMs) {
      const now = await page.evaluate(labSignature);
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= 500) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const settledMs = stableSince - started;
    const outputs = await page.evaluate(inspectLab);
    const injections = await page.evaluate(labInjections);
    const plotlyVersion = await page.evaluate(() =>
      // deno-lint-ignore no-explicit-any
      ((window as any).Plotly?.version ??
        // deno-lint-ignore no-explicit-any
        (window as any).JupyterLab?.RenderedPlotly?.Plotly?.version) as
          | string
          | undefined
    );
    return { outputs, injections, log, settledMs, plotlyVersion };
  } finally {
    await page.close();
  }
}

/**
 * A notebook a user keeps in their own folder, as nbformat JSON: it imports
 * the module from `from` (an absolute path or a URL) and shows one chart of
 * each kind a tutorial starts with (two bars charts and a comparison).
 */
export function userNotebook(from: string): string {
  const cells = [
    `import { compare, sigmoid, softmax } from ${JSON.stringify(from)};`,
    'softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] })',
    'sigmoid([2, 1, 0.1], { labels: ["cat", "dog", "bird"] })',
    "compare([3, 1, 0.2, -1])",
  ];
  return JSON.stringify(
    {
      cells: cells.map((source) => ({
        cell_type: "code",
        execution_count: null,
        metadata: {},
        outputs: [],
        source,
      })),
      metadata: {
        kernelspec: {
          display_name: "Deno",
          language: "typescript",
          name: "deno",
        },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/**
 * Writes the user's notebook ({@linkcode userNotebook}, importing this
 * checkout's `mod.ts` by absolute path) into a new temporary folder outside
 * the repository, executes it with the project's runner, and returns its
 * path; `remove` deletes the folder.
 */
export async function outOfRepoNotebook(): Promise<
  { path: string; remove: () => Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "softmax-user-notebook-" });
  const remove = () => Deno.remove(dir, { recursive: true });
  try {
    const path = join(dir, "my_notebook.ipynb");
    await Deno.writeTextFile(path, userNotebook(join(ROOT, "mod.ts")));
    const code = await notebooks(["run", path]);
    if (code !== 0) {
      throw new Error(`the runner failed (${code}) on ${path}`);
    }
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
