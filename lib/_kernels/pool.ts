// Runs the kernels over an input a chunk at a time, on the calling thread and,
// for large inputs, on a few worker threads sharing the kernels' memory, behind
// the same synchronous call.
//
// Chunks go through slots of linear memory. The calling thread publishes each
// chunk in a free slot; whoever is free (a worker, or the calling thread when
// it has nothing else to do) takes it and runs its kernel. Only the calling
// thread can read the caller's arrays, so it copies the chunks in and the
// results out, unless the process may use Deno's FFI (--allow-ffi, already
// granted): then the workers reach the caller's arrays through their
// addresses and copy their own chunks in and out, so that the copies and the
// first writes into a fresh result (page faults) run in parallel too. The
// caller's arrays are alive and unmoved throughout (the calling thread is
// inside the call), and every chunk covers its own rows. Slots move
// FREE → READY → TAKEN → DONE (or WRITTEN, results already copied out) → FREE
// through Atomics, and the calling thread sleeps in Atomics.wait (allowed on
// Deno's main thread) only when every slot is busy. A chunk's results do not
// depend on which thread computed it: the same kernels run on the same bytes,
// and rows the kernels flag are always finished on the calling thread.
//
// The workers are node:worker_threads workers, unref'd, so that they never
// keep the process alive; they are started on the first large call, which
// does not wait for them (they join the work when they are up). Without
// workers (one core, no shared memory, no Atomics.wait, no worker_threads)
// everything runs on the calling thread.

import { ffiGranted } from "./fresh.ts";
import { kernelInstance, type Kernels, reserve } from "./instance.ts";

/** The kernels a chunk can run. */
export type KernelName = Exclude<keyof Kernels, "heapBase">;

const NAMES: readonly KernelName[] = [
  "softmax64",
  "softmax32",
  "logSoftmax64",
  "logSoftmax32",
  "logSumExp64",
  "sigmoid64",
  "sigmoid32",
  "argmax64",
  "argmax32",
];

/**
 * A computation split into chunks of rows: the input is cut every
 * `io.inputPerChunk` entries, and chunk k's results go to the output from
 * entry k·`io.outputPerChunk`.
 */
export interface Chunks {
  /** The kernel each chunk runs. */
  kernel: KernelName;
  /** Bytes of linear memory one chunk needs (input, scratch, results). */
  slotBytes: number;
  /**
   * The kernel's arguments for the slot at `at`, which holds a chunk of
   * `entries` input entries (whole rows).
   */
  args(at: number, entries: number): number[];
  /**
   * Called on the calling thread before it copies a chunk's results out,
   * with the kernel's return value (the count of flagged rows, or 0):
   * finishes the flagged rows in `results`, the chunk's results in the slot
   * at `at`, which go to the output from entry `from`. A chunk a worker
   * computed with no flagged rows may be copied out by that worker (when it
   * copies its own chunks) without this call.
   */
  finish?(
    at: number,
    flagged: number,
    results: Float64Array | Float32Array,
    from: number,
    buffer: ArrayBuffer,
  ): void;
  /**
   * The copies in and out, described as data, so that workers can do them
   * too: chunk k takes input entries [k·inputPerChunk, ...) into the slot as
   * `stage`, and gives output entries [k·outputPerChunk, ...) from the slot's
   * results at `resultAt` bytes, of type `result`.
   */
  io: ChunkCopies;
}

// The first entry and the length of chunk `chunk` of an array of `length`
// entries cut every `per` entries.
function span(chunk: number, per: number, length: number): [number, number] {
  const from = chunk * per;
  return [from, Math.min(per, length - from)];
}

function floats(
  name: Floats,
): Float64ArrayConstructor | Float32ArrayConstructor {
  return name === "Float32Array" ? Float32Array : Float64Array;
}

/**
 * Copies chunk `chunk`'s input into the slot at `at` (a view of the memory
 * is `buffer`), as `io` describes, and returns the kernel's arguments.
 */
