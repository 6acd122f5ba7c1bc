// The test command StrykerJS runs for each mutant (its `command` test
// runner; see stryker.config.json and docs/mutation.md). It runs the fast
// tests: every test file but the browser, notebook-runner and first-run ones
// (and the bundle-size one, see SLOW_TESTS), plus the doc tests of mod.ts,
// lib/ and README.md, without type checking (Stryker's instrumented code is
// not typed) and stopping at the first failure.
//
// Without a mutant (Stryker's initial run) it runs each of them in a process
// of its own, with Deno's line coverage on (DENO_COVERAGE_DIR, which the
// subprocesses a test starts inherit), and keeps which lines of lib/ each one
// reaches. For a mutant (Stryker names it in __STRYKER_ACTIVE_MUTANT__) it
// runs only the test files that reach the line of the instrumented code that
// switches the mutant on: a test that never evaluates that switch runs the
// same code with or without the mutant, so it cannot kill it. Those that name
// the mutated module or its exports go first, so a killed mutant costs
// seconds, and a surviving one pays only for the tests that reach it.
//
// `deno run -A tests/mutation/run_tests.ts [--list]` from a Stryker sandbox
// (or the repository root, where it runs the fast tests with coverage);
// `--list` prints the command instead.

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
  /if \(ns\.activeMutant === undefined(?: && g\.process[^)]*\)| \/\* pinned \*\/\)) \{\n(\s*)ns\.activeMutant = [^\n]*/;

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

// The doc tests, a unit of their own beside the test files.
const DOC_TESTS = "doc tests";
const DOC_ARGS = ["--doc", "mod.ts", "lib/", "README.md"];

/** What one test process runs: a fast test file, or the doc tests. */
export function unitArgs(unit: string): string[] {
  return unit === DOC_TESTS ? DOC_ARGS : [unit];
}

/** The fast test files and the doc tests. */
export function units(): string[] {
  return [...fastTestFiles(), DOC_TESTS];
}

const COVERAGE = "tests/mutation/.coverage";
const LINES = `${COVERAGE}/lines.json`;

/** For each unit, the lines of each file under lib/ that it reaches. */
export type Reach = Record<string, Record<string, number[]>>;

/** The files and lines under lib/ that an LCOV report shows executed. */
export function reachedLines(
  lcov: string,
  root: string,
): Record<string, number[]> {
  const reached: Record<string, number[]> = {};
  let file: string | undefined;
  for (const line of lcov.split("\n")) {
    if (line.startsWith("SF:")) {
      const path = line.slice(3);
      const inLib = path.startsWith(`${root}/lib/`);
      file = inLib ? path.slice(root.length + 1) : undefined;
    } else if (file !== undefined && line.startsWith("DA:")) {
      const [at, count] = line.slice(3).split(",").map(Number);
      if (count! > 0) (reached[file] ??= []).push(at!);
    } else if (file !== undefined && line.startsWith("BRDA:")) {
      // Deno counts a line 0 when a block that never ran ends it, as in
      // `if (c) return;` with c always false: a branch taken on the line
      // shows that the line ran.
      const [at, , , taken] = line.slice(5).split(",");
      if (Number(taken) > 0) (reached[file] ??= []).push(Number(at));
    }
  }
  return reached;
}

function deno(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
}

const TEST = ["test", "-A", "--no-check", "--lock=tests/deno.lock"];

// The initial run: every unit in a process of its own, with coverage. Fails
// (with the first failing unit's code) if any unit fails.
async function measureReach(): Promise<number> {
  await Deno.remove(COVERAGE, { recursive: true }).catch(() => {});
  const root = Deno.cwd();
  const reach: Reach = {};
  for (const [i, unit] of units().entries()) {
    const dir = `${COVERAGE}/${i}`;
    const { code } = await deno([...TEST, ...unitArgs(unit)], {
      DENO_COVERAGE_DIR: dir,
    });
    if (code !== 0) return code;
    const lcov = await new Deno.Command(Deno.execPath(), {
      args: ["coverage", "--lcov", dir],
    }).output();
    const out = new TextDecoder().decode(lcov.stdout);
    const err = new TextDecoder().decode(lcov.stderr);
    // A unit that runs no library code (the module graph test) has no report.
    if (!lcov.success && !err.includes("No covered files")) {
      console.error(err);
      return 1;
    }
    reach[unit] = reachedLines(out, root);
  }
  Deno.writeTextFileSync(LINES, JSON.stringify(reach));
  return 0;
}

// The line of `file` (instrumented) that switches mutant `id` on.
function switchLine(file: string, id: string): number {
  const text = Deno.readTextFileSync(file);
  const at = text.indexOf(`stryMutAct_9fa48("${id}")`);
  return text.slice(0, at).split("\n").length;
}

/**
 * The `deno test` arguments for mutant `id`: the units that reach its switch,
 * those naming its module first; undefined if no unit reaches it.
 */
export function testArgs(id: string): string[] | undefined {
  const file = fileOfMutant(id);
  if (file === undefined) throw new Error(`no file holds mutant ${id}`);
  const line = switchLine(file, id);
  const reach: Reach = JSON.parse(Deno.readTextFileSync(LINES));
  const reaching = units().filter((u) => reach[u]?.[file]?.includes(line));
  if (reaching.length === 0) return undefined;
  const files = reaching.filter((u) => u !== DOC_TESTS);
  return [
    ...TEST,
    "--fail-fast",
    `--filter=${ALL_BUT_THE_WASM_REBUILD}`,
    ...orderedFor(file, files),
    ...(reaching.includes(DOC_TESTS) ? DOC_ARGS : []),
  ];
}

if (import.meta.main) {
  pinMutant(ACTIVE);
  if (ACTIVE === undefined) {
    if (Deno.args.includes("--list")) {
      for (const unit of units()) {
        console.log(["deno", ...TEST, ...unitArgs(unit)].join(" "));
      }
    } else Deno.exit(await measureReach());
  } else {
    const args = testArgs(ACTIVE);
    if (args === undefined) {
      console.log(`mutant ${ACTIVE}: no fast test reaches it`);
    } else if (Deno.args.includes("--list")) {
      console.log(["deno", ...args].join(" "));
    } else Deno.exit((await deno(args)).code);
  }
}
