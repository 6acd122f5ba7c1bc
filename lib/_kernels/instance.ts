// The WebAssembly kernels' one instance, made on first use: compiled
// synchronously from the bytes embedded in kernels_wasm.ts, so importing the
// module costs nothing and small inputs, which never reach the kernels, never
// pay for it.

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
  memory: WebAssembly.Memory;
}

let instance: Kernels | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The kernels, instantiated on the first call. */
export function kernels(): Kernels {
  if (instance === undefined) {
    const module = new WebAssembly.Module(decode(KERNELS_WASM_BASE64));
    instance = new WebAssembly.Instance(module).exports as unknown as Kernels;
  }
  return instance;
}

const PAGE = 65536;

/**
 * The start of `bytes` bytes of free linear memory (16-byte aligned), growing
 * the memory when needed. The memory is kept for later calls, so it is as
 * large as the largest working set so far. Views of the memory must be made
 * after this call: growing detaches the old buffer.
 */
export function reserve(k: Kernels, bytes: number): number {
  const base = (k.heapBase() + 15) & ~15;
  const needed = base + bytes;
  const have = k.memory.buffer.byteLength;
  if (needed > have) k.memory.grow(Math.ceil((needed - have) / PAGE));
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
