// runChunks (lib/_kernels/pool.ts) as its callers see it: which thread copies
// a chunk's results out (workers through the caller's addresses when FFI is
// granted, as `deno test -A` does, else the calling thread), that every
// output entry is right whoever copied it, and that a call after an error
// starts from free slots.

import assert from "node:assert/strict";
import { CHUNK } from "../lib/_kernels/instance.ts";
import {
  POOL_MIN,
  poolStats,
  runChunks,
  setDirectCopies,
  setPoolThreads,
  startWorkers,
} from "../lib/_kernels/pool.ts";

// Chunks of CHUNK entries, enough of them for the pool.
const COUNT = 2 * POOL_MIN / CHUNK;

// Input entries 6·sin(i·seed/1e5) (varied, within sigmoid's curved part).
function inputOf(seed: number): Float64Array {
  return new Float64Array(COUNT * CHUNK).map((_, i) =>
    Math.sin(i * seed * 1e-5) * 6
  );
}

// In-place sigmoid of each chunk; chunk k's first `per` results go to
// output[k·per, ...). Returns how many chunks the calling thread finished
// (workers copying their own chunks skip `finish`).
function sigmoidChunks(
  input: Float64Array,
  output: Float64Array,
  per: number,
  fail?: number,
): number {
  let finished = 0;
  let calls = 0;
  runChunks({
    kernel: "sigmoid64",
    slotBytes: CHUNK * 8,
    // Out of the memory's bounds, the kernel traps (from call `fail` on).
    args: (
      at,
      entries,
    ) => [++calls > (fail ?? Infinity) ? 0x7ff00000 : at, entries],
    finish: () => {
      finished++;
    },
    io: {
      input,
      inputPerChunk: CHUNK,
      stage: "Float64Array",
      output,
      outputPerChunk: per,
      resultAt: 0,
      result: "Float64Array",
    },
  });
  return finished;
}

// Whether output[k·per + j] is 1/(1 + e^−x) of input[k·CHUNK + j] for every
// chunk k (within a few ulps); the first wrong index, or -1.
function firstWrong(input: Float64Array, output: Float64Array, per: number) {
  for (let k = 0; k < COUNT; k++) {
    for (let j = 0; j < per; j++) {
      const x = input[k * CHUNK + j]!;
      const y = output[k * per + j]!;
      if (!(Math.abs(y - 1 / (1 + Math.exp(-x))) <= 1e-15)) return k * per + j;
    }
  }
  return -1;
}

// Runs `call` until a worker computed a chunk during it (a busy machine may
// keep the worker off a few calls); returns the calls' results.
function untilWorkerHelps<T>(call: (attempt: number) => T): T[] {
  const seen: T[] = [];
  for (let i = 0; i < 40; i++) {
    const before = poolStats().workerChunks;
    seen.push(call(i));
    if (poolStats().workerChunks > before) return seen;
  }
  assert.fail("the worker never computed a chunk");
}

function withOneWorker(body: () => void): void {
  setPoolThreads(1);
  try {
    assert.equal(startWorkers(30_000), 1, "a worker started");
    body();
  } finally {
    setPoolThreads(undefined);
    setDirectCopies(undefined);
  }
}

Deno.test("runChunks() with FFI granted lets workers copy their own chunks out, each call into its own output", () => {
  withOneWorker(() => {
    const outputs: { input: Float64Array; output: Float64Array }[] = [];
    let skipped = false;
    for (let i = 0; i < 40 && !skipped; i++) {
      untilWorkerHelps((attempt) => {
        // A new pair of arrays each call, the earlier ones still alive: a
        // worker must use this call's addresses, not the last call's.
        const input = inputOf(i * 40 + attempt + 1);
        const output = new Float64Array(COUNT * CHUNK);
        const finished = sigmoidChunks(input, output, CHUNK);
        assert.equal(firstWrong(input, output, CHUNK), -1);
        outputs.push({ input, output });
        if (finished < COUNT) skipped = true;
      });
    }
    assert.ok(skipped, "a worker copied a chunk's results out itself");
    for (const { input, output } of outputs) {
      assert.equal(firstWrong(input, output, CHUNK), -1, "later calls");
    }
  });
});

Deno.test("runChunks() after setDirectCopies(false) copies every chunk out on the calling thread", () => {
  withOneWorker(() => {
    setDirectCopies(false);
    const input = inputOf(7);
    const output = new Float64Array(COUNT * CHUNK);
    const finished = untilWorkerHelps(() => {
      output.fill(0);
      return sigmoidChunks(input, output, CHUNK);
    });
    assert.deepEqual(finished, finished.map(() => COUNT));
    assert.equal(firstWrong(input, output, CHUNK), -1);
  });
});

Deno.test("runChunks() copies outputs under a page (4096 bytes) on the calling thread; from a page on, workers may", () => {
  withOneWorker(() => {
    const input = inputOf(3);
    // 7 entries a chunk: 16·7·8 = 896 bytes, which V8 may move.
    const small = new Float64Array(COUNT * 7);
    const finished = untilWorkerHelps(() => {
      small.fill(0);
      return sigmoidChunks(input, small, 7);
    });
    assert.deepEqual(finished, finished.map(() => COUNT));
    assert.equal(firstWrong(input, small, 7), -1);
    // 32 entries a chunk: 16·32·8 = 4096 bytes, exactly a page.
    const page = new Float64Array(COUNT * 32);
    assert.equal(page.byteLength, 4096);
    let skipped = false;
    for (let i = 0; i < 40 && !skipped; i++) {
      untilWorkerHelps(() => {
        page.fill(0);
        if (sigmoidChunks(input, page, 32) < COUNT) skipped = true;
        assert.equal(firstWrong(input, page, 32), -1);
      });
    }
    assert.ok(skipped, "a worker copied a page-sized output itself");
  });
});

Deno.test("runChunks() after an error starts from free slots: the next call's results are all there", () => {
  withOneWorker(() => {
    for (const direct of [false, true]) {
      setDirectCopies(direct);
      for (let i = 0; i < 10; i++) {
        const input = inputOf(11 + i);
        const output = new Float64Array(COUNT * CHUNK);
        // The kernel traps from the fourth chunk on, while later chunks
        // are still in slots.
        assert.throws(
          () => sigmoidChunks(input, output, CHUNK, 3),
          WebAssembly.RuntimeError,
        );
        output.fill(0);
        sigmoidChunks(input, output, CHUNK);
        assert.equal(
          firstWrong(input, output, CHUNK),
          -1,
          `direct copies: ${direct}`,
        );
      }
    }
  });
});
