// JupyterLab's output rendering, from its own npm packages, bundled with
// esbuild into one page for headless Chromium. Built at test time into a
// folder of the Deno cache keyed by every version below, so the first run on
// a fresh machine installs from the npm registry (about 370 MB, ~10 s) and
// bundles (~5 s), and later runs reuse the page.

import { createHash } from "node:crypto";
import { join } from "node:path";

/**
 * The packages the page is made of, at exact versions: JupyterLab 4.6's
 * output area, MIME renderers and sanitizer, Lumino's widgets, the light
 * theme's CSS variables, and the Plotly extension that plotly.py 5 installs
 * (its renderer draws with its own plotly.js 2.x).
 */
export const PACKAGES: Readonly<Record<string, string>> = {
  "@jupyterlab/apputils": "4.7.6",
  "@jupyterlab/outputarea": "4.6.6",
  "@jupyterlab/rendermime": "4.6.6",
  "@jupyterlab/theme-light-extension": "4.6.4",
  "@lumino/widgets": "2.11.0",
  "jupyterlab-plotly": "5.24.1",
  // jupyterlab-plotly asks for ^2.35.2; pinned so the page is the same
  // everywhere.
  "plotly.js": "2.35.3",
};

/** The esbuild that bundles the page (the version of the import below). */
export const ESBUILD = "esbuild@0.28.2";

/**
 * The page's entry: what a JupyterLab notebook uses to show a cell's
 * outputs, exposed as `window.JupyterLab`. The CSS is the light theme's
 * variables and the output area's and renderers' styles, as JupyterLab
 * loads them; the Plotly renderer brings its own stylesheet.
 */
const ENTRY = `
import "@jupyterlab/theme-light-extension/style/variables.css";
import "@jupyterlab/rendermime/style/base.css";
import "@jupyterlab/outputarea/style/base.css";
export { OutputArea, OutputAreaModel } from "@jupyterlab/outputarea";
export { RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
export { Sanitizer } from "@jupyterlab/apputils";
export { Widget } from "@lumino/widgets";
export { rendererFactory as plotlyRendererFactory, RenderedPlotly } from "jupyterlab-plotly/lib/plotly-renderer.js";
`;

/** The page: the bundle and its CSS, and an empty host for output areas. */
const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/>
<link rel="stylesheet" href="bundle.css"/>
<style>body{margin:0;background:var(--jp-layout-color1)}
#host{width:900px;padding:8px}</style>
<script src="bundle.js"></script></head>
<body class="jp-ThemedContainer"><div id="host" class="jp-Notebook"></div></body></html>
`;

/** Where a built page lives. */
export interface HarnessPage {
  /** The folder holding `page.html`, `bundle.js`, `bundle.css`. */
  dir: string;
  /** `file://` URL of `page.html`. */
  url: string;
}

async function denoDir(): Promise<string> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return (JSON.parse(new TextDecoder().decode(stdout)) as { denoDir: string })
    .denoDir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * The harness page, built on first use: the packages installed with
 * `deno install` from the npm registry into a private folder, then bundled
 * with esbuild (one IIFE, plotly.js inlined, nothing fetched at run time).
 * The folder is named by a hash of the versions and the entry, and is built
 * under a temporary name and renamed, so an interrupted build is never
 * reused.
 */
export async function harnessPage(): Promise<HarnessPage> {
  const key = createHash("sha256")
    .update(JSON.stringify({ PACKAGES, ESBUILD, ENTRY, PAGE }))
    .digest("hex")
    .slice(0, 16);
  const root = join(await denoDir(), "softmax-notebook-jupyterlab");
  const dir = join(root, key);
  const url = `file://${join(dir, "page.html")}`;
  if (await exists(join(dir, "page.html"))) return { dir, url };

  await Deno.mkdir(root, { recursive: true });
  const work = await Deno.makeTempDir({ dir: root, prefix: `${key}-` });
  try {
    await Deno.writeTextFile(
      join(work, "package.json"),
      JSON.stringify({ private: true, dependencies: PACKAGES }, null, 2),
    );
    // A node_modules folder for esbuild to resolve from (Deno does not make
    // one for a package.json alone inside its own cache folder).
    await Deno.writeTextFile(
      join(work, "deno.json"),
      JSON.stringify({ nodeModulesDir: "manual" }),
    );
    await Deno.writeTextFile(join(work, "entry.js"), ENTRY);
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["install", "--quiet"],
      cwd: work,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!install.success) {
      throw new Error(
        `deno install of the JupyterLab packages failed in ${work}: ${
          new TextDecoder().decode(install.stderr)
        }`,
      );
    }
    // A literal, so the lock file (tests/deno.lock) records it.
    const esbuild = await import("npm:esbuild@0.28.2");
    try {
      await esbuild.build({
        absWorkingDir: work,
        entryPoints: ["entry.js"],
        bundle: true,
        format: "iife",
        globalName: "JupyterLab",
        outfile: join(work, "bundle.js"),
        minify: true,
        logLevel: "error",
        loader: { ".svg": "dataurl", ".woff": "dataurl", ".woff2": "dataurl" },
        define: { "process.env.NODE_ENV": '"production"' },
      });
    } finally {
      await esbuild.stop();
    }
    await Deno.writeTextFile(join(work, "page.html"), PAGE);
    // Only the page is kept; node_modules stays out of the cache folder.
    await Deno.remove(join(work, "node_modules"), { recursive: true });
    try {
      await Deno.rename(work, dir);
    } catch (error) {
      // Another run built it first: use theirs.
      if (!(await exists(join(dir, "page.html")))) throw error;
      await Deno.remove(work, { recursive: true });
    }
  } catch (error) {
    await Deno.remove(work, { recursive: true }).catch(() => {});
    throw error;
  }
  return { dir, url };
}
