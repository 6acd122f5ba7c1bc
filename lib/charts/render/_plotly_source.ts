// The one place plotly.js is read: lazily, through a text import of the npm
// package, the first time a page or an embed needs it, so that importing the
// module never reads or parses 4.7 MB of JavaScript. The specifier is fully
// qualified because Deno resolves bare ones with the import map of the
// project that runs, which a user's notebook or a URL import never shares.

let source: Promise<string> | undefined;

/** The minified plotly.js source, read the first time it is needed and then kept. */
export function plotlySource(): Promise<string> {
  source ??= import("npm:plotly.js-dist-min@3.7.0/plotly.min.js", {
    with: { type: "text" },
  }).then(
    (m) => m.default,
    (error) => {
      source = undefined; // let a later call try again
      throw error;
    },
  );
  return source;
}

/** Whether plotly.js has been asked for in this process (tests check that imports do not). */
export function plotlySourceRequested(): boolean {
  return source !== undefined;
}
