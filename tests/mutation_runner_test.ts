// The mutation runner's selection of tests (tests/mutation/run_tests.ts):
// which lines of lib/ a test file reaches, read from Deno's LCOV report.

import assert from "node:assert/strict";
import { reachedLines } from "./mutation/run_tests.ts";

Deno.test("reachedLines(lcov) keeps executed lines of lib/ only, and lines whose branch was taken", () => {
  const lcov = [
    "SF:/repo/lib/a.ts",
    "DA:1,4",
    // `if (c) return false;` with c always false: Deno counts the line 0,
    // but the branch that skips the return was taken 4 times.
    "DA:2,0",
    "BRDA:2,1,0,0",
    "BRDA:2,1,1,4",
    // Never run at all.
    "DA:3,0",
    "BRDA:3,2,0,-",
    "end_of_record",
    "SF:/repo/tests/a_test.ts",
    "DA:1,1",
    "end_of_record",
    "SF:/elsewhere/lib/b.ts",
    "DA:1,1",
    "end_of_record",
  ].join("\n");
  const reached = reachedLines(lcov, "/repo");
  assert.deepEqual(Object.keys(reached), ["lib/a.ts"]);
  assert.deepEqual([...new Set(reached["lib/a.ts"])].sort(), [1, 2]);
});
