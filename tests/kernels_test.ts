// The WebAssembly kernels against the plain TypeScript reference they
// replace: the same results within the accuracy bounds on random rows of
// every length around the vector widths, on adversarial rows, and on the
// mpmath reference itself; plus the `out` option and the committed binary.

import assert from "node:assert/strict";
import { argmax, logSoftmax, logSumExp, sigmoid, softmax } from "../mod.ts";
import { argmaxRows } from "../lib/_argmax.ts";
import { fastArgmax } from "../lib/_kernels/argmax.ts";
import { buildKernels, embedKernels } from "../lib/_kernels/build.ts";
import {
  CHUNK,
  kernelInstance,
  kernels,
  reserve,
  worthKernels,
} from "../lib/_kernels/instance.ts";
import { fastSigmoid } from "../lib/_kernels/sigmoid.ts";
import {
  fastLogSoftmax,
  fastLogSumExp,
  fastSoftmax,
} from "../lib/_kernels/softmax.ts";
import { rowsOf } from "../lib/_rows.ts";
import { logistic } from "../lib/sigmoid.ts";
import {
  logSoftmaxRow,
  logSumExpRow,
  RowScratch,
  softmaxRow,
} from "../lib/_softmax_row.ts";
import { ulpDistance } from "./reference/_ulp.ts";
import { loadReference } from "./reference/accuracy_report.ts";
import { adversarialRows, random } from "./_kernel_rows.ts";

type Floats = Float64Array | Float32Array;
type Dtype = "float64" | "float32";

function allocate(dtype: Dtype, n: number): Floats {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

function fromValues(dtype: Dtype, values: readonly number[]): Floats {
  return dtype === "float32"
    ? Float32Array.from(values)
    : Float64Array.from(values);
}

// The reference, row by row, as the public functions run it.
function referenceRows(
  fn: "softmax" | "logSoftmax",
  data: Floats,
  rows: number,
  len: number,
): Floats {
  const out = data instanceof Float32Array
    ? new Float32Array(data.length)
    : new Float64Array(data.length);
  const s = new RowScratch().reserve(len);
  const row = fn === "softmax" ? softmaxRow : logSoftmaxRow;
  for (let r = 0; r < rows; r++) {
    row(s, data, r * len, 1, len, undefined, 1, out, r * len);
  }
  return out;
}

function fastRows(
  fn: "softmax" | "logSoftmax",
  data: Floats,
  len: number,
  out: Floats = allocate(
    data instanceof Float32Array ? "float32" : "float64",
    data.length,
  ),
): Floats {
  const s = new RowScratch();
  const [kernel, row] = fn === "softmax"
    ? [fastSoftmax, softmaxRow]
    : [fastLogSoftmax, logSoftmaxRow];
  const done = kernel(data, out, len, (r, target, at) => {
    row(s.reserve(len), data, r * len, 1, len, undefined, 1, target, at);
  });
  assert.ok(done, "the kernels took the rows");
  return out;
}

// Bounds in ulps between the kernels and the reference: each is within the
// accuracy bound of the exact value, and in practice much closer.
const BOUND: Record<string, number> = {
  "softmax float64": 4,
  "logSoftmax float64": 4,
  "logSumExp float64": 4,
  "sigmoid float64": 2,
  "softmax float32": 1,
  "logSoftmax float32": 1,
  "logSumExp float32": 4,
  "sigmoid float32": 1,
};

// Outputs below these (softmax only) carry no ulp bound; there the kernels
// must agree in absolute terms.
const FLOOR: Record<Dtype, number> = { float64: 1e-300, float32: 2 ** -126 };

function assertClose(
  what: string,
  dtype: Dtype,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  format: Dtype = dtype,
): void {
  const bound = BOUND[what] as number;
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const tiny = what.startsWith("softmax") && Math.abs(e) < FLOOR[dtype];
    const ok = tiny
      ? Math.abs(a - e) <= FLOOR[dtype] * 2 ** -40 && a >= 0
      : ulpDistance(a, e, { format }) <= bound;
    if (!ok) {
      assert.fail(
        `${what}: index ${i}: kernel ${a}, reference ${e} (${
          ulpDistance(a, e, { format })
        } ulp, bound ${bound})`,
      );
    }
  }
}

