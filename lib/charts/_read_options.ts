// The boundary: every public rendering function reads its options through
// these helpers (Observable Plot's style: tiny named normalisers), so the
// renderers work on validated, copied values only.

import { describe, readOptions } from "../_input.ts";

/** Plain JSON data: what a Plotly layout may hold. */
export type Json = null | boolean | number | string | Json[] | {
  [key: string]: Json;
};
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Chart options after validation; labels are checked against the class count later. */
export interface ReadOptions {
  title?: string | undefined;
  labels?: readonly string[] | undefined;
  threshold?: number | undefined;
  maxBars?: number | undefined;
  layout?: JsonObject | undefined;
}

/** The most bars a chart may be asked for: keeps charts readable and bundles small. */
export const MAX_BARS_LIMIT = 100;

function readString(
  fn: string,
  name: string,
  value: unknown,
): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new TypeError(
    `${fn}: options.${name} is ${describe(value)}, expected a string`,
  );
}

function readThreshold(fn: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(
      `${fn}: options.threshold is ${describe(value)}, expected a number`,
    );
  }
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(
      `${fn}: options.threshold is ${value}, expected a number from 0 to 1`,
    );
  }
  return value;
}

function readMaxBars(fn: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(
      `${fn}: options.maxBars is ${describe(value)}, expected an integer`,
    );
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_BARS_LIMIT) {
    throw new RangeError(
      `${fn}: options.maxBars is ${value}, expected an integer from 1 to ${MAX_BARS_LIMIT}`,
    );
  }
  return value;
}

function readLabelTypes(fn: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new TypeError(
      `${fn}: options.labels is ${
        describe(value)
      }, expected an array of strings`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (!(i in value) || typeof value[i] !== "string") {
      throw new TypeError(
        `${fn}: options.labels[${i}] is ${
          i in value ? describe(value[i]) : "a hole in a sparse array"
        }, expected a string`,
      );
    }
  }
  return [...value];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets a key without invoking the `__proto__` setter. */
function define(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Copies JSON data, naming the first value that is not (a typed array, NaN, a function...). */
function copyJson(
  fn: string,
  path: string,
  value: unknown,
  depth: number,
): Json {
  if (depth > 32) {
    throw new RangeError(
      `${fn}: ${path} is nested more than 32 levels deep, expected JSON data`,
    );
  }
  if (
    value === null || typeof value === "string" || typeof value === "boolean"
  ) {
    return value;
  }
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new RangeError(
      `${fn}: ${path} is ${value}, expected a finite number (JSON data)`,
    );
  }
  if (Array.isArray(value)) {
    return Array.from(
      value,
      (v, i) => copyJson(fn, `${path}[${i}]`, v, depth + 1),
    );
  }
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      define(out, key, copyJson(fn, `${path}.${key}`, value[key], depth + 1));
    }
    return out;
  }
  throw new TypeError(
    `${fn}: ${path} is ${describe(value)}, expected JSON data`,
  );
}

function readLayout(fn: string, value: unknown): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    throw new TypeError(
      `${fn}: options.layout is ${describe(value)}, expected a plain object`,
    );
  }
  return copyJson(fn, "options.layout", value, 0) as JsonObject;
}

/**
 * Validates and copies the chart options of a public function `fn`: title
 * a string, labels an array of strings, threshold from 0 to 1, maxBars an
 * integer from 1 to 100, layout plain JSON data.
 */
export function readChartOptions(fn: string, options: unknown): ReadOptions {
  const o = readOptions<Record<string, unknown>>(fn, options);
  const out: ReadOptions = {};
  const title = readString(fn, "title", o.title);
  if (title !== undefined) out.title = title;
  const labels = readLabelTypes(fn, o.labels);
  if (labels !== undefined) out.labels = labels;
  const threshold = readThreshold(fn, o.threshold);
  if (threshold !== undefined) out.threshold = threshold;
  const maxBars = readMaxBars(fn, o.maxBars);
  if (maxBars !== undefined) out.maxBars = maxBars;
  const layout = readLayout(fn, o.layout);
  if (layout !== undefined) out.layout = layout;
  return out;
}

/**
 * Reads a keyword option (Observable Plot's `keyword`): one of `allowed`,
 * or `fallback` when it is not given.
 */
export function readKeyword<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (allowed.includes(value as T)) return value as T;
  const expected = allowed.map((k) => JSON.stringify(k));
  const list = `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}`;
  throw new (typeof value === "string" ? RangeError : TypeError)(
    `${fn}: options.${name} is ${describe(value)}, expected ${list}`,
  );
}

/** Reads `standalone`, the one option only {@linkcode toHTML} has. */
export function readStandalone(fn: string, options: unknown): boolean {
  const { standalone = false } = readOptions<{ standalone?: unknown }>(
    fn,
    options,
  );
  if (typeof standalone !== "boolean") {
    throw new TypeError(
      `${fn}: options.standalone is ${
        describe(standalone)
      }, expected a boolean`,
    );
  }
  return standalone;
}

/** Deep merge for Plotly layouts: objects merge key by key, anything else replaces. */
export function mergeJson(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(base)) define(out, key, base[key] as Json);
  for (const key of Object.keys(over)) {
    const a = out[key];
    const b = over[key] as Json;
    const both = isPlainObject(a) && isPlainObject(b) && !Array.isArray(a) &&
      !Array.isArray(b);
    define(
      out,
      key,
      both ? mergeJson(a as JsonObject, b as JsonObject) : b,
    );
  }
  return out;
}

/** Later options win, key by key; layouts merge deeply. */
export function mergeOptions(
  base: ReadOptions,
  over: ReadOptions,
): ReadOptions {
  const out: ReadOptions = { ...base };
  for (const key of ["title", "labels", "threshold", "maxBars"] as const) {
    if (over[key] !== undefined) {
      (out as Record<string, unknown>)[key] = over[key];
    }
  }
  if (over.layout !== undefined) {
    out.layout = base.layout === undefined
      ? over.layout
      : mergeJson(base.layout, over.layout);
  }
  return out;
}
