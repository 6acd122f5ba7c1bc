/**
 * Measures softmax, logSoftmax, logSumExp and sigmoid against the correctly
 * rounded values in reference.json (made by generate_reference.py) and, run
 * as a script, prints the Markdown table that the README quotes:
 *
 * ```sh
 * deno task accuracy
 * ```
 *
 * tests/accuracy_test.ts asserts on the same measurement, so the table and the
 * test cannot disagree about what was checked.
 *
 * @module
 */

import { logSoftmax, logSumExp, sigmoid, softmax } from "../../mod.ts";
import { ulpDistance } from "./_ulp.ts";

/** The element type of a reference case. */
export type Dtype = "float64" | "float32";

/** A function under test. */
export type FunctionName = "softmax" | "logSoftmax" | "logSumExp" | "sigmoid";

/** One row of logits with its correctly rounded results. */
export interface ReferenceRow {
  /** Names the case in messages, e.g. "float64 uniform length=7 spread=10 offset=500". */
  name: string;
  /** "uniform" for the spread-by-length grid, else the adversarial pattern. */
  kind: string;
  length: number;
  /** max(x) - min(x). */
  spread: number;
  /** Where the logits are centred. */
  offset: number;
  x: Float64Array;
  softmax: Float64Array;
  logSoftmax: Float64Array;
  /** Only for float64 rows. */
  logSumExp?: number;
}

/** SciPy's worst error on the same inputs, measured by the generator. */
export interface ScipyError {
  function: FunctionName;
  dtype: Dtype;
  outputs: number;
  maxUlps: number;
  /** Where SciPy's largest error is, e.g. "x = -709.97, computed 0, expected 4.6e-309". */
  worst: string | undefined;
}

/** The parsed reference file. */
export interface Reference {
  header: Record<string, unknown>;
  rows: Record<Dtype, ReferenceRow[]>;
  sigmoid: Record<Dtype, { x: Float64Array; sigmoid: Float64Array }>;
  scipy: { scipy: string; numpy: string; errors: ScipyError[] };
}

/** One output that was measured. */
export interface Miss {
  function: FunctionName;
  dtype: Dtype;
  /** The reference case's name. */
  case: string;
  /** The input row, for rows short enough to quote. */
  row: Float64Array | undefined;
  index: number;
  /** The input at `index` (for logSumExp: the row's maximum). */
  x: number;
  computed: number;
  expected: number;
  ulps: number;
}

/** What one function does on one dtype over the whole reference. */
export interface Measurement {
  function: FunctionName;
  dtype: Dtype;
  /** The promised accuracy in ulps. */
  bound: number;
  /** Which outputs count. */
  domain: string;
  /** Rows (for sigmoid: input points) run. */
  cases: number;
  /** Outputs compared. */
  outputs: number;
  maxUlps: number;
  /** The output with the largest error. */
  worst: Miss | undefined;
  /** Every output over the bound, worst first. */
  misses: Miss[];
}

/** The accuracy the module promises, in the order the table shows it. */
export const BOUNDS: readonly {
  function: FunctionName;
  dtype: Dtype;
  bound: number;
}[] = [
  { function: "softmax", dtype: "float64", bound: 4 },
  { function: "logSoftmax", dtype: "float64", bound: 4 },
  { function: "logSumExp", dtype: "float64", bound: 4 },
  { function: "sigmoid", dtype: "float64", bound: 2 },
  { function: "softmax", dtype: "float32", bound: 1 },
  { function: "logSoftmax", dtype: "float32", bound: 1 },
  { function: "sigmoid", dtype: "float32", bound: 1 },
];

// Softmax outputs below these are not counted: there a fixed relative error
// is many subnormal ulps, and they are below any probability that matters.
const SOFTMAX_FLOOR: Record<Dtype, number> = {
  float64: 1e-300,
  float32: 2 ** -126,
};

/** Rows up to this length are quoted whole in failure messages. */
const QUOTED_ROW_LENGTH = 10;

function decode(text: string, what: string, dtype: Dtype): Float64Array {
  const values = Float64Array.from(text.split(" "), Number);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      throw new TypeError(`Reference ${what} has a non-number at index ${i}`);
    }
    if (dtype === "float32" && Math.fround(v) !== v) {
      throw new RangeError(
        `Reference ${what} value ${v} at index ${i} is not a float32`,
      );
    }
  });
  return values;
}

