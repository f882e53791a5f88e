/**
 * The `spectest` host module the test scripts import from, as the spec interpreter defines it
 * (interpreter/host/spectest.ml): print functions that print nothing useful to a test, four immutable globals
 * (i32 666, i64 666, f32 666.6, f64 666.6), a funcref table of 10..20 elements and a memory of 1..2 pages.
 */
import type { JsApiNamespace } from './js-api-namespace.js';

/** Names of the print functions: each accepts its arguments and returns nothing. */
export const SPECTEST_PRINT_FUNCTIONS = [
  'print',
  'print_i32',
  'print_i64',
  'print_f32',
  'print_f64',
  'print_i32_f32',
  'print_f64_f64',
] as const;

// One shared no-op: the scripts only need the import to exist and be callable; printing would flood test output.
function ignoreArguments(): void {}

/** A fresh spectest module built from `namespace`'s classes (so its memory and table are that engine's own). */
export function createSpectestExports(namespace: JsApiNamespace): Record<string, unknown> {
  const exports: Record<string, unknown> = {
    global_i32: new namespace.Global({ value: 'i32', mutable: false }, 666),
    global_i64: new namespace.Global({ value: 'i64', mutable: false }, 666n),
    global_f32: new namespace.Global({ value: 'f32', mutable: false }, 666.6),
    global_f64: new namespace.Global({ value: 'f64', mutable: false }, 666.6),
    table: new namespace.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
    memory: new namespace.Memory({ initial: 1, maximum: 2 }),
  };
  for (const name of SPECTEST_PRINT_FUNCTIONS) exports[name] = ignoreArguments;
  return exports;
}
