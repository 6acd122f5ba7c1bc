// Run by tests/fresh_pages_test.ts with and without --allow-ffi: prints
// whether the process reports FFI as granted.

import { ffiGranted } from "../lib/_kernels/fresh.ts";

console.log(JSON.stringify({ granted: ffiGranted() }));