function fill(
  chunks: Chunks,
  chunk: number,
  at: number,
  buffer: ArrayBuffer,
): number[] {
  const { input, inputPerChunk, stage } = chunks.io;
  const [from, n] = span(chunk, inputPerChunk, input.length);
  new (floats(stage))(buffer, at, n).set(input.subarray(from, from + n));
  return chunks.args(at, n);
}

/**
 * Finishes chunk `chunk` in the slot at `at` (its kernel returned `result`)
 * and copies its results out, as `io` describes.
 */
function drain(
  chunks: Chunks,
  chunk: number,
  at: number,
  result: number,
  buffer: ArrayBuffer,
): void {
  const { output, outputPerChunk, resultAt, result: type } = chunks.io;
  const [from, n] = span(chunk, outputPerChunk, output.length);
  const results = new (floats(type))(buffer, at + resultAt, n);
  chunks.finish?.(at, result, results, from, buffer);
  output.set(results, from);
}

/** Element types of the copies, by TypedArray name. */
export type Floats = "Float32Array" | "Float64Array";

/** See {@linkcode Chunks.io}. */
export interface ChunkCopies {
  input: Float64Array | Float32Array;
  inputPerChunk: number;
  stage: Floats;
  output: Float64Array | Float32Array | Int32Array;
  outputPerChunk: number;
  resultAt: number;
  result: Floats;
}

const TYPES = ["Float32Array", "Float64Array", "Int32Array"] as const;

// ---- Shared control block --------------------------------------------------

// Int32 indices: sequence numbers the threads wait on, counters, a call's
// copies (types and chunk sizes; then, as float64 from IO_F64, the arrays'
// addresses and byte lengths), then one header of HEAD_INTS per slot: state,
// kernel, five arguments, result, whether the taker copies, chunk.
const READY_SEQ = 0;
const DONE_SEQ = 1;
const STARTED = 2;
const WORKER_CHUNKS = 3;
const CALL = 4;
// Input type, per chunk, total; stage type; output type, per chunk, total;
// result offset and type.
const IO = 5;
// Input address and bytes, output address and bytes (byte 64 of the block).
const IO_F64 = 16;
const HEADS = 24;
const HEAD_INTS = 10;
const MAX_SLOTS = 16;
const CONTROL_INTS = HEADS + MAX_SLOTS * HEAD_INTS;

const FREE = 0;
const READY = 1;
const TAKEN = 2;
const DONE = 3;
const WRITTEN = 4;

// A worker's result for a chunk whose kernel threw (kernels return counts
// of flagged rows, never negative).
const FAILED = -1;

// Polls before sleeping: a chunk takes tens of microseconds, about as long
// as waking a sleeping thread.
const SPIN = 2000;

/** Inputs smaller than this stay on the calling thread: the pool does not pay. */
export const POOL_MIN = 1 << 17;

// All slots together stay within this, so that the pool never multiplies a
// large working set (rows of millions of entries): a call whose slots do
// not fit twice stays on the calling thread.
const MAX_POOL_BYTES = 32 << 20;

interface Control {
  /** Byte address of the control block. */
  at: number;
  /** Where the slots start. */
  slots: number;
}

let control: Control | undefined;

function controlBlock(): Control {
  if (control === undefined) {
    const at = reserve(CONTROL_INTS * 4);
    control = { at, slots: at + CONTROL_INTS * 4 };
  }
  return control;
}

function controlView(): Int32Array {
  const { memory } = kernelInstance();
  return new Int32Array(memory.buffer, controlBlock().at, CONTROL_INTS);
}

// ---- Workers ---------------------------------------------------------------

const LAYOUT = {
  READY_SEQ,
  DONE_SEQ,
  STARTED,
  WORKER_CHUNKS,
  CALL,
  IO,
  IO_F64,
  HEADS,
  HEAD_INTS,
  MAX_SLOTS,
  CONTROL_INTS,
  READY,
  TAKEN,
  DONE,
  WRITTEN,
  FAILED,
  SPIN,
  TYPES,
};

