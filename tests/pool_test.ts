// The worker pool (lib/_kernels/pool.ts): results on worker threads are the
// calling thread's, bit for bit, on the kernels' adversarial rows; small
// inputs stay on the calling thread; a process that used the workers exits
// by itself.

import assert from "node:assert/strict";
import { argmax, logSoftmax, logSumExp, sigmoid, softmax } from "../mod.ts";
import {
  CHUNK,
  decode,
  type KernelInstance,
  unshared,
} from "../lib/_kernels/instance.ts";
import { KERNELS_WASM_BASE64 } from "../lib/_kernels/kernels_wasm.ts";
import {
  type ChunkCopies,
  POOL_MIN,
  poolStats,
  runChunks,
  setDirectCopies,
  setPoolThreads,
  startWorkers,
} from "../lib/_kernels/pool.ts";
import { fastSoftmax } from "../lib/_kernels/softmax.ts";
import { adversarialRows, random } from "./_kernel_rows.ts";

type Floats = Float64Array | Float32Array;

// Every function the kernels serve, as users call it, as raw bytes.
function results(x: Floats, rows: number, len: number): Uint8Array[] {
  const shape = [rows, len];
  const float = () =>
    x instanceof Float32Array
      ? new Float32Array(x.length)
      : new Float64Array(x.length);
  const bytes = (a: ArrayBufferView) =>
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const log = float();
  logSoftmax(x, { shape, out: log });
  const sums = new Float64Array(rows);
  logSumExp(x, { shape, out: sums });
  const indices = new Float64Array(rows);
  argmax(x, { shape, out: indices });
  return [
    bytes(softmax(x, { shape }).values),
    bytes(log),
    bytes(sums),
    bytes(sigmoid(x).values),
    bytes(indices),
  ];
}

// The first index where two byte arrays differ, or -1 (a compact failure
// message where deepEqual would print the whole arrays).
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

// The adversarial rows repeated until the input is large enough for the pool.
function largeAdversarial(
  dtype: "float32" | "float64",
  len: number,
  next: () => number,
): { x: Floats; rows: number } {
  const block = adversarialRows(len, next).flat();
  const copies = Math.ceil((2 * POOL_MIN) / block.length);
  const x = dtype === "float32"
    ? new Float32Array(block.length * copies)
    : new Float64Array(block.length * copies);
  for (let c = 0; c < copies; c++) x.set(block, c * block.length);
  return { x, rows: x.length / len };
}

Deno.test("large inputs give the same bits on worker threads as on the calling thread", async (t) => {
  setPoolThreads(1);
  assert.equal(startWorkers(30_000), 1, "a worker started");
  const before = poolStats().workerChunks;
  const next = random(12);
  try {
    for (const dtype of ["float64", "float32"] as const) {
      for (const len of [1, 2, 3, 7, 8, 9, 16, 33, 1000, CHUNK + 3]) {
        await t.step(`${dtype} adversarial rows of length ${len}`, () => {
          const { x, rows } = largeAdversarial(dtype, len, next);
          setPoolThreads(0);
          const alone = results(x, rows, len);
          setPoolThreads(1);
          // Workers copying their own chunks (FFI granted: deno test -A),
          // and the calling thread copying for them.
          for (const direct of [true, false]) {
            setDirectCopies(direct);
            const pooled = results(x, rows, len);
            const names = ["softmax", "logSoftmax", "logSumExp", "sigmoid"];
            names.push("argmax");
            for (let f = 0; f < names.length; f++) {
              const at = firstDifference(pooled[f]!, alone[f]!);
              assert.equal(
                at,
                -1,
                `${names[f]} differs at byte ${at} (direct copies: ${direct})`,
              );
            }
          }
        });
      }
    }
  } finally {
    setPoolThreads(undefined);
    setDirectCopies(undefined);
  }
  assert.ok(
    poolStats().workerChunks > before,
    "the worker computed some of the chunks",
  );
});

