// runChunks (lib/_kernels/pool.ts) as its callers see it: which thread copies
// a chunk's results out (workers through the caller's addresses when FFI is
// granted, as `deno test -A` does, else the calling thread), that every
// output entry is right whoever copied it, and that a call after an error
// starts from free slots.

import assert from "node:assert/strict";
import { CHUNK, kernelInstance } from "../lib/_kernels/instance.ts";
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

// A marked chunk's first input entry: its kernel traps (see sigmoidChunks).
const MARK = 12345.5;

// In-place sigmoid of each chunk; chunk k's first `per` results go to
// output[k·per, ...); with `fail` n > 0 the kernel traps from the n+1st
// chunk on, with −n finishing chunk n throws. Returns how many chunks the calling thread finished
// (workers copying their own chunks skip `finish`).
function sigmoidChunks(
  input: Float64Array,
  output: Float64Array,
  per: number,
  fail?: number,
  flags: number[] = [],
): number {
  let finished = 0;
  let calls = 0;
  runChunks({
    kernel: "sigmoid64",
    slotBytes: CHUNK * 8,
    // Out of the memory's bounds, the kernel traps: from call `fail` on, and
    // on a chunk staged (copied into the slot, as the calling thread copies
    // before it asks for the arguments) with MARK first.
    args: (at, entries) => {
      const { buffer } = kernelInstance().memory;
      const marked = new Float64Array(buffer, at, 1)[0] === MARK;
      const trap =
        ++calls > (fail !== undefined && fail > 0 ? fail : Infinity) ||
        marked;
      return [trap ? 0x7ff00000 : at, entries];
    },
    finish: (_at, flagged, _results, from) => {
      if (fail !== undefined && from === -fail * CHUNK) {
        throw new Error("finish failed");
      }
      flags.push(flagged);
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
    const errors = [
      // The kernel traps from the fourth chunk on, while later chunks are
      // still in slots, copied by the workers or not.
      { direct: true, fail: 3, error: WebAssembly.RuntimeError },
      { direct: false, fail: 3, error: WebAssembly.RuntimeError },
      // Finishing chunk 3 throws on the calling thread while a worker may
      // still be computing a chunk (every chunk is finished there).
      { direct: false, fail: -3, error: { message: "finish failed" } },
    ];
    for (const { direct, fail, error } of errors) {
      setDirectCopies(direct);
      // Many times: a worker is not always busy when the error comes.
      for (let i = 0; i < 40; i++) {
        const input = inputOf(11 + i);
        const output = new Float64Array(COUNT * CHUNK);
        assert.throws(() => sigmoidChunks(input, output, CHUNK, fail), error);
        output.fill(0);
        sigmoidChunks(input, output, CHUNK);
        const wrong = firstWrong(input, output, CHUNK);
        assert.equal(wrong, -1, `after failing with ${fail}, ${direct}`);
      }
    }
  });
});

Deno.test("runChunks() hands finish() the kernel's return value, 0 for sigmoid, whichever thread computed the chunk", () => {
  withOneWorker(() => {
    setDirectCopies(false);
    const input = inputOf(5);
    const output = new Float64Array(COUNT * CHUNK);
    const flags: number[] = [];
    untilWorkerHelps(() =>
      sigmoidChunks(input, output, CHUNK, undefined, flags)
    );
    assert.deepEqual(flags, flags.map(() => 0));
    assert.equal(firstWrong(input, output, CHUNK), -1);
  });
});

Deno.test("runChunks() rethrows a kernel's error on the calling thread when a worker ran that chunk", () => {
  withOneWorker(() => {
    setDirectCopies(false);
    const input = inputOf(9);
    input[5 * CHUNK] = MARK;
    const before = poolStats().workerChunks;
    for (let i = 0; i < 20; i++) {
      const output = new Float64Array(COUNT * CHUNK);
      assert.throws(
        () => sigmoidChunks(input, output, CHUNK),
        WebAssembly.RuntimeError,
        `call ${i}`,
      );
    }
    assert.ok(poolStats().workerChunks > before, "the worker took chunks");
  });
});

Deno.test("runChunks() computes chunks on the calling thread too, not only on the workers", () => {
  withOneWorker(() => {
    const input = inputOf(13);
    const output = new Float64Array(COUNT * CHUNK);
    const onWorkers: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = poolStats().workerChunks;
      sigmoidChunks(input, output, CHUNK);
      onWorkers.push(poolStats().workerChunks - before);
      if (onWorkers.at(-1)! < COUNT) break;
      assert.equal(firstWrong(input, output, CHUNK), -1);
    }
    assert.ok(onWorkers.some((n) => n < COUNT), `${onWorkers}`);
  });
});

Deno.test("runChunks() with the thread count set to 0 keeps large inputs on the calling thread, workers running or not", () => {
  withOneWorker(() => {
    setPoolThreads(0);
    const input = inputOf(17);
    const output = new Float64Array(COUNT * CHUNK);
    const before = poolStats().workerChunks;
    // Many calls: the mistake would show only when a worker wins a slot.
    for (let i = 0; i < 100; i++) sigmoidChunks(input, output, CHUNK);
    assert.equal(poolStats().workerChunks, before);
    assert.equal(firstWrong(input, output, CHUNK), -1);
  });
});

Deno.test("softmax() and sigmoid() with three workers (all 16 slots in use) give the calling thread's bits", async () => {
  // A process of its own, so that exactly three workers start.
  const mod = new URL("../mod.ts", import.meta.url).href;
  const pool = new URL("../lib/_kernels/pool.ts", import.meta.url).href;
  const code = `
    import { sigmoid, softmax } from ${JSON.stringify(mod)};
    import { poolStats, setPoolThreads, startWorkers } from ${
    JSON.stringify(pool)
  };
    setPoolThreads(3);
    const ready = startWorkers(30000);
    const x = new Float64Array(1 << 20).map((_, i) => Math.sin(i) * 40);
    const shape = [1 << 12, 1 << 8];
    const x32 = new Float32Array(x);
    const all = () => [
      softmax(x, { shape }).values,
      softmax(x32, { shape }).values,
      sigmoid(x).values,
    ];
    // Several calls: the end of a call, when the workers hold the last
    // chunks, is where the calling thread looks at every slot.
    const before = poolStats().workerChunks;
    const runs = [];
    for (let i = 0; i < 30 && (i < 10 || poolStats().workerChunks === before); i++) {
      runs.push(all());
    }
    setPoolThreads(0);
    const alone = all();
    const same = runs.every((pooled) =>
      pooled.every((p, f) => p.every((v, k) => Object.is(v, alone[f][k])))
    );
    console.log(JSON.stringify({ ready, same, used: poolStats().workerChunks > before }));
  `;
  const { code: status, stdout, stderr } = await new Deno.Command(
    Deno.execPath(),
    {
      args: ["eval", "--quiet", code],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    },
  ).output();
  assert.equal(status, 0, new TextDecoder().decode(stderr));
  const report = JSON.parse(new TextDecoder().decode(stdout));
  assert.deepEqual(report, { ready: 3, same: true, used: true });
});
