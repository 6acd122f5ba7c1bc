/**
 * Side-by-side comparison of this module with SciPy/NumPy, ONNX Runtime for
 * Node (one thread) and TensorFlow.js's WebAssembly backend, on the same data
 * in one run: for each case every contender is timed once per repetition,
 * in rotating order, and the table gives the median throughput with its
 * range and the per-repetition ratios (median, min–max), plus the extra
 * peak resident memory of one call.
 *
 * ```sh
 * deno task bench:compare                 # every case, 7 repetitions
 * deno task bench:compare --reps 3 --only softmax,argmax --quick
 * deno task bench:compare --only none     # the machine and fresh-memory lines
 * deno task bench:compare --threads 0     # this module on the calling thread only
 * ```
 *
 * `--quick` divides the sizes by 10 (a smoke run, not the figures to quote).
 * Long: CI never runs it; `deno task bench` is the quick smoke.
 *
 * onnxruntime-node's install script tries to download a CUDA provider and
 * fails; Deno skips install scripts and the CPU library ships in the package.
 *
 * @module
 */

import * as ort from "npm:onnxruntime-node@1.30.0";
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { setThreadsCount } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import { argmax, logSoftmax, sigmoid, softmax } from "../../mod.ts";
import { adviseHugePages } from "../../lib/_kernels/fresh.ts";
import { setPoolThreads, startWorkers } from "../../lib/_kernels/pool.ts";
import { ONNX_TYPE, onnxModel } from "./_onnx_model.ts";

type Op = "softmax" | "logSoftmax" | "sigmoid" | "argmax";
type Dtype = "float32" | "float64";
type Floats = Float32Array | Float64Array;

interface Case {
  op: Op;
  dtype: Dtype;
  shape: number[];
}

const CASES: Case[] = [];
for (const op of ["softmax", "logSoftmax", "argmax"] as const) {
  for (const dtype of ["float32", "float64"] as const) {
    for (const shape of [[1000, 50_000], [1_000_000, 10]]) {
      CASES.push({ op, dtype, shape });
    }
  }
}
for (const dtype of ["float32", "float64"] as const) {
  CASES.push({ op: "sigmoid", dtype, shape: [50_000_000] });
}

// ---- Arguments ------------------------------------------------------------

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
const reps = Number(flag("--reps") ?? 7);
const only = flag("--only")?.split(",");
const quick = Deno.args.includes("--quick");
// Worker threads for this module (default: cores - 1, at most 3; 0 keeps it
// on the calling thread).
const threads = flag("--threads");
const cases = CASES.filter((c) => only === undefined || only.includes(c.op))
  .map((c) => ({
    ...c,
    shape: quick
      ? [Math.max(1, (c.shape[0] as number) / 10), ...c.shape.slice(1)]
      : c.shape,
  }));

// ---- The data: bit-identical to compare_scipy.py's ------------------------

const GOLDEN = 0.6180339887498949;

function makeInput(dtype: Dtype, n: number): Floats {
  const x = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = i * GOLDEN;
    x[i] = (v - Math.floor(v)) * 8 - 4;
  }
  return x;
}

// ---- Memory ---------------------------------------------------------------

function statusBytes(field: string): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const line = status.split("\n").find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

// Resets the kernel's peak-RSS counter (VmHWM) to the current RSS.
function resetPeak(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

// ---- SciPy in a subprocess ------------------------------------------------

class Scipy {
  #process: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #lines: AsyncIterator<string>;

  constructor() {
    // OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE slow a current NumPy on this
    // CPU; they are unset for this process only.
    const env = Deno.env.toObject();
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    this.#process = new Deno.Command("/usr/bin/python3", {
      args: [new URL("compare_scipy.py", import.meta.url).pathname],
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#process.stdin.getWriter();
    this.#lines = this.#process.stdout
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(lineSplitter())[Symbol.asyncIterator]();
  }

  async ask(
    command: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    await this.#writer.write(
      new TextEncoder().encode(JSON.stringify(command) + "\n"),
    );
    const { value, done } = await this.#lines.next();
    if (done) throw new Error("compare_scipy.py stopped");
    return JSON.parse(value);
  }

  async close(): Promise<void> {
    await this.ask({ cmd: "quit" }).catch(() => {});
    await this.#writer.close().catch(() => {});
    await this.#process.status;
  }
}

