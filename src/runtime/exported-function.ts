/**
 * Exported functions: the JS functions through which JS calls wasm (the JS API's "Exported Function"), one per
 * VMFuncRef, made on first request. A call converts the arguments (ToWebAssemblyValue), lets the owner refresh what
 * may have changed behind its back (memory lengths), writes the value slots, makes one koffi call into the
 * signature's entry trampoline, and reads the results (ToJSValue) or throws the trap.
 */
import { bindFunctionToFuncRef, type FuncRefInfo } from './funcrefs.js';
import { entryTrampolineFor, type EntryTrampoline } from './signature-code.js';
import { SLOT_SIZE } from './trampolines.js';
import { trapOutcome } from './trap-handling.js';
import { readSlotAsJs, toRawValue, writeSlot, type RawValue } from './values.js';

/** Things the JS side must do before machine code runs (see VMInstance.beforeEntry). */
export interface EntryHook {
  beforeEntry(): void;
}

/** The exported JS function of a funcref (the same function every time). */
export function exportedFunctionOf(info: FuncRefInfo): (...args: unknown[]) => unknown {
  if (info.exported !== null) return info.exported;
  const trampoline = entryTrampolineFor(info.type);
  const fn = function (...args: unknown[]): unknown {
    return invokeFuncRef(info, trampoline, args);
  };
  Object.defineProperty(fn, 'name', { value: String(Math.max(info.funcIndex, 0)) });
  Object.defineProperty(fn, 'length', { value: info.type.params.length });
  bindFunctionToFuncRef(fn, info);
  info.exported = fn;
  return fn;
}

/** Calls a funcref with JS arguments (`args` is consumed: converted in place). */
export function invokeFuncRef(info: FuncRefInfo, trampoline: EntryTrampoline, args: unknown[]): unknown {
  const { params, results } = info.type;
  for (let i = 0; i < params.length; i++) args[i] = toRawValue(params[i]!, args[i]);
  const hook = info.owner as Partial<EntryHook>;
  if (hook.beforeEntry !== undefined) hook.beforeEntry();
  const view = trampoline.values;
  for (let i = 0; i < params.length; i++) writeSlot(view, i * SLOT_SIZE, params[i]!, args[i] as RawValue);
  const status = trampoline.call(info.vmctx, info.code, trampoline.valuesAddress);
  if (status !== 0) throw trapOutcome();
  if (results.length === 0) return undefined;
  if (results.length === 1) return readSlotAsJs(view, 0, results[0]!);
  const out = new Array<unknown>(results.length);
  for (let k = 0; k < results.length; k++) out[k] = readSlotAsJs(view, k * SLOT_SIZE, results[k]!);
  return out;
}
