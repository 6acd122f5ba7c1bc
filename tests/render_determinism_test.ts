import assert from "node:assert/strict";
import { bundles } from "./_render_fixtures.ts";

Deno.test("every bundle is byte-identical when rendered twice in one process", () => {
  assert.equal(JSON.stringify(bundles()), JSON.stringify(bundles()));
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
