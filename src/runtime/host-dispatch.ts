/**
 * The JS side of import stubs: one koffi callback, `i32 dispatch(i32 hostIndex, f64 valuesAddress)`, shared by all
 * host functions. It reads the arguments from the stub's value slots (ToJSValue), calls the user's function, writes
 * the results back (ToWebAssemblyValue; an iterable for several results), and returns 0. Any exception (from the
 * user's function or from a conversion) is caught and recorded as the pending host exception, and 1 is returned: the
 * stub then raises and the exception is rethrown, unchanged, to whoever called into wasm.
 *
 * The slots live in the stub's frame on the koffi stack that all machine code runs on (native/stack.ts); one
 * DataView over that whole stack makes reading them plain JS. (Slots anywhere else fall back to a fresh view.)
 */
import { nativeStackBounds, nativeView, registerCallback, type NativeCallback } from '../../native/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { hasMirroredGlobals, syncMirrorsIntoWasm, syncMirrorsOutOfWasm } from './mirrored-globals.js';
import { setPendingHostException } from './trap-state.js';
import { SLOT_SIZE } from './trampolines.js';
import { readSlotAsJs, toRawValue, writeSlot, type RawValue } from './values.js';

export interface HostFunction {
  readonly fn: (...args: unknown[]) => unknown;
  readonly type: FuncType;
}

const hostFunctions: HostFunction[] = [];

let callback: NativeCallback | null = null;
let stackView: DataView | null = null;
let stackLow = 0;
let stackBytes = 0;

/** Adds a host function; returns the index its host record carries. */
export function addHostFunction(host: HostFunction): number {
  hostFunctions.push(host);
  return hostFunctions.length - 1;
}

/** The JS function of host function `index` (direct-import.ts). */
export function hostFunctionAt(index: number): (...args: unknown[]) => unknown {
  const host = hostFunctions[index];
  if (host === undefined) throw new Error(`import stub called with unknown host function index ${index}`);
  return host.fn;
}

function slotsView(address: number, bytes: number): DataView {
  const at = address - stackLow;
  if (stackView !== null && at >= 0 && at + bytes <= stackBytes) return stackView;
  return new DataView(nativeView(address, bytes));
}

function dispatch(index: number, valuesAddress: number): number {
  try {
    const host = hostFunctions[index];
    if (host === undefined) throw new Error(`import stub called with unknown host function index ${index}`);
    const { params, results } = host.type;
    const view = slotsView(valuesAddress, Math.max(params.length, results.length, 1) * SLOT_SIZE);
    const base = view === stackView ? valuesAddress - stackLow : 0;
    const args = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i++) args[i] = readSlotAsJs(view, base + i * SLOT_SIZE, params[i]!);
    let returned: unknown;
    if (hasMirroredGlobals()) {
      syncMirrorsOutOfWasm();
      try {
        returned = Reflect.apply(host.fn, undefined, args);
      } finally {
        syncMirrorsIntoWasm();
      }
    } else {
      returned = Reflect.apply(host.fn, undefined, args);
    }
    if (results.length === 1) {
      writeSlot(view, base, results[0]!, toRawValue(results[0]!, returned));
    } else if (results.length > 1) {
      writeResults(view, base, results, returned);
    }
    return 0;
  } catch (error) {
    setPendingHostException(error);
    return 1;
  }
}

function writeResults(view: DataView, base: number, results: Uint8Array, returned: unknown): void {
  if (returned === null || (typeof returned !== 'object' && typeof returned !== 'function') || !(Symbol.iterator in returned)) {
    throw new TypeError(`an imported function with ${results.length} results must return an iterable`);
  }
  const list = Array.from(returned as Iterable<unknown>);
  if (list.length !== results.length) {
    throw new TypeError(`an imported function with ${results.length} results returned ${list.length} values`);
  }
  const raws: RawValue[] = list.map((value, k) => toRawValue(results[k]!, value));
  for (let k = 0; k < results.length; k++) writeSlot(view, base + k * SLOT_SIZE, results[k]!, raws[k]!);
}

/** Address of the dispatcher callback (registered on first use). */
export function dispatchAddress(): number {
  if (callback === null) {
    const { low, high } = nativeStackBounds();
    stackLow = Number(low);
    stackBytes = Number(high - low);
    stackView = new DataView(nativeView(low, stackBytes));
    callback = registerCallback(dispatch, { params: ['i32', 'f64'], result: 'i32' });
  }
  return callback.addressNumber;
}
