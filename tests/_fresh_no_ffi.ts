// Run by tests/fresh_test.ts without --allow-ffi: a large result is still
// made, silently without huge pages.

import { adviseHugePages } from "../lib/_kernels/fresh.ts";
import { softmax } from "../mod.ts";

const advised = adviseHugePages(new Float64Array(4 << 20));
const p = softmax(new Float32Array(4 << 20), { shape: [4096, 1024] });
console.log(JSON.stringify({ advised, value: p.values[5] }));