// max(x) + log Σ exp(x - max) cancels when the result is near 0 (max ≈ -log
// Σ): both paths then carry the rounding of log Σ, an ulp of the larger
// term, and may differ by that many ulps of the small result. So the bound is
// in ulps of max(|result|, |max|).
function assertLogSumExpClose(
  x: Floats,
  len: number,
  actual: Float64Array,
  expected: Float64Array,
): void {
  const bound = BOUND["logSumExp float64"] as number;
  for (let r = 0; r < expected.length; r++) {
    const a = actual[r] as number;
    const e = expected[r] as number;
    let max = -Infinity;
    for (let k = 0; k < len; k++) max = Math.max(max, x[r * len + k] as number);
    const scale = Math.max(Math.abs(e), Math.abs(max));
    const ok = ulpDistance(a, e) <= bound ||
      Math.abs(a - e) <= bound * 2 ** -52 * scale;
    assert.ok(ok, `logSumExp row ${r}: kernel ${a}, reference ${e}`);
  }
}

function randomRows(
  dtype: Dtype,
  rows: number,
  len: number,
  spread: number,
  next: () => number,
): Floats {
  const x = allocate(dtype, rows * len);
  const offset = (next() - 0.5) * spread;
  for (let i = 0; i < x.length; i++) x[i] = offset + (next() - 0.5) * spread;
  return x;
}

// Lengths around every vector width and unrolling (2 and 4 float64 lanes
// per step, 8 float32 entries per max step), a row per chunk and a row past
// the chunk size.
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000];
const SPREADS = [1e-6, 1, 10, 100, 1000, 1e5];

Deno.test("softmax and logSoftmax kernels match the reference on random rows", async (t) => {
  const next = random(6);
  for (const dtype of ["float64", "float32"] as const) {
    for (const fn of ["softmax", "logSoftmax"] as const) {
      await t.step(`${fn} ${dtype} rows of length 1 to 1000`, () => {
        for (const len of LENGTHS) {
          for (const spread of SPREADS) {
            const rows = Math.max(1, Math.floor(3000 / len));
            const x = randomRows(dtype, rows, len, spread, next);
            assertClose(
              `${fn} ${dtype}`,
              dtype,
              fastRows(fn, x, len),
              referenceRows(fn, x, rows, len),
            );
          }
        }
      });
      await t.step(`${fn} ${dtype} rows longer than a chunk`, () => {
        for (const len of [CHUNK - 1, CHUNK + 3, 3 * CHUNK + 1]) {
          const x = randomRows(dtype, 2, len, 40, next);
          assertClose(
            `${fn} ${dtype}`,
            dtype,
            fastRows(fn, x, len),
            referenceRows(fn, x, 2, len),
          );
        }
      });
    }
  }
});

Deno.test("logSumExp kernel matches the reference on random rows", () => {
  const next = random(7);
  for (const dtype of ["float64", "float32"] as const) {
    for (const len of [...LENGTHS, CHUNK + 5]) {
      for (const spread of SPREADS) {
        const rows = Math.max(1, Math.floor(3000 / len));
        const x = randomRows(dtype, rows, len, spread, next);
        const fast = new Float64Array(rows);
        const s = new RowScratch().reserve(len);
        const slow = Float64Array.from(
          { length: rows },
          (_, r) => logSumExpRow(s, x, r * len, 1, len, undefined),
        );
        assert.ok(fastLogSumExp(x, fast, len, () => NaN));
        assertLogSumExpClose(x, len, fast, slow);
      }
    }
  }
});

Deno.test("sigmoid kernel matches the reference over the whole range", () => {
  const next = random(8);
  for (const dtype of ["float64", "float32"] as const) {
    for (const n of [1, 2, 3, 5, 9, 1000, CHUNK + 1]) {
      const x = allocate(dtype, n);
      for (let i = 0; i < n; i++) x[i] = -760 + next() * 1480;
      for (let i = 0; i < n && i < 40; i++) x[i] = (next() - 0.5) * 40;
      const fast = allocate(dtype, n);
      fastSigmoid(x, fast);
      const slow = allocate(dtype, n);
      for (let i = 0; i < n; i++) slow[i] = logistic(x[i] as number);
      assertClose(`sigmoid ${dtype}`, dtype, fast, slow);
    }
  }
});

