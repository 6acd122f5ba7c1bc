/**
 * Runs, checks and renders the tutorial notebooks with Jupyter and the Deno
 * kernel.
 *
 * ```sh
 * deno task notebooks [paths...]        # execute, write outputs in place
 * deno task notebooks:check [paths...]  # execute into a temp folder, compare
 * deno task notebooks:html [paths...]   # render to notebooks/html/
 * ```
 *
 * Paths are notebooks or folders (their top-level `*.ipynb`); the default is
 * every top-level notebook in `notebooks/`, in sorted order. Options:
 * `--quiet-ms=N` (iopub quiet period after each cell, default 50),
 * `--timeout=S` (per cell, default 300), `--out-dir=DIR` (html only) and
 * `--verbose` (late-output statistics). Cells are numbered from 0, as in the
 * notebook's JSON.
 *
 * `run` writes a notebook only when every cell succeeded, and only if its
 * bytes change; `check` compares each cell's outputs and execution count
 * with a fresh run after JSON normalisation and nothing else. Both run the
 * kernel with TZ=UTC, the C.UTF-8 locale and colours on (NO_COLOR removed),
 * so outputs do not depend on the machine. Execution itself is
 * `execute.py`, which also keeps the outputs the Deno kernel sends after a
 * cell went idle.
 *
 * Jupyter comes from `/usr/bin/python3` (override with `NOTEBOOKS_PYTHON`),
 * so a Python earlier on PATH without Jupyter does not matter. The kernelspec
 * lives in a private temporary Jupyter folder and points at the Deno running
 * this script; the user's home is never touched.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The command that installs what this runner needs from Jupyter. */
export const INSTALL_HINT =
  "apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client";

const DEFAULT_PYTHON = "/usr/bin/python3";
const RUNNER_DIR = dirname(fileURLToPath(import.meta.url));
const NOTEBOOKS_DIR = dirname(RUNNER_DIR);
const USAGE =
  "usage: notebooks.ts run|check|html [--quiet-ms=N] [--timeout=S] [--out-dir=DIR] [--verbose] [paths...]";

/** One way a committed cell differs from a fresh run of it. */
export interface CellDifference {
  /** Index of the cell in the notebook's `cells` array. */
  cell: number;
  /** First line of the cell's source, to find it by eye. */
  source: string;
  /** What differs, in a sentence. */
  message: string;
  /** A short line diff (`-` committed, `+` fresh), possibly empty. */
  diff: string[];
}

