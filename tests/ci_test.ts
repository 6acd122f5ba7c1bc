import assert from "node:assert/strict";
import { underCI } from "./_ci.ts";

Deno.test("underCI(value) is true for any CI value but unset, empty, 0 and false, so CI runs never skip", () => {
  for (const value of ["true", "1", "yes", "TRUE", "github-actions"]) {
    assert.equal(underCI(value), true, value);
  }
  for (const value of [undefined, "", "0", "false", "FALSE"]) {
    assert.equal(underCI(value), false, String(value));
  }
});

Deno.test("the notebook tests fail, not skip, on a missing Jupyter whatever truthy value CI has", async () => {
  const file = new URL("./notebook_runner_test.ts", import.meta.url).pathname;
  const run = async (ci: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "-A",
        "--no-check",
        "--filter",
        "notebooks.ts run, check and html",
        file,
      ],
      env: { CI: ci, NOTEBOOKS_PYTHON: "/nonexistent/python3", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    return { success: out.success, text };
  };
  for (const ci of ["1", "yes"]) {
    const { success, text } = await run(ci);
    assert.equal(success, false, `CI=${ci}: ${text}`);
    assert.match(text, /Jupyter is missing with CI set/);
  }
  const local = await run("");
  assert.equal(local.success, true, local.text);
  assert.match(local.text, /1 ignored/);
});
