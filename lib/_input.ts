// The one input path: every public function reads its arguments through these
// helpers, which validate, report errors with the index path, and yield a flat
// typed array plus a row-major shape. Nothing else re-validates.

import { Probabilities } from "./probabilities.ts";

/** Flat row-major storage plus its shape; `float32` says the result should be stored as float32. */
export interface Tensor {
  data: Float64Array | Float32Array;
  shape: number[];
  float32: boolean;
  /** Whether `data` is a copy this call made (of a number or plain arrays), free to overwrite. */
  copied: boolean;
}

/** How a value looks in an error message: `a string ("abc")`, `null`, `a bigint (1n)`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string": {
      const shown = value.length > 24 ? `${value.slice(0, 24)}…` : value;
      return `a string (${JSON.stringify(shown)})`;
    }
    case "number":
      return `a number (${value})`;
    case "boolean":
      return `a boolean (${value})`;
    case "bigint":
      return `a bigint (${value}n)`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `an object (${name})` : "an object";
}

/** `1 entry`, `3 entries`. */
function entries(n: number): string {
  return `${n} ${n === 1 ? "entry" : "entries"}`;
}

function isRow(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || value instanceof Float64Array ||
    value instanceof Float32Array;
}

function pathOf(name: string, index: readonly number[]): string {
  return name + index.map((i) => `[${i}]`).join("");
}

/** What a leaf must be: its name in messages, and how to read it into a number (undefined: wrong type). */
interface Leaf {
  expected: string;
  read(value: unknown): number | undefined;
}

const NUMBER: Leaf = {
  expected: "a number",
  read: (v) => (typeof v === "number" ? v : undefined),
};
const BOOLEAN: Leaf = {
  expected: "a boolean",
  read: (v) => (typeof v === "boolean" ? Number(v) : undefined),
};

/** Reads rectangular nested arrays (rows may be typed arrays) into flat storage. */
function readNested(
  fn: string,
  name: string,
  root: ArrayLike<unknown>,
  leaf: Leaf,
): { flat: Float64Array; shape: number[] } {
  const shape: number[] = [];
  for (let node: unknown = root; isRow(node); node = node[0]) {
    shape.push(node.length);
    if (node.length === 0) break;
  }
  const flat = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const index: number[] = [];
  const firstAt = (depth: number) =>
    pathOf(name, index.slice(0, depth).map(() => 0));
  // Index paths are only built for messages: this runs once per element.
  const here = () => pathOf(name, index);
  const visit = (node: unknown, depth: number): void => {
    if (depth < shape.length) {
      if (!isRow(node)) {
        if (typeof node === "number") {
          throw new TypeError(
            `${fn}: ${here()} is a number but ${
              firstAt(depth)
            } is an array; nested arrays must be rectangular`,
          );
        }
        throw new TypeError(
          `${fn}: ${here()} is ${describe(node)}, expected an array`,
        );
      }
      if (node.length !== shape[depth]) {
        throw new TypeError(
          `${fn}: ${here()} has length ${node.length} but ${
            firstAt(depth)
          } has length ${shape[depth]}; nested arrays must be rectangular`,
        );
      }
      for (let i = 0; i < node.length; i++) {
        index.push(i);
        if (Array.isArray(node) && !(i in node)) {
          throw new TypeError(
            `${fn}: ${
              pathOf(name, index)
            } is a hole in a sparse array, expected ${leaf.expected}`,
          );
        }
        visit(node[i], depth + 1);
        index.pop();
      }
      return;
    }
    if (isRow(node)) {
      throw new TypeError(
        `${fn}: ${here()} is an array but ${
          firstAt(depth)
        } is not; nested arrays must be rectangular`,
      );
    }
    const value = leaf.read(node);
    if (value === undefined) {
      throw new TypeError(
        `${fn}: ${here()} is ${describe(node)}, expected ${leaf.expected}`,
      );
    }
    flat[k++] = value;
  };
  visit(root, 0);
  return { flat, shape };
}

/**
 * The common case, a flat array of numbers, read in one tight loop; anything
 * else (nesting, holes, a wrong type) gives undefined and goes through
 * {@linkcode readNested}, which validates and reports.
 */
