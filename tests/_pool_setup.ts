// Run by tests/pool_setup_test.ts as its own process (a fresh pool, no
// permissions): how the pool starts, or does not, in one scenario named by
// the first argument; prints what poolStats() and startWorkers() report.

import { softmax } from "../mod.ts";
import {
  poolStats,
  setPoolThreads,
  startWorkers,
} from "../lib/_kernels/pool.ts";

type Listener = () => void;
type Threads = {
  Worker: new (code: string, options: { eval: true }) => {
    postMessage(message: unknown): void;
    unref(): void;
    on(event: string, listener: Listener): void;
  };
};

const host = globalThis as unknown as {
  process: { getBuiltinModule(id: string): unknown };
};
const builtin = host.process.getBuiltinModule.bind(host.process);
const real = builtin("node:worker_threads") as Threads;

// node:worker_threads as the pool sees it: `make(n)` builds the n-th worker.
function hostThreads(make: (n: number, code: string) => unknown): void {
  let made = 0;
  host.process.getBuiltinModule = (id: string) =>
    id === "node:worker_threads"
      ? {
        Worker: function (code: string) {
          return make(made++, code);
        },
      }
      : builtin(id);
}

// A real worker whose listeners are also kept in `listeners`.
const listeners: [string, Listener][] = [];
function recorded(code: string) {
  const worker = new real.Worker(code, { eval: true });
  return {
    postMessage: (m: unknown) => worker.postMessage(m),
    unref: () => worker.unref(),
    on(event: string, listener: Listener) {
      listeners.push([event, listener]);
      worker.on(event, listener);
    },
  };
}

const x = new Float64Array(1 << 19).map((_, i) => Math.sin(i) * 10);
const shape = [1 << 15, 16];
// Large calls until a worker computed a chunk, or `tries` calls: whether one did.
async function workersJoin(tries: number): Promise<boolean> {
  const before = poolStats().workerChunks;
  for (let i = 0; i < tries; i++) {
    softmax(x, { shape });
    if (poolStats().workerChunks > before) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

const report: Record<string, unknown> = {};
switch (Deno.args[0]) {
  case "second-worker-fails": {
    // Two workers wanted; the host refuses the second.
    hostThreads((n, code) => {
      if (n > 0) throw new Error("no more threads");
      return recorded(code);
    });
    setPoolThreads(2);
    report.ready = startWorkers(30_000);
    report.joined = await workersJoin(50);
    break;
  }
  case "worker-error": {
    hostThreads((_n, code) => recorded(code));
    setPoolThreads(1);
    report.ready = startWorkers(30_000);
    for (const [event, listener] of listeners) {
      if (event === "error") listener();
    }
    report.after = startWorkers(30_000);
    report.joined = await workersJoin(10);
    break;
  }
  case "never-starts": {
    // The host makes workers that never run.
    hostThreads(() => ({ postMessage() {}, unref() {}, on() {} }));
    setPoolThreads(1);
    report.ready = startWorkers(50);
    break;
  }
  case "no-atomics-wait": {
    // A thread that may not block (a browser's main thread).
    const wait = Atomics.wait;
    Atomics.wait = () => {
      throw new TypeError("Atomics.wait cannot be called in this context");
    };
    setPoolThreads(1);
    try {
      report.ready = startWorkers(30_000);
      report.first = softmax(x, { shape }).values[0];
    } finally {
      Atomics.wait = wait;
    }
    report.stats = poolStats();
    break;
  }
  case "zero-then-one": {
    setPoolThreads(0);
    report.zero = startWorkers(30_000);
    setPoolThreads(1);
    report.one = startWorkers(30_000);
    break;
  }
  case "one-chunk-calls": {
    // Large calls that run as one chunk (one row of 2^17 entries), or whose
    // chunks need more than 16 MiB each: no worker could help them.
    let made = 0;
    hostThreads((_n, code) => (made++, recorded(code)));
    setPoolThreads(1);
    softmax(new Float64Array(1 << 17), { shape: [1, 1 << 17] });
    softmax(new Float64Array(1 << 23), { shape: [2, 1 << 22] });
    report.made = made;
    softmax(x, { shape });
    report.then = made;
    break;
  }
  case "three-workers": {
    setPoolThreads(3);
    report.ready = startWorkers(30_000);
    report.joined = await workersJoin(50);
    break;
  }
  case "first-call": {
    // No startWorkers: the first large call starts the worker.
    report.before = poolStats();
    setPoolThreads(1);
    report.joined = await workersJoin(200);
    break;
  }
}
console.log(JSON.stringify(report));
