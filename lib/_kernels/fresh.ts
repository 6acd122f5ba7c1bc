// New result arrays. A fresh array is memory the operating system maps page
// by page on first write, 4 KiB at a time: for a 200 MB result that costs as
// much as the softmax itself. Where the process may use Deno's FFI
// (--allow-ffi, already granted: never prompted for), large arrays are marked
// for transparent huge pages with madvise(MADV_HUGEPAGE) before their first
// write, as NumPy does for its large arrays, so that they are mapped 2 MiB at
// a time. The array stays an ordinary typed array: madvise only advises the
// kernel how to back the pages, inside the array's own memory, and any
// failure leaves it as it was.

// Arrays smaller than this (a few huge pages) are left alone.
const HUGE_MIN = 8 << 20;
const MADV_HUGEPAGE = 14;
const PAGE = 4096n;

let usable: boolean | undefined;

/**
 * Whether the process may use Deno's FFI: the permission is already granted
 * (never prompted for), on Linux.
 */
export function ffiGranted(): boolean {
  if (usable === undefined) {
    try {
      usable = Deno.build.os === "linux" &&
        Deno.permissions.querySync({ name: "ffi" }).state === "granted";
    } catch {
      usable = false;
    }
  }
  return usable;
}

/**
 * Asks for huge pages for `array`'s memory; returns whether the kernel
 * accepted. Only the whole 4 KiB pages inside the array are advised.
 */
export function adviseHugePages(array: ArrayBufferView): boolean {
  if (array.byteLength < HUGE_MIN || !ffiGranted()) return false;
  let libc:
    | Deno.DynamicLibrary<{
      madvise: { parameters: ["pointer", "usize", "i32"]; result: "i32" };
    }>
    | undefined;
  try {
    libc = Deno.dlopen("libc.so.6", {
      madvise: { parameters: ["pointer", "usize", "i32"], result: "i32" },
    });
    const pointer = Deno.UnsafePointer.of(array);
    const address = BigInt(Deno.UnsafePointer.value(pointer));
    const start = (address + PAGE - 1n) & ~(PAGE - 1n);
    const end = (address + BigInt(array.byteLength)) & ~(PAGE - 1n);
    if (end <= start) return false;
    const result = libc.symbols.madvise(
      Deno.UnsafePointer.create(start),
      end - start,
      MADV_HUGEPAGE,
    );
    return result === 0;
  } catch {
    usable = false;
    return false;
  } finally {
    libc?.close();
  }
}

/** A new Float32Array or Float64Array of `length` zeros, huge pages asked for when large. */
export function freshFloats(
  float32: boolean,
  length: number,
): Float64Array | Float32Array {
  const array = float32 ? new Float32Array(length) : new Float64Array(length);
  adviseHugePages(array);
  return array;
}
