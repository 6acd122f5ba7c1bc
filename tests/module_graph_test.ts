// The house rules, read off the module graph that `deno info --json` reports
// for mod.ts and the demo program: imports run one way between the layers,
// and no module imports itself back through others.

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { relative } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The layers, lowest first. A module may import modules of its own layer or
 * of a lower one, never of a higher one. Chart files are named one by one,
 * so a new file must be placed here before the test passes.
 */
const LAYERS: { name: string; holds: (path: string) => boolean }[] = [
  {
    name: "numeric (lib/*.ts, lib/_kernels/)",
    holds: (p) => /^lib\/[^/]+\.ts$/.test(p) || p.startsWith("lib/_kernels/"),
  },
  {
    name: "chart values and options",
    holds: (p) =>
      [
        "bars",
        "chart",
        "compare",
        "temperature_explorer",
        "options",
        "_read_options",
      ].some((f) => p === `lib/charts/${f}.ts`),
  },
  {
    name: "chart model",
    holds: (p) =>
      ["_model", "_top_k", "_format", "_scale", "_palette", "_escape"].some((
        f,
      ) => p === `lib/charts/${f}.ts`),
  },
  {
    name: "renderers (lib/charts/render/)",
    holds: (p) => p.startsWith("lib/charts/render/"),
  },
  { name: "notebook edge", holds: (p) => p === "lib/charts/display.ts" },
  { name: "programs (lib/cli/)", holds: (p) => p.startsWith("lib/cli/") },
  { name: "entry", holds: (p) => p === "mod.ts" },
];

interface InfoModule {
  specifier: string;
  dependencies?: {
    /** The specifier as written in the importing module. */
    specifier: string;
    code?: { specifier: string };
    type?: { specifier: string };
  }[];
}

interface Info {
  modules: InfoModule[];
}

/** `deno info --json root`, run from the repo. */
async function denoInfo(root: string): Promise<Info> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  assert.ok(success, `deno info --json ${root} failed`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** The repo's own modules reachable from `roots`, each with what it imports. */
async function localGraph(...roots: string[]): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const root of roots) {
    for (const module of (await denoInfo(root)).modules) {
      const from = local(module.specifier);
      if (from === undefined) continue;
      const to = (module.dependencies ?? []).flatMap((d) =>
        [d.code?.specifier, d.type?.specifier].map((s) => s && local(s))
          .filter((s): s is string => s !== undefined)
      );
      graph.set(from, [...new Set(to)]);
    }
  }
  return graph;
}

function local(specifier: string): string | undefined {
  if (!specifier.startsWith("file:")) return undefined;
  return relative(ROOT, fileURLToPath(specifier)).replaceAll("\\", "/");
}

function layerOf(path: string): number {
  return LAYERS.findIndex((layer) => layer.holds(path));
}

/** One cycle in the graph, as a path that starts and ends at one module. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") {
      return [...stack.slice(stack.indexOf(node)), node];
    }
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

Deno.test("module graph: layers, one direction, no cycles", async (t) => {
  const graph = await localGraph("mod.ts", "lib/cli/demo.ts");

  await t.step("every module of the library belongs to one layer", () => {
    const unplaced = [...graph.keys()].filter((p) => layerOf(p) < 0);
    assert.deepEqual(unplaced, [], "place these files in a layer of LAYERS");
  });

  await t.step("imports never run to a higher layer", () => {
    const against = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => layerOf(to) > layerOf(from)).map((to) =>
        `${from} (${LAYERS[layerOf(from)]?.name}) imports ${to} (${
          LAYERS[layerOf(to)]?.name
        })`
      )
    );
    assert.deepEqual(against, []);
  });

  await t.step("no import cycle", () => {
    assert.deepEqual(findCycle(graph), undefined);
  });

  await t.step(
    "the rules can fail: a cycle and a wrong-way import are found",
    () => {
      const bad = new Map([
        ["lib/softmax.ts", ["lib/charts/bars.ts"]],
        ["lib/charts/bars.ts", ["lib/softmax.ts"]],
      ]);
      assert.deepEqual(findCycle(bad), [
        "lib/softmax.ts",
        "lib/charts/bars.ts",
        "lib/softmax.ts",
      ]);
      assert.ok(layerOf("lib/charts/bars.ts") > layerOf("lib/softmax.ts"));
    },
  );
});

/**
 * Whether a specifier resolves the same from any project: Deno resolves bare
 * specifiers with the import map of the project that runs, which a user's
 * notebook, a URL import or a JSR install never shares with this repo.
 */
function resolvesAnywhere(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") ||
    specifier.startsWith("node:") || specifier.startsWith("data:") ||
    /^npm:(@[a-z0-9-._~]+\/)?[a-z0-9-._~]+@\d+\.\d+\.\d+(\/|$)/.test(specifier);
}

Deno.test("mod.ts imports only what resolves from any folder or URL: relative files, exact npm: versions, node: and data:", async (t) => {
  const written = (await denoInfo("mod.ts")).modules.flatMap((m) =>
    local(m.specifier) === undefined
      ? []
      : (m.dependencies ?? []).map((d) =>
        `${local(m.specifier)}: ${d.specifier}`
      )
  );
  assert.ok(
    written.some((w) => w.includes("npm:plotly.js-cartesian-dist-min@")),
    "the graph includes the dynamic plotly.js import",
  );
  assert.deepEqual(
    written.filter((w) => !resolvesAnywhere(w.slice(w.indexOf(": ") + 2))),
    [],
  );

  await t.step("bare, unversioned and ranged specifiers are refused", () => {
    for (
      const bad of [
        "plotly.js-dist-min/plotly.min.js",
        "npm:plotly.js-dist-min/plotly.min.js",
        "npm:plotly.js-dist-min@^3.7.0",
        "jsr:@std/assert",
        "https://example.org/mod.ts",
      ]
    ) assert.equal(resolvesAnywhere(bad), false, bad);
    assert.ok(resolvesAnywhere("npm:@scope/name@1.2.3/file.js"));
  });
});
