/**
 * kindling's `WebAssembly`-compatible namespace for the tests that compare it with V8 (tests/differential/ and
 * tests/runtime/wasi.test.ts), or null while src/runtime does not export one yet: those tests then show as skipped
 * with a message. To enable them, replace the `null` line below with ONE line:
 *
 *   export { WebAssembly as kindlingNamespace } from '../../src/runtime/index.js';
 */
import type { WasmNamespace } from './wasm-namespace.js';

export { WebAssembly as kindlingNamespace } from '../../src/runtime/index.js';

/** Shown by the skipped tests. */
export const KINDLING_PENDING =
  "kindling's WebAssembly namespace is not exported yet: enable in tests/differential/kindling-namespace.ts";