Deno.test("inputs below POOL_MIN entries stay on the calling thread", () => {
  setPoolThreads(1);
  try {
    assert.equal(startWorkers(30_000), 1);
    const before = poolStats().workerChunks;
    const x = new Float64Array(POOL_MIN - 8).map((_, i) => Math.cos(i));
    softmax(x, { shape: [x.length / 8, 8] });
    sigmoid(x);
    argmax(x, { shape: [x.length / 8, 8] });
    assert.equal(poolStats().workerChunks, before);
    // A large input does use it (a busy machine may keep the worker off one
    // call, so a few tries).
    const large = new Float64Array(POOL_MIN * 4);
    for (let i = 0; i < 20 && poolStats().workerChunks === before; i++) {
      softmax(large, { shape: [POOL_MIN / 4, 16] });
    }
    assert.ok(poolStats().workerChunks > before, "a large input does use it");
  } finally {
    setPoolThreads(undefined);
  }
});

Deno.test("a process that used the worker threads exits by itself", async () => {
  const script = new URL("./_pool_exit.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const report = JSON.parse(text);
  assert.equal(report.ready, 1);
  assert.ok(report.workerChunks > 0, text);
  assert.ok(report.first > 0 && report.first < 1, text);
});

Deno.test("unshared(kernels.wasm) runs the same kernels on an ordinary memory, for hosts without shared memory", () => {
  const bytes = decode(KERNELS_WASM_BASE64);
  const ordinary = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  assert.throws(() =>
    new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { memory: ordinary },
    })
  );
  const module = new WebAssembly.Module(unshared(bytes));
  const [memory] = WebAssembly.Module.imports(module);
  assert.deepEqual(memory, { module: "env", name: "memory", kind: "memory" });
  const { exports } = new WebAssembly.Instance(module, {
    env: { memory: ordinary },
  });
  const k = exports as { softmax64(...args: number[]): number };
  const x = new Float64Array(ordinary.buffer, 8192, 4);
  x.set([1, 2, 3, 4]);
  assert.equal(k.softmax64(8192, 1, 4, 8192 + 64), 0);
  const expected = new Float64Array(4);
  assert.ok(fastSoftmax(Float64Array.of(1, 2, 3, 4), expected, 4, () => {}));
  assert.deepEqual([...x], [...expected]);
  assert.ok(Math.abs(x[3]! - 0.6439142598879722) < 1e-15);
});

Deno.test("unshared() patches only a memory import among the binary's first 200 bytes, where the import section is", () => {
  // "memory", import kind 2, limits flag 3 (shared, with maximum).
  const memoryImport = [6, 109, 101, 109, 111, 114, 121, 2, 3];
  const withImportAt = (at: number) => {
    const bytes = new Uint8Array(240);
    bytes.set(memoryImport, at);
    return bytes;
  };
  const original = withImportAt(199);
  const patched = unshared(original);
  assert.equal(patched[199 + 8], 1, "flag 1: unshared, with maximum");
  assert.equal(original[199 + 8], 3, "the binary given is left as it was");
  assert.throws(() => unshared(withImportAt(200)), {
    name: "Error",
    message: "kernels.wasm: memory import not found",
  });
});

Deno.test("where shared memory is unavailable, the kernels run on an ordinary memory", async () => {
  // A second copy of instance.ts (its own module state), instantiated while
  // WebAssembly.Memory refuses shared memory, as some hosts do.
  const url = new URL("../lib/_kernels/instance.ts?unshared", import.meta.url);
  const fresh: typeof import("../lib/_kernels/instance.ts") = await import(
    url.href
  );
  const Memory = WebAssembly.Memory;
  const noShared = function (descriptor: WebAssembly.MemoryDescriptor) {
    if (descriptor.shared) throw new TypeError("shared memory is unavailable");
    return new Memory(descriptor);
  };
  let instance: KernelInstance;
  (WebAssembly as { Memory: unknown }).Memory = noShared;
  try {
    instance = fresh.kernelInstance();
  } finally {
    (WebAssembly as { Memory: unknown }).Memory = Memory;
  }
  assert.equal(instance.shared, false);
  assert.ok(!(instance.memory.buffer instanceof SharedArrayBuffer));
  // argmax of [1, 5, 2] on the ordinary memory.
  const x = fresh.reserve(40);
  new Float64Array(instance.memory.buffer, x, 3).set([1, 5, 2]);
  instance.exports.argmax64(x, 1, 3, x + 24);
  assert.equal(new Float64Array(instance.memory.buffer, x + 24, 1)[0], 1);
  // Growing an ordinary memory replaces its buffer (views of the old one
  // become empty), so reserve() grows it only when the bytes do not fit.
  const before = instance.memory.buffer;
  const have = before.byteLength;
  const base = fresh.reserve(0);
  assert.equal(fresh.reserve(have - base), base);
  assert.equal(instance.memory.buffer, before, "the bytes fit: same buffer");
  assert.equal(before.byteLength, have);
  assert.equal(fresh.reserve(have - base + 1), base);
  assert.equal(before.byteLength, 0, "grown: the old buffer is detached");
  assert.equal(instance.memory.buffer.byteLength, have + 65536);
});