/** What a worker is sent: the kernels, their memory and the layout. */
interface Setup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  at: number;
  names: readonly string[];
  layout: typeof LAYOUT;
}

interface WorkerThreads {
  Worker: new (
    code: string,
    options: { eval: true },
  ) => {
    postMessage(message: unknown): void;
    unref(): void;
    on(event: "error" | "exit", listener: () => void): void;
  };
  parentPort: { once(event: "message", f: (m: Setup) => void): void } | null;
}

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor;

// A worker's whole life: set up from the first message, then take READY
// slots and run their kernels forever. It runs as the source text of a
// worker (node:worker_threads' eval mode), so it refers to nothing outside.
// Not mutated (docs/mutation.md): Stryker's instrumented code would call its
// own helpers here, which a worker started from this text does not have.
// Stryker disable all
function workerMain(threads: WorkerThreads): void {
  threads.parentPort?.once("message", (setup: Setup) => {
    const { module, memory, at, names, layout: L } = setup;
    const exports = new WebAssembly.Instance(module, { env: { memory } })
      .exports as Record<string, (...args: number[]) => number | undefined>;
    const fns = names.map((name) => exports[name]!);
    const c = new Int32Array(memory.buffer, at, L.CONTROL_INTS);
    const f = new Float64Array(memory.buffer, at + L.IO_F64 * 4, 4);
    const type = (k: number) =>
      globalThis[L.TYPES[k]!] as unknown as TypedArrayConstructor;
    // The caller's arrays for the current call, through their addresses.
    let call = -1;
    let input: Float64Array | Float32Array | Int32Array | undefined;
    let output: Float64Array | Float32Array | Int32Array | undefined;
    const view = (address: number, bytes: number, kind: number) => {
      const ffi = (globalThis as unknown as {
        Deno: {
          UnsafePointer: { create(value: bigint): unknown };
          UnsafePointerView: {
            getArrayBuffer(pointer: unknown, bytes: number): ArrayBuffer;
          };
        };
      }).Deno;
      const pointer = ffi.UnsafePointer.create(BigInt(address));
      return new (type(kind))(
        ffi.UnsafePointerView.getArrayBuffer(pointer, bytes),
      );
    };
    // The slots as the typed arrays the copies need.
    const slot = (kind: number, x: number, n: number) =>
      new (type(kind))(memory.buffer as ArrayBuffer, x, n);
    // Copies chunk `chunk` into the slot at `x`; the kernel runs next.
    const copyIn = (chunk: number, x: number) => {
      if (Atomics.load(c, L.CALL) !== call) {
        call = Atomics.load(c, L.CALL);
        input = view(f[0]!, f[1]!, c[L.IO]!);
        output = view(f[2]!, f[3]!, c[L.IO + 4]!);
      }
      const per = c[L.IO + 1]!;
      const from = chunk * per;
      const n = Math.min(per, c[L.IO + 2]! - from);
      slot(c[L.IO + 3]!, x, n).set(input!.subarray(from, from + n));
    };
    const copyOut = (chunk: number, x: number) => {
      const per = c[L.IO + 5]!;
      const from = chunk * per;
      const n = Math.min(per, c[L.IO + 6]! - from);
      output!.set(slot(c[L.IO + 8]!, x + c[L.IO + 7]!, n), from);
    };
    Atomics.add(c, L.STARTED, 1);
    Atomics.notify(c, L.STARTED);
    for (;;) {
      const seq = Atomics.load(c, L.READY_SEQ);
      let worked = false;
      for (let s = 0; s < L.MAX_SLOTS; s++) {
        const h = L.HEADS + s * L.HEAD_INTS;
        if (Atomics.compareExchange(c, h, L.READY, L.TAKEN) !== L.READY) {
          continue;
        }
        const copies = c[h + 8] === 1;
        let result = 0;
        let state = L.DONE;
        try {
          if (copies) copyIn(c[h + 9]!, c[h + 2]!);
          result = fns[c[h + 1]!]!(
            c[h + 2]!,
            c[h + 3]!,
            c[h + 4]!,
            c[h + 5]!,
            c[h + 6]!,
          ) ?? 0;
          // Flagged rows are finished on the calling thread.
          if (copies && result === 0) {
            copyOut(c[h + 9]!, c[h + 2]!);
            state = L.WRITTEN;
          }
        } catch {
          // The calling thread redoes the chunk and sees the error.
          result = L.FAILED;
        }
        c[h + 7] = result;
        Atomics.store(c, h, state);
        Atomics.add(c, L.WORKER_CHUNKS, 1);
        Atomics.add(c, L.DONE_SEQ, 1);
        Atomics.notify(c, L.DONE_SEQ);
        worked = true;
      }
      if (worked) continue;
      for (let i = 0; i < L.SPIN; i++) {
        if (Atomics.load(c, L.READY_SEQ) !== seq) break;
      }
      Atomics.wait(c, L.READY_SEQ, seq);
    }
  });
}
// Stryker restore all