Deno.test("argmax kernel matches the reference exactly", () => {
  const next = random(9);
  for (const dtype of ["float64", "float32"] as const) {
    for (const len of [...LENGTHS, CHUNK + 7]) {
      const rows = Math.max(1, Math.floor(3000 / len));
      // Few distinct values, so that ties are common.
      const x = allocate(dtype, rows * len);
      for (let i = 0; i < x.length; i++) x[i] = Math.floor(next() * 5) - 2;
      const fast = new Float64Array(rows);
      const slow = new Float64Array(rows);
      assert.ok(fastArgmax(x, fast, len));
      argmaxRows(x, rowsOf([rows, len], 1), slow);
      assert.deepEqual(fast, slow, `length ${len}`);
    }
  }
});

Deno.test("kernels match the reference on adversarial rows", async (t) => {
  const next = random(10);
  for (const dtype of ["float64", "float32"] as const) {
    for (const len of [1, 2, 3, 4, 5, 7, 8, 9, 16, 33]) {
      const rows = adversarialRows(len, next);
      const x = fromValues(dtype, rows.flat());
      const n = rows.length;
      await t.step(`${dtype} rows of length ${len}`, () => {
        for (const fn of ["softmax", "logSoftmax"] as const) {
          assertClose(
            `${fn} ${dtype}`,
            dtype,
            fastRows(fn, x, len),
            referenceRows(fn, x, n, len),
          );
        }
        const s = new RowScratch().reserve(len);
        const lse = new Float64Array(n);
        assert.ok(
          fastLogSumExp(
            x,
            lse,
            len,
            (r) => logSumExpRow(s, x, r * len, 1, len, undefined),
          ),
        );
        assertLogSumExpClose(
          x,
          len,
          lse,
          Float64Array.from(
            { length: n },
            (_, r) => logSumExpRow(s, x, r * len, 1, len, undefined),
          ),
        );
        const sig = allocate(dtype, x.length);
        fastSigmoid(x, sig);
        assertClose(
          `sigmoid ${dtype}`,
          dtype,
          sig,
          Array.from(x, logistic).map((v) =>
            dtype === "float32" ? Math.fround(v) : v
          ),
        );
        const fast = new Float64Array(n);
        const slow = new Float64Array(n);
        assert.ok(fastArgmax(x, fast, len));
        argmaxRows(x, rowsOf([n, len], 1), slow);
        assert.deepEqual(fast, slow);
      });
    }
  }
});

Deno.test("RowScratch.reserve allocates only to grow: rows no longer than it holds reuse its buffers", () => {
  const s = new RowScratch().reserve(5);
  const { hi, lo, exp } = s;
  assert.equal(hi.length, 5);
  for (const length of [5, 3, 0]) {
    s.reserve(length);
    assert.ok(s.hi === hi && s.lo === lo && s.exp === exp, String(length));
  }
  s.reserve(6);
  assert.ok(s.hi !== hi && s.hi.length === 6 && s.exp.length === 6);
});

Deno.test("kernels can write over their input", () => {
  const next = random(11);
  for (const dtype of ["float64", "float32"] as const) {
    for (const fn of ["softmax", "logSoftmax"] as const) {
      const rows = adversarialRows(7, next);
      const x = fromValues(dtype, rows.flat());
      const expected = referenceRows(fn, x, rows.length, 7);
      fastRows(fn, x, 7, x);
      assertClose(`${fn} ${dtype}`, dtype, x, expected);
    }
  }
});

Deno.test("kernels meet the accuracy bounds on the mpmath reference, rows of any length", async () => {
  const reference = await loadReference();
  const bounds: Record<string, number> = {
    "softmax float64": 4,
    "logSoftmax float64": 4,
    "logSumExp float64": 4,
    "softmax float32": 1,
    "logSoftmax float32": 1,
    "sigmoid float64": 2,
    "sigmoid float32": 1,
  };
  const check = (
    what: string,
    dtype: Dtype,
    computed: number,
    expected: number,
  ) => {
    // Every output is compared, NaN, ±Infinity and outputs below the
    // accuracy report's floor included (measured: within 2 ulp there).
    const ulps = ulpDistance(computed, expected, { format: dtype });
    assert.ok(
      ulps <= (bounds[what] as number),
      `${what}: computed ${computed}, expected ${expected}: ${ulps} ulp`,
    );
  };
  for (const dtype of ["float64", "float32"] as const) {
    for (const r of reference.rows[dtype]) {
      const x = fromValues(dtype, [...r.x]);
      for (const fn of ["softmax", "logSoftmax"] as const) {
        const computed = fastRows(fn, x, r.length);
        const expected = r[fn];
        for (let i = 0; i < r.length; i++) {
          check(`${fn} ${dtype}`, dtype, computed[i]!, expected[i]!);
        }
      }
      if (r.logSumExp !== undefined) {
        const out = new Float64Array(1);
        assert.ok(fastLogSumExp(x, out, r.length, () => NaN));
        check(`logSumExp ${dtype}`, dtype, out[0]!, r.logSumExp);
      }
    }
    const { x, sigmoid: expected } = reference.sigmoid[dtype];
    const input = fromValues(dtype, [...x]);
    const computed = allocate(dtype, x.length);
    fastSigmoid(input, computed);
    for (let i = 0; i < x.length; i++) {
      check(`sigmoid ${dtype}`, dtype, computed[i]!, expected[i]!);
    }
  }
});

