// Run by tests/pool_test.ts as its own process, with no permissions: one
// large softmax on a worker thread, then the process must exit by itself.

import { softmax } from "../mod.ts";
import {
  poolStats,
  setPoolThreads,
  startWorkers,
} from "../lib/_kernels/pool.ts";

setPoolThreads(1);
const ready = startWorkers(30_000);
const x = new Float64Array(1 << 20).map((_, i) => Math.sin(i));
const p = softmax(x, { shape: [1024, 1024] });
console.log(JSON.stringify({ ready, ...poolStats(), first: p.values[0] }));
