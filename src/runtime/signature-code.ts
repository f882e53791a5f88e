/**
 * Process-wide caches of the per-signature machine code: entry trampolines (JS → wasm) and import stubs (wasm → JS),
 * keyed by signature shape. `prepareSignatureCode` emits every missing one for a list of types into a single region
 * (a module asks once for all its types, so small stubs do not cost a page each).
 */
import { allocateNative, nativeFunction, nativeView } from '../../native/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { Assembler } from '../x64/index.js';
import { activation } from './activation.js';
import { CodeKind } from './code-map.js';
import { dispatchAddress } from './host-dispatch.js';
import { emitImportStub } from './import-stubs.js';
import { raiseAddress } from './raise.js';
import { mapRuntimeCode } from './runtime-code.js';
import { hasDirectShape, hasSlotShape, shapeKey } from './signature-shape.js';
import { directImportCallback, emitDirectImportStub } from './direct-import.js';
import { SLOT_SIZE, emitEntryTrampoline } from './trampolines.js';

export type EntryCall = (vmctx: number, callee: number, values: number) => number;

export interface EntryTrampoline {
  readonly key: string;
  readonly address: number;
  /** Calls the trampoline: returns 0, or 1 after a trap. */
  readonly call: EntryCall;
  /**
   * The signature's value slots (max(params, results, 1) × 16 bytes). Shared by every call of this shape, which is
   * safe at any nesting depth: the trampoline has read all arguments before the callee runs, and writes results
   * only after it returns; the JS caller reads them right away.
   */
  readonly valuesAddress: number;
  readonly values: DataView;
}

const entries = new Map<string, EntryTrampoline>();
const stubs = new Map<string, number>();

const ENTRY_SIGNATURE = { params: ['u64', 'u64', 'u64'], result: 'i32' } as const;

function missing(types: readonly FuncType[], cache: Map<string, unknown>): Map<string, FuncType> {
  const todo = new Map<string, FuncType>();
  for (const type of types) {
    if (!hasSlotShape(type)) continue; // v128 signatures: no JS boundary code (see exported-function.ts)
    const key = shapeKey(type);
    if (!cache.has(key) && !todo.has(key)) todo.set(key, type);
  }
  return todo;
}

/** Generates entry trampolines and import stubs for every type that lacks one (v128 signatures are skipped). */
export function prepareSignatureCode(types: readonly FuncType[]): void {
  prepareEntries(types);
  prepareStubs(types);
}

function prepareEntries(types: readonly FuncType[]): void {
  const todo = missing(types, entries);
  if (todo.size === 0) return;
  const act = activation().addressNumber;
  const a = new Assembler();
  const labels: number[] = [];
  for (const type of todo.values()) {
    a.align(16);
    const label = a.newLabel();
    a.bind(label);
    labels.push(label);
    emitEntryTrampoline(a, type, act);
  }
  const code = a.finish();
  const mapped = mapRuntimeCode(code, CodeKind.EntryTrampoline, `entry trampolines (${[...todo.keys()].join(' ')})`);
  let i = 0;
  for (const [key, type] of todo) {
    const address = mapped.start + code.labelOffset(labels[i++]!);
    const bytes = Math.max(type.params.length, type.results.length, 1) * SLOT_SIZE;
    const valuesAddress = allocateNative(bytes, 16);
    entries.set(key, {
      key,
      address,
      call: nativeFunction(address, ENTRY_SIGNATURE) as EntryCall,
      valuesAddress: Number(valuesAddress),
      values: new DataView(nativeView(valuesAddress, bytes)),
    });
  }
}

function prepareStubs(types: readonly FuncType[]): void {
  const todo = missing(types, stubs);
  if (todo.size === 0) return;
  const dispatch = dispatchAddress();
  const raise = raiseAddress();
  const a = new Assembler();
  const labels: number[] = [];
  const act = activation().addressNumber;
  for (const type of todo.values()) {
    a.align(16);
    const label = a.newLabel();
    a.bind(label);
    labels.push(label);
    if (hasDirectShape(type)) emitDirectImportStub(a, directImportCallback(type), raise, act);
    else emitImportStub(a, type, dispatch, raise);
  }
  const code = a.finish();
  const mapped = mapRuntimeCode(code, CodeKind.ImportStub, `import stubs (${[...todo.keys()].join(' ')})`);
  let i = 0;
  for (const key of todo.keys()) stubs.set(key, mapped.start + code.labelOffset(labels[i++]!));
}

/** The entry trampoline for a type (generated if needed). */
export function entryTrampolineFor(type: FuncType): EntryTrampoline {
  const key = shapeKey(type);
  let entry = entries.get(key);
  if (entry === undefined) {
    prepareEntries([type]);
    entry = entries.get(key)!;
  }
  return entry;
}

/** Address of the import stub for a type (generated if needed). */
export function importStubFor(type: FuncType): number {
  const key = shapeKey(type);
  let stub = stubs.get(key);
  if (stub === undefined) {
    prepareStubs([type]);
    stub = stubs.get(key)!;
  }
  return stub;
}
