import assert from "node:assert/strict";
import { measureFirstRun } from "./bench/first_run.ts";

// Needs the npm registry (plotly.js is fetched into the empty cache), as a
// new user's first run does. Measures the committed HEAD, cloned.
Deno.test("a first deno task demo in a fresh clone, with an empty Deno cache, fetches plotly.js (cartesian bundle) and fflate alone: at most 20 MB", async () => {
  const { bytes, npmPackages } = await measureFirstRun();
  assert.deepEqual(npmPackages, ["fflate", "plotly.js-cartesian-dist-min"]);
  assert.ok(bytes <= 20e6, `${(bytes / 1e6).toFixed(1)} MB`);
});
