import assert from "node:assert/strict";
import { argmax, logSoftmax, logSumExp, sigmoid, softmax } from "../mod.ts";

// Every public function reads its input through one path, so every one of
// them must report bad input the same way: class and message.
const functions = { softmax, logSoftmax, logSumExp, sigmoid, argmax } as const;
type Call = (x: unknown, options?: unknown) => unknown;

function rejects(
  name: keyof typeof functions,
  x: unknown,
  options: unknown,
  error: "TypeError" | "RangeError",
  message: string,
) {
  const call = functions[name] as unknown as Call;
  assert.throws(() => call(x, options), {
    name: error,
    message: `${name}: ${message}`,
  });
}

Deno.test("bad elements are TypeErrors naming the index path", async (t) => {
  const cases: [string, unknown, string][] = [
    [
      "strings, never coerced",
      [[1, 2], [3, "abc"]],
      'x[1][1] is a string ("abc"), expected a number',
    ],
    ["numeric strings too", ["1"], 'x[0] is a string ("1"), expected a number'],
    ["booleans", [1, true], "x[1] is a boolean (true), expected a number"],
    ["null", [null, 1], "x[0] is null, expected a number"],
    ["undefined", [1, undefined], "x[1] is undefined, expected a number"],
    ["bigint", [1n], "x[0] is a bigint (1n), expected a number"],
    ["objects", [{}], "x[0] is an object, expected a number"],
    [
      "class instances",
      [new Map()],
      "x[0] is an object (Map), expected a number",
    ],
    [
      "holes in sparse arrays",
      [1, , 3],
      "x[1] is a hole in a sparse array, expected a number",
    ],
    [
      "ragged nesting",
      [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3]],
      "x[2] has length 3 but x[0] has length 4; nested arrays must be rectangular",
    ],
    [
      "deeper ragged nesting",
      [[[1], [2]], [[3], [4, 5]]],
      "x[1][1] has length 2 but x[0][0] has length 1; nested arrays must be rectangular",
    ],
    [
      "mixed depth: a number among rows",
      [[1, 2], 3],
      "x[1] is a number but x[0] is an array; nested arrays must be rectangular",
    ],
    [
      "mixed depth: a row among numbers",
      [1, [2]],
      "x[1] is an array but x[0] is not; nested arrays must be rectangular",
    ],
    [
      "a string among rows",
      [[1], "ab"],
      'x[1] is a string ("ab"), expected an array',
    ],
    ["symbols", [Symbol("s")], "x[0] is a symbol, expected a number"],
    [
      "objects without a prototype, so without a constructor",
      [Object.create(null)],
      "x[0] is an object, expected a number",
    ],
    [
      "strings longer than 24 characters, cut to 24 and an ellipsis",
      ["abcdefghijklmnopqrstuvwxyz"],
      'x[0] is a string ("abcdefghijklmnopqrstuvwx…"), expected a number',
    ],
    [
      "strings of 24 characters, shown whole",
      ["abcdefghijklmnopqrstuvwx"],
      'x[0] is a string ("abcdefghijklmnopqrstuvwx"), expected a number',
    ],
  ];
  for (const [what, x, message] of cases) {
    await t.step(what, () => {
      for (const name of Object.keys(functions) as (keyof typeof functions)[]) {
        rejects(name, x, undefined, "TypeError", message);
      }
    });
  }
});

Deno.test("bad top-level input is a TypeError", () => {
  const expected =
    "expected a number, an array of numbers, a Float64Array or a Float32Array";
  rejects(
    "softmax",
    "1,2",
    undefined,
    "TypeError",
    `x is a string ("1,2"), ${expected}`,
  );
  rejects(
    "softmax",
    undefined,
    undefined,
    "TypeError",
    `x is undefined, ${expected}`,
  );
  rejects(
    "argmax",
    new Int32Array(2),
    undefined,
    "TypeError",
    `x is an object (Int32Array), ${expected}`,
  );
  rejects("logSumExp", null, undefined, "TypeError", `x is null, ${expected}`);
});

Deno.test("an empty axis is a RangeError, except for logSumExp", () => {
  rejects(
    "softmax",
    [],
    undefined,
    "RangeError",
    "x has an empty axis 0 (length 0); softmax needs at least one entry",
  );
  rejects(
    "softmax",
    [[], []],
    undefined,
    "RangeError",
    "x has an empty axis 1 (length 0); softmax needs at least one entry",
  );
  rejects(
    "argmax",
    [],
    undefined,
    "RangeError",
    "x has an empty axis 0 (length 0); argmax needs at least one entry",
  );
  assert.equal(logSumExp([]), -Infinity);
  // The shape ends at an empty row: an entry 0 it inherits is not data.
  const empty = Object.setPrototypeOf(
    [],
    Object.create(Array.prototype, { 0: { value: [1, 2] } }),
  );
  rejects(
    "softmax",
    [empty],
    undefined,
    "RangeError",
    "x has an empty axis 1 (length 0); softmax needs at least one entry",
  );
});

