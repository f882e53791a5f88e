/**
 * The direct JS → wasm path, for signatures of i32/f32/f64 values with at most one result (hasDirectShape): one koffi
 * call whose native signature *is* the wasm signature, e.g. `int32 entry(int32 x)` for `(i32) -> i32`. No value
 * slots, no status word; where the generic array-call trampoline (trampolines.ts) costs ~70 ns of koffi plus slot
 * traffic, this costs one plain koffi call.
 *
 * Which function to call travels out of band: JS stores the VMFuncRef address (as a double) in the activation
 * record's `directCallee` cell right before the call, and the trampoline reads it first thing (so a nested call that
 * reuses the cell later cannot disturb it). A trap cannot be signalled through the result either: raise sets the
 * activation record's `trapped` flag, which the JS side checks after every call.
 *
 * Trampoline, per shape (the frame is the generic entry frame, so raise unwinds it the same way):
 *   entry prologue (saves rbx r12–r15, links entrySp)
 *   r10 = cvttsd2si [act + directCallee]
 *   shift the integer arguments up one register (rdi → rsi, …): wasm passes the vmctx first
 *   rdi = [r10 + vmctx]; call [r10 + code]
 *   epilogue that keeps rax / xmm0 (the result) intact
 */
import { nativeFunction } from '../../native/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { ValType } from '../frontend/value-types.js';
import { VMFUNCREF_CODE, VMFUNCREF_VMCTX } from '../frontend/vm-offsets.js';
import { Assembler, R10, R11, RBP, RDI, mem } from '../x64/index.js';
import { INT_ARG_REGS } from '../x64/abi.js';
import { ACT_DIRECT_CALLEE, ACT_ENTRY_SP, activation } from './activation.js';
import { CodeKind } from './code-map.js';
import type { EntryHook } from './exported-function.js';
import type { FuncRefInfo } from './funcrefs.js';
import { hasMirroredGlobals, syncMirrorsIntoWasm, syncMirrorsOutOfWasm } from './mirrored-globals.js';
import { mapRuntimeCode } from './runtime-code.js';
import { directNativeType, shapeKey } from './signature-shape.js';
import { SAVED_GPRS, emitEntryPrologue } from './trampolines.js';
import { trapOutcome, type PendingFuelSink } from './trap-handling.js';

type DirectCall = (...args: number[]) => number | undefined;

const trampolines = new Map<string, DirectCall>();

function emitDirectEntry(a: Assembler, type: FuncType, act: number): void {
  let ints = 0;
  for (let i = 0; i < type.params.length; i++) if (type.params[i] === ValType.I32) ints++;
  emitEntryPrologue(a, act);
  a.movRI(8, R11, act);
  a.cvttfp2siRM(8, 8, R10, mem(R11, ACT_DIRECT_CALLEE));
  for (let k = ints - 1; k >= 0; k--) a.movRR(8, INT_ARG_REGS[k + 1]!, INT_ARG_REGS[k]!);
  a.movRM(8, RDI, mem(R10, VMFUNCREF_VMCTX));
  a.callM(mem(R10, VMFUNCREF_CODE));
  // The generic epilogue, except that rax (the result) survives: the previous entrySp goes through r10.
  a.pop(R10);
  a.movRI(8, R11, act);
  a.movMR(8, mem(R11, ACT_ENTRY_SP), R10);
  for (let i = SAVED_GPRS.length - 1; i >= 0; i--) a.pop(SAVED_GPRS[i]!);
  a.pop(RBP);
  a.ret();
}

/** The koffi function calling the direct trampoline of `type`'s shape (generated on first use). */
function directTrampolineFor(type: FuncType): DirectCall {
  const key = shapeKey(type);
  let call = trampolines.get(key);
  if (call === undefined) {
    const a = new Assembler(256);
    emitDirectEntry(a, type, activation().addressNumber);
    const mapped = mapRuntimeCode(a.finish(), CodeKind.EntryTrampoline, `direct entry (${key})`);
    const signature = {
      params: Array.from(type.params, directNativeType),
      result: type.results.length === 0 ? ('void' as const) : directNativeType(type.results[0]!),
    };
    call = nativeFunction(mapped.start, signature) as unknown as DirectCall;
    trampolines.set(key, call);
  }
  return call;
}

