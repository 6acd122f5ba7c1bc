/**
 * Error in units in the last place (ulps), measured as the number of
 * representable values between a computed result and the correctly rounded
 * one. Shared by the accuracy test and the accuracy report, and mirrored by
 * `ulps` in generate_reference.py for SciPy's figures.
 *
 * @module
 */

/** The IEEE 754 format whose representable numbers are counted. */
export type UlpFormat = "float64" | "float32";

/** Options for {@linkcode ulpDistance}. */
export interface UlpDistanceOptions {
  /**
   * Count binary64 or binary32 numbers; float32 values must be exact float32s.
   *
   * @default {"float64"}
   */
  format?: UlpFormat;
}

const scratch = new DataView(new ArrayBuffer(8));
const SIGN_CLEARED_64 = 0x7fff_ffff_ffff_ffffn;
const SIGN_CLEARED_32 = 0x7fff_ffff;

// IEEE 754 bit patterns, read as sign-magnitude integers, are in the same
// order as the numbers they encode; negating the magnitude of negative
// patterns makes that one signed line on which neighbours differ by exactly
// 1, +0 and -0 share 0, and the subnormals are counted in subnormal ulps
// (Bruce Dawson, "Comparing Floating Point Numbers, 2012 Edition").
function ordinal64(x: number): bigint {
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  return bits >= 0n ? bits : -(bits & SIGN_CLEARED_64);
}

function ordinal32(x: number): number {
  scratch.setFloat32(0, x);
  const bits = scratch.getInt32(0);
  return bits >= 0 ? bits : -(bits & SIGN_CLEARED_32);
}

/**
 * How many representable numbers `computed` is away from `expected`:
 * 0 when equal (+0 and -0 are equal), 1 for neighbours, 2 from the smallest
 * subnormal to its negative, and Infinity when exactly one side is NaN or
 * either is infinite and they differ.
 *
 * @param computed The value to judge.
 * @param expected The correctly rounded value.
 * @param options The format to count in.
 * @returns The distance in ulps, a non-negative integer or Infinity.
 * @throws {RangeError} If the format is float32 and a finite value is not a float32.
 *
 * @example Neighbours are one ulp apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulpDistance } from "./_ulp.ts";
 *
 * assert.equal(ulpDistance(1, 1 + 2 ** -52), 1);
 * assert.equal(ulpDistance(1, 1 + 2 ** -23, { format: "float32" }), 1);
 * ```
 */
export function ulpDistance(
  computed: number,
  expected: number,
  options?: UlpDistanceOptions,
): number {
  const { format = "float64" } = options ?? {};
  if (format === "float32") {
    for (const value of [computed, expected]) {
      if (Number.isFinite(value) && Math.fround(value) !== value) {
        throw new RangeError(`Value ${value} is not a float32`);
      }
    }
  }
  if (computed === expected) return 0;
  if (Number.isNaN(computed) && Number.isNaN(expected)) return 0;
  if (!Number.isFinite(computed) || !Number.isFinite(expected)) {
    return Infinity;
  }
  if (format === "float32") {
    return Math.abs(ordinal32(computed) - ordinal32(expected));
  }
  const difference = ordinal64(computed) - ordinal64(expected);
  return Number(difference < 0n ? -difference : difference);
}
