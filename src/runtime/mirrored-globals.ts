/**
 * Mutable globals of Node's own namespace imported by kindling. V8 keeps their value where native code cannot see it,
 * so kindling gives each one a native cell (a kindling Global) and keeps the two in step at every boundary where
 * either side may look:
 *   - JS → wasm (exported-function.ts): V8 → cell before the call, cell → V8 after it (returned or trapped);
 *   - wasm → JS (host-dispatch.ts): cell → V8 before the host function runs, V8 → cell after.
 * While no such global was ever imported, each boundary pays one length check.
 *
 * Imported globals of Node's namespace (mutable or not) also remember their original object, so an instance that
 * re-exports one hands back the very object it was given, as the JS API requires.
 */
import { Global } from './global.js';
import { ValType, valTypeName } from '../frontend/value-types.js';

interface Mirror {
  readonly v8: WebAssembly.Global;
  readonly cell: Global;
}

const mirrors: Mirror[] = [];
const mirrorOf = new WeakMap<WebAssembly.Global, Global>();
const originals = new WeakMap<Global, WebAssembly.Global>();

/** The kindling Global mirroring a mutable V8 global (one per V8 global, shared by every importer). */
export function mirrorV8Global(v8: WebAssembly.Global, type: number): Global {
  let cell = mirrorOf.get(v8);
  if (cell === undefined) {
    const name = type === ValType.FUNCREF ? 'anyfunc' : valTypeName(type);
    cell = new Global({ value: name, mutable: true }, v8.value);
    mirrorOf.set(v8, cell);
    originals.set(cell, v8);
    mirrors.push({ v8, cell });
  }
  return cell;
}

/** Records that `adopted` stands for the V8 global `original` (immutable imports are copied by value). */
export function rememberOriginal(adopted: Global, original: WebAssembly.Global): void {
  originals.set(adopted, original);
}

/** The object to export for an imported global: the V8 original when there is one. */
export function exportedGlobalObject(global: Global): unknown {
  return originals.get(global) ?? global;
}

/** True while some V8 global is mirrored (the boundaries then sync). */
export function hasMirroredGlobals(): boolean {
  return mirrors.length !== 0;
}

/** V8 → cells: before wasm runs (entry from JS, return from a host function). */
export function syncMirrorsIntoWasm(): void {
  for (let i = 0; i < mirrors.length; i++) {
    const m = mirrors[i]!;
    m.cell.value = m.v8.value;
  }
}

/** Cells → V8: when JS may look (wasm returned or trapped, a host function is about to run). */
export function syncMirrorsOutOfWasm(): void {
  for (let i = 0; i < mirrors.length; i++) {
    const m = mirrors[i]!;
    m.v8.value = m.cell.value;
  }
}
