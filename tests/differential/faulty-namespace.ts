/**
 * A namespace that wraps a correct one and breaks it on purpose, one observable channel at a time, to prove the
 * differential harness notices each kind of difference:
 * - 'i32-result-plus-one': every exported function's i32 results come back incremented;
 * - 'memory-bit-flip': after every export call, one bit of the exported memory is flipped (a different bit each time,
 *   so that two calls never undo each other);
 * - 'drop-host-call': the module's first call to a host function is not delivered.
 */
import { parseModule, ValType } from '../../src/frontend/index.js';
import type { WasmInstanceLike, WasmNamespace } from './wasm-namespace.js';

export type Fault = 'i32-result-plus-one' | 'memory-bit-flip' | 'drop-host-call';

type AnyFunction = (...args: unknown[]) => unknown;

export function faultyNamespace(inner: WasmNamespace, fault: Fault): WasmNamespace {
  class FaultyModule {
    readonly inner: object;
    readonly bytes: Uint8Array<ArrayBuffer>;
    constructor(bytes: Uint8Array<ArrayBuffer>) {
      this.inner = new inner.Module(bytes);
      this.bytes = bytes;
    }
  }

  class FaultyInstance implements WasmInstanceLike {
    readonly exports: object;
    constructor(module: FaultyModule, imports?: WebAssembly.Imports) {
      const actualImports = fault === 'drop-host-call' && imports ? dropFirstHostCall(imports) : imports;
      const instance = new inner.Instance(module.inner, actualImports);
      this.exports = breakExports(instance.exports as Record<string, unknown>, module.bytes, fault);
    }
  }

  return {
    Module: FaultyModule,
    Instance: FaultyInstance,
    async instantiate(bytes, imports) {
      return { instance: new FaultyInstance(new FaultyModule(bytes), imports) };
    },
  };
}

function breakExports(exports: Record<string, unknown>, bytes: Uint8Array, fault: Fault): object {
  if (fault === 'drop-host-call') return exports;
  const info = parseModule(bytes);
  const memory = Object.values(exports).find(
    (v) => typeof v === 'object' && v !== null && (v as { buffer?: unknown }).buffer instanceof ArrayBuffer,
  ) as { readonly buffer: ArrayBuffer } | undefined;
  const out: Record<string, unknown> = {};
  let flips = 0;
  for (const e of info.exports) {
    const original = exports[e.name];
    if (typeof original !== 'function') {
      out[e.name] = original;
      continue;
    }
    const fn = original as AnyFunction;
    const results = info.functionType(e.index).results;
    if (fault === 'i32-result-plus-one') {
      out[e.name] = (...args: unknown[]) => {
        const r = fn(...args);
        if (results.length === 1) return results[0] === ValType.I32 ? ((r as number) + 1) | 0 : r;
        if (results.length > 1) return (r as unknown[]).map((v, i) => (results[i] === ValType.I32 ? ((v as number) + 1) | 0 : v));
        return r;
      };
    } else {
      out[e.name] = (...args: unknown[]) => {
        try {
          return fn(...args);
        } finally {
          if (memory) {
            const bit = flips++ % 4096;
            new Uint8Array(memory.buffer)[4096 + (bit >>> 3)] ^= 1 << (bit & 7);
          }
        }
      };
    }
  }
  return Object.freeze(out);
}

function dropFirstHostCall(imports: WebAssembly.Imports): WebAssembly.Imports {
  let dropped = false;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [moduleName, fields] of Object.entries(imports)) {
    out[moduleName] = {};
    for (const [name, value] of Object.entries(fields)) {
      out[moduleName][name] =
        typeof value === 'function'
          ? (...args: unknown[]) => {
              if (!dropped) {
                dropped = true;
                return undefined;
              }
              return (value as AnyFunction)(...args);
            }
          : value;
    }
  }
  return out as WebAssembly.Imports;
}
