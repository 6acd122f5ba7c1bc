// How the worker pool (lib/_kernels/pool.ts) starts and when calls use it:
// the default thread count, setPoolThreads, startWorkers' answer when the
// host refuses or breaks workers, and which calls the workers join. Each
// start-up scenario runs in a process of its own (tests/_pool_setup.ts),
// where the pool is fresh.

import assert from "node:assert/strict";
import { CHUNK } from "../lib/_kernels/instance.ts";
import {
  type ChunkCopies,
  POOL_MIN,
  poolStats,
  poolThreads,
  runChunks,
  setDirectCopies,
  setPoolThreads,
  startWorkers,
} from "../lib/_kernels/pool.ts";

async function scenario(name: string): Promise<Record<string, unknown>> {
  const script = new URL("./_pool_setup.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", script, name],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

Deno.test("poolThreads() defaults to one worker per core but one, at most 3, and follows setPoolThreads", () => {
  const cores = navigator.hardwareConcurrency;
  try {
    setPoolThreads(undefined);
    assert.equal(poolThreads(), Math.min(Math.max(cores - 1, 0), 3));
    setPoolThreads(3);
    assert.equal(poolThreads(), 3);
    setPoolThreads(0);
    assert.equal(poolThreads(), 0);
  } finally {
    setPoolThreads(undefined);
  }
});

Deno.test("poolThreads() is 0 on a host without navigator (one core assumed)", () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "navigator")!;
  Object.defineProperty(globalThis, "navigator", {
    value: undefined,
    configurable: true,
  });
  try {
    setPoolThreads(undefined);
    assert.equal(poolThreads(), 0);
  } finally {
    Object.defineProperty(globalThis, "navigator", descriptor);
  }
});

Deno.test("startWorkers() with no threads wanted starts nothing, and a later request for one starts it", async () => {
  assert.deepEqual(await scenario("zero-then-one"), { zero: 0, one: 1 });
});

Deno.test("poolStats() reports nothing before the pool starts; the first large call starts it", async () => {
  assert.deepEqual(await scenario("first-call"), {
    before: { workers: 0, workerChunks: 0 },
    joined: true,
  });
});

Deno.test("large calls of one chunk, or of chunks over 16 MiB, do not start the workers; the next large call does", async () => {
  assert.deepEqual(await scenario("one-chunk-calls"), { made: 0, then: 1 });
});

Deno.test("three workers all start and join the calls", async () => {
  assert.deepEqual(await scenario("three-workers"), {
    ready: 3,
    joined: true,
  });
});

Deno.test("when the host refuses the second worker, the first one still works", async () => {
  assert.deepEqual(await scenario("second-worker-fails"), {
    ready: 1,
    joined: true,
  });
});

Deno.test("after a worker fails, startWorkers() reports none and calls stay on the calling thread", async () => {
  assert.deepEqual(await scenario("worker-error"), {
    ready: 1,
    after: 0,
    joined: false,
  });
});

Deno.test("startWorkers(50) gives up after 50 ms when the workers never come up", async () => {
  assert.deepEqual(await scenario("never-starts"), { ready: 0 });
});

Deno.test("where Atomics.wait may not block, no worker starts and calls still compute", async () => {
  const report = await scenario("no-atomics-wait");
  assert.equal(report.ready, 0);
  assert.deepEqual(report.stats, { workers: 0, workerChunks: 0 });
  const first = report.first as number;
  assert.ok(first > 0 && first < 1, String(first));
});

// sigmoid of `chunks` chunks of `per` entries, through slots of `slotBytes`.
function sigmoidChunks(chunks: number, per: number, slotBytes: number) {
  const io: ChunkCopies = {
    input: new Float64Array(chunks * per).fill(0),
    inputPerChunk: per,
    stage: "Float64Array",
    output: new Float64Array(chunks * per),
    outputPerChunk: per,
    resultAt: 0,
    result: "Float64Array",
  };
  return {
    kernel: "sigmoid64" as const,
    slotBytes,
    args: (at: number, n: number) => [at, n],
    io,
  };
}

// Whether a worker computed a chunk of `run()` within `tries` calls.
function workersJoin(run: () => void, tries = 200): boolean {
  const before = poolStats().workerChunks;
  for (let i = 0; i < tries; i++) {
    run();
    if (poolStats().workerChunks > before) return true;
  }
  return false;
}

Deno.test("which large calls the workers join", async (t) => {
  setPoolThreads(1);
  try {
    assert.equal(startWorkers(30_000), 1);
    await t.step(
      "an input of exactly POOL_MIN entries in two chunks of 16 MiB slots",
      () => {
        const chunks = sigmoidChunks(2, POOL_MIN / 2, 16 << 20);
        assert.ok(workersJoin(() => runChunks(chunks)));
        assert.ok(chunks.io.output.every((v) => v === 0.5));
      },
    );
    await t.step("not one whose slots do not fit twice in 32 MiB", () => {
      const chunks = sigmoidChunks(2, POOL_MIN / 2, (16 << 20) + 64);
      assert.ok(!workersJoin(() => runChunks(chunks), 10));
      assert.ok(chunks.io.output.every((v) => v === 0.5));
    });
    await t.step(
      "not one after setPoolThreads(0), though the worker runs",
      () => {
        const chunks = sigmoidChunks(64, CHUNK, CHUNK * 8);
        setPoolThreads(0);
        assert.ok(!workersJoin(() => runChunks(chunks), 10));
        setPoolThreads(1);
        assert.ok(workersJoin(() => runChunks(chunks)));
      },
    );
  } finally {
    setPoolThreads(undefined);
  }
});

Deno.test("a chunk a worker computed, flagged rows and all, is not computed again on the calling thread", async (t) => {
  setPoolThreads(1);
  // The calling thread copying the chunks in: it computes each chunk's
  // arguments once, as it publishes it.
  setDirectCopies(false);
  try {
    assert.equal(startWorkers(30_000), 1);
    // Rows of 16 with one NaN row a chunk: the kernels that flag rows flag
    // one a chunk.
    const len = 16;
    const count = 64;
    const kernels = [
      "softmax64",
      "softmax32",
      "logSoftmax64",
      "logSoftmax32",
      "logSumExp64",
      "sigmoid64",
      "sigmoid32",
      "argmax64",
      "argmax32",
    ] as const;
    for (const kernel of kernels) {
      await t.step(kernel, () => {
        const stage = kernel.endsWith("32") ? "Float32Array" : "Float64Array";
        const Type = kernel.endsWith("32") ? Float32Array : Float64Array;
        const input = new Type(count * CHUNK).map((_, i) =>
          i % CHUNK === 0 ? NaN : 1
        );
        const io: ChunkCopies = {
          input,
          inputPerChunk: CHUNK,
          stage,
          output: new Type(count * CHUNK),
          outputPerChunk: CHUNK,
          resultAt: 0,
          result: stage,
        };
        // After the chunk: scratch or results, then row flags.
        const after = CHUNK * 8;
        let calls = 0;
        const joined = workersJoin(() => {
          calls = 0;
          runChunks({
            kernel,
            slotBytes: after + 32768,
            args: (at, entries) => {
              calls++;
              return kernel.startsWith("sigmoid")
                ? [at, entries]
                : [at, entries / len, len, at + after, at + after + 16384];
            },
            io,
          });
        });
        assert.ok(joined, "a worker joined");
        assert.equal(calls, count);
      });
    }
  } finally {
    setDirectCopies(undefined);
    setPoolThreads(undefined);
  }
});
