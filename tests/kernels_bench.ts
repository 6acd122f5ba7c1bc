// The module alone, `deno task bench`: a quick smoke of the kernels on
// moderate sizes, and small inputs against the plain loop they must stay
// close to (a 10-class softmax within 2× of it). The side-by-side figures
// against SciPy, ONNX Runtime and TensorFlow.js come from
// tests/bench/compare.ts (`deno task bench:compare`).

import { argmax, logSoftmax, logSumExp, sigmoid, softmax } from "../mod.ts";

// Deterministic logits in [-4, 4): the comparison's formula.
function logits(n: number, float32: boolean): Float64Array | Float32Array {
  const x = float32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = i * 0.6180339887498949;
    x[i] = (v - Math.floor(v)) * 8 - 4;
  }
  return x;
}

// The plain three-pass softmax: the yardstick for small inputs.
function plainSoftmax(x: readonly number[]): Float64Array {
  let max = -Infinity;
  for (const v of x) if (v > max) max = v;
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp((x[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

const ten = Array.from(logits(10, false));
const tenTyped = logits(10, false);

Deno.bench("plain loop, 10 classes", {
  group: "10-class softmax",
  baseline: true,
}, () => {
  plainSoftmax(ten);
});

Deno.bench("softmax(number[10])", { group: "10-class softmax" }, () => {
  softmax(ten);
});

Deno.bench("softmax(Float64Array(10))", { group: "10-class softmax" }, () => {
  softmax(tenTyped);
});

const SHAPES: [string, number[]][] = [
  ["20 × 50,000", [20, 50_000]],
  ["100,000 × 10", [100_000, 10]],
];

for (const float32 of [true, false]) {
  const dtype = float32 ? "float32" : "float64";
  for (const [name, shape] of SHAPES) {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = logits(n, float32);
    const out = float32 ? new Float32Array(n) : new Float64Array(n);
    const rows = new Float64Array(shape[0] as number);
    const group = `${dtype} ${name}`;
    Deno.bench(
      `softmax ${dtype} ${name}, out`,
      { group, baseline: true },
      () => {
        softmax(x, { shape, out });
      },
    );
    Deno.bench(`softmax ${dtype} ${name}`, { group }, () => {
      softmax(x, { shape });
    });
    Deno.bench(`logSoftmax ${dtype} ${name}, out`, { group }, () => {
      logSoftmax(x, { shape, out });
    });
    Deno.bench(`logSumExp ${dtype} ${name}, out`, { group }, () => {
      logSumExp(x, { shape, out: rows });
    });
    Deno.bench(`sigmoid ${dtype} ${name}, out`, { group }, () => {
      sigmoid(x, { out });
    });
    Deno.bench(`argmax ${dtype} ${name}, out`, { group }, () => {
      argmax(x, { shape, out: rows });
    });
  }
}