/** Per exported function: everything the call path reads, in one monomorphic object. */
class DirectInvoker {
  readonly call: DirectCall;
  readonly address: number;
  readonly hook: EntryHook | null;
  readonly store: PendingFuelSink | null;
  readonly trapped: Int32Array;
  readonly callee: Float64Array;
  fn: ((...args: never[]) => unknown) | undefined = undefined;

  constructor(info: FuncRefInfo) {
    this.call = directTrampolineFor(info.type);
    this.address = info.address;
    const owner = info.owner as Partial<EntryHook> & { store?: PendingFuelSink };
    this.hook = typeof owner.beforeEntry === 'function' ? (owner as EntryHook) : null;
    this.store = owner.store !== undefined ? owner.store : null;
    const record = activation();
    this.trapped = record.trapped;
    this.callee = record.directCallee;
  }

  /** Right before the koffi call (after every argument was converted: conversions may run user code). */
  enter(): void {
    if (this.hook !== null) this.hook.beforeEntry();
    if (hasMirroredGlobals()) syncMirrorsIntoWasm();
    this.callee[0] = this.address;
  }

  /** Right after it: the result, or the trap. */
  leave(result: number | undefined): number | undefined {
    if (hasMirroredGlobals()) syncMirrorsOutOfWasm();
    if (this.trapped[0] !== 0) throw trapOutcome(this.store, this.fn);
    return result;
  }
}

/** ToWebAssemblyValue for the direct types: ToInt32 for i32, ToNumber for f32/f64 (koffi rounds to float). */
function convert(isInt: boolean, value: unknown): number {
  return isInt ? (value as number) | 0 : +(value as number);
}

/** The exported JS function of a funcref with a direct shape (fixed arity up to 4: no rest arguments). */
export function directExportedFunction(info: FuncRefInfo): (...args: unknown[]) => unknown {
  const d = new DirectInvoker(info);
  const call = d.call;
  const params = info.type.params;
  const i0 = params[0] === ValType.I32;
  const i1 = params[1] === ValType.I32;
  const i2 = params[2] === ValType.I32;
  const i3 = params[3] === ValType.I32;
  let fn: (...args: never[]) => unknown;
  switch (params.length) {
    case 0:
      fn = () => {
        d.enter();
        return d.leave(call());
      };
      break;
    case 1:
      fn = (a: unknown) => {
        const x = convert(i0, a);
        d.enter();
        return d.leave(call(x));
      };
      break;
    case 2:
      fn = (a: unknown, b: unknown) => {
        const x = convert(i0, a);
        const y = convert(i1, b);
        d.enter();
        return d.leave(call(x, y));
      };
      break;
    case 3:
      fn = (a: unknown, b: unknown, c: unknown) => {
        const x = convert(i0, a);
        const y = convert(i1, b);
        const z = convert(i2, c);
        d.enter();
        return d.leave(call(x, y, z));
      };
      break;
    case 4:
      fn = (a: unknown, b: unknown, c: unknown, e: unknown) => {
        const x = convert(i0, a);
        const y = convert(i1, b);
        const z = convert(i2, c);
        const w = convert(i3, e);
        d.enter();
        return d.leave(call(x, y, z, w));
      };
      break;
    default: {
      const ints = Array.from(params, (t) => t === ValType.I32);
      fn = (...args: unknown[]) => {
        const values = new Array<number>(ints.length);
        for (let i = 0; i < ints.length; i++) values[i] = convert(ints[i]!, args[i]);
        d.enter();
        return d.leave(call(...values));
      };
    }
  }
  d.fn = fn;
  return fn as (...args: unknown[]) => unknown;
}