type PoolState = "off" | "on" | "unavailable";
let state: PoolState = "off";
let workerCount = 0;
let threadsWanted: number | undefined;

function defaultThreads(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(0, Math.min(cores - 1, 3));
}

/** Worker threads the pool uses (the calling thread works too). */
export function poolThreads(): number {
  return threadsWanted ?? defaultThreads();
}

/**
 * Sets how many worker threads large inputs use; 0 keeps every call on the
 * calling thread. For tests and measurements: workers once started keep
 * running (idle, unref'd), so lowering the count only stops handing them work.
 */
export function setPoolThreads(threads: number | undefined): void {
  threadsWanted = threads;
}

function workerThreads(): WorkerThreads | undefined {
  const process = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
  }).process;
  try {
    return process?.getBuiltinModule?.("node:worker_threads") as
      | WorkerThreads
      | undefined;
  } catch {
    return undefined;
  }
}

// Whether this thread may block in Atomics.wait (not a browser's main thread).
function canWait(c: Int32Array): boolean {
  try {
    Atomics.wait(c, WORKER_CHUNKS, -1, 0);
    return true;
  } catch {
    return false;
  }
}

function startPool(wanted: number): void {
  const instance = kernelInstance();
  const threads = instance.shared ? workerThreads() : undefined;
  const c = controlView();
  if (threads === undefined || !canWait(c)) {
    state = "unavailable";
    return;
  }
  const setup: Setup = {
    module: instance.module,
    memory: instance.memory,
    at: controlBlock().at,
    names: NAMES,
    layout: LAYOUT,
  };
  const source = `(${workerMain.toString()})(require("node:worker_threads"));`;
  try {
    for (let i = 0; i < wanted; i++) {
      const worker = new threads.Worker(source, { eval: true });
      // A worker that fails takes no more work; calls run on the calling
      // thread from then on.
      worker.on("error", () => (state = "unavailable"));
      worker.postMessage(setup);
      worker.unref();
      workerCount++;
    }
    state = "on";
  } catch {
    state = workerCount > 0 ? "on" : "unavailable";
  }
}

/** Worker threads started and ready, and the chunks they have computed. */
export function poolStats(): { workers: number; workerChunks: number } {
  if (control === undefined) return { workers: 0, workerChunks: 0 };
  const c = controlView();
  return {
    workers: Atomics.load(c, STARTED),
    workerChunks: Atomics.load(c, WORKER_CHUNKS),
  };
}

/**
 * Starts the workers if they are not running and waits up to `timeout`
 * milliseconds for them to be ready (tests and benchmarks; calls never
 * wait). Returns the number of ready workers.
 */
export function startWorkers(timeout = 5000): number {
  const wanted = poolThreads();
  if (wanted === 0) return 0;
  if (state === "off") startPool(wanted);
  if (state !== "on") return 0;
  const c = controlView();
  const end = performance.now() + timeout;
  for (;;) {
    const ready = Atomics.load(c, STARTED);
    const left = end - performance.now();
    if (ready >= workerCount || left <= 0) return ready;
    Atomics.wait(c, STARTED, ready, left);
  }
}