Deno.test("a bad axis is a TypeError or RangeError", () => {
  for (
    const name of ["softmax", "logSoftmax", "logSumExp", "argmax"] as const
  ) {
    rejects(
      name,
      [[1, 2]],
      { axis: 2 },
      "RangeError",
      "options.axis is 2 but x has 2 axes; expected an integer from -2 to 1",
    );
    rejects(
      name,
      [[1, 2]],
      { axis: -3 },
      "RangeError",
      "options.axis is -3 but x has 2 axes; expected an integer from -2 to 1",
    );
    rejects(
      name,
      [1, 2],
      { axis: 0.5 },
      "RangeError",
      "options.axis is 0.5 but x has 1 axis; expected an integer from -1 to 0",
    );
    rejects(
      name,
      [1, 2],
      { axis: NaN },
      "RangeError",
      "options.axis is NaN but x has 1 axis; expected an integer from -1 to 0",
    );
    rejects(
      name,
      [1, 2],
      { axis: "0" },
      "TypeError",
      'options.axis is a string ("0"), expected an integer',
    );
  }
});

Deno.test("a shape that does not fit the data is an error", () => {
  const data = new Float64Array(6);
  rejects(
    "softmax",
    data,
    { shape: [4, 2] },
    "RangeError",
    "options.shape [4, 2] holds 8 entries but x has 6",
  );
  rejects(
    "sigmoid",
    data,
    { shape: [2, -3] },
    "RangeError",
    "options.shape[1] is -3, expected a non-negative integer",
  );
  rejects(
    "argmax",
    data,
    { shape: [2, 1.5] },
    "RangeError",
    "options.shape[1] is 1.5, expected a non-negative integer",
  );
  rejects(
    "logSoftmax",
    data,
    { shape: "2x3" },
    "TypeError",
    'options.shape is a string ("2x3"), expected an array of integers',
  );
  rejects(
    "logSumExp",
    data,
    { shape: [2, "3"] },
    "TypeError",
    'options.shape[1] is a string ("3"), expected an integer',
  );
  rejects(
    "softmax",
    [[1, 2]],
    { shape: [2] },
    "TypeError",
    "options.shape is given but x is nested; shape describes flat data",
  );
  rejects(
    "softmax",
    3,
    { shape: [1] },
    "TypeError",
    "options.shape is given but x is a number",
  );
  for (const name of Object.keys(functions) as (keyof typeof functions)[]) {
    rejects(
      name,
      softmax([[1, 2], [3, 4]]),
      { shape: [4] },
      "TypeError",
      "options.shape is given but x already has a shape",
    );
  }
});

Deno.test("a where mask of the wrong shape or type is a TypeError", () => {
  rejects(
    "softmax",
    [[1, 2], [3, 4]],
    { where: [true, false] },
    "TypeError",
    "options.where has shape [2] but x has shape [2, 2]",
  );
  rejects(
    "softmax",
    [[1, 2, 3], [4, 5, 6]],
    { where: [[true, true], [true, true]] },
    "TypeError",
    "options.where has shape [2, 2] but x has shape [2, 3]",
  );
  // Nested, it must have x's shape; only a flat mask may just match the size.
  rejects(
    "logSumExp",
    [[1, 2], [3, 4]],
    { where: [[true], [false], [true], [true]] },
    "TypeError",
    "options.where has shape [4, 1] but x has shape [2, 2]",
  );
  rejects(
    "logSumExp",
    [1, 2],
    { where: [true, 1] },
    "TypeError",
    "options.where[1] is a number (1), expected a boolean",
  );
  rejects(
    "logSoftmax",
    [1, 2],
    { where: "yes" },
    "TypeError",
    'options.where is a string ("yes"), expected nested arrays of booleans or a Uint8Array',
  );
  rejects(
    "softmax",
    [1, 2],
    { where: new Uint8Array(3) },
    "TypeError",
    "options.where has 3 entries but x has 2",
  );
});

Deno.test("labels of the wrong length or type are errors", () => {
  rejects(
    "softmax",
    [1, 2],
    { labels: ["a"] },
    "RangeError",
    "options.labels has 1 entry but the axis has 2",
  );
  rejects(
    "sigmoid",
    [1, 2],
    { labels: ["a", 2] },
    "TypeError",
    "options.labels[1] is a number (2), expected a string",
  );
  rejects(
    "softmax",
    [1, 2],
    { labels: "ab" },
    "TypeError",
    'options.labels is a string ("ab"), expected an array of strings',
  );
  rejects(
    "softmax",
    [1, 2],
    { labels: [, "b"] },
    "TypeError",
    "options.labels[0] is a hole in a sparse array, expected a string",
  );
});

Deno.test("options that are not an object are a TypeError", () => {
  rejects(
    "softmax",
    [1],
    5,
    "TypeError",
    "options is a number (5), expected an object",
  );
  rejects(
    "argmax",
    [1],
    null,
    "TypeError",
    "options is null, expected an object",
  );
});
