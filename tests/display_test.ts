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
import {
  displayBundle,
  resetPlotlyEmbedding,
  type SendOutput,
} from "../lib/charts/display.ts";
import {
  EMBED_PART_CHARS,
  plotlyEmbedPartsOf,
} from "../lib/charts/render/_html.ts";
import { plotlyPacked } from "../lib/charts/render/_plotly_source.ts";
import { assertPlainJson } from "./_render_helpers.ts";

const JUPYTER = Symbol.for("Jupyter.display");
const INSPECT = Symbol.for("Deno.customInspect");
type Bundle = Record<string, unknown>;
const EMBED = 'class="softmax-plotly-embed"';

/** What the kernel would receive: the extra outputs sent, then the chart's bundle. */
function session() {
  resetPlotlyEmbedding();
  const sent: Record<string, string>[] = [];
  const send: SendOutput = (bundle) => {
    sent.push(bundle);
    return Promise.resolve();
  };
  const display = async (value: unknown): Promise<Bundle> =>
    ({ ...await displayBundle(value, send) }) as Bundle;
  return { sent, display };
}

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
  const { display } = session();
  await display(softmax([0, 0])); // the session's first chart: plotly.js goes first
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

Deno.test("plotly.js goes out once per session, before the first chart, gzipped, in outputs of at most 1 MB", async () => {
  const { sent, display } = session();
  const source = await plotlyPacked();
  const first = await display(compare([1, 2, 3]));
  assert.equal(first["text/html"], toHTML(compare([1, 2, 3])));
  assert.deepEqual(
    sent,
    plotlyEmbedPartsOf(source).map((part) => ({
      "text/html": part,
      "text/plain": "",
    })),
  );
  assert.ok(
    sent.length >= Math.ceil(source.base64.length / EMBED_PART_CHARS),
  );
  // The cartesian bundle, gzipped: the whole of it in under 0.7 MB.
  const total = sent.reduce((n, o) => n + (o["text/html"]?.length ?? 0), 0);
  assert.ok(total < 700_000, `${total} characters`);
  for (const [i, output] of sent.entries()) {
    const html = output["text/html"] as string;
    assert.ok(html.startsWith(`<div ${EMBED}`));
    assert.ok(html.includes(`data-part="${i}" data-parts="${sent.length}"`));
    // The message carries the HTML as a JSON string.
    assert.ok(JSON.stringify(html).length < 1_100_000, `part ${i}`);
  }
  assert.ok(sent.at(-1)!["text/html"]!.includes(source.base64.slice(-200)));
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
  assert.equal(sent.length, plotlyEmbedPartsOf(source).length);
});

Deno.test("the embedding is deterministic for a given sequence of cells, also when displays overlap", async () => {
  const run = async () => {
    const { sent, display } = session();
    const counts: number[] = [];
    const first = display(softmax([1, 2])).then(() => counts.push(sent.length));
    const second = display(sigmoid([1, 2])).then(() =>
      counts.push(sent.length)
    );
    await Promise.all([first, second]);
    await display(softmax([1, 2]));
    counts.push(sent.length);
    return counts;
  };
  const once = await run();
  assert.deepEqual(await run(), once);
  // The second chart does not wait for plotly.js (with plotly.js in one
  // part it may still come after it); the third sends none.
  assert.ok(once[0]! <= once[1]!);
  assert.equal(once[1], plotlyEmbedPartsOf(await plotlyPacked()).length);
  assert.equal(once[2], once[1]);
});

Deno.test("a failed send leaves plotly.js for the next chart", async () => {
  resetPlotlyEmbedding();
  let calls = 0;
  const failing: SendOutput = () => {
    calls++;
    return Promise.reject(new Error("closed"));
  };
  const bundle = await displayBundle(softmax([1, 2]), failing);
  assert.equal(bundle["text/html"], toHTML(softmax([1, 2])));
  assert.equal(calls, 1);
  const sent: unknown[] = [];
  await displayBundle(softmax([1, 2]), (b) => {
    sent.push(b);
    return Promise.resolve();
  });
  assert.equal(
    sent.length,
    plotlyEmbedPartsOf(await plotlyPacked()).length,
  );
});

Deno.test("outside the kernel the display method still returns the chart (Deno.jupyter is missing)", async () => {
  resetPlotlyEmbedding();
  const p = softmax([1, 2]);
  const bundle =
    await (p as unknown as Record<symbol, () => Promise<Bundle>>)[JUPYTER]!();
  assert.equal(bundle["text/html"], toHTML(p));
});

Deno.test("console.log and Deno.inspect print the text chart", () => {
  const p = softmax([2, 1, 0.1], { labels: ["cat", "dog", "bird"] });
  assert.equal(Deno.inspect(p), toText(p));
  assert.equal(Deno.inspect(p, { colors: true }), toText(p));
  const m = softmax([[1, 2], [3, 4]]);
  // A row of a batch prints as the same row computed on its own would.
  assert.equal(Deno.inspect(m[1]), toText(softmax([3, 4])));
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

Deno.test("the library touches Deno.jupyter in one place: sendToKernel in lib/charts/display.ts", async () => {
  const root = new URL("../lib/", import.meta.url);
  const uses: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) {
        const code = (await Deno.readTextFile(url))
          .replace(/\/\*[^]*?\*\//g, "")
          .replace(/\/\/.*$/gm, "");
        for (const line of code.split("\n")) {
          if (/Deno\s*\.\s*jupyter/.test(line)) {
            uses.push(`${entry.name}: ${line.trim()}`);
          }
        }
      }
    }
  };
  await walk(root);
  assert.deepEqual(uses, [
    "display.ts: Deno.jupyter.display(bundle, { raw: true });",
  ]);
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
      "--lock",
      new URL("./deno.lock", import.meta.url).pathname,
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

Deno.test("without plotly.js (offline, empty cache) charts stay static and one warning says why, once per session", async () => {
  const dir = await Deno.makeTempDir({ prefix: "softmax-offline-" });
  try {
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/use.ts`,
      `import { sigmoid, softmax } from "${mod}";
const show = Symbol.for("Jupyter.display");
for (const r of [softmax([1, 2, 3]), sigmoid([1, 2]), softmax([0, 0])]) {
  const bundle = await (r as any)[show]();
  console.log(JSON.stringify(Object.keys(bundle)));
}
`,
    );
    await Deno.mkdir(`${dir}/cache`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--cached-only", "--no-lock", "-A", "use.ts"],
      cwd: dir,
      env: { DENO_DIR: `${dir}/cache`, NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    const keys = new TextDecoder().decode(out.stdout).trim().split("\n")
      .map((line) => JSON.parse(line));
    assert.equal(keys.length, 3);
    for (const k of keys) assert.ok(k.includes("image/svg+xml"), String(k));
    const warnings = stderr.trim().split("\n");
    assert.equal(warnings.length, 1, stderr);
    assert.match(
      warnings[0] ?? "",
      /^softmax-notebook: charts stay static: plotly\.js could not be loaded: \S/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