// ---- The calling thread's loop ---------------------------------------------

// How many chunks.
function countOf(chunks: Chunks): number {
  return Math.ceil(chunks.io.input.length / chunks.io.inputPerChunk);
}

function slotsFor(chunks: Chunks, count: number): number {
  const wanted = poolThreads();
  const fit = Math.floor(MAX_POOL_BYTES / slotStride(chunks));
  const size = chunks.io.input.length;
  if (wanted === 0 || size < POOL_MIN || count < 2 || fit < 2) {
    return 1;
  }
  if (state === "off") startPool(wanted);
  if (state !== "on") return 1;
  // Four slots a thread: a worker finds a chunk ready while the calling
  // thread is busy computing one of its own.
  return Math.min(MAX_SLOTS, 4 * (workerCount + 1), count, fit);
}

// Slots start on cache lines, so that threads never share one.
function slotStride(chunks: Chunks): number {
  return Math.ceil(chunks.slotBytes / 64) * 64;
}

let directWanted: boolean | undefined;

/**
 * Whether workers may copy their own chunks when FFI is granted (default:
 * yes). For tests and measurements.
 */
export function setDirectCopies(enabled: boolean | undefined): void {
  directWanted = enabled;
}

// The addresses and byte lengths of the caller's arrays, when workers may
// use them.
function addresses(io: ChunkCopies): number[] | undefined {
  if (directWanted === false || !ffiGranted()) return undefined;
  // Small typed arrays may live inside V8's heap, which moves; arrays of a
  // page or more never do.
  if (io.input.byteLength < 4096 || io.output.byteLength < 4096) {
    return undefined;
  }
  try {
    const address = (a: ArrayBufferView) =>
      Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(a)));
    return [
      address(io.input),
      io.input.byteLength,
      address(io.output),
      io.output.byteLength,
    ];
  } catch {
    return undefined;
  }
}

/** Runs every chunk; see the module comment. */
export function runChunks(chunks: Chunks): void {
  const count = countOf(chunks);
  const slots = slotsFor(chunks, count);
  const { slots: first } = controlBlock();
  const stride = slotStride(chunks);
  const base = reserve(slots * stride, first);
  const { exports, memory } = kernelInstance();
  const kernel = exports[chunks.kernel] as (...args: number[]) => number;
  // A SharedArrayBuffer, typed as ArrayBuffer for the typed-array
  // constructors that take both.
  const buffer = memory.buffer as ArrayBuffer;
  if (slots === 1) {
    for (let chunk = 0; chunk < count; chunk++) {
      const result = kernel(...fill(chunks, chunk, base, buffer));
      drain(chunks, chunk, base, result ?? 0, buffer);
    }
    return;
  }
  const c = new Int32Array(buffer, controlBlock().at, CONTROL_INTS);
  const where = addresses(chunks.io);
  const io = chunks.io;
  if (where !== undefined) {
    const type = (name: string) => TYPES.indexOf(name as typeof TYPES[number]);
    c.set([
      type(io.input.constructor.name),
      io.inputPerChunk,
      io.input.length,
      type(io.stage),
      type(io.output.constructor.name),
      io.outputPerChunk,
      io.output.length,
      io.resultAt,
      type(io.result),
    ], IO);
    new Float64Array(buffer, controlBlock().at + IO_F64 * 4, 4).set(where);
    Atomics.add(c, CALL, 1);
  }
  try {
    runShared(
      chunks,
      count,
      c,
      kernel,
      buffer,
      base,
      stride,
      slots,
      where !== undefined,
    );
  } finally {
    settle(c, slots);
  }
}