interface CellJson {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

/**
 * Serialises JSON with sorted keys and one-space indent, as nbformat does,
 * so two documents compare equal exactly when their parsed values do.
 *
 * @param value A parsed JSON value.
 * @returns The normalised JSON text.
 *
 * @example Keys come out sorted
 * ```ts
 * import assert from "node:assert/strict";
 * import { stableStringify } from "./notebooks.ts";
 *
 * assert.equal(stableStringify({ b: [1], a: "x" }), '{\n "a": "x",\n "b": [\n  1\n ]\n}');
 * ```
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 1);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    // Code-unit order, like Python's sort_keys, not localeCompare.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

function cellsOf(notebook: unknown, name: string): CellJson[] {
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) {
    throw new TypeError(`Notebook ${name} has no "cells" array`);
  }
  return cells as CellJson[];
}

function firstLine(source: string | string[]): string {
  const text = Array.isArray(source) ? source.join("") : source;
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 50 ? `${line.slice(0, 49)}…` : line;
}

function describeOutput(output: unknown): string {
  const { output_type: type, name } = output as {
    output_type?: string;
    name?: string;
  };
  return type === "stream" ? `stream ${name}` : String(type);
}

/**
 * Compares a committed notebook with a fresh execution of it, cell by cell:
 * every output must be byte-identical after JSON normalisation, and the
 * execution counts must agree.
 *
 * @param committed The committed notebook, parsed.
 * @param fresh The freshly executed notebook, parsed.
 * @returns The differences, in cell order; empty when the notebook is current.
 * @throws {TypeError} If either value has no `cells` array.
 *
 * @example A changed stream output
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareNotebooks } from "./notebooks.ts";
 *
 * const cell = (text: string) => ({
 *   cell_type: "code",
 *   source: "console.log(x)",
 *   execution_count: 1,
 *   outputs: [{ output_type: "stream", name: "stdout", text }],
 * });
 * const [difference] = compareNotebooks(
 *   { cells: [cell("1\n")] },
 *   { cells: [cell("2\n")] },
 * );
 * assert.equal(difference?.message, "output 0 (stream stdout) differs");
 * ```
 */
export function compareNotebooks(
  committed: unknown,
  fresh: unknown,
): CellDifference[] {
  const before = cellsOf(committed, "committed");
  const after = cellsOf(fresh, "fresh");
  const differences: CellDifference[] = [];
  if (before.length !== after.length) {
    return [{
      cell: Math.min(before.length, after.length),
      source: "",
      message:
        `the committed notebook has ${before.length} cells, the fresh run ${after.length}`,
      diff: [],
    }];
  }
  after.forEach((cell, index) => {
    const old = before[index]!;
    if (cell.cell_type !== "code") return;
    const report = (message: string, diff: string[] = []) =>
      differences.push({
        cell: index,
        source: firstLine(cell.source),
        message,
        diff,
      });
    const oldOutputs = old.outputs ?? [];
    const newOutputs = cell.outputs ?? [];
    for (let i = 0; i < Math.max(oldOutputs.length, newOutputs.length); i++) {
      const a = oldOutputs[i];
      const b = newOutputs[i];
      if (a === undefined) {
        report(
          `output ${i} (${
            describeOutput(b)
          }) is missing from the committed notebook`,
          shortDiff("", stableStringify(b)),
        );
      } else if (b === undefined) {
        report(
          `committed output ${i} (${
            describeOutput(a)
          }) is not produced by a fresh run`,
          shortDiff(stableStringify(a), ""),
        );
      } else {
        const x = stableStringify(a);
        const y = stableStringify(b);
        if (x !== y) {
          report(`output ${i} (${describeOutput(b)}) differs`, shortDiff(x, y));
        }
      }
    }
    const oldCount = old.execution_count ?? null;
    const newCount = cell.execution_count ?? null;
    if (oldCount !== newCount) {
      report(
        `execution count is ${oldCount} in the committed notebook, ${newCount} in a fresh run`,
      );
    }
  });
  return differences;
}

const MAX_DIFF_LINES = 6;
const MAX_LINE = 120;

/**
 * A diff of the changed middle, after trimming the lines both texts share at
 * the start and end: enough to see what changed without printing whole
 * outputs (a chart's JSON can be megabytes).
 */
function shortDiff(oldText: string, newText: string): string[] {
  const a = oldText === "" ? [] : oldText.split("\n");
  const b = newText === "" ? [] : newText.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  return [...clip(removed, added, "-"), ...clip(added, removed, "+")];
}

function clip(lines: string[], others: string[], sign: string): string[] {
  const shown = lines.slice(0, MAX_DIFF_LINES).map((line, i) =>
    `${sign} ${window(line, others[i])}`
  );
  if (lines.length > MAX_DIFF_LINES) {
    shown.push(`${sign} … ${lines.length - MAX_DIFF_LINES} more lines`);
  }
  return shown;
}

/** Cuts a long line down to the neighbourhood of its first difference. */
function window(line: string, other: string | undefined): string {
  if (line.length <= MAX_LINE) return line;
  let at = 0;
  if (other !== undefined) {
    while (at < line.length && line[at] === other[at]) at++;
  }
  const from = Math.max(0, Math.min(at - 40, line.length - MAX_LINE));
  const head = from > 0 ? "…" : "";
  const tail = from + MAX_LINE < line.length ? "…" : "";
  return `${head}${line.slice(from, from + MAX_LINE)}${tail}`;
}

/** What execute.py reports for one notebook. */
interface ExecuteResult {
  source: string;
  output: string;
  status: "ok" | "raised" | "timeout" | "dead" | "failed" | "invalid";
  cell?: number | null;
  ename?: string;
  evalue?: string;
  message?: string;
  kernel_log?: string;
  changed?: boolean;
  seconds?: number;
  stats?: Record<string, number>;
}

/** A failure the user can act on: printed as one message, no stack trace. */
class UsageError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

function display(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

async function topLevelNotebooks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && extname(entry.name) === ".ipynb") {
      found.push(join(dir, entry.name));
    }
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function findNotebooks(paths: string[]): Promise<string[]> {
  if (paths.length === 0) return await topLevelNotebooks(NOTEBOOKS_DIR);
  // deno task runs from the config folder; INIT_CWD is where the user was.
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const found: string[] = [];
  for (const path of paths) {
    const full = resolve(base, path);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(full);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UsageError(`No such notebook or folder: ${path}`, 2);
      }
      throw error;
    }
    if (info.isDirectory) found.push(...await topLevelNotebooks(full));
    else if (extname(full) === ".ipynb") found.push(full);
    else throw new UsageError(`Not a notebook (.ipynb): ${path}`, 2);
  }
  return [...new Set(found)];
}