Deno.test("inputs of 1024 entries or more are worth the kernels, whose exports kernels() gives", () => {
  assert.equal(worthKernels(1023), false);
  assert.equal(worthKernels(1024), true);
  assert.equal(worthKernels(1_000_000), true);
  assert.equal(kernels(), kernelInstance().exports);
});

Deno.test("the kernels take rows of 1 to 2^26 entries (softmax family) or 2^27 (argmax) and leave the others to the reference", async (t) => {
  // Zero rows of each length: whether the kernels take the rows depends on
  // the length alone, and a row of 2^27 entries would be a gigabyte. The
  // slot the call reserves is address space only, never written.
  const none64 = new Float64Array(0);
  const none32 = new Float32Array(0);
  const never = () => assert.fail("no row is flagged");
  const SOFTMAX_MAX = 2 ** 26;
  const ARGMAX_MAX = 2 ** 27;
  const softmaxFamily = [
    [
      "fastSoftmax float64",
      (len: number) => fastSoftmax(none64, none64, len, never),
    ],
    [
      "fastSoftmax float32",
      (len: number) => fastSoftmax(none32, none32, len, never),
    ],
    [
      "fastLogSoftmax float64",
      (len: number) => fastLogSoftmax(none64, none64, len, never),
    ],
    [
      "fastLogSoftmax float32",
      (len: number) => fastLogSoftmax(none32, none32, len, never),
    ],
    [
      "fastLogSumExp float64",
      (len: number) => fastLogSumExp(none64, none64, len, never),
    ],
    [
      "fastLogSumExp float32",
      (len: number) => fastLogSumExp(none32, none64, len, never),
    ],
  ] as const;
  for (const [name, take] of softmaxFamily) {
    await t.step(name, () => {
      assert.equal(take(0), false, "rows of 0 entries");
      assert.equal(take(1), true, "rows of 1 entry");
      assert.equal(take(SOFTMAX_MAX), true, "rows of 2^26 entries");
      assert.equal(take(SOFTMAX_MAX + 1), false, "rows of 2^26 + 1 entries");
    });
  }
  for (const data of [none64, none32]) {
    await t.step(`fastArgmax ${data.constructor.name}`, () => {
      const out = new Float64Array(0);
      assert.equal(fastArgmax(data, out, 0), false, "rows of 0 entries");
      assert.equal(fastArgmax(data, out, 1), true, "rows of 1 entry");
      assert.equal(fastArgmax(data, out, ARGMAX_MAX), true, "rows of 2^27");
      assert.equal(fastArgmax(data, out, ARGMAX_MAX + 1), false, "2^27 + 1");
    });
  }
});

Deno.test("reserve() grows the kernels' memory by the pages missing, and only then", () => {
  const { memory } = kernelInstance();
  const base = reserve(0);
  const have = memory.buffer.byteLength;
  assert.equal(reserve(have - base), base);
  assert.equal(memory.buffer.byteLength, have, "the bytes fit: no growth");
  assert.equal(reserve(have - base + 1), base);
  assert.equal(
    memory.buffer.byteLength,
    have + 65536,
    "one byte short: a page",
  );
  assert.equal(reserve(have - base + 3 * 65536), base);
  assert.equal(memory.buffer.byteLength, have + 3 * 65536);
});

