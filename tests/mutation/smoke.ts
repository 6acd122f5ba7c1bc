// A mutation smoke for CI (`deno task mutation:smoke`, about a minute): the
// gaps issue 15 found, each a one-line change a user would notice, applied
// one at a time to a copy of the repository; the test files named beside
// each must fail on it. The full run is `deno task mutation` (StrykerJS; see
// docs/mutation.md).

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One hand-written mutant: `from` (found exactly once in `file`) becomes `to`. */
export interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
  /** The test files that must kill it. */
  tests: string[];
}

/** The seven gaps of issue 15, and the tests that now close them. */
export const MUTANTS: readonly Mutant[] = [
  {
    name: "temperature error term dropped in the row kernel",
    file: "lib/_softmax_row.ts",
    from: "lo[k] = r / temperature;",
    to: "lo[k] = r;",
    tests: ["tests/softmax_test.ts"],
  },
  {
    name: "rows of 1,024+ entries go to the kernels whatever the temperature",
    file: "lib/_softmax_rows.ts",
    from: "mask === undefined && temperature === 1 &&",
    to: "mask === undefined &&",
    tests: ["tests/softmax_test.ts"],
  },
  {
    name: "p[i] of a batch keeps the parent's class axis",
    file: "lib/probabilities.ts",
    from: "axis: Math.max(p.axis - 1, 0),",
    to: "axis: p.axis,",
    tests: ["tests/probabilities_test.ts"],
  },
  {
    name: "NaN/±Infinity rows after the first kernel chunk use the wrong row",
    file: "lib/_kernels/softmax.ts",
    from: "fallback(r0 + i, results, i * len)",
    to: "fallback(i, results, i * len)",
    tests: ["tests/kernels_test.ts"],
  },
  {
    name: "the other bar sums the kept classes",
    file: "lib/charts/_model.ts",
    from: "(k) => kept[k] === 1,",
    to: "(k) => kept[k] !== 1,",
    tests: ["tests/render_compare_test.ts"],
  },
  {
    name: "a value exactly at the threshold counts as above it",
    file: "lib/charts/_model.ts",
    from: "v > threshold) above++;",
    to: "v >= threshold) above++;",
    tests: ["tests/render_text_test.ts"],
  },
  {
    name: "out touching x without overlapping is rejected",
    file: "lib/_kernels/out.ts",
    from: "return a.byteOffset < b.byteOffset + b.byteLength &&",
    to: "return a.byteOffset <= b.byteOffset + b.byteLength &&",
    tests: ["tests/kernels_test.ts"],
  },
];

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COPY = ["mod.ts", "deno.json", "deno.lock", "README.md", "lib", "tests"];

async function copyTree(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isFile) {
    await Deno.copyFile(from, to);
    return;
  }
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === ".stryker-tmp" || entry.name === "reports") continue;
    await copyTree(join(from, entry.name), join(to, entry.name));
  }
}

async function testsPass(dir: string, tests: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "--lock=tests/deno.lock", ...tests],
    cwd: dir,
    stdout: "null",
    stderr: "null",
  }).output();
  return success;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "mutation-smoke-" });
  let failures = 0;
  try {
    for (const name of COPY) await copyTree(join(ROOT, name), join(dir, name));
    const all = [...new Set(MUTANTS.flatMap((m) => m.tests))];
    if (!await testsPass(dir, all)) {
      console.error("mutation smoke: the tests fail without any mutant");
      Deno.exit(1);
    }
    for (const m of MUTANTS) {
      const path = join(dir, m.file);
      const original = await Deno.readTextFile(path);
      if (original.split(m.from).length !== 2) {
        console.error(`not found once in ${m.file}: ${m.from}`);
        failures++;
        continue;
      }
      await Deno.writeTextFile(path, original.replace(m.from, m.to));
      const survived = await testsPass(dir, m.tests);
      await Deno.writeTextFile(path, original);
      console.log(`${survived ? "SURVIVED" : "killed  "} ${m.name}`);
      if (survived) failures++;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  console.log(
    `mutation smoke: ${MUTANTS.length - failures} of ${MUTANTS.length} killed`,
  );
  Deno.exit(failures === 0 ? 0 : 1);
}