function lineSplitter(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) if (part !== "") controller.enqueue(part);
    },
  });
}

// ---- Contenders -----------------------------------------------------------

interface Timing {
  seconds: number;
  peak: number | undefined;
}

interface Contender {
  name: string;
  run(): Promise<Timing>;
}

async function timed(call: () => unknown): Promise<Timing> {
  // Collect the previous results and give V8's array-buffer sweeper time to
  // return their memory, so that the peak counts this call alone.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const canReset = resetPeak();
  const before = statusBytes("VmRSS");
  const start = performance.now();
  await call();
  const seconds = (performance.now() - start) / 1000;
  return {
    seconds,
    peak: canReset ? statusBytes("VmHWM") - before : undefined,
  };
}

const sessions = new Map<string, ort.InferenceSession>();

async function session(op: Op, dtype: Dtype, rank: 1 | 2) {
  const key = `${op} ${dtype} ${rank}`;
  let s = sessions.get(key);
  if (s === undefined) {
    const onnxOp = {
      softmax: "Softmax",
      logSoftmax: "LogSoftmax",
      sigmoid: "Sigmoid",
      argmax: "ArgMax",
    }[op];
    const attributes: Record<string, number> = op === "sigmoid"
      ? {}
      : op === "argmax"
      ? { axis: -1, keepdims: 0 }
      : { axis: -1 };
    s = await ort.InferenceSession.create(
      onnxModel(onnxOp, ONNX_TYPE[dtype], rank, attributes),
      {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      },
    );
    sessions.set(key, s);
  }
  return s;
}

function moduleCall(c: Case, x: Floats, out?: Floats | Float64Array) {
  const shape = c.shape;
  switch (c.op) {
    case "softmax":
      return () => softmax(x, out ? { shape, out: out as Floats } : { shape });
    case "logSoftmax":
      // logSoftmax of n-D input returns nested number[] by contract (issue
      // 2); for batches the flat typed-array result is the `out` form.
      return () => logSoftmax(x, { shape, out: out as Floats });
    case "sigmoid":
      return () => sigmoid(x, out ? { out: out as Floats } : {});
    case "argmax":
      return () =>
        argmax(x, out ? { shape, out: out as Float64Array } : { shape });
  }
}

const TF_OPS: Record<Op, (t: tf.Tensor) => tf.Tensor> = {
  softmax: (t) => tf.softmax(t),
  logSoftmax: (t) => tf.logSoftmax(t),
  sigmoid: (t) => tf.sigmoid(t),
  argmax: (t) => tf.argMax(t, -1),
};

async function contenders(c: Case, x: Floats, scipy: Scipy) {
  const n = x.length;
  const rows = c.op === "argmax" ? n / (c.shape.at(-1) as number) : n;
  const result = (): Floats =>
    c.dtype === "float32" ? new Float32Array(rows) : new Float64Array(rows);
  const moduleOut = c.op === "argmax" ? new Float64Array(rows) : result();
  const list: Contender[] = [];
  if (c.op !== "logSoftmax") {
    list.push({ name: "module", run: () => timed(moduleCall(c, x)) });
  }
  list.push({
    name: "module, out",
    run: () => timed(moduleCall(c, x, moduleOut)),
  });
  await scipy.ask({ cmd: "prepare", op: c.op, dtype: c.dtype, shape: c.shape });
  list.push({
    name: "SciPy",
    run: async () => {
      const r = await scipy.ask({ cmd: "run" });
      return { seconds: r.seconds as number, peak: r.peak as number };
    },
  });
  const rank = c.shape.length as 1 | 2;
  const s = await session(c.op, c.dtype, rank);
  const input = new ort.Tensor(c.dtype, x, c.shape);
  const ortOut = c.op === "argmax"
    ? new ort.Tensor("int64", new BigInt64Array(rows), [rows])
    : new ort.Tensor(c.dtype, result(), c.shape);
  list.push({ name: "ORT", run: () => timed(() => s.run({ x: input })) });
  list.push({
    name: "ORT, out",
    run: () => timed(() => s.run({ x: input }, { y: ortOut })),
  });
  if (c.dtype === "float32") {
    const t = tf.tensor(x, c.shape, "float32");
    list.push({
      name: "tfjs-wasm",
      run: () =>
        timed(() => {
          const y = TF_OPS[c.op](t);
          y.dataSync();
          y.dispose();
        }),
    });
  }
  return list;
}

