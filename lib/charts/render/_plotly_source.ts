// The one place plotly.js is read: lazily, through a text import of the npm
// package, the first time a page or an embed needs it, so that importing the
// module never reads or parses 1.4 MB of JavaScript, and a machine without
// the package (offline, empty cache) still gets every static chart. The
// package is plotly.js's official cartesian partial bundle of the same
// version (bar, heatmap and scatter traces, sliders: everything the charts
// use), a third of the full bundle. The specifiers are fully qualified
// because Deno resolves bare ones with the import map of the project that
// runs, which a user's notebook or a URL import never shares.

let source: Promise<string> | undefined;
let packed: Promise<PackedPlotly> | undefined;

/** The minified plotly.js (cartesian bundle) source, read the first time it is needed and then kept. */
export function plotlySource(): Promise<string> {
  source ??= import(
    "npm:plotly.js-cartesian-dist-min@3.7.0/plotly-cartesian.min.js",
    { with: { type: "text" } }
  ).then(
    (m) => m.default,
    (error) => {
      source = undefined; // let a later call try again
      throw error;
    },
  );
  return source;
}

/** plotly.js as it travels: gzip-compressed, base64-encoded. */
export interface PackedPlotly {
  /** plotly.js's version, from its header comment ("unknown" if absent). */
  version: string;
  /** The gzip stream of the source, in base64. */
  base64: string;
}

/** The version in a plotly.js bundle's header comment. */
export function plotlyVersion(source: string): string {
  return /plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)/.exec(source)?.[1] ??
    "unknown";
}

/**
 * Gzip-compresses and base64-encodes a plotly.js source with fflate at
 * level 9 and a zero timestamp, so the same source gives the same bytes on
 * every machine and Deno version (1.42 MB of cartesian bundle become
 * 0.65 MB of text). fflate is imported here, lazily, for the same reason as
 * plotly.js.
 */
export async function packPlotly(text: string): Promise<PackedPlotly> {
  const { gzipSync } = await import("npm:fflate@0.8.3");
  const bytes = gzipSync(new TextEncoder().encode(text), {
    level: 9,
    mtime: 0,
  });
  return { version: plotlyVersion(text), base64: bytes.toBase64() };
}

/** plotly.js packed for the page ({@linkcode packPlotly}), made once and kept. */
export function plotlyPacked(): Promise<PackedPlotly> {
  packed ??= plotlySource().then(packPlotly).catch((error) => {
    packed = undefined; // let a later call try again
    throw error;
  });
  return packed;
}

/** Whether plotly.js has been asked for in this process (tests check that imports do not). */
export function plotlySourceRequested(): boolean {
  return source !== undefined;
}
