import assert from "node:assert/strict";
import { type Chartable, toHTML, toPlotly, toSVG, toText } from "../mod.ts";
import { bundles, fixtures } from "./_render_fixtures.ts";

Deno.test("every bundle is byte-identical after other charts were drawn in between", () => {
  // Rendering twice back to back could only catch randomness; drawing every
  // fixture with every renderer in between (in reverse order) also catches
  // output that depends on what the process drew before: counters, caches.
  const first = JSON.stringify(bundles());
  for (const value of Object.values(fixtures()).reverse() as Chartable[]) {
    toSVG(value);
    toHTML(value);
    toPlotly(value);
    toText(value);
  }
  assert.equal(JSON.stringify(bundles()), first);
});

Deno.test("every bundle is byte-identical in a second deno process", async () => {
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
      "bundles",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const theirs = new TextDecoder().decode(out.stdout).trim();
  assert.equal(theirs, JSON.stringify(bundles()));
});