// ---- Statistics and tables ------------------------------------------------

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) +
    ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
  };
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function cell(values: number[] | undefined): string {
  if (values === undefined || values.length === 0) return "–";
  const s = summary(values);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

interface Result {
  c: Case;
  times: Map<string, number[]>;
  peaks: Map<string, number[]>;
}

function ratios(r: Result, base: string, other: string): number[] | undefined {
  const a = r.times.get(base);
  const b = r.times.get(other);
  if (a === undefined || b === undefined) return undefined;
  return a.map((t, i) => (b[i] as number) / t);
}

const NAMES = [
  "module",
  "module, out",
  "SciPy",
  "ORT",
  "ORT, out",
  "tfjs-wasm",
];

function caseName(c: Case): string {
  return `${c.op} ${c.dtype} (${
    c.shape.map((d) => d.toLocaleString("en")).join(" × ")
  })`;
}

function printTables(results: Result[]): void {
  console.log(
    "\nThroughput, M elements/s: median (min–max) over " +
      `${reps} interleaved repetitions\n`,
  );
  console.log(`| case | ${NAMES.join(" | ")} |`);
  console.log(`| --- |${" ---: |".repeat(NAMES.length)}`);
  for (const r of results) {
    const n = r.c.shape.reduce((a, b) => a * b, 1);
    const cells = NAMES.map((name) =>
      cell(r.times.get(name)?.map((t) => n / t / 1e6))
    );
    console.log(`| ${caseName(r.c)} | ${cells.join(" | ")} |`);
  }
  console.log(
    "\nRatios, time of the other / time of this module, per repetition: " +
      "median (min–max); above 1 means this module is faster\n",
  );
  const pairs: [string, string][] = [
    ["module", "SciPy"],
    ["module", "ORT"],
    ["module", "tfjs-wasm"],
    ["module, out", "SciPy"],
    ["module, out", "ORT, out"],
    ["module, out", "tfjs-wasm"],
  ];
  console.log(
    `| case | ${pairs.map(([a, b]) => `${a} vs ${b}`).join(" | ")} |`,
  );
  console.log(`| --- |${" ---: |".repeat(pairs.length)}`);
  for (const r of results) {
    const cells = pairs.map(([a, b]) => cell(ratios(r, a, b)));
    console.log(`| ${caseName(r.c)} | ${cells.join(" | ")} |`);
  }
  console.log("\nExtra peak resident memory of one call, MB (median)\n");
  console.log(`| case | ${NAMES.join(" | ")} |`);
  console.log(`| --- |${" ---: |".repeat(NAMES.length)}`);
  for (const r of results) {
    const cells = NAMES.map((name) => {
      const p = r.peaks.get(name);
      return p === undefined || p.length === 0
        ? "–"
        : Math.max(0, summary(p).median / 1e6).toFixed(0);
    });
    console.log(`| ${caseName(r.c)} | ${cells.join(" | ")} |`);
  }
}

function cpuFlags(): Set<string> {
  const line = Deno.readTextFileSync("/proc/cpuinfo").split("\n")
    .find((l) => l.startsWith("flags"));
  return new Set(line?.split(":")[1]?.trim().split(/\s+/) ?? []);
}

function ownThreads(): number {
  return statusBytes("Threads") / 1024;
}

async function machine(scipy: Scipy): Promise<string> {
  const cpu = Deno.readTextFileSync("/proc/cpuinfo").split("\n")
    .find((l) => l.startsWith("model name"))?.split(":")[1]?.trim();
  const memTotal = Deno.readTextFileSync("/proc/meminfo").split("\n")[0]
    ?.split(/\s+/)[1];
  const flags = cpuFlags();
  const avx512 = [...flags].filter((f) => f.startsWith("avx512")).sort();
  const vector = flags.has("avx2")
    ? avx512.length > 0
      ? `AVX2 and AVX-512 (${avx512.join(" ")})`
      : "AVX2, no AVX-512"
    : "no AVX2";
  const py = await scipy.ask({ cmd: "info" });
  const workers = startWorkers();
  return [
    `CPU: ${cpu}, ${navigator.hardwareConcurrency} cores, ${vector}, ` +
    `${(Number(memTotal) / 2 ** 20).toFixed(0)} GiB`,
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}); ` +
    `onnxruntime-node ${ort.env.versions.node}; ` +
    `tfjs-backend-wasm ${tf.version_core} (SIMD)`,
    `Python ${py.python}, NumPy ${py.numpy}, SciPy ${py.scipy}; NumPy SIMD: ` +
    `baseline ${(py.baseline as string[]).join(" ")}, dispatched here ` +
    `${(py.dispatch as string[]).join(" ")}`,
    `Threads computing: this module ${1 + workers} (the calling thread and ` +
    `${workers} worker${
      workers === 1 ? "" : "s"
    }; ${ownThreads()} OS threads ` +
    `in the process), ONNX Runtime 1 (intra-op and inter-op 1), ` +
    `tfjs-wasm 1, NumPy/SciPy 1 (ufuncs; the Python process has ` +
    `${py.threads} OS threads, OpenBLAS's idle pool among them)`,
  ].join("\n");
}

