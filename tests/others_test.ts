// The README's semantics table says what SciPy and TensorFlow.js return where
// this module's edge cases differ from theirs (or agree). This file runs them
// on the same inputs and checks each claim: SciPy through /usr/bin/python3
// (Debian's python3-scipy), TensorFlow.js through its WebAssembly backend.

import assert from "node:assert/strict";
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import { argmax, logSoftmax, logSumExp, sigmoid, softmax } from "../mod.ts";
import { underCI } from "./_ci.ts";

const PYTHON = "/usr/bin/python3";
const CI = underCI(Deno.env.get("CI"));

// Each case: a SciPy expression and the value of this module's function on
// the same input. NaN and ±Infinity travel as strings through JSON.
const SCIPY = String.raw`
import json, numpy as np, scipy.special as s
inf, nan = np.inf, np.nan
cases = {
  "softmax([1, inf, 2])": s.softmax([1, inf, 2]),
  "log_softmax([1, inf, 2])": s.log_softmax([1, inf, 2]),
  "logsumexp([1, inf, 2])": s.logsumexp([1, inf, 2]),
  "softmax([1, nan, 2])": s.softmax([1, nan, 2]),
  "log_softmax([1, nan, 2])": s.log_softmax([1, nan, 2]),
  "logsumexp([1, nan, 2])": s.logsumexp([1, nan, 2]),
  "expit(nan)": s.expit(nan),
  "argmax([1, nan, nan])": np.argmax([1, nan, nan]),
  "argmax([2, 5, 5])": np.argmax([2, 5, 5]),
  "argmax([-0.0, 0.0])": np.argmax([-0.0, 0.0]),
  "softmax([-inf, -inf])": s.softmax([-inf, -inf]),
  "log_softmax([-inf, -inf])": s.log_softmax([-inf, -inf]),
  "logsumexp([-inf, -inf])": s.logsumexp([-inf, -inf]),
  "softmax([1e308, -1e308])": s.softmax([1e308, -1e308]),
  "softmax([1e308, 1e308])": s.softmax([1e308, 1e308]),
  "expit(-745)": s.expit(-745.0),
  "expit([inf, -inf])": s.expit([inf, -inf]),
}
print(json.dumps({k: [str(float(v)) for v in np.atleast_1d(x)] for k, x in cases.items()}))
`;

// Python's str() of a float: "inf", "-inf", "nan" or digits.
function fromPython(text: string): number {
  const special: Record<string, number> = {
    inf: Infinity,
    "-inf": -Infinity,
    nan: NaN,
  };
  return special[text] ?? Number(text);
}

async function scipy(): Promise<Record<string, number[]> | undefined> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-W", "ignore", "-c", SCIPY],
      stderr: "piped",
    }).output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr);
      if (!CI && err.includes("No module named")) return undefined;
      throw new Error(`SciPy failed: ${err}`);
    }
    const parsed: Record<string, string[]> = JSON.parse(
      new TextDecoder().decode(out.stdout),
    );
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, v.map(fromPython)]),
    );
  } catch (e) {
    if (!CI && e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

const SCIPY_RESULTS = await scipy();
const SKIP = SCIPY_RESULTS === undefined;
if (SKIP) {
  console.warn(
    "others_test.ts: SciPy checks ignored (apt-get install python3-scipy)",
  );
}

Deno.test({
  name: "the README's SciPy column: where SciPy agrees and where it does not",
  ignore: SKIP,
  fn: async (t) => {
    const r = SCIPY_RESULTS!;
    const same = (key: string, ours: ArrayLike<number> | number) =>
      assert.deepEqual(
        r[key],
        typeof ours === "number" ? [ours] : Array.from(ours),
        key,
      );
    await t.step("ties: NumPy's argmax gives the first index too", () => {
      same("argmax([2, 5, 5])", 1);
      same("argmax([-0.0, 0.0])", 0);
    });
    await t.step("NaN in a row: the same NaNs, argmax the first NaN", () => {
      same("softmax([1, nan, 2])", softmax([1, NaN, 2]).values);
      same("log_softmax([1, nan, 2])", logSoftmax([1, NaN, 2]));
      same("logsumexp([1, nan, 2])", logSumExp([1, NaN, 2]) as number);
      same("expit(nan)", sigmoid(NaN));
      same("argmax([1, nan, nan])", argmax([1, NaN, NaN]) as number);
    });
    await t.step(
      "+Infinity: SciPy's softmax is NaN for the whole row, its log_softmax NaN at the +Infinity entry; logsumexp +Infinity as here",
      () => {
        assert.deepEqual(Array.from(softmax([1, Infinity, 2]).values), [
          0,
          1,
          0,
        ]);
        same("softmax([1, inf, 2])", [NaN, NaN, NaN]);
        same("log_softmax([1, inf, 2])", [-Infinity, NaN, -Infinity]);
        same("logsumexp([1, inf, 2])", logSumExp([1, Infinity, 2]) as number);
        same("logsumexp([1, inf, 2])", Infinity);
      },
    );
    await t.step("a row of only -Infinity: the same", () => {
      same("softmax([-inf, -inf])", softmax([-Infinity, -Infinity]).values);
      same(
        "log_softmax([-inf, -inf])",
        logSoftmax([-Infinity, -Infinity]),
      );
      same(
        "logsumexp([-inf, -inf])",
        logSumExp([-Infinity, -Infinity]) as number,
      );
    });
    await t.step(
      "huge magnitudes: softmax the same; expit(-745) underflows to 0 where sigmoid gives 5e-324",
      () => {
        same("softmax([1e308, -1e308])", softmax([1e308, -1e308]).values);
        same("softmax([1e308, 1e308])", softmax([1e308, 1e308]).values);
        same("expit([inf, -inf])", [sigmoid(Infinity), sigmoid(-Infinity)]);
        assert.equal(sigmoid(-745), 5e-324);
        same("expit(-745)", 0);
      },
    );
  },
});

Deno.test("the README's TensorFlow.js note: NaN for the whole row with +Infinity", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const row = tf.tensor1d([1, Infinity, 2], "float32");
  const nan = (t: tf.Tensor) => Array.from(t.dataSync()).every(Number.isNaN);
  assert.ok(nan(tf.softmax(row)), "tf.softmax");
  assert.ok(nan(tf.logSoftmax(row)), "tf.logSoftmax");
  assert.ok(nan(tf.logSumExp(row)), "tf.logSumExp");
  tf.disposeVariables();
});
