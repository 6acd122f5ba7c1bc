// The WebAssembly kernels' one instance on the calling thread, made on first
// use: compiled synchronously from the bytes embedded in kernels_wasm.ts, so
// importing the module costs nothing and small inputs, which never reach the
// kernels, never pay for it. The kernels import their memory; it is shared
// (SharedArrayBuffer) so that the worker threads of pool.ts run the same
// kernels on the same memory.

import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";

/** The kernels' exports (addresses and counts are numbers; see kernels.as). */
export interface Kernels {
  softmax64(x: number, rows: number, len: number, status: number): number;
  softmax32(
    x: number,
    rows: number,
    len: number,
    scratch: number,
    status: number,
  ): number;
  logSoftmax64(x: number, rows: number, len: number, status: number): number;
  logSoftmax32(x: number, rows: number, len: number, status: number): number;
  logSumExp64(
    x: number,
    rows: number,
    len: number,
    out: number,
    status: number,
  ): number;
  sigmoid64(x: number, n: number): void;
  sigmoid32(x: number, n: number): void;
  argmax64(x: number, rows: number, len: number, out: number): void;
  argmax32(x: number, rows: number, len: number, out: number): void;
  heapBase(): number;
}

/** The kernels with their compiled module and memory. */
export interface KernelInstance {
  exports: Kernels;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Whether the memory is shared, so that workers can use it. */
  shared: boolean;
}

let instance: KernelInstance | undefined;

export function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The largest memory, in 64 KiB pages (4 GiB): the build's maximum. */
const MAX_PAGES = 65536;

/**
 * The binary with its memory import declared unshared: the kernels use no
 * atomics, so they run unchanged on an ordinary memory where shared memory
 * is unavailable (then without worker threads).
 */
export function unshared(
  bytes: Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  // The import section (id 2) is the first section; its one entry is
  // env.memory, whose limits flag 0x03 (shared, with maximum) becomes 0x01.
  const copy = bytes.slice();
  const name = [6, 109, 101, 109, 111, 114, 121, 2, 3]; // "memory", kind, flags
  for (let i = 8; i < 200; i++) {
    if (name.every((b, k) => copy[i + k] === b)) {
      copy[i + name.length - 1] = 1;
      return copy;
    }
  }
  throw new Error("kernels.wasm: memory import not found");
}

/** The kernels, instantiated on the first call. */
export function kernelInstance(): KernelInstance {
  if (instance === undefined) {
    const bytes = decode(KERNELS_WASM_BASE64);
    let memory: WebAssembly.Memory;
    let module: WebAssembly.Module;
    let shared = true;
    try {
      memory = new WebAssembly.Memory({
        initial: 1,
        maximum: MAX_PAGES,
        shared: true,
      });
      module = new WebAssembly.Module(bytes);
    } catch {
      shared = false;
      memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
      module = new WebAssembly.Module(unshared(bytes));
    }
    const exports = new WebAssembly.Instance(module, { env: { memory } })
      .exports as unknown as Kernels;
    instance = { exports, module, memory, shared };
  }
  return instance;
}

/** The kernels' exports, instantiated on the first call. */
export function kernels(): Kernels {
  return kernelInstance().exports;
}

const PAGE = 65536;

/**
 * The start of `bytes` bytes of free linear memory (16-byte aligned) from
 * `from` (an address past the kernels' static data), growing the memory when
 * needed. The memory is kept for later calls, so it is as large as the
 * largest working set so far. Views of the memory must be made after this
 * call: growing replaces the buffer.
 */
export function reserve(bytes: number, from = 0): number {
  const { exports, memory } = kernelInstance();
  const base = (Math.max(from, exports.heapBase()) + 15) & ~15;
  const needed = base + bytes;
  const have = memory.buffer.byteLength;
  if (needed > have) memory.grow(Math.ceil((needed - have) / PAGE));
  return base;
}

/**
 * Whether an input of `size` entries is worth a call into the kernels: below
 * this the plain TypeScript reference is about as fast, and small inputs
 * never instantiate the WebAssembly at all.
 */
export function worthKernels(size: number): boolean {
  return size >= 1024;
}

/** Entries per kernel call for short rows: the working set stays in the L2 cache. */
export const CHUNK = 16384;

/** `n` rounded up to a multiple of 16. */
export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