/**
 * What a fresh result array costs here: a new 200 MB Float32Array written
 * once against the same write into an existing one, best of 7, and with huge
 * pages asked for as this module does for its results (with --allow-ffi).
 * The difference is the operating system mapping fresh pages on first write.
 */
function freshMemoryCost(): string {
  const n = 50_000_000;
  const existing = new Float32Array(n);
  const best = (f: () => void) => {
    let fastest = Infinity;
    for (let i = 0; i < 7; i++) {
      gc();
      const t0 = performance.now();
      f();
      fastest = Math.min(fastest, performance.now() - t0);
    }
    return fastest;
  };
  const fresh = best(() => new Float32Array(n).fill(1));
  let advised = false;
  const huge = best(() => {
    const array = new Float32Array(n);
    advised = adviseHugePages(array);
    array.fill(1);
  });
  const reused = best(() => existing.fill(1));
  const pages = (n * 4) / 4096;
  return `Fresh memory: a new 200 MB Float32Array written once ${
    fmt(fresh)
  } ms (${fmt((fresh - reused) / pages * 1000)} µs per 4 KiB page), ${
    advised
      ? `${fmt(huge)} ms with huge pages advised (as this module's results)`
      : "huge pages not available (no --allow-ffi)"
  }, an existing one ${fmt(reused)} ms`;
}

// ---- Main -----------------------------------------------------------------

if (import.meta.main) {
  if (threads !== undefined) setPoolThreads(Number(threads));
  setThreadsCount(1);
  await tf.setBackend("wasm");
  await tf.ready();
  const scipy = new Scipy();
  console.log(await machine(scipy));
  console.log(freshMemoryCost());
  if (gc === undefined) console.log("(run with --v8-flags=--expose-gc)");
  const results: Result[] = [];
  for (const c of cases) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = makeInput(c.dtype, n);
    const list = await contenders(c, x, scipy);
    const result: Result = { c, times: new Map(), peaks: new Map() };
    // One untimed call each: compile, tier up, first-touch their buffers.
    for (const contender of list) await contender.run();
    for (let rep = 0; rep < reps; rep++) {
      for (let k = 0; k < list.length; k++) {
        const contender = list[(k + rep) % list.length] as Contender;
        const { seconds, peak } = await contender.run();
        const times = result.times.get(contender.name) ?? [];
        times[rep] = seconds;
        result.times.set(contender.name, times);
        if (peak !== undefined) {
          const peaks = result.peaks.get(contender.name) ?? [];
          peaks.push(peak);
          result.peaks.set(contender.name, peaks);
        }
      }
    }
    results.push(result);
    const fast = result.times.get("module, out") ?? [];
    console.error(
      `${caseName(c)}: module, out ${fmt(n / summary(fast).median / 1e6)} M/s`,
    );
  }
  await scipy.close();
  printTables(results);
}
