// Calls. Arguments go to their ABI locations (registers as fixed-register uses, so the allocator places them; stack
// arguments stored to the outgoing area at [rsp + k] just before the call), results come back as fixed-register defs
// (or are loaded from the caller's return area), and every caller-saved register is clobbered.
//
//   call fnK(args)  (fnK = func i)       → call rel32  (CallRel32 relocation, target = function index i)
//   call fnK(args)  (fnK = builtin b)    → mov r11, [rdi + builtins]; call [r11 + 8*b]   (vmctx is argument 0)
//   call_indirect sig, callee(args)      → call callee

import { AbiLocKind, CALL_CLOBBERS } from '../x64/abi.js';
import { RDI } from '../x64/registers.js';
import { FuncKind, I64, Opcode } from '../ir/index.js';
import { IselError } from './errors.js';
import type { Lowerer } from './lower.js';
import { loadKindOfType, storeKindOfType } from './lower-control.js';
import { CALL_BUILTIN, CALL_DIRECT, CALL_INDIRECT, MOp } from './mops.js';
import { INST_IS_CALL, RegClass, defFixed, defReg, useFixed, useReg } from './regalloc-types.js';

export function lowerCallInst(ctx: Lowerer, inst: number, op: number): boolean {
  if (op !== Opcode.call && op !== Opcode.call_indirect) return false;
  const dfg = ctx.dfg;
  const sig = dfg.callSignature(inst);
  const layout = ctx.sigLayoutOf(sig);
  ctx.hasCalls = true;
  if (layout.stackArgBytes > ctx.outgoingArgBytes) ctx.outgoingArgBytes = layout.stackArgBytes;
  if (layout.returnAreaBytes > ctx.returnAreaBytes) ctx.returnAreaBytes = layout.returnAreaBytes;

  const indirect = op === Opcode.call_indirect;
  const first = indirect ? 1 : 0;
  const numArgs = dfg.numArgs(inst) - first;
  if (numArgs !== layout.params.length) {
    throw new IselError(`call passes ${numArgs} arguments to a signature with ${layout.params.length} parameters`);
  }
  let kind = CALL_INDIRECT;
  let target = 0;
  if (!indirect) {
    const ext = dfg.extFuncs[dfg.funcRef(inst)];
    target = ext.index;
    kind = ext.kind === FuncKind.builtin ? CALL_BUILTIN : CALL_DIRECT;
    if (kind === CALL_BUILTIN) {
      const loc0 = layout.params[0];
      if (loc0 === undefined || loc0.kind !== AbiLocKind.Reg || loc0.value !== RDI || sig.params[0] !== I64) {
        throw new IselError(`builtin ${target} must take the vmctx (i64) as its first argument`);
      }
    }
  }

  // Stack arguments first (the outgoing area is below everything the allocator uses, so the stores are safe).
  for (let i = 0; i < numArgs; i++) {
    const loc = layout.params[i];
    if (loc.kind !== AbiLocKind.Stack) continue;
    const v = dfg.arg(inst, first + i);
    ctx.begin(MOp.StoreOutgoing, 0, storeKindOfType(dfg.valueType(v)));
    ctx.use(useReg(ctx.vreg(v)));
    ctx.setAux(loc.value);
    ctx.end();
  }
  let retArea = -1;
  if (layout.returnAreaReg >= 0) {
    retArea = ctx.newVReg(RegClass.Int);
    ctx.begin(MOp.LeaRetArea, 8);
    ctx.use(defReg(retArea));
    ctx.setAux(0);
    ctx.end();
  }

  ctx.begin(MOp.Call, 8, kind);
  ctx.setAux(target);
  if (indirect) ctx.use(useReg(ctx.vreg(dfg.arg(inst, 0))));
  for (let i = 0; i < numArgs; i++) {
    const loc = layout.params[i];
    if (loc.kind === AbiLocKind.Reg) ctx.use(useFixed(ctx.vreg(dfg.arg(inst, first + i)), loc.value));
  }
  if (retArea >= 0) ctx.use(useFixed(retArea, layout.returnAreaReg));
  const nr = dfg.numResults(inst);
  for (let i = 0; i < nr; i++) {
    const loc = layout.results[i];
    if (loc.kind === AbiLocKind.Reg) ctx.use(defFixed(ctx.result(i), loc.value));
  }
  ctx.end(INST_IS_CALL, CALL_CLOBBERS);

  for (let i = 0; i < nr; i++) {
    const loc = layout.results[i];
    if (loc.kind !== AbiLocKind.ReturnArea) continue;
    ctx.begin(MOp.LoadRetArea, 0, loadKindOfType(dfg.valueType(dfg.result(inst, i))));
    ctx.use(defReg(ctx.result(i)));
    ctx.setAux(loc.value);
    ctx.end();
  }
  return true;
}