Deno.test("a NaN or ±Infinity row leaves the other rows of its chunk to the kernels", async (t) => {
  // Each row's answer is its own: a special row finished by the reference
  // must not change the bits of its neighbours in the same chunk (the
  // kernels and the reference may differ by an ulp or so).
  const len = 5;
  const rows = Math.floor(CHUNK / len) + 40;
  const next = random(12);
  const x = new Float64Array(rows * len).map(() => (next() - 0.5) * 60);
  const shape = [rows, len];
  const plain = {
    logSumExp: logSumExp(x, { shape }) as number[],
    softmax: softmax(x, { shape }).values,
    logSoftmax: (logSoftmax(x, { shape }) as number[][]).flat(),
  };
  for (const [row, value] of [[0, NaN], [7, Infinity], [rows - 1, -Infinity]]) {
    await t.step(`row ${row} holding ${value}`, () => {
      const y = x.slice();
      y[row! * len + 2] = value!;
      const sums = logSumExp(y, { shape }) as number[];
      const p = softmax(y, { shape }).values;
      const lp = (logSoftmax(y, { shape }) as number[][]).flat();
      for (let r = 0; r < rows; r++) {
        if (r === row) continue;
        assert.equal(sums[r], plain.logSumExp[r], `logSumExp row ${r}`);
        for (let k = r * len; k < (r + 1) * len; k++) {
          assert.equal(p[k], plain.softmax[k], `softmax entry ${k}`);
          assert.equal(lp[k], plain.logSoftmax[k], `logSoftmax entry ${k}`);
        }
      }
    });
  }
});

Deno.test("the public functions route large inputs through the kernels with the reference's semantics", () => {
  // 2 × 1024 entries: large enough for the kernels; the second row holds
  // +Infinity, so it is computed by the reference inside the same call.
  const x = new Float64Array(2048).map((_, i) => Math.sin(i));
  x[1500] = Infinity;
  const p = softmax(x, { shape: [2, 1024] });
  assert.equal(p.values[1500], 1);
  assert.equal(p.values[1501], 0);
  assert.ok(
    Math.abs([...p.values.subarray(0, 1024)].reduce((a, b) => a + b) - 1) <
      1e-15,
  );
  assert.deepEqual(argmax(x, { shape: [2, 1024] }), [
    argmax([...x.subarray(0, 1024)]),
    476,
  ]);
  const sums = logSumExp(x, { shape: [2, 1024] }) as number[];
  // The textbook formula (summed in order, so to about 1e-14 relative).
  let max = -Infinity;
  for (let i = 0; i < 1024; i++) max = Math.max(max, x[i]!);
  let sum = 0;
  for (let i = 0; i < 1024; i++) sum += Math.exp(x[i]! - max);
  const textbook = max + Math.log(sum);
  assert.ok(
    Math.abs(sums[0]! - textbook) <= 1e-14 * Math.abs(textbook),
    `logSumExp row 0: ${sums[0]}, textbook ${textbook}`,
  );
  assert.equal(sums[1], Infinity);
  assert.equal(sigmoid(new Float32Array(2048).fill(NaN)).values[7], NaN);
});

Deno.test("large inputs along a non-last axis (strided rows, never the kernels) equal each column computed alone", () => {
  // 512 × 3 = 1,536 entries, classes along axis 0: each row of classes is a
  // strided column of 512 entries, which alone (as a plain 1-D array, below
  // the kernels' 1,024) takes the reference path.
  const rows = 512;
  const x = Float64Array.from(
    { length: rows * 3 },
    (_, i) => Math.sin(i * 0.7) * 9,
  );
  const column = (c: number) =>
    Array.from({ length: rows }, (_, r) => x[r * 3 + c]!);
  const shape = [rows, 3];
  const p = softmax(x, { shape, axis: 0 }).values;
  const lp = logSoftmax(x, { shape, axis: 0 }) as number[][];
  const sums = logSumExp(x, { shape, axis: 0 }) as number[];
  const best = argmax(x, { shape, axis: 0 }) as number[];
  for (let c = 0; c < 3; c++) {
    const alone = softmax(column(c)).values;
    const logAlone = logSoftmax(column(c));
    for (let r = 0; r < rows; r++) {
      assert.equal(p[r * 3 + c], alone[r], `softmax [${r}, ${c}]`);
      assert.equal(lp[r]![c], logAlone[r], `logSoftmax [${r}, ${c}]`);
    }
    assert.equal(sums[c], logSumExp(column(c)));
    assert.equal(best[c], argmax(column(c)));
  }
});

