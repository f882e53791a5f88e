/**
 * Calls. The callee's VMContext goes first, then the wasm arguments; results come back as the call's results.
 *
 * - A defined function of this module: `call fnN(vmctx, args…)` (fnN = func <index>; the backend links it).
 * - An imported function: code and VMContext from its VMFunctionImport (readonly: fixed at instantiation), then
 *   `call_indirect`.
 * - call_indirect: table bounds (table_oob), null element (indirect_null), signature id mismatch (bad_sig), then a
 *   call to the VMFuncRef's code with its VMContext. The VMFuncRef's fields never change, but their loads are not
 *   readonly: they are valid only behind the null check, so they must not be hoisted above it.
 *
 * Fuel: pending cost is flushed and (variable strategy) stored before the call, and the counter reloaded after.
 * Runtime builtins (memory.grow, bulk memory, tables, out of fuel, epoch) are `call`s of `builtin` functions with the
 * System V convention (FunctionTranslator.callBuiltin); they need no flush: they do not look at the fuel counter.
 */
import { CallConv, I32, I64, IntCC, MemFlag, Signature, TrapCode, type Inst, type Type } from '../ir/index.js';
import { tableElementAddress, TABLE_ELEMENT_FLAGS } from './translate-tables.js';
import type { FunctionTranslator } from './translate.js';
import { VMCTX_READONLY } from './translate-env.js';
import {
  Builtin,
  VMFUNCREF_CODE,
  VMFUNCREF_SIG_ID,
  VMFUNCREF_VMCTX,
  VMFUNCTION_IMPORT_CODE,
  VMFUNCTION_IMPORT_VMCTX,
} from './vm-offsets.js';

/** Signatures of the runtime builtins (vm-offsets.ts Builtin): vmctx first, the System V convention. */
export const BUILTIN_SIGNATURES: readonly Signature[] = (() => {
  const sig = (params: Type[], results: Type[]) => new Signature([I64, ...params], results, 0, CallConv.system_v);
  const table: Signature[] = [];
  table[Builtin.MemoryGrow] = sig([I32, I32], [I32]);
  table[Builtin.MemoryFill] = sig([I32, I32, I32, I32], [I32]);
  table[Builtin.MemoryCopy] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.MemoryInit] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.DataDrop] = sig([I32], []);
  table[Builtin.TableGrow] = sig([I32, I64, I32], [I32]);
  table[Builtin.TableFill] = sig([I32, I32, I64, I32], [I32]);
  table[Builtin.TableCopy] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.TableInit] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.ElemDrop] = sig([I32], []);
  table[Builtin.OutOfFuel] = sig([], [I32]);
  table[Builtin.EpochDeadline] = sig([], [I32]);
  return table;
})();

/** Fields of a VMFuncRef, read after the null check. */
const FUNC_REF_FIELD_FLAGS = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

/**
 * Fills `t.callArgs` with the callee VMContext and the top `n` operand-stack values; the call takes the first n + 1
 * (the array is reused in place, its length never reset: cheaper than truncating it per call).
 */
function collectArgs(t: FunctionTranslator, calleeVmctx: number, n: number): void {
  const args = t.callArgs;
  args[0] = calleeVmctx;
  const stack = t.stack;
  const base = t.sp - n;
  for (let i = 0; i < n; i++) args[i + 1] = stack[base + i];
}

function pushResults(t: FunctionTranslator, call: Inst, nParams: number): void {
  t.sp -= nParams;
  const dfg = t.func.dfg;
  const n = dfg.numResults(call);
  for (let i = 0; i < n; i++) t.push(dfg.result(call, i));
}

export function translateCall(t: FunctionTranslator, funcIndex: number): void {
  const ins = t.ins;
  const typeIndex = t.module.functions[funcIndex].typeIndex;
  const nParams = t.env.paramTypes[typeIndex].length;
  let call: Inst;
  if (funcIndex < t.module.numImportedFunctions) {
    const at = t.offsets.importedFunction(funcIndex);
    const code = ins.load(I64, VMCTX_READONLY, t.vmctx, at + VMFUNCTION_IMPORT_CODE);
    const calleeVmctx = ins.load(I64, VMCTX_READONLY, t.vmctx, at + VMFUNCTION_IMPORT_VMCTX);
    collectArgs(t, calleeVmctx, nParams);
    t.fuel.leave();
    call = ins.callIndirect(t.wasmSigRef(typeIndex), code, t.callArgs, 0, nParams + 1);
  } else {
    collectArgs(t, t.vmctx, nParams);
    t.fuel.leave();
    call = ins.call(t.wasmFuncRef(funcIndex), t.callArgs, 0, nParams + 1);
  }
  t.fuel.reload();
  pushResults(t, call, nParams);
}

export function translateCallIndirect(t: FunctionTranslator, typeIndex: number, table: number): void {
  const ins = t.ins;
  const nParams = t.env.paramTypes[typeIndex].length;
  const index = t.pop();
  const funcRef = ins.load(I64, TABLE_ELEMENT_FLAGS, tableElementAddress(t, table, index), 0);
  t.trapUnless(funcRef, TrapCode.indirect_null);
  const sigId = ins.load(I32, FUNC_REF_FIELD_FLAGS, funcRef, VMFUNCREF_SIG_ID);
  t.trapIf(ins.icmpImm(IntCC.ne, sigId, t.signatureIds[typeIndex]), TrapCode.bad_sig);
  const code = ins.load(I64, FUNC_REF_FIELD_FLAGS, funcRef, VMFUNCREF_CODE);
  const calleeVmctx = ins.load(I64, FUNC_REF_FIELD_FLAGS, funcRef, VMFUNCREF_VMCTX);
  collectArgs(t, calleeVmctx, nParams);
  t.fuel.leave();
  const call = ins.callIndirect(t.wasmSigRef(typeIndex), code, t.callArgs, 0, nParams + 1);
  t.fuel.reload();
  pushResults(t, call, nParams);
}