function readFlatNumbers(
  x: readonly unknown[],
): { flat: Float64Array; shape: number[] } | undefined {
  const flat = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number") return undefined;
    flat[i] = v;
  }
  // A hole reads as undefined above, so every entry was a number.
  return { flat, shape: [x.length] };
}

function readShape(fn: string, shape: unknown, length: number): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `${fn}: options.shape is ${
        describe(shape)
      }, expected an array of integers`,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const n: unknown = shape[i];
    if (typeof n !== "number") {
      throw new TypeError(
        `${fn}: options.shape[${i}] is ${describe(n)}, expected an integer`,
      );
    }
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(
        `${fn}: options.shape[${i}] is ${n}, expected a non-negative integer`,
      );
    }
  }
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  if (size !== length) {
    throw new RangeError(
      `${fn}: options.shape [${shape.join(", ")}] holds ${
        entries(size)
      } but x has ${length}`,
    );
  }
  return [...shape];
}

/**
 * Reads `x` (a number, nested arrays, a Float64Array or Float32Array, or a
 * `Probabilities`) and the optional flat-data `shape` into a {@linkcode Tensor}.
 * Typed arrays are used in place and never written to.
 */
export function readTensor(fn: string, x: unknown, shape?: unknown): Tensor {
  if (x instanceof Probabilities) {
    if (shape !== undefined) {
      throw new TypeError(
        `${fn}: options.shape is given but x already has a shape`,
      );
    }
    return {
      data: x.values,
      shape: [...x.shape],
      float32: x.values instanceof Float32Array,
      copied: false,
    };
  }
  if (x instanceof Float64Array || x instanceof Float32Array) {
    return {
      data: x,
      shape: shape === undefined ? [x.length] : readShape(fn, shape, x.length),
      float32: x instanceof Float32Array,
      copied: false,
    };
  }
  if (typeof x === "number") {
    if (shape !== undefined) {
      throw new TypeError(`${fn}: options.shape is given but x is a number`);
    }
    return {
      data: Float64Array.of(x),
      shape: [1],
      float32: false,
      copied: true,
    };
  }
  if (!Array.isArray(x)) {
    throw new TypeError(
      `${fn}: x is ${
        describe(x)
      }, expected a number, an array of numbers, a Float64Array or a Float32Array`,
    );
  }
  const { flat, shape: found } = readFlatNumbers(x) ??
    readNested(fn, "x", x, NUMBER);
  if (shape === undefined) {
    return { data: flat, shape: found, float32: false, copied: true };
  }
  if (found.length !== 1) {
    throw new TypeError(
      `${fn}: options.shape is given but x is nested; shape describes flat data`,
    );
  }
  return {
    data: flat,
    shape: readShape(fn, shape, flat.length),
    float32: false,
    copied: true,
  };
}

/**
 * Reads one non-empty row (for the charts that take a single vector), kept in
 * its storage type: a TypeError for n-D input, a RangeError for an empty one.
 * `entry` names one entry in messages ("logit", "value").
 */
export function readVector(
  fn: string,
  x: unknown,
  entry: string,
): Float64Array | Float32Array {
  const { data, shape } = readTensor(fn, x);
  if (shape.length !== 1) {
    throw new TypeError(
      `${fn}: x has shape [${shape.join(", ")}], expected one row of ${entry}s`,
    );
  }
  if (data.length === 0) {
    throw new RangeError(
      `${fn}: x has no entries, expected at least one ${entry}`,
    );
  }
  return data;
}

/**
 * Reads class indices (crossEntropy's `target`): one integer for a single
 * row (`shape` is `[]`), else nested arrays of integers of exactly `shape`
 * (x's shape without the class axis), each from 0 to `classes - 1`.
 */
