import assert from "node:assert/strict";
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
import { resetPlotlyEmbedding } from "../lib/display.ts";
import { plotlySource } from "../lib/render/_plotly_source.ts";
import { assertPlainJson } from "./_render_helpers.ts";

const JUPYTER = Symbol.for("Jupyter.display");
const INSPECT = Symbol.for("Deno.customInspect");
type Bundle = Record<string, unknown>;
const display = (value: unknown): Promise<Bundle> =>
  (value as Record<symbol, () => Promise<Bundle>>)[JUPYTER]!();
const EMBED = 'class="softmax-plotly-embed"';

Deno.test("results display themselves: Jupyter.display on every result type, found on the prototype", () => {
  const p = softmax([[1, 2], [3, 4]]);
  for (
    const value of [
      softmax([1, 2]),
      sigmoid([1, 2]),
      p,
      p[0],
      compare([1, 2]),
      temperatureExplorer([1, 2]),
      chart(softmax([1, 2]), { title: "t" }),
    ]
  ) {
    assert.equal(
      typeof (value as unknown as Record<symbol, unknown>)[JUPYTER],
      "function",
    );
    assert.ok(!Object.hasOwn(value as object, JUPYTER));
  }
});

Deno.test("the display bundle holds the four MIME types, equal to the renderers' output", async () => {
  resetPlotlyEmbedding();
  await display(softmax([0, 0])); // the session's first chart carries plotly.js
  const p = sigmoid([2, 1, -1], { labels: ["cat", "dog", "bird"] });
  const bundle = await display(p);
  assert.deepEqual(Object.keys(bundle).sort(), [
    "application/vnd.plotly.v1+json",
    "image/svg+xml",
    "text/html",
    "text/plain",
  ]);
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], toPlotly(p));
  assert.equal(bundle["text/html"], toHTML(p));
  assert.equal(bundle["image/svg+xml"], toSVG(p));
  assert.equal(bundle["text/plain"], toText(p));
  assertPlainJson(bundle);
});

Deno.test("plotly.js is embedded once per session, in the first chart, before it", async () => {
  resetPlotlyEmbedding();
  const source = await plotlySource();
  const first = await display(compare([1, 2, 3]));
  const html = first["text/html"] as string;
  assert.ok(html.startsWith(`<div ${EMBED}`));
  assert.ok(html.includes(source.slice(-200)));
  assert.ok(html.endsWith(toHTML(compare([1, 2, 3]))));
  for (
    const value of [
      softmax([1, 2]),
      temperatureExplorer([1, 2]),
      softmax([1, 2]),
    ]
  ) {
    const later = (await display(value))["text/html"] as string;
    assert.ok(!later.includes(EMBED));
    assert.ok(later.length < 30_000);
  }
});

Deno.test("the embedding is deterministic for a given sequence of cells, also when displays overlap", async () => {
  const run = async () => {
    resetPlotlyEmbedding();
    const bundles = await Promise.all([
      display(softmax([1, 2])),
      display(sigmoid([1, 2])),
    ]);
    const third = await display(softmax([1, 2]));
    return [...bundles, third].map((b) =>
      (b["text/html"] as string).includes(EMBED)
    );
  };
  assert.deepEqual(await run(), [true, false, false]);
  assert.deepEqual(await run(), [true, false, false]);
});

Deno.test("console.log and Deno.inspect print the text chart", () => {
  const p = softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
  assert.equal(Deno.inspect(p), toText(p));
  assert.equal(Deno.inspect(p, { colors: true }), toText(p));
  const m = softmax([[1, 2], [3, 4]]);
  assert.equal(Deno.inspect(m[1]), toText(m[1]!));
  assert.equal(Deno.inspect(compare([1, 2])), toText(compare([1, 2])));
  assert.equal(Deno.inspect(chart(p, { title: "x" })).split("\n")[0], "x");
  assert.equal(
    typeof (p as unknown as Record<symbol, unknown>)[INSPECT],
    "function",
  );
});

Deno.test("console.log(softmax(...)) under deno run prints the bars", async () => {
  const out = await run("print");
  assert.equal(
    out,
    toText(softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] })),
  );
  assert.ok(!out.includes("\x1b["));
});

Deno.test("importing mod.ts and rendering without a page never reads plotly.js", async () => {
  assert.deepEqual(JSON.parse(await run("imports")), { requested: false });
});

Deno.test("the library never touches Deno.jupyter (outside comments)", async () => {
  const root = new URL("../lib/", import.meta.url);
  const files: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) files.push(url.pathname);
    }
  };
  await walk(root);
  for (const file of files) {
    const code = (await Deno.readTextFile(file))
      .replace(/\/\*[^]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "");
    assert.ok(!/Deno\s*\.\s*jupyter/.test(code), file);
  }
});

async function run(what: string): Promise<string> {
  const fixture = new URL("./_render_fixtures.ts", import.meta.url);
  const config = new URL("../deno.json", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      config.pathname,
      fixture.pathname,
      what,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trimEnd();
}
