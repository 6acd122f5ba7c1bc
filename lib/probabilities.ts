import { argmaxOf } from "./_argmax.ts";
import type { NestedNumbers } from "./input_types.ts";
import { nest } from "./_nest.ts";

/** Which function produced a {@linkcode Probabilities}. */
export type ProbabilityKind = "softmax" | "sigmoid";

/** What {@linkcode Probabilities} is built from. */
export interface ProbabilitiesInit {
  /** Which function produced the values. */
  kind: ProbabilityKind;
  /** Flat row-major values; float32 storage when the input was a `Float32Array`. */
  values: Float64Array | Float32Array;
  /** The shape of `values`. */
  shape: readonly number[];
  /** The axis the classes run along (non-negative). */
  axis: number;
  /** One label per class along `axis`. */
  labels?: readonly string[] | undefined;
}

function isIndex(key: string | symbol): key is string {
  if (typeof key !== "string" || key.length === 0) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key;
}

// Methods run with `this` bound to the proxy, so they use public fields only.
function itemAt<Item>(p: Probabilities<Item>, i: number): Item | undefined {
  if (i >= p.length) return undefined;
  if (p.shape.length === 1) return p.values[i] as Item;
  const size = p.values.length / p.length;
  return new Probabilities({
    kind: p.kind,
    values: p.values.subarray(i * size, (i + 1) * size),
    shape: p.shape.slice(1),
    axis: Math.max(p.axis - 1, 0),
    labels: p.labels,
  }) as Item;
}

// One handler for every instance: indexing reads through `itemAt`, all
// else from the instance itself.
const INDEXING: ProxyHandler<Probabilities<unknown>> = {
  get(target, key, receiver) {
    if (isIndex(key)) return itemAt(target, Number(key));
    return Reflect.get(target, key, receiver);
  },
  has(target, key) {
    if (isIndex(key)) return Number(key) < target.length;
    return Reflect.has(target, key);
  },
};

/**
 * The result of {@linkcode softmax} and {@linkcode sigmoid} on arrays: array-like
 * over its first axis (`p.length`, `p[i]`, `for (const v of p)`), where each item
 * is a number for 1-D results and the sub-result of one row for n-D results.
 *
 * The values live in one flat row-major typed array, {@linkcode Probabilities.values}
 * (float32 when the input was a `Float32Array`, float64 otherwise); items of an
 * n-D result are views into it, not copies. In a Jupyter notebook (Deno kernel)
 * a `Probabilities` displays itself as a bar chart.
 *
 * @typeParam Item The type of `p[i]`: `number` for 1-D results.
 *
 * @example Index, iterate and convert
 * ```ts
 * import { softmax } from "@softmax/notebook";
 * import assert from "node:assert/strict";
 *
 * const p = softmax([[1, 2], [3, 3]]);
 * assert.deepEqual(p.shape, [2, 2]);
 * assert.equal(p.length, 2);
 * assert.deepEqual(p[1]?.toArray(), [0.5, 0.5]);
 * assert.deepEqual(JSON.parse(JSON.stringify(p))[1], [0.5, 0.5]);
 * ```
 */
export class Probabilities<Item = number | Probabilities<number>>
  implements Iterable<Item> {
  /** Which function produced the values. */
  readonly kind: ProbabilityKind;
  /** Flat row-major values, shared with sub-results; do not write to it. */
  readonly values: Float64Array | Float32Array;
  /** The shape, e.g. `[3]` for three classes or `[rows, classes]`. */
  readonly shape: number[];
  /** The axis the classes run along (non-negative). */
  readonly axis: number;
  /** One label per class, or undefined. */
  readonly labels: string[] | undefined;
  /** Items along the first axis. */
  readonly length: number;
  /** The item at an index of the first axis. */
  readonly [index: number]: Item;

  /**
   * Wraps computed values; made by {@linkcode softmax} and {@linkcode sigmoid}.
   *
   * @param init The values, shape, axis, kind and labels.
   */
  constructor(init: ProbabilitiesInit) {
    this.kind = init.kind;
    this.values = init.values;
    this.shape = [...init.shape];
    this.axis = init.axis;
    this.labels = init.labels === undefined ? undefined : [...init.labels];
    this.length = this.shape[0] ?? 0;
    // Indexing (`p[i]`) goes through a proxy so that construction stays O(1)
    // whatever the size; everything else is read from the instance itself.
    return new Proxy(this, INDEXING as ProxyHandler<Probabilities<Item>>);
  }

  /** Iterates over the first axis. */
  *[Symbol.iterator](): Iterator<Item> {
    for (let i = 0; i < this.length; i++) yield itemAt(this, i) as Item;
  }

  /**
   * The values as plain nested arrays of numbers.
   *
   * @returns `number[]` for 1-D results, `number[][]` for 2-D, and so on.
   */
  toArray(): Item extends number ? number[] : NestedNumbers {
    return nest(this.values, this.shape) as Item extends number ? number[]
      : NestedNumbers;
  }

  /**
   * Same as {@linkcode Probabilities.toArray}, so `JSON.stringify` gives plain arrays.
   *
   * @returns Plain nested arrays.
   */
  toJSON(): Item extends number ? number[] : NestedNumbers {
    return this.toArray();
  }

  /**
   * The index of the largest value along the class axis (first one on ties,
   * first NaN if any).
   *
   * @returns A number for 1-D results, nested arrays of indices otherwise.
   */
  argmax(): Item extends number ? number : number | NestedNumbers {
    return argmaxOf(this.values, this.shape, this.axis) as Item extends number
      ? number
      : number | NestedNumbers;
  }
}