function decodeNumber(text: string, what: string): number {
  const value = decode(text, what, "float64");
  if (value.length !== 1) {
    throw new TypeError(`Reference ${what} is not a single number`);
  }
  return value[0]!;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Reads and decodes the reference file.
 *
 * @param url Where reference.json is.
 * @returns The decoded reference.
 * @throws {TypeError} If the file does not have the expected layout.
 */
export async function loadReference(
  url: URL = new URL("./reference.json", import.meta.url),
): Promise<Reference> {
  const json: Json = JSON.parse(await Deno.readTextFile(url));
  const rows = {} as Record<Dtype, ReferenceRow[]>;
  const sigmoids = {} as Reference["sigmoid"];
  for (const dtype of ["float64", "float32"] as const) {
    rows[dtype] = json[dtype].rows.map((row: Json): ReferenceRow => {
      const name = String(row.name);
      const decoded: ReferenceRow = {
        name,
        kind: String(row.kind),
        length: Number(row.length),
        spread: decodeNumber(row.spread, `${name} spread`),
        offset: Number(row.offset),
        x: decode(row.x, `${name} x`, dtype),
        softmax: decode(row.softmax, `${name} softmax`, dtype),
        logSoftmax: decode(row.logSoftmax, `${name} logSoftmax`, dtype),
      };
      if (row.logSumExp !== undefined) {
        decoded.logSumExp = decodeNumber(row.logSumExp, `${name} logSumExp`);
      }
      for (const key of ["x", "softmax", "logSoftmax"] as const) {
        if (decoded[key].length !== decoded.length) {
          throw new TypeError(`Reference ${name} ${key} has the wrong length`);
        }
      }
      return decoded;
    });
    const points = json[dtype].sigmoid;
    sigmoids[dtype] = {
      x: decode(points.x, `${dtype} sigmoid x`, dtype),
      sigmoid: decode(points.sigmoid, `${dtype} sigmoid`, dtype),
    };
  }
  return {
    header: json.header,
    rows,
    sigmoid: sigmoids,
    scipy: {
      scipy: String(json.scipy.scipy),
      numpy: String(json.scipy.numpy),
      errors: json.scipy.errors.map((e: Json): ScipyError => ({
        function: e.function,
        dtype: e.dtype,
        outputs: Number(e.outputs),
        maxUlps: Number(e.maxUlps),
        worst: e.worst === undefined ? undefined : [
          `"${e.worst.case}"`,
          e.function === "logSumExp" ? "" : ` index ${e.worst.index}`,
          e.worst.x === undefined ? "" : `: x = ${Number(e.worst.x)}`,
          `, computed ${Number(e.worst.computed)}`,
          `, expected ${Number(e.worst.expected)}`,
        ].join(""),
      })),
    },
  };
}

// Float32 rows go in as Float32Array so that the float32 path is the one
// measured; the module then returns Float32Array results.
function asInput(x: Float64Array, dtype: Dtype): Float64Array | Float32Array {
  return dtype === "float32" ? Float32Array.from(x) : x;
}

interface Output {
  case: string;
  row: Float64Array | undefined;
  index: number;
  x: number;
  computed: number;
  expected: number;
}

function* outputsOf(
  reference: Reference,
  fn: FunctionName,
  dtype: Dtype,
): Generator<Output> {
  if (fn === "sigmoid") {
    const { x, sigmoid: expected } = reference.sigmoid[dtype];
    const computed = sigmoid(asInput(x, dtype)).values;
    for (let i = 0; i < x.length; i++) {
      yield {
        case: `${dtype} sigmoid points`,
        row: undefined,
        index: i,
        x: x[i]!,
        computed: computed[i]!,
        expected: expected[i]!,
      };
    }
    return;
  }
  for (const r of reference.rows[dtype]) {
    const input = asInput(r.x, dtype);
    const row = r.length <= QUOTED_ROW_LENGTH ? r.x : undefined;
    if (fn === "logSumExp") {
      if (r.logSumExp === undefined) continue;
      const x = r.x.reduce((a, b) => Math.max(a, b), -Infinity);
      const computed = logSumExp(input);
      yield { case: r.name, row, index: 0, x, computed, expected: r.logSumExp };
      continue;
    }
    // Each overload of logSoftmax takes one typed-array type, not the union.
    const computed = fn === "softmax"
      ? softmax(input).values
      : input instanceof Float32Array
      ? logSoftmax(input)
      : logSoftmax(input);
    const expected = r[fn];
    for (let i = 0; i < r.length; i++) {
      yield {
        case: r.name,
        row,
        index: i,
        x: r.x[i]!,
        computed: computed[i]!,
        expected: expected[i]!,
      };
    }
  }
}

function counts(fn: FunctionName, dtype: Dtype, expected: number): boolean {
  if (!Number.isFinite(expected)) return false;
  return fn !== "softmax" || Math.abs(expected) >= SOFTMAX_FLOOR[dtype];
}

/**
 * Runs one function on one dtype's reference cases and measures every
 * counted output.
 *
 * @param reference The decoded reference.
 * @param fn The function to run.
 * @param dtype float64 cases or float32 cases.
 * @returns The error summary, with every output over the bound.
 * @throws {RangeError} If the combination has no bound.
 */
export function measure(
  reference: Reference,
  fn: FunctionName,
  dtype: Dtype,
): Measurement {
  const promise = BOUNDS.find((b) => b.function === fn && b.dtype === dtype);
  if (promise === undefined) {
    throw new RangeError(`No accuracy bound for ${fn} on ${dtype}`);
  }
  const { bound } = promise;
  const cases = new Set<string>();
  let outputs = 0;
  let worst: Miss | undefined;
  const misses: Miss[] = [];
  for (const output of outputsOf(reference, fn, dtype)) {
    cases.add(fn === "sigmoid" ? `${output.index}` : output.case);
    if (!counts(fn, dtype, output.expected)) continue;
    outputs++;
    const ulps = ulpDistance(output.computed, output.expected, {
      format: dtype,
    });
    const miss: Miss = { function: fn, dtype, ...output, ulps };
    if (worst === undefined || ulps > worst.ulps) worst = miss;
    if (ulps > bound) misses.push(miss);
  }
  misses.sort((a, b) => b.ulps - a.ulps);
  return {
    function: fn,
    dtype,
    bound,
    domain: fn === "softmax"
      ? `outputs ≥ ${dtype === "float64" ? "1e-300" : "2^-126"}`
      : "finite outputs",
    cases: cases.size,
    outputs,
    maxUlps: worst?.ulps ?? 0,
    worst,
    misses,
  };
}

/**
 * Describes one measured output, naming everything needed to reproduce it.
 *
 * @param miss The output.
 * @returns One line of text.
 */
export function describeMiss(miss: Miss): string {
  const input = miss.row === undefined
    ? `x[${miss.index}] = ${miss.x}`
    : `x = [${[...miss.row].join(", ")}]`;
  const at = miss.function === "logSumExp" ? "" : ` index ${miss.index}`;
  return `${miss.function} ${miss.dtype} "${miss.case}"${at}: ${input}, ` +
    `computed ${miss.computed}, expected ${miss.expected}: ${miss.ulps} ulps`;
}

function formatUlps(ulps: number): string {
  if (!Number.isFinite(ulps)) return "∞";
  return ulps < 1e6 ? String(ulps) : ulps.toExponential(1);
}

/**
 * The Markdown table: one line per function and dtype.
 *
 * @param reference The decoded reference (for SciPy's figures).
 * @param measurements The measurements, in table order.
 * @returns The table, newline-terminated.
 */
export function markdownTable(
  reference: Reference,
  measurements: readonly Measurement[],
): string {
  const { scipy, numpy } = reference.scipy;
  const lines = [
    `| function | dtype | counted | cases | outputs | max error (ulp) | SciPy ${scipy} (ulp) | bound (ulp) |`,
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const m of measurements) {
    const theirs = reference.scipy.errors.find((e) =>
      e.function === m.function && e.dtype === m.dtype
    );
    lines.push(
      `| ${m.function} | ${m.dtype} | ${m.domain} | ${m.cases} | ${m.outputs} | ${
        formatUlps(m.maxUlps)
      } | ${
        theirs === undefined ? "–" : formatUlps(theirs.maxUlps)
      } | ${m.bound} |`,
    );
  }
  lines.push(
    "",
    `Reference: mpmath ${reference.header["mpmath"]} at ${
      reference.header["precisionBits"]
    } bits, correctly rounded; SciPy ${scipy} with NumPy ${numpy} on the same inputs.`,
  );
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const reference = await loadReference();
  const measurements = BOUNDS.map((b) =>
    measure(reference, b.function, b.dtype)
  );
  console.log(markdownTable(reference, measurements));
  for (const m of measurements) {
    if (m.worst !== undefined && m.worst.ulps > 0) {
      console.log(`- worst ${describeMiss(m.worst)}`);
    }
  }
  for (const b of BOUNDS) {
    const e = reference.scipy.errors.find((e) =>
      e.function === b.function && e.dtype === b.dtype
    );
    if (e?.worst !== undefined) {
      console.log(
        `- SciPy's worst ${e.function} ${e.dtype} (${
          formatUlps(e.maxUlps)
        } ulps): ${e.worst}`,
      );
    }
  }
  const over = measurements.filter((m) => m.misses.length > 0);
  for (const m of over) {
    console.log(
      `\n${m.misses.length} ${m.function} ${m.dtype} outputs over ${m.bound} ulp, e.g.`,
    );
    for (const miss of m.misses.slice(0, 5)) {
      console.log(`  ${describeMiss(miss)}`);
    }
  }
}
