/**
 * Exported functions: the JS functions through which JS calls wasm (the JS API's "Exported Function"), one per
 * VMFuncRef, made on first request. A call converts the arguments (ToWebAssemblyValue), lets the owner refresh what
 * may have changed behind its back (memory lengths), writes the value slots, makes one koffi call into the
 * signature's entry trampoline, and reads the results (ToJSValue) or throws the trap.
 */
import { bindFunctionToFuncRef, type FuncRefInfo } from './funcrefs.js';
import { entryTrampolineFor, type EntryCall } from './signature-code.js';
import { hasDirectShape, hasSlotShape } from './signature-shape.js';
import { directExportedFunction } from './direct-entry.js';
import { SLOT_SIZE } from './trampolines.js';
import { hasMirroredGlobals, syncMirrorsIntoWasm, syncMirrorsOutOfWasm } from './mirrored-globals.js';
import { trapOutcome, type PendingFuelSink } from './trap-handling.js';
import { readSlotAsJs, toRawValue, writeSlot, type RawValue } from './values.js';

/** Things the JS side must do before machine code runs (see VMInstance.beforeEntry). */
export interface EntryHook {
  beforeEntry(): void;
}

/** Everything one call needs, gathered once per function so the call path reads fields of one monomorphic object. */
class Invoker {
  readonly params: Uint8Array;
  readonly results: Uint8Array;
  readonly hook: EntryHook | null;
  /** The owning instance's store: takes fuel a trap site reports as pending. */
  readonly store: PendingFuelSink | null;
  readonly view: DataView;
  readonly call: EntryCall;
  readonly vmctx: number;
  readonly code: number;
  readonly values: number;
  /** The exported function itself: a trap's JS stack starts at its caller. */
  fn: ((...args: unknown[]) => unknown) | undefined = undefined;

  constructor(info: FuncRefInfo) {
    const trampoline = entryTrampolineFor(info.type);
    this.params = info.type.params;
    this.results = info.type.results;
    const hook = info.owner as Partial<EntryHook>;
    this.hook = typeof hook.beforeEntry === 'function' ? (hook as EntryHook) : null;
    const store = (info.owner as { store?: PendingFuelSink }).store;
    this.store = store !== undefined ? store : null;
    this.view = trampoline.values;
    this.call = trampoline.call;
    this.vmctx = info.vmctx;
    this.code = info.code;
    this.values = trampoline.valuesAddress;
  }

  /** Calls with JS arguments (`args` is consumed: converted in place). */
  invoke(args: unknown[]): unknown {
    const params = this.params;
    const n = params.length;
    // Convert everything first: user code run by a conversion may itself call wasm and reuse the slots.
    for (let i = 0; i < n; i++) args[i] = toRawValue(params[i]!, args[i]);
    if (this.hook !== null) this.hook.beforeEntry();
    const mirrored = hasMirroredGlobals();
    if (mirrored) syncMirrorsIntoWasm();
    const view = this.view;
    for (let i = 0; i < n; i++) writeSlot(view, i * SLOT_SIZE, params[i]!, args[i] as RawValue);
    const status = this.call(this.vmctx, this.code, this.values);
    if (mirrored) syncMirrorsOutOfWasm();
    if (status !== 0) throw trapOutcome(this.store, this.fn);
    const results = this.results;
    if (results.length === 1) return readSlotAsJs(view, 0, results[0]!);
    if (results.length === 0) return undefined;
    const out = new Array<unknown>(results.length);
    for (let k = 0; k < results.length; k++) out[k] = readSlotAsJs(view, k * SLOT_SIZE, results[k]!);
    return out;
  }
}

/** The exported JS function of a funcref (the same function every time). */
export function exportedFunctionOf(info: FuncRefInfo): (...args: unknown[]) => unknown {
  if (info.exported !== null) return info.exported;
  // An arrow function: exported functions are not constructors.
  let fn: (...args: unknown[]) => unknown;
  if (hasDirectShape(info.type)) {
    fn = directExportedFunction(info);
  } else if (hasSlotShape(info.type)) {
    const invoker = new Invoker(info);
    fn = (...args: unknown[]): unknown => invoker.invoke(args);
    invoker.fn = fn;
  } else {
    // The JS API: calling a function whose signature has a v128 throws TypeError.
    fn = (): unknown => {
      throw new TypeError('a function with v128 parameters or results cannot be called from JavaScript');
    };
  }
  Object.defineProperty(fn, 'name', { value: String(Math.max(info.funcIndex, 0)) });
  Object.defineProperty(fn, 'length', { value: info.type.params.length });
  bindFunctionToFuncRef(fn, info);
  info.exported = fn;
  return fn;
}
