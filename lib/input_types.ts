/** Rectangular nested arrays of `T`, any depth. */
export type NestedArray<T> = readonly (T | NestedArray<T>)[];

/** One row of logits: a number (a row of one), an array of numbers, or a typed array. */
export type Vector = number | readonly number[] | Float64Array | Float32Array;

/** A batch of rows: nested arrays (rows may be typed arrays). */
export type Matrix =
  readonly (readonly number[] | Float64Array | Float32Array)[];

/**
 * Everything the functions accept: a number, rectangular nested arrays of
 * numbers (any depth; innermost rows may be typed arrays), or a flat
 * `Float64Array`/`Float32Array`, which may carry an n-D row-major shape
 * through the `shape` option.
 */
export type NumericInput =
  | number
  | Float64Array
  | Float32Array
  | NestedArray<number | Float64Array | Float32Array>;

/**
 * A mask of entries to include: nested booleans of the input's shape, or the
 * same flattened (booleans or a `Uint8Array` of 0/1) in row-major order.
 */
export type Mask = NestedArray<boolean> | Uint8Array;

/** Plain nested arrays of numbers, any depth: what results convert to. */
export type NestedNumbers = (number | NestedNumbers)[];
