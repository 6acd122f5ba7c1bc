// Runs the kernels over an input a chunk at a time, on the calling thread and,
// for large inputs, on a few worker threads sharing the kernels' memory, behind
// the same synchronous call.
//
// The calling thread is the only one that can read the caller's arrays, so it
// copies each chunk into a slot of linear memory and publishes it; whoever is
// free (a worker, or the calling thread when it has nothing to copy) runs the
// kernel on it; the calling thread copies the results out. Slots move
// FREE → READY → TAKEN → DONE → FREE through Atomics, and the calling thread
// sleeps in Atomics.wait (allowed on Deno's main thread) only when every slot
// is busy. A chunk's results do not depend on which thread computed it: the
// same kernels run on the same bytes.
//
// The workers are node:worker_threads workers, unref'd, so that they never
// keep the process alive; they are started on the first large call, which
// does not wait for them (they join the work when they are up). Without
// workers (one core, no shared memory, no Atomics.wait, no worker_threads)
// everything runs on the calling thread.

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

/** A computation split into chunks of rows. */
export interface Chunks {
  /** The kernel each chunk runs. */
  kernel: KernelName;
  /** How many chunks. */
  count: number;
  /** Bytes of linear memory one chunk needs (input, scratch, results). */
  slotBytes: number;
  /** Entries in all: the pool is used only for large inputs. */
  size: number;
  /**
   * Copies chunk `chunk`'s input into the slot at `at` (a view of the
   * memory is `buffer`) and returns the kernel's arguments.
   */
  fill(chunk: number, at: number, buffer: ArrayBufferLike): number[];
  /**
   * Copies chunk `chunk`'s results out of the slot at `at`; `result` is the
   * kernel's return value (the count of flagged rows, or 0).
   */
  drain(
    chunk: number,
    at: number,
    result: number,
    buffer: ArrayBufferLike,
  ): void;
}

// ---- Shared control block --------------------------------------------------

// Int32 indices: sequence numbers the threads wait on, counters, then one
// header of HEAD_INTS per slot: state, kernel, five arguments, result.
const READY_SEQ = 0;
const DONE_SEQ = 1;
const STARTED = 2;
const WORKER_CHUNKS = 3;
const HEADS = 8;
const HEAD_INTS = 8;
const MAX_SLOTS = 16;
const CONTROL_INTS = HEADS + MAX_SLOTS * HEAD_INTS;

const FREE = 0;
const READY = 1;
const TAKEN = 2;
const DONE = 3;

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

/** What a worker is sent: the kernels, their memory and the layout. */
interface Setup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  at: number;
  names: readonly string[];
  layout: {
    READY_SEQ: number;
    DONE_SEQ: number;
    STARTED: number;
    WORKER_CHUNKS: number;
    HEADS: number;
    HEAD_INTS: number;
    MAX_SLOTS: number;
    CONTROL_INTS: number;
    READY: number;
    TAKEN: number;
    DONE: number;
    SPIN: number;
    FAILED: number;
  };
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

// A worker's whole life: set up from the first message, then take READY
// slots and run their kernels forever. It runs as the source text of a
// worker (node:worker_threads' eval mode), so it refers to nothing outside.
function workerMain(threads: WorkerThreads): void {
  threads.parentPort?.once("message", (setup: Setup) => {
    const { module, memory, at, names, layout: L } = setup;
    const exports = new WebAssembly.Instance(module, { env: { memory } })
      .exports as Record<string, (...args: number[]) => number | undefined>;
    const fns = names.map((name) => exports[name]!);
    const c = new Int32Array(memory.buffer, at, L.CONTROL_INTS);
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
        let result: number | undefined;
        try {
          result = fns[c[h + 1]!]!(
            c[h + 2]!,
            c[h + 3]!,
            c[h + 4]!,
            c[h + 5]!,
            c[h + 6]!,
          );
        } catch {
          // The calling thread recomputes the chunk and sees the error.
          result = L.FAILED;
        }
        c[h + 7] = result ?? 0;
        Atomics.store(c, h, L.DONE);
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
    layout: {
      READY_SEQ,
      DONE_SEQ,
      STARTED,
      WORKER_CHUNKS,
      HEADS,
      HEAD_INTS,
      MAX_SLOTS,
      CONTROL_INTS,
      READY,
      TAKEN,
      DONE,
      SPIN,
      FAILED,
    },
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

function slotsFor(chunks: Chunks): number {
  const wanted = poolThreads();
  const fit = Math.floor(MAX_POOL_BYTES / slotStride(chunks));
  if (wanted === 0 || chunks.size < POOL_MIN || chunks.count < 2 || fit < 2) {
    return 1;
  }
  if (state === "off") startPool(wanted);
  if (state !== "on") return 1;
  // Four slots a thread: a worker finds a chunk ready while the calling
  // thread is busy computing one of its own.
  return Math.min(MAX_SLOTS, 4 * (workerCount + 1), chunks.count, fit);
}

// Slots start on cache lines, so that threads never share one.
function slotStride(chunks: Chunks): number {
  return Math.ceil(chunks.slotBytes / 64) * 64;
}

/** Runs every chunk; see the module comment. */
export function runChunks(chunks: Chunks): void {
  const slots = slotsFor(chunks);
  const { slots: first } = controlBlock();
  const stride = slotStride(chunks);
  const base = reserve(slots * stride, first);
  const { exports, memory } = kernelInstance();
  const kernel = exports[chunks.kernel] as (...args: number[]) => number;
  const buffer = memory.buffer;
  if (slots === 1) {
    for (let chunk = 0; chunk < chunks.count; chunk++) {
      const result = kernel(...chunks.fill(chunk, base, buffer));
      chunks.drain(chunk, base, result ?? 0, buffer);
    }
    return;
  }
  const c = new Int32Array(buffer, controlBlock().at, CONTROL_INTS);
  try {
    runShared(chunks, c, kernel, buffer, base, stride, slots);
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
  c: Int32Array,
  kernel: (...args: number[]) => number,
  buffer: ArrayBufferLike,
  base: number,
  stride: number,
  slots: number,
): void {
  const op = NAMES.indexOf(chunks.kernel);
  const chunkIn = new Int32Array(slots);
  let next = 0;
  let finished = 0;
  while (finished < chunks.count) {
    const seen = Atomics.load(c, DONE_SEQ);
    let progressed = false;
    for (let s = 0; s < slots; s++) {
      const h = HEADS + s * HEAD_INTS;
      if (Atomics.load(c, h) === DONE) {
        const at = base + s * stride;
        let result = c[h + 7]!;
        if (result === FAILED) {
          // The chunk's rows of the input are intact (they are written only
          // when the chunk is drained): compute it here, where an error
          // reaches the caller.
          result = kernel(...chunks.fill(chunkIn[s]!, at, buffer)) ?? 0;
        }
        chunks.drain(chunkIn[s]!, at, result, buffer);
        Atomics.store(c, h, FREE);
        finished++;
        progressed = true;
      }
    }
    let published = false;
    for (let s = 0; s < slots && next < chunks.count; s++) {
      const h = HEADS + s * HEAD_INTS;
      if (Atomics.load(c, h) !== FREE) continue;
      const args = chunks.fill(next, base + s * stride, buffer);
      c[h + 1] = op;
      for (let a = 0; a < 5; a++) c[h + 2 + a] = args[a] ?? 0;
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
      let result = FAILED;
      try {
        result =
          kernel(c[h + 2]!, c[h + 3]!, c[h + 4]!, c[h + 5]!, c[h + 6]!) ??
            0;
      } finally {
        c[h + 7] = result;
        Atomics.store(c, h, DONE);
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
