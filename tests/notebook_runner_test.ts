// Tests of the notebook runner (notebooks/_runner): the comparison behind
// `notebooks:check`, the missing-Jupyter message, and end to end runs of
// fixture notebooks generated here, including a stress notebook that stock
// nbclient loses outputs on.

import { underCI } from "./_ci.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  compareNotebooks,
  INSTALL_HINT,
  stableStringify,
} from "../notebooks/_runner/notebooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNNER = join(ROOT, "notebooks", "_runner", "notebooks.ts");
const PYTHON = Deno.env.get("NOTEBOOKS_PYTHON") ?? "/usr/bin/python3";
const CI = underCI(Deno.env.get("CI"));

async function hasJupyter(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import nbclient, nbformat, nbconvert, jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const JUPYTER = await hasJupyter();
// Outside CI a missing Jupyter skips the end-to-end tests, visibly; with CI
// set (any non-empty value) they run and fail, so a broken image cannot pass silently.
const SKIP_REASON = JUPYTER || CI
  ? ""
  : ` (ignored: Jupyter is missing, ${INSTALL_HINT})`;
if (SKIP_REASON !== "") console.warn(`notebook_runner_test.ts${SKIP_REASON}`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The runner's temp folder in these tests (TMPDIR), its own, so that other
 * runs on the machine cannot change what the folder checks count.
 */
const RUNNER_TMP = await Deno.makeTempDir({ prefix: "notebook-runner-tmp-" });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(RUNNER_TMP, { recursive: true });
});