// Leaves every slot FREE for the next call, also after an error: slots
// still READY are withdrawn, slots a worker holds are waited for.
function settle(c: Int32Array, slots: number): void {
  for (let s = 0; s < slots; s++) {
    const h = HEADS + s * HEAD_INTS;
    Atomics.compareExchange(c, h, READY, FREE);
    while (Atomics.load(c, h) === TAKEN) {
      const seen = Atomics.load(c, DONE_SEQ);
      if (Atomics.load(c, h) === TAKEN) Atomics.wait(c, DONE_SEQ, seen, 100);
    }
    Atomics.store(c, h, FREE);
  }
}

function runShared(
  chunks: Chunks,
  count: number,
  c: Int32Array,
  kernel: (...args: number[]) => number,
  buffer: ArrayBuffer,
  base: number,
  stride: number,
  slots: number,
  direct: boolean,
): void {
  const op = NAMES.indexOf(chunks.kernel);
  const chunkIn = new Int32Array(slots);
  // The whole chunk here: copy in, compute, copy out.
  const wholeChunk = (chunk: number, at: number) => {
    const result = kernel(...fill(chunks, chunk, at, buffer)) ?? 0;
    drain(chunks, chunk, at, result, buffer);
  };
  let next = 0;
  let finished = 0;
  while (finished < count) {
    const seen = Atomics.load(c, DONE_SEQ);
    let progressed = false;
    for (let s = 0; s < slots; s++) {
      const h = HEADS + s * HEAD_INTS;
      const now = Atomics.load(c, h);
      if (now !== DONE && now !== WRITTEN) continue;
      const at = base + s * stride;
      const result = c[h + 7]!;
      if (result === FAILED) {
        // The chunk's rows of the input are intact (they are written only
        // when the chunk is drained): redo it here, where an error reaches
        // the caller.
        wholeChunk(chunkIn[s]!, at);
      } else if (now === DONE) {
        // Computed in the slot (copied in by whoever published or took it):
        // finish flagged rows and copy out.
        drain(chunks, chunkIn[s]!, at, result, buffer);
      }
      Atomics.store(c, h, FREE);
      finished++;
      progressed = true;
    }
    let published = false;
    for (let s = 0; s < slots && next < count; s++) {
      const h = HEADS + s * HEAD_INTS;
      if (Atomics.load(c, h) !== FREE) continue;
      const at = base + s * stride;
      const { input, inputPerChunk } = chunks.io;
      const args = direct
        ? chunks.args(at, span(next, inputPerChunk, input.length)[1])
        : fill(chunks, next, at, buffer);
      c[h + 1] = op;
      for (let a = 0; a < 5; a++) c[h + 2 + a] = args[a] ?? 0;
      c[h + 8] = direct ? 1 : 0;
      c[h + 9] = next;
      chunkIn[s] = next++;
      Atomics.store(c, h, READY);
      published = true;
    }
    if (published) {
      Atomics.add(c, READY_SEQ, 1);
      Atomics.notify(c, READY_SEQ);
      progressed = true;
    }
    if (progressed) continue;
    // Nothing to copy: compute a chunk here, or wait for one.
    let computed = false;
    for (let s = 0; s < slots; s++) {
      const h = HEADS + s * HEAD_INTS;
      if (Atomics.compareExchange(c, h, READY, TAKEN) !== READY) continue;
      if (direct) {
        try {
          wholeChunk(chunkIn[s]!, base + s * stride);
        } finally {
          c[h + 7] = 0;
          Atomics.store(c, h, WRITTEN);
        }
      } else {
        let result = FAILED;
        try {
          result =
            kernel(c[h + 2]!, c[h + 3]!, c[h + 4]!, c[h + 5]!, c[h + 6]!) ??
              0;
        } finally {
          c[h + 7] = result;
          Atomics.store(c, h, DONE);
        }
      }
      computed = true;
      break;
    }
    if (computed) continue;
    for (let i = 0; i < SPIN; i++) {
      if (Atomics.load(c, DONE_SEQ) !== seen) break;
    }
    Atomics.wait(c, DONE_SEQ, seen);
  }
}