function pythonPath(): string {
  return Deno.env.get("NOTEBOOKS_PYTHON") ?? DEFAULT_PYTHON;
}

async function assertJupyter(python: string): Promise<void> {
  let ok = false;
  try {
    const { success } = await new Deno.Command(python, {
      args: ["-c", "import nbclient, nbformat, nbconvert, jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    ok = success;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!ok) {
    throw new UsageError(
      `Jupyter is missing (${python} cannot import nbclient, nbformat and nbconvert): ${INSTALL_HINT}`,
    );
  }
}

/**
 * Writes a private Jupyter data, config and runtime folder under `root`
 * holding a `deno` kernelspec for this Deno, and returns the environment
 * that points Jupyter at it (pass it through {@linkcode childEnv}).
 */
export async function privateJupyter(
  root: string,
): Promise<Record<string, string>> {
  const data = join(root, "data");
  const kernelDir = join(data, "kernels", "deno");
  await Deno.mkdir(kernelDir, { recursive: true });
  await Deno.mkdir(join(root, "config"));
  await Deno.mkdir(join(root, "runtime"));
  // Mirrors what `deno jupyter --install` writes, minus the logos.
  const spec = {
    argv: [
      Deno.execPath(),
      "jupyter",
      "--kernel",
      "--conn",
      "{connection_file}",
    ],
    display_name: "Deno",
    language: "typescript",
  };
  await Deno.writeTextFile(
    join(kernelDir, "kernel.json"),
    JSON.stringify(spec, null, 2) + "\n",
  );
  return {
    JUPYTER_DATA_DIR: data,
    JUPYTER_CONFIG_DIR: join(root, "config"),
    JUPYTER_RUNTIME_DIR: join(root, "runtime"),
    // The user's data dir comes before the system's only when this is off.
    JUPYTER_PREFER_ENV_PATH: "0",
    // Outputs must not depend on the machine: Deno colours results unless
    // NO_COLOR is set, and formats dates and numbers by TZ and locale.
    TZ: "UTC",
    LC_ALL: "C.UTF-8",
    LANG: "C.UTF-8",
    DENO_NO_UPDATE_CHECK: "1",
  };
}

/**
 * Runs `body` with a private Jupyter folder ({@linkcode privateJupyter}) and
 * a scratch folder, and removes both afterwards whatever happens.
 */
async function withPrivateJupyter<T>(
  body: (env: Record<string, string>, scratch: string) => Promise<T>,
): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "notebooks-jupyter-" });
  try {
    const env = await privateJupyter(root);
    await Deno.mkdir(join(root, "scratch"));
    return await body(env, join(root, "scratch"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/**
 * Environment for the Python child: ours, minus what would leak in. Pass it
 * with `clearEnv: true`, or the deleted keys are inherited anyway.
 */
export function childEnv(
  extra: Record<string, string>,
): Record<string, string> {
  const env = Deno.env.toObject();
  // JUPYTER_PATH entries would shadow the private kernelspec.
  for (const key of ["NO_COLOR", "FORCE_COLOR", "JUPYTER_PATH"]) {
    delete env[key];
  }
  return { ...env, ...extra };
}

/**
 * Spawns a child and waits for it; SIGINT and SIGTERM wait for it to exit
 * (so the private Jupyter folder can be removed) instead of killing us.
 */
async function supervise(
  child: Deno.ChildProcess,
  onLine?: (line: string) => void,
): Promise<{ code: number; signal: string | null }> {
  let signal: string | null = null;
  // A terminal's Ctrl-C reaches the child too; SIGTERM has to be passed on,
  // as SIGINT so Python shuts the kernel down cleanly.
  const onInt = () => signal = "SIGINT";
  const onTerm = () => {
    signal = "SIGTERM";
    try {
      child.kill("SIGINT");
    } catch { /* already gone */ }
  };
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  try {
    if (onLine) {
      let buffer = "";
      for await (
        const chunk of child.stdout.pipeThrough(new TextDecoderStream())
      ) {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          onLine(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
        }
      }
      if (buffer !== "") onLine(buffer);
    }
    const status = await child.status;
    return { code: status.code, signal };
  } finally {
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
}

interface Options {
  quietMs: number;
  timeout: number;
  outDir: string;
  verbose: boolean;
}

function cellLabel(result: ExecuteResult, notebook: unknown): string {
  if (result.cell === null || result.cell === undefined) return "";
  let source = "";
  try {
    source = firstLine(cellsOf(notebook, "")[result.cell]?.source ?? "");
  } catch { /* unreadable notebook: the index alone will do */ }
  return source === ""
    ? `cell ${result.cell}`
    : `cell ${result.cell} (${source})`;
}

function describeFailure(result: ExecuteResult, notebook: unknown): string[] {
  const where = cellLabel(result, notebook);
  const lines = result.status === "raised"
    ? [
      `${where} raised ${result.ename}: ${result.evalue}${
        result.evalue === "Execution failed"
          ? " (the Deno kernel gives no details: usually a syntax error)"
          : ""
      }`,
    ]
    : result.status === "invalid"
    ? [`not a valid notebook: ${result.message}`]
    : [where === "" ? `${result.message}` : `${where}: ${result.message}`];
  if (result.kernel_log) {
    lines.push(
      "kernel log:",
      ...result.kernel_log.split("\n").map((l) => `  ${l}`),
    );
  }
  return lines;
}

function neverExecuted(notebook: unknown): boolean {
  return cellsOf(notebook, "committed").every((cell) =>
    cell.cell_type !== "code" ||
    ((cell.outputs ?? []).length === 0 &&
      (cell.execution_count ?? null) === null)
  );
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return null;
  }
}

async function execute(
  command: "run" | "check",
  notebooks: string[],
  options: Options,
): Promise<number> {
  const python = pythonPath();
  return await withPrivateJupyter(async (env, scratch) => {
    const jobs = notebooks.map((source, i) => ({
      source,
      // check writes fresh copies beside each other; the index keeps two
      // notebooks with the same name apart.
      output: command === "run"
        ? source
        : join(scratch, `${String(i).padStart(3, "0")}-${basename(source)}`),
      kernel_log: join(scratch, `${String(i).padStart(3, "0")}-kernel.log`),
    }));
    const jobsFile = join(scratch, "jobs.json");
    await Deno.writeTextFile(
      jobsFile,
      JSON.stringify({
        quiet_ms: options.quietMs,
        final_quiet_ms: Math.max(500, options.quietMs),
        timeout: options.timeout,
        jobs,
      }),
    );
    const child = new Deno.Command(python, {
      args: [join(RUNNER_DIR, "execute.py"), jobsFile],
      env: childEnv(env),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const results: ExecuteResult[] = [];
    let failed = 0;
    const { code, signal } = await supervise(child, (line) => {
      let result: ExecuteResult;
      try {
        result = JSON.parse(line);
      } catch {
        console.error(line); // stray output from a library: pass it on
        return;
      }
      results.push(result);
    });
    if (signal !== null) {
      console.error(`notebooks: interrupted by ${signal}`);
      return signal === "SIGINT" ? 130 : 143;
    }
    for (const result of results) {
      const name = display(result.source);
      const committed = await readJson(result.source);
      if (result.status !== "ok") {
        failed++;
        // Messages can span lines (assertion errors do): indent the rest.
        const [first, ...rest] = describeFailure(result, committed)
          .join("\n").trimEnd().split("\n");
        console.error(`FAIL ${name}: ${first}`);
        for (const line of rest) console.error(`  ${line}`.trimEnd());
        continue;
      }
      const stats = options.verbose && result.stats
        ? ` [${
          Object.entries(result.stats).map(([k, v]) => `${k}=${v}`).join(" ")
        }]`
        : "";
      if (command === "run") {
        console.log(
          `ok   ${name} (${result.seconds} s, ${
            result.changed ? "updated" : "unchanged"
          })${stats}`,
        );
        continue;
      }
      const differences = compareNotebooks(
        committed,
        await readJson(result.output),
      );
      if (differences.length === 0) {
        console.log(`ok   ${name} (${result.seconds} s)${stats}`);
        continue;
      }
      failed++;
      if (neverExecuted(committed)) {
        // One line instead of a diff for every cell.
        console.error(`FAIL ${name}: was committed without outputs`);
        continue;
      }
      console.error(`FAIL ${name}: differs from a fresh run`);
      for (const d of differences) {
        const source = d.source === "" ? "" : ` (${d.source})`;
        console.error(`  cell ${d.cell}${source}: ${d.message}`);
        for (const line of d.diff) console.error(`    ${line}`);
      }
    }
    if (results.length < notebooks.length) {
      console.error(
        `notebooks: the executor stopped after ${results.length} of ${notebooks.length} notebooks (exit code ${code})`,
      );
      return 1;
    }
    if (failed > 0) {
      const advice = command === "check"
        ? "; run `deno task notebooks` and review the diff"
        : "";
      console.error(
        `notebooks ${command}: ${failed} of ${notebooks.length} notebooks failed${advice}`,
      );
      return 1;
    }
    return 0;
  });
}

async function renderHtml(
  notebooks: string[],
  options: Options,
): Promise<number> {
  const python = pythonPath();
  await Deno.mkdir(options.outDir, { recursive: true });
  return await withPrivateJupyter(async (env) => {
    let failed = 0;
    for (const notebook of notebooks) {
      // One notebook per call, so a failure names its notebook.
      const child = new Deno.Command(python, {
        args: [
          "-m",
          "nbconvert",
          "--to",
          "html",
          "--output-dir",
          options.outDir,
          notebook,
        ],
        env: childEnv(env),
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const [{ code, signal }, stderr] = await Promise.all([
        supervise(child),
        new Response(child.stderr).text(),
        new Response(child.stdout).text(),
      ]);
      if (signal !== null) return signal === "SIGINT" ? 130 : 143;
      const target = join(
        options.outDir,
        basename(notebook, ".ipynb") + ".html",
      );
      if (code === 0) {
        console.log(`ok   ${display(notebook)} -> ${display(target)}`);
      } else {
        failed++;
        // nbconvert's last line names the problem; the rest is traceback.
        const last = stderr.trim().split("\n").at(-1) ?? "";
        console.error(`FAIL ${display(notebook)}: ${last}`);
      }
    }
    return failed > 0 ? 1 : 0;
  });
}

function parseOptions(args: string[]): {
  command: string;
  paths: string[];
  options: Options;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        "quiet-ms": { type: "string" },
        timeout: { type: "string" },
        "out-dir": { type: "string" },
        verbose: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const [command = "", ...paths] = parsed.positionals;
  const integer = (
    name: string,
    value: string | undefined,
    fallback: number,
  ) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new UsageError(
        `--${name} must be a non-negative integer, got ${value}`,
        2,
      );
    }
    return n;
  };
  const base = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const outDir = parsed.values["out-dir"];
  return {
    command,
    paths,
    options: {
      quietMs: integer("quiet-ms", parsed.values["quiet-ms"], 50),
      timeout: integer("timeout", parsed.values.timeout, 300),
      outDir: outDir === undefined
        ? join(NOTEBOOKS_DIR, "html")
        : resolve(base, outDir),
      verbose: parsed.values.verbose ?? false,
    },
  };
}

/**
 * Runs the command line and returns the exit code.
 *
 * @param args The arguments after the script name.
 * @returns 0 on success, 1 when a notebook fails, 2 on a usage error.
 */
export async function main(args: string[]): Promise<number> {
  try {
    const { command, paths, options } = parseOptions(args);
    if (command !== "run" && command !== "check" && command !== "html") {
      throw new UsageError(USAGE, 2);
    }
    // Before looking for notebooks, so a machine without Jupyter fails
    // loudly even while there is nothing to run yet.
    await assertJupyter(pythonPath());
    const notebooks = await findNotebooks(paths);
    if (notebooks.length === 0) {
      console.log(`notebooks ${command}: no notebooks to ${command}`);
      return 0;
    }
    return command === "html"
      ? await renderHtml(notebooks, options)
      : await execute(command, notebooks, options);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return error.code;
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