Deno.test("an error inside a pooled call reaches the caller and leaves the pool usable", () => {
  setPoolThreads(1);
  try {
    assert.equal(startWorkers(30_000), 1);
    const n = 64;
    // sigmoid of n chunks of zeros.
    const io: ChunkCopies = {
      input: new Float64Array(n * CHUNK),
      inputPerChunk: CHUNK,
      stage: "Float64Array",
      output: new Float64Array(n * CHUNK),
      outputPerChunk: CHUNK,
      resultAt: 0,
      result: "Float64Array",
    };
    // A kernel call out of the memory's bounds traps, on whichever thread
    // runs it (every chunk from the tenth on, redone or not).
    let calls = 0;
    assert.throws(
      () =>
        runChunks({
          kernel: "sigmoid64",
          slotBytes: CHUNK * 8,
          args: (at, entries) => [++calls > 9 ? 0x7ff00000 : at, entries],
          io,
        }),
      WebAssembly.RuntimeError,
    );
    // So does an error while finishing a chunk (on the calling thread: the
    // workers' own copies are off).
    setDirectCopies(false);
    assert.throws(
      () =>
        runChunks({
          kernel: "sigmoid64",
          slotBytes: CHUNK * 8,
          args: (at, entries) => [at, entries],
          finish: (_at, _flagged, _results, from) => {
            if (from === 5 * CHUNK) throw new Error("finish failed");
          },
          io,
        }),
      { message: "finish failed" },
    );
    setDirectCopies(undefined);
    const x = new Float64Array(POOL_MIN * 2).map((_, i) => Math.sin(i) * 30);
    setPoolThreads(0);
    const alone = softmax(x, { shape: [POOL_MIN / 8, 16] }).values;
    setPoolThreads(1);
    // The worker joins again (a busy machine may keep it off one call).
    const before = poolStats().workerChunks;
    for (let i = 0; i < 20 && poolStats().workerChunks === before; i++) {
      const pooled = softmax(x, { shape: [POOL_MIN / 8, 16] }).values;
      assert.ok(pooled.every((v, k) => Object.is(v, alone[k])));
    }
    assert.ok(poolStats().workerChunks > before);
  } finally {
    setPoolThreads(undefined);
  }
});

Deno.test("a pooled result is an ordinary array of its own, unchanged by later calls", () => {
  setPoolThreads(1);
  try {
    assert.equal(startWorkers(30_000), 1);
    const shape = [64, 1 << 16];
    const x = new Float32Array(1 << 22).map((_, i) => Math.sin(i));
    const first = softmax(x, { shape }).values;
    const copy = first.slice();
    const second = softmax(x.map((v) => -v), { shape }).values;
    sigmoid(x);
    assert.ok(first instanceof Float32Array);
    assert.ok(first.buffer instanceof ArrayBuffer);
    assert.notEqual(first.buffer, second.buffer);
    assert.equal(
      firstDifference(
        new Uint8Array(first.buffer),
        new Uint8Array(copy.buffer),
      ),
      -1,
    );
    assert.ok(first[0]! > 0 && first[0] !== second[0]);
    const moved = structuredClone(first, { transfer: [first.buffer] });
    assert.equal(moved[5], copy[5]);
  } finally {
    setPoolThreads(undefined);
  }
});