Deno.test("large inputs with a mask (never the kernels) equal the unmasked entries computed alone", () => {
  // 2 × 1,024 entries, every third one masked: each row's kept entries alone
  // (683 or 682, below the kernels' 1,024) take the reference path.
  const length = 1024;
  const x = Float64Array.from(
    { length: 2 * length },
    (_, i) => Math.cos(i * 0.3) * 7,
  );
  const where = Array.from(
    { length: 2 },
    (_, r) => Array.from({ length }, (_, k) => (r * length + k) % 3 !== 0),
  );
  const shape = [2, length];
  const p = softmax(x, { shape, where }).values;
  const lp = logSoftmax(x, { shape, where }) as number[][];
  const sums = logSumExp(x, { shape, where }) as number[];
  for (let r = 0; r < 2; r++) {
    const kept = [...x.subarray(r * length, (r + 1) * length)]
      .filter((_, k) => where[r]![k]);
    const alone = softmax(kept).values;
    const logAlone = logSoftmax(kept);
    let j = 0;
    for (let k = 0; k < length; k++) {
      if (where[r]![k]) {
        assert.equal(p[r * length + k], alone[j], `softmax [${r}, ${k}]`);
        assert.equal(lp[r]![k], logAlone[j], `logSoftmax [${r}, ${k}]`);
        j++;
      } else {
        assert.equal(p[r * length + k], 0);
        assert.equal(lp[r]![k], -Infinity);
      }
    }
    assert.equal(sums[r], logSumExp(kept));
  }
});

Deno.test("NaN and ±Infinity rows after the kernels' first chunk get their own row's answer", async (t) => {
  // Rows of 2: the kernels take CHUNK / 2 rows per call, so rows from
  // CHUNK / 2 on are in later chunks. Every ordinary row is [0, 6], whose
  // answer differs from each special row's.
  const len = 2;
  const rows = 3 * (CHUNK / len);
  const special: [number, number[], number[], number[], number][] = [
    // [row, x, softmax, logSoftmax, logSumExp]
    [CHUNK / 2, [Infinity, 0], [1, 0], [-0, -Infinity], Infinity],
    [CHUNK / 2 + 1, [NaN, 0], [NaN, NaN], [NaN, NaN], NaN],
    [CHUNK + 7, [-Infinity, -Infinity], [NaN, NaN], [NaN, NaN], -Infinity],
    [
      rows - 1,
      [Infinity, Infinity],
      [0.5, 0.5],
      [-Math.LN2, -Math.LN2],
      Infinity,
    ],
  ];
  for (const dtype of ["float64", "float32"] as const) {
    await t.step(dtype, () => {
      const x = allocate(dtype, rows * len);
      for (let r = 0; r < rows; r++) x[r * len + 1] = 6;
      for (const [row, values] of special) x.set(values, row * len);
      const shape = [rows, len];
      const p = softmax(x, { shape }).values;
      const lp = logSoftmax(x, { shape }) as number[][];
      const lse = logSumExp(x, { shape }) as number[];
      const round = (v: number) => dtype === "float32" ? Math.fround(v) : v;
      for (const [row, , sm, lsm, total] of special) {
        assert.deepEqual(
          [...p.subarray(row * len, row * len + len)],
          sm.map(round),
          `softmax row ${row}`,
        );
        assert.deepEqual(lp[row], lsm.map(round), `logSoftmax row ${row}`);
        assert.equal(lse[row], total, `logSumExp row ${row}`);
      }
      // The ordinary rows around them are untouched by the fallback.
      assert.equal(p[(CHUNK / 2 + 2) * len], p[0]);
      assert.equal(lse[CHUNK / 2 + 2], lse[0]);
    });
  }
});

