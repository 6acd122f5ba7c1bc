// Fresh result arrays (lib/_kernels/fresh.ts): huge pages are asked for with
// --allow-ffi, nothing happens without it, and the result is an ordinary
// typed array either way.

import assert from "node:assert/strict";
import { adviseHugePages, freshFloats } from "../lib/_kernels/fresh.ts";

// The VmFlags of the mapping holding `address`, from /proc/self/smaps.
function vmFlags(address: bigint): string[] {
  const lines = Deno.readTextFileSync("/proc/self/smaps").split("\n");
  let inside = false;
  for (const line of lines) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) {
      inside = BigInt(`0x${range[1]}`) <= address &&
        address < BigInt(`0x${range[2]}`);
    } else if (inside && line.startsWith("VmFlags:")) {
      return line.slice(8).trim().split(/\s+/);
    }
  }
  return [];
}

Deno.test("freshFloats(true, n) asks for huge pages for a large array with --allow-ffi", () => {
  const array = freshFloats(true, 16 << 20);
  assert.ok(array instanceof Float32Array);
  assert.ok(array.buffer instanceof ArrayBuffer);
  assert.equal(array.length, 16 << 20);
  const address = BigInt(
    Deno.UnsafePointer.value(Deno.UnsafePointer.of(array)),
  );
  // The middle of the array: its ends may share pages with other memory.
  const middle = address + BigInt(array.byteLength / 2);
  assert.ok(
    vmFlags(middle).includes("hg"),
    "the mapping is marked for huge pages",
  );
  assert.equal(array[12345], 0);
  array.fill(1.5);
  assert.equal(array[array.length - 1], 1.5);
});

Deno.test("adviseHugePages leaves arrays under 8 MiB alone", () => {
  assert.equal(adviseHugePages(new Float64Array(1 << 19)), false);
  assert.equal(adviseHugePages(new Float64Array(2 << 20)), true);
});

Deno.test("without --allow-ffi a large result is made silently without huge pages", async () => {
  const script = new URL("./_fresh_no_ffi.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(new TextDecoder().decode(stderr), "");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
    advised: false,
    value: 1 / 1024,
  });
});
