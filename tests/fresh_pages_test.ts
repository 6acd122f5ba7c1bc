// What lib/_kernels/fresh.ts asks of the kernel and reports: whether FFI is
// granted, the exact page range madvise is asked for, and a false answer
// (never an error) when the library or the call fails. Tests that break
// FFI use a copy of the module of their own, so that its state
// (FFI found unusable) stays theirs.

import assert from "node:assert/strict";
import { adviseHugePages } from "../lib/_kernels/fresh.ts";

type Fresh = typeof import("../lib/_kernels/fresh.ts");
let copies = 0;
async function freshCopy(): Promise<Fresh> {
  const url = new URL(
    `../lib/_kernels/fresh.ts?copy${copies++}`,
    import.meta.url,
  );
  return await import(url.href);
}

async function granted(permissions: string[]): Promise<boolean> {
  const script = new URL("./_ffi_granted.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...permissions, script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout)).granted;
}

Deno.test("ffiGranted() is true with --allow-ffi and false without it", async () => {
  assert.equal(await granted(["--allow-ffi"]), true);
  assert.equal(await granted([]), false);
});

Deno.test("ffiGranted() is false when the permission cannot be queried", async () => {
  const fresh = await freshCopy();
  const query = Deno.permissions.querySync;
  Deno.permissions.querySync = () => {
    throw new TypeError("permissions are unavailable");
  };
  try {
    assert.equal(fresh.ffiGranted(), false);
  } finally {
    Deno.permissions.querySync = query;
  }
});

Deno.test("adviseHugePages advises an array of exactly 8 MiB", () => {
  assert.equal(adviseHugePages(new Uint8Array(8 << 20)), true);
});

// The address of a view's first byte.
function addressOf(view: ArrayBufferView): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(view)));
}

// Deno.dlopen replaced by a libc whose madvise answers `answer`, recording
// what it was asked.
function fakeLibc(answer: number) {
  const asked = {
    path: "",
    calls: [] as [bigint, bigint, number][],
    closed: 0,
  };
  const dlopen = Deno.dlopen;
  (Deno as { dlopen: unknown }).dlopen = (path: string) => {
    asked.path = path;
    return {
      symbols: {
        madvise(pointer: Deno.PointerValue, bytes: bigint, advice: number) {
          asked.calls.push([
            BigInt(Deno.UnsafePointer.value(pointer)),
            bytes,
            advice,
          ]);
          return answer;
        },
      },
      close: () => asked.closed++,
    };
  };
  return { asked, restore: () => (Deno.dlopen = dlopen) };
}

Deno.test("adviseHugePages asks libc's madvise for the whole 4 KiB pages inside the array, and closes libc", async () => {
  const fresh = await freshCopy();
  const buffer = new ArrayBuffer((12 << 20) + 3 * 4096);
  const base = addressOf(new Uint8Array(buffer));
  // A view from a page boundary to 100 bytes past one; and one starting 8
  // bytes past a page boundary.
  const toPage = Number((4096n - (base % 4096n)) % 4096n);
  const cases = [
    new Uint8Array(buffer, toPage, (10 << 20) + 100),
    new Uint8Array(buffer, toPage + 8, 10 << 20),
  ];
  for (const view of cases) {
    const { asked, restore } = fakeLibc(0);
    try {
      assert.equal(fresh.adviseHugePages(view), true);
    } finally {
      restore();
    }
    const first = addressOf(view);
    const start = (first + 4095n) / 4096n * 4096n;
    const end = (first + BigInt(view.byteLength)) / 4096n * 4096n;
    assert.equal(asked.path, "libc.so.6");
    assert.deepEqual(asked.calls, [[start, end - start, 14]]);
    assert.equal(asked.closed, 1);
  }
  assert.equal(fresh.ffiGranted(), true);
});

Deno.test("adviseHugePages answers false when madvise refuses", async () => {
  const fresh = await freshCopy();
  const { asked, restore } = fakeLibc(-1);
  try {
    assert.equal(fresh.adviseHugePages(new Float64Array(2 << 20)), false);
  } finally {
    restore();
  }
  assert.equal(asked.calls.length, 1);
  assert.equal(asked.closed, 1);
});

Deno.test("when libc cannot be opened, adviseHugePages answers false and FFI counts as unusable from then on", async () => {
  const fresh = await freshCopy();
  const dlopen = Deno.dlopen;
  (Deno as { dlopen: unknown }).dlopen = () => {
    throw new Error("libc.so.6: cannot open shared object file");
  };
  try {
    assert.equal(fresh.ffiGranted(), true);
    assert.equal(fresh.adviseHugePages(new Float64Array(2 << 20)), false);
    assert.equal(fresh.ffiGranted(), false);
    // Without asking again.
    assert.equal(fresh.adviseHugePages(new Float64Array(2 << 20)), false);
  } finally {
    Deno.dlopen = dlopen;
  }
});