Deno.test("options.out receives the result and allocates nothing new", async (t) => {
  const x = new Float64Array(3000).map((_, i) => Math.cos(i) * 4);
  const x32 = Float32Array.from(x);

  await t.step("softmax(x, { out }) wraps out and equals softmax(x)", () => {
    for (const shape of [[3000], [3, 1000], [1000, 3]]) {
      const out = new Float64Array(3000);
      const p = softmax(x, { shape, out });
      assert.equal(p.values, out);
      assert.deepEqual(out, softmax(x, { shape }).values);
    }
    const out32 = new Float32Array(3000);
    assert.equal(softmax(x32, { out: out32 }).values, out32);
    assert.deepEqual(out32, softmax(x32).values);
  });

  await t.step(
    "numbers and plain arrays take a Float64Array out, not a Float32Array",
    () => {
      const one = new Float64Array(1);
      assert.equal(softmax(2.5, { out: one }).values, one);
      assert.deepEqual([...one], [1]);
      const two = new Float64Array(2);
      assert.equal(logSoftmax([0, 0], { out: two }), two);
      assert.deepEqual([...two], [-Math.LN2, -Math.LN2]);
      const four = new Float64Array(4);
      const p = sigmoid([0, 0, 0, 0], { shape: [2, 2], out: four });
      assert.equal(p.values, four);
      assert.deepEqual(p.toArray(), [[0.5, 0.5], [0.5, 0.5]]);
      assert.throws(() => softmax([1, 2], { out: new Float32Array(2) }), {
        name: "TypeError",
        message:
          "softmax: options.out is an object (Float32Array), expected a Float64Array",
      });
    },
  );

  await t.step("softmax(x, { out: x }) works in place", () => {
    const expected = softmax(x, { shape: [30, 100] }).values;
    const y = x.slice();
    assert.equal(softmax(y, { shape: [30, 100], out: y }).values, y);
    assert.deepEqual(y, expected);
    const small = Float64Array.of(1, Infinity, 2);
    softmax(small, { out: small });
    assert.deepEqual([...small], [0, 1, 0]);
  });

  await t.step("logSoftmax(x, { out }) returns out, flat", () => {
    const out = new Float64Array(3000);
    assert.equal(logSoftmax(x, { shape: [3, 1000], out }), out);
    assert.deepEqual(
      [...out.subarray(1000, 2000)],
      (logSoftmax(x, { shape: [3, 1000] }) as number[][])[1],
    );
    const out32 = new Float32Array(3000);
    assert.equal(logSoftmax(x32, { out: out32 }), out32);
    assert.deepEqual(out32, logSoftmax(x32));
  });

  await t.step(
    "logSumExp(x, { out }) and argmax(x, { out }) return out",
    () => {
      const sums = new Float64Array(3);
      assert.equal(logSumExp(x, { shape: [3, 1000], out: sums }), sums);
      assert.deepEqual([...sums], logSumExp(x, { shape: [3, 1000] }));
      const indices = new Int32Array(1000);
      assert.equal(argmax(x, { shape: [1000, 3], out: indices }), indices);
      assert.deepEqual([...indices], argmax(x, { shape: [1000, 3] }));
      const wide = new Float64Array(3);
      assert.equal(argmax(x32, { shape: [3, 1000], out: wide }), wide);
    },
  );

  await t.step("sigmoid(x, { out }) wraps out, in place too", () => {
    const out = new Float64Array(3000);
    assert.equal(sigmoid(x, { out }).values, out);
    assert.deepEqual(out, sigmoid(x).values);
    const y = x32.slice();
    sigmoid(y, { out: y });
    assert.deepEqual(y, sigmoid(x32).values);
  });
});

