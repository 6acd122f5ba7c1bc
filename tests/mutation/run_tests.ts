// The test command StrykerJS runs for each mutant (its `command` test
// runner; see stryker.config.json and docs/mutation.md). It runs the fast
// tests: every test file but the browser, notebook-runner and first-run ones
// (and the bundle-size one, see SLOW_TESTS), plus the doc tests of mod.ts,
// lib/ and README.md, without type checking (Stryker's instrumented code is
// not typed) and stopping at the first failure.
//
// All of them, every time: only the order changes. For a mutant (Stryker
// names it in __STRYKER_ACTIVE_MUTANT__), the test files that name the
// mutated module or its public functions run first, so a killed mutant
// costs seconds; a surviving one runs everything. Without a mutant (the
// initial run) the order is the directory's.
//
// `deno run -A tests/mutation/run_tests.ts [--list]` from a Stryker sandbox
// (or the repository root, where it runs the fast tests in directory
// order); `--list` prints the command instead.

const ACTIVE = Deno.env.get("__STRYKER_ACTIVE_MUTANT__");

/** Test files the fast tests leave out (slow, or needing a browser, Jupyter or the network). */
export const SLOW_TESTS: readonly string[] = [
  "tests/browser_test.ts",
  "tests/notebook_runner_test.ts",
  "tests/first_run_test.ts",
  "tests/jupyterlab_test.ts",
  // Bundle sizes of charts of up to 1000 × 50,000 classes: 40 s or more on
  // instrumented code, which every surviving mutant would pay. Left out, so
  // the score is a lower bound: a mutant only it kills counts as survived.
  "tests/render_size_test.ts",
];

/** The fast test files, in directory order. */
export function fastTestFiles(root = "."): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(`${root}/tests`)) {
    const path = `tests/${entry.name}`;
    if (entry.isFile && entry.name.endsWith("_test.ts")) {
      if (!SLOW_TESTS.includes(path)) files.push(path);
    }
  }
  return files.sort();
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

// Which file holds mutant `id`: Stryker's instrumented code calls
// stryMutAct_9fa48("id") in the mutated files only.
function fileOfMutant(id: string): string | undefined {
  const needle = `stryMutAct_9fa48("${id}")`;
  return sourceFiles("lib").find((path) =>
    Deno.readTextFileSync(path).includes(needle)
  );
}

// Names a test file would use for the module at `path`: its file name
// (without a leading underscore) and the functions and classes it exports.
function namesOf(path: string): string[] {
  const base = path.split("/").at(-1)!.replace(/\.ts$/, "");
  const names = [base, base.replace(/^_/, "")];
  const text = Deno.readTextFileSync(path);
  for (const m of text.matchAll(/export (?:function|class|const) (\w+)/g)) {
    names.push(m[1]!);
  }
  return names;
}

/** The fast test files, those that name the module at `path` first. */
export function orderedFor(
  path: string | undefined,
  files: string[],
): string[] {
  if (path === undefined) return files;
  const names = namesOf(path);
  const score = (file: string) => {
    const text = Deno.readTextFileSync(file);
    return names.filter((n) => text.includes(n)).length;
  };
  const scored = files.map((file) => ({ file, score: score(file) }));
  // Stable: ties keep directory order.
  return scored.sort((a, b) => b.score - a.score).map((s) => s.file);
}

// Tests that cannot kill a mutant of lib/ TypeScript: the rebuild of
// kernels.wasm from kernels.as (10 s) compares files Stryker does not mutate.
// Deno's --filter has no negation, so this matches every name but those
// starting "the co" ("the committed kernels.wasm and kernels_wasm.ts ...").
const ALL_BUT_THE_WASM_REBUILD =
  "/^([^t]|t[^h]|th[^e]|the[^ ]|the [^c]|the c[^o])/";

// Stryker's instrumented code reads the active mutant from the environment,
// which a Deno subprocess started without --allow-env (the demo, the
// second-process determinism checks) may not read: it would throw, and the
// test would "kill" every mutant. So each run writes the mutant's id into the
// instrumented files themselves, for this process and every subprocess.
// Stryker runs every worker in one sandbox, hence concurrency 1.
const READ_FROM_ENV =
  /if \(ns\.activeMutant === undefined(?: && g\.process[^)]*\)| \/\* pinned \*\/\)) \{\n(\s*)ns\.activeMutant = [^;]*;/;

// A mutant that loops forever (a loop condition made always true) would run
// into Stryker's timeout, minutes on this machine. Stryker's own hit counter
// stops it sooner: past this many evaluations of the active mutant it throws
// "Stryker: Hit count limit reached", which fails the test (Stryker counts
// such a mutant, like a timeout, as detected). The fast tests evaluate no
// single expression nearly this often.
const HIT_LIMIT = 50_000_000;

/** Writes `id` (or none) into every instrumented file under lib/. */
export function pinMutant(id: string | undefined): void {
  for (const path of sourceFiles("lib")) {
    const text = Deno.readTextFileSync(path);
    if (!text.includes("function stryNS_9fa48")) continue;
    const pinned = text.replace(
      READ_FROM_ENV,
      (_, indent: string) =>
        `if (ns.activeMutant === undefined /* pinned */) {\n${indent}ns.activeMutant = ${
          id === undefined ? "undefined" : JSON.stringify(id)
        }; ns.hitCount = 0; ns.hitLimit = ${HIT_LIMIT};`,
    );
    if (pinned === text && !text.includes("/* pinned */")) {
      throw new Error(
        `${path}: Stryker's header has changed; update run_tests.ts`,
      );
    }
    if (pinned !== text) Deno.writeTextFileSync(path, pinned);
  }
}

/** The `deno test` arguments for the current mutant (or none). */
export function testArgs(): string[] {
  const mutated = ACTIVE === undefined ? undefined : fileOfMutant(ACTIVE);
  return [
    "test",
    "-A",
    "--no-check",
    "--fail-fast",
    "--lock=tests/deno.lock",
    ...(ACTIVE === undefined ? [] : [`--filter=${ALL_BUT_THE_WASM_REBUILD}`]),
    "--doc",
    ...orderedFor(mutated, fastTestFiles()),
    "mod.ts",
    "lib/",
    "README.md",
  ];
}

if (import.meta.main) {
  pinMutant(ACTIVE);
  const args = testArgs();
  if (Deno.args.includes("--list")) {
    console.log(["deno", ...args].join(" "));
  } else {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args,
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    Deno.exit(code);
  }
}