async function runner(
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", RUNNER, ...args],
    cwd: ROOT,
    env: { TMPDIR: RUNNER_TMP, ...env },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

function describeRun(run: Run): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

type Cell = string | { markdown: string };

/** An nbformat 4.5 notebook; ids are fixed so fixtures are deterministic. */
function notebook(cells: Cell[]): unknown {
  return {
    cells: cells.map((cell, i) =>
      typeof cell === "string"
        ? {
          cell_type: "code",
          execution_count: null,
          id: `cell-${i}`,
          metadata: {},
          outputs: [],
          source: cell,
        }
        : {
          cell_type: "markdown",
          id: `cell-${i}`,
          metadata: {},
          source: cell.markdown,
        }
    ),
    metadata: {
      kernelspec: {
        display_name: "Deno",
        language: "typescript",
        name: "deno",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[] | unknown>;
  execution_count?: number | null;
}

interface NotebookJson {
  cells: {
    cell_type: string;
    execution_count?: number | null;
    outputs?: Output[];
    source: string | string[];
  }[];
}

async function readNotebook(path: string): Promise<NotebookJson> {
  return JSON.parse(await Deno.readTextFile(path));
}

const joined = (text: string | string[] | unknown): unknown =>
  Array.isArray(text) ? text.join("") : text;

/** An output with nbformat's line splitting undone, for readable asserts. */
function plain(output: Output): Record<string, unknown> {
  const result: Record<string, unknown> = { type: output.output_type };
  if (output.name !== undefined) result.name = output.name;
  if (output.text !== undefined) result.text = joined(output.text);
  if (output.data !== undefined) {
    result.data = Object.fromEntries(
      Object.entries(output.data).map(([k, v]) => [k, joined(v)]),
    );
  }
  if (output.execution_count !== undefined) {
    result.count = output.execution_count;
  }
  return result;
}

/** The runner's private Jupyter folders now in its temp folder. */
async function privateJupyterFolders(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(RUNNER_TMP)) {
    if (entry.name.startsWith("notebooks-jupyter-")) names.push(entry.name);
  }
  return names.sort();
}

async function write(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 1) + "\n");
}

Deno.test("compareNotebooks(committed, fresh) reports each changed output by cell", async (t) => {
  const fresh = {
    cells: [
      { cell_type: "markdown", source: "# Title" },
      {
        cell_type: "code",
        source: "console.log(1)",
        execution_count: 1,
        outputs: [{ output_type: "stream", name: "stdout", text: "1\n" }],
      },
    ],
  };
  const withOutputs = (outputs: unknown[], count = 1) => ({
    cells: [fresh.cells[0], {
      ...fresh.cells[1],
      outputs,
      execution_count: count,
    }],
  });

  await t.step("is empty when only key order differs", () => {
    const reordered = withOutputs([{
      text: "1\n",
      name: "stdout",
      output_type: "stream",
    }]);
    assert.deepEqual(compareNotebooks(reordered, fresh), []);
  });

  await t.step(
    "names the cell, the output and shows a diff when text changed",
    () => {
      const tampered = withOutputs([{
        output_type: "stream",
        name: "stdout",
        text: "2\n",
      }]);
      const [difference, ...rest] = compareNotebooks(tampered, fresh);
      assert.equal(rest.length, 0);
      assert.equal(difference?.cell, 1);
      assert.equal(difference?.source, "console.log(1)");
      assert.equal(difference?.message, "output 0 (stream stdout) differs");
      assert.deepEqual(difference?.diff, [
        `-  "text": "2\\n"`,
        `+  "text": "1\\n"`,
      ]);
    },
  );

  await t.step("reports an output missing from the committed notebook", () => {
    const [difference] = compareNotebooks(withOutputs([]), fresh);
    assert.equal(
      difference?.message,
      "output 0 (stream stdout) is missing from the committed notebook",
    );
  });

  await t.step("reports a committed output a fresh run no longer gives", () => {
    const extra = withOutputs([
      ...fresh.cells[1]!.outputs!,
      {
        output_type: "display_data",
        data: { "text/plain": "x" },
        metadata: {},
      },
    ]);
    const [difference] = compareNotebooks(extra, fresh);
    assert.equal(
      difference?.message,
      "committed output 1 (display_data) is not produced by a fresh run",
    );
  });

  await t.step("reports a different execution count", () => {
    const [difference] = compareNotebooks(
      withOutputs(fresh.cells[1]!.outputs!, 7),
      fresh,
    );
    assert.equal(
      difference?.message,
      "execution count is 7 in the committed notebook, 1 in a fresh run",
    );
  });

  await t.step("cuts a long changed line down to where it changes", () => {
    const long = (c: string) => `${"a".repeat(5000)}${c}${"b".repeat(5000)}`;
    const [difference] = compareNotebooks(
      withOutputs([{ output_type: "stream", name: "stdout", text: long("X") }]),
      withOutputs([{ output_type: "stream", name: "stdout", text: long("Y") }]),
    );
    assert.equal(difference?.diff.length, 2);
    for (const line of difference?.diff ?? []) {
      assert.ok(line.length < 140, line);
      assert.match(line, /a[XY]b/);
    }
  });

  await t.step("throws TypeError for a value without cells", () => {
    assert.throws(
      () => compareNotebooks({}, fresh),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message === 'Notebook committed has no "cells" array',
    );
  });
});

Deno.test("stableStringify(value) sorts keys by code unit and indents by one space", () => {
  assert.equal(
    stableStringify({ b: 1, B: [{ z: 0, a: 0 }] }),
    '{\n "B": [\n  {\n   "a": 0,\n   "z": 0\n  }\n ],\n "b": 1\n}',
  );
});

Deno.test("notebooks.ts prints one line naming the packages and fails when Jupyter is missing", async (t) => {
  for (const command of ["run", "check", "html"]) {
    await t.step(command, async () => {
      const run = await runner([command], {
        NOTEBOOKS_PYTHON: "/nonexistent/python3",
      });
      assert.equal(run.code, 1, describeRun(run));
      assert.equal(run.stdout, "");
      const lines = run.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.ok(lines[0]!.includes(INSTALL_HINT), run.stderr);
    });
  }
});

Deno.test("notebooks.ts rejects unknown commands and options with usage and exit code 2", async () => {
  const run = await runner(["frobnicate"]);
  assert.equal(run.code, 2, describeRun(run));
  assert.match(run.stderr, /^usage: notebooks\.ts run\|check\|html/);
  const option = await runner(["check", "--frobnicate"]);
  assert.equal(option.code, 2, describeRun(option));
  assert.match(option.stderr, /Unknown option '--frobnicate'/);
});

Deno.test({
  name: `notebooks.ts run, check and html on fixture notebooks${SKIP_REASON}`,
  ignore: SKIP_REASON !== "",
  async fn(t) {
    assert.ok(JUPYTER, `Jupyter is missing with CI set: ${INSTALL_HINT}`);
    const jupyterFoldersBefore = await privateJupyterFolders();
    const dir = await Deno.makeTempDir({ prefix: "notebook-runner-test-" });
    try {
      const basic = join(dir, "basic.ipynb");
      const throws = join(dir, "throws.ipynb");
      await Deno.writeTextFile(
        join(dir, "helper.ts"),
        "export const answer = 42;\n",
      );
      const jupyterDisplay = (text: string) =>
        `({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "${text}" }; } })`;
      const basicCells: Cell[] = [
        { markdown: "# Fixture" },
        'console.log("hello from cell 1");',
        jupyterDisplay("shown by Symbol.for(Jupyter.display)"),
        'await Deno.jupyter.display({ "text/plain": "before update" }, { raw: true, display_id: "fixture" });',
        'await Deno.jupyter.display({ "text/plain": "after update" }, { raw: true, display_id: "fixture", update: true });',
        "",
        'import { answer } from "./helper.ts";\nconsole.log(answer);',
        'console.error("to stderr");',
        // Depends on TZ, locale and NO_COLOR unless the runner pins them.
        "[new Date(0).toString(), (1234.5).toLocaleString()]",
      ];
      await write(basic, notebook(basicCells));
      await write(
        throws,
        notebook([
          'console.log("fine");',
          'throw new TypeError("boom");',
          '"never"',
        ]),
      );

      await t.step(
        "run writes outputs in place with execution counts 1..n",
        async () => {
          // A stale output must not survive a run.
          const stale = notebook(basicCells) as NotebookJson;
          stale.cells[1]!.outputs = [{
            output_type: "stream",
            name: "stdout",
            text: "stale\n",
          }];
          await write(basic, stale);
          const run = await runner(["run", basic]);
          assert.equal(run.code, 0, describeRun(run));
          assert.match(
            run.stdout,
            /^ok {3}.*basic\.ipynb \([\d.]+ s, updated\)\n$/,
          );
          const nb = await readNotebook(basic);
          const cells = nb.cells.map((cell) => ({
            count: cell.execution_count,
            outputs: cell.outputs?.map(plain),
          }));
          assert.deepEqual(cells, [
            { count: undefined, outputs: undefined },
            {
              count: 1,
              outputs: [{
                type: "stream",
                name: "stdout",
                text: "hello from cell 1\n",
              }],
            },
            {
              count: 2,
              outputs: [{
                type: "execute_result",
                data: { "text/plain": "shown by Symbol.for(Jupyter.display)" },
                count: 2,
              }],
            },
            // The update in the next cell replaced this display in place.
            {
              count: 3,
              outputs: [{
                type: "display_data",
                data: { "text/plain": "after update" },
              }],
            },
            { count: 4, outputs: [] },
            { count: null, outputs: [] },
            // Relative imports resolve against the notebook's folder.
            {
              count: 5,
              outputs: [{ type: "stream", name: "stdout", text: "42\n" }],
            },
            {
              count: 6,
              outputs: [{
                type: "stream",
                name: "stderr",
                text: "to stderr\n",
              }],
            },
            {
              count: 7,
              outputs: [{
                type: "execute_result",
                data: {
                  "text/plain":
                    '[\n  \x1b[32m"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"\x1b[39m,\n  \x1b[32m"1,234.5"\x1b[39m\n]',
                },
                count: 7,
              }],
            },
          ]);
        },
      );

      await t.step(
        "run twice gives byte-identical files in nbformat's layout",
        async () => {
          const first = await Deno.readTextFile(basic);
          const run = await runner(["run", basic]);
          assert.equal(run.code, 0, describeRun(run));
          assert.match(run.stdout, /unchanged\)\n$/);
          const second = await Deno.readTextFile(basic);
          assert.equal(second, first);
          assert.ok(second.endsWith("}\n"));
          assert.ok(
            second.startsWith(
              '{\n "cells": [\n  {\n   "cell_type": "markdown",',
            ),
          );
          assert.ok(!second.includes('"execution": {'), "no timing metadata");
        },
      );

      await t.step(
        "check passes on a freshly run notebook and leaves it alone",
        async () => {
          const before = await Deno.readTextFile(basic);
          const run = await runner(["check", basic]);
          assert.equal(run.code, 0, describeRun(run));
          assert.match(run.stdout, /^ok {3}.*basic\.ipynb \([\d.]+ s\)\n$/);
          assert.equal(await Deno.readTextFile(basic), before);
        },
      );

      await t.step(
        "check does not depend on the caller's NO_COLOR, TZ or locale",
        async () => {
          const run = await runner(["check", basic], {
            NO_COLOR: "1",
            TZ: "Asia/Tokyo",
            LANG: "de_DE.UTF-8",
            LC_ALL: "de_DE.UTF-8",
          });
          assert.equal(run.code, 0, describeRun(run));
        },
      );

      await t.step(
        "check fails on a tampered output, naming notebook, cell and diff",
        async () => {
          const tampered = join(dir, "tampered.ipynb");
          await Deno.writeTextFile(
            tampered,
            (await Deno.readTextFile(basic)).replace(
              "hello from cell 1",
              "hello from a tamperer",
            ),
          );
          const run = await runner(["check", tampered]);
          assert.equal(run.code, 1, describeRun(run));
          assert.ok(run.stderr.includes("FAIL "), run.stderr);
          assert.ok(
            run.stderr.includes("tampered.ipynb: differs from a fresh run"),
            run.stderr,
          );
          assert.ok(
            run.stderr.includes(
              'cell 1 (console.log("hello from cell 1");): output 0 (stream stdout) differs',
            ),
            run.stderr,
          );
          assert.ok(
            run.stderr.includes('    -   "hello from a tamperer\\n"'),
            run.stderr,
          );
          assert.ok(
            run.stderr.includes('    +   "hello from cell 1\\n"'),
            run.stderr,
          );
          assert.match(run.stderr, /notebooks check: 1 of 1 notebooks failed/);
        },
      );

      await t.step(
        "check fails when outputs are missing, in one line if all are",
        async () => {
          const bare = join(dir, "bare.ipynb");
          await write(bare, notebook(basicCells));
          const partial = join(dir, "partial.ipynb");
          const executed = await readNotebook(basic);
          executed.cells[1]!.outputs = [];
          executed.cells[1]!.execution_count = null;
          await write(partial, executed);
          const run = await runner(["check", bare, partial]);
          assert.equal(run.code, 1, describeRun(run));
          assert.ok(
            run.stderr.includes("bare.ipynb: was committed without outputs\n"),
            run.stderr,
          );
          assert.ok(
            run.stderr.includes(
              "partial.ipynb: differs from a fresh run\n" +
                '  cell 1 (console.log("hello from cell 1");): output 0 (stream stdout) is missing from the committed notebook\n',
            ),
            run.stderr,
          );
          assert.ok(
            run.stderr.includes(
              "execution count is null in the committed notebook, 1 in a fresh run",
            ),
          );
        },
      );

      await t.step(
        "run and check fail on a cell that throws, without a stack trace",
        async () => {
          const before = await Deno.readTextFile(throws);
          for (const command of ["run", "check"]) {
            const run = await runner([command, throws]);
            assert.equal(run.code, 1, describeRun(run));
            assert.ok(
              run.stderr.includes(
                'throws.ipynb: cell 1 (throw new TypeError("boom");) raised TypeError: boom',
              ),
              run.stderr,
            );
            assert.doesNotMatch(run.stderr, /^\s+at /m);
            assert.doesNotMatch(run.stderr, /Traceback/);
          }
          assert.equal(
            await Deno.readTextFile(throws),
            before,
            "a failed run writes nothing",
          );
        },
      );

      await t.step(
        "check reports every notebook, in the order given",
        async () => {
          const run = await runner(["check", throws, basic]);
          assert.equal(run.code, 1, describeRun(run));
          assert.match(run.stdout, /basic\.ipynb/);
          assert.match(run.stderr, /throws\.ipynb/);
          assert.match(run.stderr, /1 of 2 notebooks failed/);
        },
      );

      await t.step(
        "html renders each notebook into --out-dir without executing",
        async () => {
          const outDir = join(dir, "html");
          const run = await runner(["html", `--out-dir=${outDir}`, basic]);
          assert.equal(run.code, 0, describeRun(run));
          const html = await Deno.readTextFile(join(outDir, "basic.html"));
          assert.ok(html.includes("hello from cell 1"));
          assert.ok(html.includes("after update"));
        },
      );

      await t.step(
        "the private Jupyter folder is removed afterwards",
        async () => {
          assert.deepEqual(await privateJupyterFolders(), jupyterFoldersBefore);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/**
 * Replays a recorded iopub sequence through execute.py's client (or stock
 * nbclient) with a fake kernel client, and prints each cell's outputs.
 * "quiet" in the trace is a silence longer than any quiet period.
 */
const REPLAY = `
import asyncio, json, sys
from queue import Empty
import nbformat
from nbclient import NotebookClient
sys.path.insert(0, sys.argv[1])
from execute import DrainingClient

class Channel:
    def __init__(self, items):
        self.items = list(items)
    async def get_msg(self, timeout=None):
        while self.items:
            item = self.items.pop(0)
            if item != "quiet":
                return item
            if timeout is not None:
                raise Empty
        if timeout is None:
            raise RuntimeError("the trace ended while a cell was running")
        raise Empty

class KernelClient:
    def __init__(self, items):
        self.iopub_channel = Channel(items)

trace = json.load(sys.stdin)
messages = [
    item if item == "quiet" else {
        "msg_type": item[1],
        "header": {"msg_type": item[1], "msg_id": f"out-{n}"},
        "parent_header": {"msg_id": f"msg-{item[0]}"},
        "metadata": {},
        "content": item[2],
    }
    for n, item in enumerate(trace["messages"])
]
nb = nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell(f"cell {i}") for i in range(trace["cells"])]
)
if sys.argv[2] == "draining":
    client = DrainingClient(
        nb, quiet_ms=0, final_quiet_ms=0, kernel_name="deno", record_timing=False
    )
else:
    client = NotebookClient(nb, kernel_name="deno", record_timing=False)
client.kc = KernelClient(messages)

async def run():
    for i, cell in enumerate(nb.cells):
        client.current_cell_index = i
        client.clear_before_next_output = False
        await client._async_poll_output_msg(f"msg-{i}", cell, i)

asyncio.run(run())
print(json.dumps([
    [o.get("text") or o["data"]["text/plain"] for o in cell.outputs] for cell in nb.cells
]))
`;

async function replay(
  client: "draining" | "stock",
  trace: { cells: number; messages: unknown[] },
): Promise<string[][]> {
  const child = new Deno.Command(PYTHON, {
    args: ["-c", REPLAY, join(ROOT, "notebooks", "_runner"), client],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(trace)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  assert.equal(code, 0, decoder.decode(stderr));
  return JSON.parse(decoder.decode(stdout));
}

// Recorded from Deno 2.9.6 with no quiet period (cells 93 to 96 of the
// stress notebook, renumbered): cell 1 goes idle before any output, its
// stderr line arrives during cell 2 under its own msg_id, and its display
// arrives under cell 2's msg_id, before cell 2's execute_input.
const busy = { execution_state: "busy" };
const idle = { execution_state: "idle" };
const input = { code: "", execution_count: 1 };
const RECORDED_TRACE = {
  cells: 4,
  messages: [
    [0, "status", busy],
    [0, "execute_input", input],
    [0, "stream", { name: "stdout", text: "first 0\n" }],
    [0, "status", idle],
    [0, "execute_result", {
      data: { "text/plain": "result 0" },
      metadata: {},
      execution_count: 1,
    }],
    "quiet",
    [1, "status", busy],
    [1, "execute_input", input],
    [1, "status", idle],
    "quiet",
    [2, "status", busy],
    [1, "stream", { name: "stderr", text: "warn 1\n" }],
    [2, "display_data", {
      data: { "text/plain": "original 1" },
      metadata: {},
      transient: { display_id: "d1" },
    }],
    [2, "execute_input", input],
    [2, "status", idle],
    "quiet",
    [3, "status", busy],
    [3, "execute_input", input],
    [3, "status", idle],
    [3, "stream", { name: "stdout", text: "log 3\n" }],
    [3, "update_display_data", {
      data: { "text/plain": "updated 1" },
      metadata: {},
      transient: { display_id: "d1" },
    }],
    "quiet",
  ],
};

Deno.test({
  name:
    `execute.py gives late and mis-tagged kernel messages to the cell that made them${SKIP_REASON}`,
  ignore: SKIP_REASON !== "",
  async fn(t) {
    assert.ok(JUPYTER, `Jupyter is missing with CI set: ${INSTALL_HINT}`);
    await t.step("in a recorded Deno trace", async () => {
      assert.deepEqual(await replay("draining", RECORDED_TRACE), [
        ["first 0\n", "result 0"],
        ["warn 1\n", "updated 1"],
        [],
        ["log 3\n"],
      ]);
    });
    await t.step("which stock nbclient gets wrong", async () => {
      assert.deepEqual(await replay("stock", RECORDED_TRACE), [
        ["first 0\n"],
        [],
        ["original 1"],
        [],
      ]);
    });
  },
});

/** A stress cell: its source and the outputs a lossless run must keep. */
interface StressCell {
  source: string;
  outputs: Record<string, unknown>[];
}

const DISPLAY = 'Symbol.for("Jupyter.display")';

/**
 * Many short cells in six shapes that between them produce streams on both
 * channels, raw displays, rich last-expression results, awaits of a few ms
 * and display updates fired from a timer after the cell has finished.
 */
function stressCells(count: number): StressCell[] {
  const cells: StressCell[] = [];
  const stdout = (text: string) => ({ type: "stream", name: "stdout", text });
  const display = (text: string) => ({
    type: "display_data",
    data: { "text/plain": text },
  });
  const result = (text: string, count: number) => ({
    type: "execute_result",
    data: { "text/plain": text },
    count,
  });
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    switch (i % 6) {
      case 0:
        cells.push({
          source: `console.log("log ${i}");`,
          outputs: [stdout(`log ${i}\n`)],
        });
        break;
      case 1:
        cells.push({
          source: `await new Promise((r) => setTimeout(r, ${1 + (i % 4)}));\n` +
            `console.log("after await ${i}");\n` +
            `({ [${DISPLAY}]() { return { "text/plain": "value ${i}" }; } })`,
          outputs: [stdout(`after await ${i}\n`), result(`value ${i}`, n)],
        });
        break;
      case 2:
        cells.push({
          source:
            `await Deno.jupyter.display({ "text/plain": "display ${i}" }, { raw: true });`,
          outputs: [display(`display ${i}`)],
        });
        break;
      case 3:
        cells.push({
          source: `console.log("first ${i}");\n` +
            `await Deno.jupyter.display({ "text/plain": "middle ${i}" }, { raw: true });\n` +
            `console.log("last ${i}");\n` +
            `({ [${DISPLAY}]() { return { "text/plain": "result ${i}" }; } })`,
          outputs: [
            stdout(`first ${i}\n`),
            display(`middle ${i}`),
            stdout(`last ${i}\n`),
            result(`result ${i}`, n),
          ],
        });
        break;
      case 4:
        cells.push({
          source: `console.error("warn ${i}");\n` +
            `await Deno.jupyter.display({ "text/plain": "original ${i}" }, { raw: true, display_id: "stress-${i}" });`,
          // Cell i + 1 replaces the display after this cell went idle.
          outputs: [
            { type: "stream", name: "stderr", text: `warn ${i}\n` },
            display(i + 1 < count ? `updated ${i}` : `original ${i}`),
          ],
        });
        break;
      default:
        cells.push({
          // `void`: Deno shows a last expression even after a semicolon.
          source: `void setTimeout(() => Deno.jupyter.display(` +
            `{ "text/plain": "updated ${i - 1}" }, ` +
            `{ raw: true, display_id: "stress-${i - 1}", update: true }), 2);`,
          outputs: [],
        });
    }
  }
  return cells;
}

const STRESS_CELLS = 120;
const STRESS_RUNS = 3;

Deno.test({
  name:
    `notebooks.ts run keeps every output of a ${STRESS_CELLS}-cell notebook in ${STRESS_RUNS} runs${SKIP_REASON}`,
  ignore: SKIP_REASON !== "",
  async fn() {
    assert.ok(JUPYTER, `Jupyter is missing with CI set: ${INSTALL_HINT}`);
    const dir = await Deno.makeTempDir({ prefix: "notebook-runner-stress-" });
    try {
      const cells = stressCells(STRESS_CELLS);
      const paths = Array.from(
        { length: STRESS_RUNS },
        (_, run) => join(dir, `stress-${run + 1}.ipynb`),
      );
      for (const path of paths) {
        await write(path, notebook(cells.map((cell) => cell.source)));
      }
      // One runner call: every copy gets its own fresh kernel.
      const run = await runner(["run", "--verbose", ...paths]);
      assert.equal(run.code, 0, describeRun(run));
      const expected = cells.reduce(
        (sum, cell) => sum + cell.outputs.length,
        0,
      );
      const texts: string[] = [];
      for (const [index, path] of paths.entries()) {
        const text = await Deno.readTextFile(path);
        texts.push(text);
        const nb = JSON.parse(text) as NotebookJson;
        let received = 0;
        let missing = 0;
        const wrong: string[] = [];
        nb.cells.forEach((cell, i) => {
          const got = (cell.outputs ?? []).map(plain);
          const want = cells[i]!.outputs;
          received += got.length;
          const gotKeys = got.map((o) => stableStringify(o));
          for (const output of want) {
            const at = gotKeys.indexOf(stableStringify(output));
            if (at < 0) missing++;
            else gotKeys.splice(at, 1);
          }
          try {
            assert.deepEqual(got, want);
            assert.equal(cell.execution_count, i + 1);
          } catch {
            wrong.push(`cell ${i}: ${JSON.stringify(got)}`);
          }
        });
        const line = run.stdout.split("\n").find((l) => l.includes(path)) ?? "";
        console.log(
          `stress run ${
            index + 1
          }: ${received}/${expected} outputs, ${missing} missing; ${
            line.replace(/^ok +\S+ /, "")
          }`,
        );
        assert.equal(missing, 0, wrong.slice(0, 5).join("\n"));
        assert.deepEqual(wrong.slice(0, 5), []);
      }
      for (const text of texts.slice(1)) assert.equal(text, texts[0]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function repoNotebooks(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "notebooks"))) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
  }
  return names;
}

const REPO_NOTEBOOKS = await repoNotebooks();
const REPO_SKIP_REASON = SKIP_REASON !== ""
  ? SKIP_REASON
  : REPO_NOTEBOOKS.length === 0
  ? " (ignored: no notebooks yet; the fixture tests cover the runner)"
  : "";

Deno.test({
  name:
    `notebooks/*.ipynb match a fresh run (notebooks:check)${REPO_SKIP_REASON}`,
  ignore: REPO_SKIP_REASON !== "",
  async fn() {
    assert.ok(JUPYTER, `Jupyter is missing with CI set: ${INSTALL_HINT}`);
    const run = await runner(["check"]);
    assert.equal(run.code, 0, describeRun(run));
    for (const name of REPO_NOTEBOOKS) {
      assert.match(
        run.stdout,
        new RegExp(`ok .*${name.replace(/[.]/g, "\\.")}`),
      );
    }
  },
});