export function readTargets(
  fn: string,
  target: unknown,
  shape: readonly number[],
  classes: number,
): Float64Array {
  let flat: Float64Array;
  if (shape.length === 0) {
    if (typeof target !== "number") {
      throw new TypeError(
        `${fn}: target is ${
          describe(target)
        }, expected an integer (x is one row)`,
      );
    }
    flat = Float64Array.of(target);
  } else {
    if (!Array.isArray(target)) {
      throw new TypeError(
        `${fn}: target is ${
          describe(target)
        }, expected nested arrays of shape [${
          shape.join(", ")
        }] (x's shape without the class axis)`,
      );
    }
    const read = readNested(fn, "target", target, NUMBER);
    const same = read.shape.length === shape.length &&
      read.shape.every((n, d) => n === shape[d]);
    if (!same) {
      throw new TypeError(
        `${fn}: target has shape [${read.shape.join(", ")}], expected [${
          shape.join(", ")
        }] (x's shape without the class axis)`,
      );
    }
    flat = read.flat;
  }
  for (let i = 0; i < flat.length; i++) {
    const t = flat[i] as number;
    if (!Number.isInteger(t) || t < 0 || t >= classes) {
      let rest = i;
      const index = shape.map((_, d) => {
        const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
        const at = Math.floor(rest / stride);
        rest -= at * stride;
        return at;
      });
      throw new RangeError(
        `${fn}: ${
          pathOf("target", index)
        } is ${t}, expected an integer from 0 to ${classes - 1}`,
      );
    }
  }
  return flat;
}

/** Reads the `where` mask: nested booleans of x's shape, or flat booleans / a Uint8Array of x's size. */
export function readMask(
  fn: string,
  where: unknown,
  shape: readonly number[],
): Uint8Array | undefined {
  if (where === undefined) return undefined;
  const size = shape.reduce((a, b) => a * b, 1);
  if (where instanceof Uint8Array) {
    if (where.length !== size) {
      throw new TypeError(
        `${fn}: options.where has ${entries(where.length)} but x has ${size}`,
      );
    }
    return where;
  }
  if (!Array.isArray(where)) {
    throw new TypeError(
      `${fn}: options.where is ${
        describe(where)
      }, expected nested arrays of booleans or a Uint8Array`,
    );
  }
  const { flat, shape: found } = readNested(
    fn,
    "options.where",
    where,
    BOOLEAN,
  );
  const sameShape = found.length === shape.length &&
    found.every((n, i) => n === shape[i]);
  const flatOfSize = found.length === 1 && found[0] === size;
  if (!sameShape && !flatOfSize) {
    throw new TypeError(
      `${fn}: options.where has shape [${found.join(", ")}] but x has shape [${
        shape.join(", ")
      }]`,
    );
  }
  return Uint8Array.from(flat);
}

/** Resolves a possibly negative axis against `ndim` axes. */
export function readAxis(fn: string, axis: unknown, ndim: number): number {
  if (axis === undefined) return ndim - 1;
  if (typeof axis !== "number") {
    throw new TypeError(
      `${fn}: options.axis is ${describe(axis)}, expected an integer`,
    );
  }
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(
      `${fn}: options.axis is ${axis} but x has ${ndim} ${
        ndim === 1 ? "axis" : "axes"
      }; expected an integer from ${-ndim} to ${ndim - 1}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Reads `labels`: one string per entry along the axis, copied. */
export function readLabels(
  fn: string,
  labels: unknown,
  count: number,
): string[] | undefined {
  if (labels === undefined) return undefined;
  if (!Array.isArray(labels)) {
    throw new TypeError(
      `${fn}: options.labels is ${
        describe(labels)
      }, expected an array of strings`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (!(i in labels) || typeof labels[i] !== "string") {
      throw new TypeError(
        `${fn}: options.labels[${i}] is ${
          i in labels ? describe(labels[i]) : "a hole in a sparse array"
        }, expected a string`,
      );
    }
  }
  if (labels.length !== count) {
    throw new RangeError(
      `${fn}: options.labels has ${
        entries(labels.length)
      } but the axis has ${count}`,
    );
  }
  return [...labels];
}

/** Reads `temperature`: a finite number greater than 0. */
export function readTemperature(fn: string, temperature: unknown): number {
  if (typeof temperature !== "number") {
    throw new TypeError(
      `${fn}: options.temperature is ${
        describe(temperature)
      }, expected a number`,
    );
  }
  if (!(temperature > 0 && temperature < Infinity)) {
    throw new RangeError(
      `${fn}: options.temperature is ${temperature}, expected a finite number greater than 0`,
    );
  }
  return temperature;
}

/** Reads the options argument itself: undefined or a plain object. */
export function readOptions<T extends object>(fn: string, options: unknown): T {
  if (options === undefined) return {} as T;
  if (
    options === null || typeof options !== "object" || Array.isArray(options)
  ) {
    throw new TypeError(
      `${fn}: options is ${describe(options)}, expected an object`,
    );
  }
  return options as T;
}