Deno.test("a bad options.out is a TypeError or RangeError naming it", async (t) => {
  const x = new Float64Array(6);
  await t.step("wrong type", () => {
    assert.throws(() => softmax(x, { out: new Float32Array(6) }), {
      name: "TypeError",
      message:
        "softmax: options.out is an object (Float32Array), expected a Float64Array",
    });
    assert.throws(
      () => logSoftmax(new Float32Array(6), { out: new Float64Array(6) }),
      {
        name: "TypeError",
        message:
          "logSoftmax: options.out is an object (Float64Array), expected a Float32Array",
      },
    );
    assert.throws(
      // @ts-expect-error: a plain array is not a typed array
      () => sigmoid(x, { out: [0, 0, 0, 0, 0, 0] }),
      {
        name: "TypeError",
        message: "sigmoid: options.out is an array, expected a Float64Array",
      },
    );
    assert.throws(
      // @ts-expect-error: indices are not floats32
      () => argmax(x, { shape: [2, 3], out: new Float32Array(2) }),
      {
        name: "TypeError",
        message:
          "argmax: options.out is an object (Float32Array), expected a Float64Array or an Int32Array",
      },
    );
    assert.throws(
      () => sigmoid(1, { out: new Float64Array(1) }),
      {
        name: "TypeError",
        message: "sigmoid: options.out is given but x is a number",
      },
    );
  });

  await t.step("wrong length", () => {
    assert.throws(() => softmax(x, { out: new Float64Array(5) }), {
      name: "RangeError",
      message: "softmax: options.out has length 5 but the result has 6 entries",
    });
    assert.throws(
      () => logSumExp(x, { shape: [2, 3], out: new Float64Array(3) }),
      {
        name: "RangeError",
        message:
          "logSumExp: options.out has length 3 but the result has 2 entries",
      },
    );
    assert.throws(
      () => logSumExp(Float64Array.of(1, 2, 3), { out: new Float64Array(2) }),
      {
        name: "RangeError",
        message:
          "logSumExp: options.out has length 2 but the result has 1 entry",
      },
    );
  });

  await t.step(
    "out beside x in the same buffer, touching but not overlapping",
    () => {
      const buffer = new Float64Array(12);
      buffer.set([1, 2, 3, 3, 2, 1]);
      const before = buffer.subarray(0, 6);
      const after = buffer.subarray(6, 12);
      // out right after x, then right before it.
      softmax(before, { out: after });
      assert.deepEqual([...after], [...softmax([1, 2, 3, 3, 2, 1]).values]);
      after.set([0, 0, 0, 0, 0, 1]);
      sigmoid(after, { out: before });
      assert.deepEqual([...before], [
        0.5,
        0.5,
        0.5,
        0.5,
        0.5,
        1 / (1 + Math.exp(-1)),
      ]);
      // Non-float outputs: argmax's Int32Array, logSumExp's Float64Array.
      const bytes = new ArrayBuffer(8 * 6 + 4 * 2);
      const x = new Float64Array(bytes, 0, 6);
      x.set([1, 5, 2, 7, 0, 0]);
      const indices = new Int32Array(bytes, 48, 2);
      argmax(x, { shape: [2, 3], out: indices });
      assert.deepEqual([...indices], [1, 0]);
      const shared = new Float64Array(8);
      shared.set([0, 0, 0, 0, 0, 0], 2);
      logSumExp(shared.subarray(2, 8), {
        shape: [2, 3],
        out: shared.subarray(0, 2),
      });
      assert.deepEqual([...shared.subarray(0, 2)], [Math.log(3), Math.log(3)]);
    },
  );

  await t.step(
    "out in another buffer, at byte offsets that overlap x's, is separate",
    () => {
      const x = Float64Array.of(1, 2, 3, 3, 2, 1);
      const out = new Float64Array(new ArrayBuffer(64), 8, 6);
      assert.equal(softmax(x, { out }).values, out);
      const e = [1, 2, 3, 3, 2, 1].map(Math.exp);
      const total = e.reduce((a, b) => a + b);
      out.forEach((p, i) =>
        assert.ok(Math.abs(p - e[i]! / total) < 1e-15, `entry ${i}: ${p}`)
      );
    },
  );

  await t.step("x itself as out, where the result is not elementwise", () => {
    const column = Float64Array.of(1, 2, 3);
    assert.throws(() => logSumExp(column, { shape: [3, 1], out: column }), {
      name: "RangeError",
      message: "logSumExp: options.out overlaps x; pass a separate array",
    });
  });

  await t.step("partial overlap with x", () => {
    const buffer = new Float64Array(12);
    assert.throws(
      () => softmax(buffer.subarray(0, 6), { out: buffer.subarray(3, 9) }),
      {
        name: "RangeError",
        message:
          "softmax: options.out overlaps x; pass x itself to work in place, or a separate array",
      },
    );
    assert.throws(
      () =>
        argmax(buffer.subarray(0, 6), {
          shape: [2, 3],
          out: buffer.subarray(0, 2),
        }),
      {
        name: "RangeError",
        message: "argmax: options.out overlaps x; pass a separate array",
      },
    );
  });
});

Deno.test("the committed kernels.wasm and kernels_wasm.ts are a build of kernels.as", async () => {
  const binary = await buildKernels();
  const dir = new URL("../lib/_kernels/", import.meta.url);
  const committed = await Deno.readFile(new URL("kernels.wasm", dir));
  assert.ok(
    committed.length === binary.length &&
      committed.every((b, i) => b === binary[i]),
    "kernels.wasm differs from a fresh build: run deno task build:kernels",
  );
  assert.equal(
    await Deno.readTextFile(new URL("kernels_wasm.ts", dir)),
    embedKernels(binary),
    "kernels_wasm.ts differs from a fresh build",
  );
});
