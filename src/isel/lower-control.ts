// Control flow, selects, compares and traps:
//
//   jump B(args)                                   → jmp B          (elided when B is next)
//   brif c, T, E                                   → <flags for c>; jcc T; jmp E
//   brif (icmp_imm sge x, 0) where x = iadd_imm y, k right before it
//                                                  → add y, k; jns …   (the add's flags feed the branch: no cmp)
//   brif (icmp_imm sge x, 0) where x = iadd_imm (load [a]), k; store x, [a] right before it
//                                                  → add qword [a], k; jns …   (fuel `memory` strategy: one RMW)
//   br_table i, D, [T…]                            → bounds clamp, jump-table load, jmp reg
//   return v…                                      → results to their ABI registers / return area; epilogue; ret
//   trap code                                      → call <raise> (the return address identifies the trap site)
//   trapz/trapnz c, code                           → <flags for c>; jcc <out-of-line trap stub>
//   select c, x, y                                 → <flags for c>; cmovcc (ints) / short branch (floats)
//   icmp / fcmp (materialised)                     → cmp / ucomis; setcc; movzx

import { AbiLocKind } from '../x64/abi.js';
import { F32, F64, Format, I64, NONE, Opcode } from '../ir/index.js';
import { CC_FEQ, CC_FNE, invertCondition } from './conds.js';
import type { Lowerer } from './lower.js';
import { emitFloatCompare, emitIntCompare, emitSetcc, emitTrapIf, lowerCondition, zeroCompareCond } from './lower-flags.js';
import { flagAluOf } from './lower-int.js';
import { emitRmw, matchRmwLoad } from './lower-rmw.js';
import { AmKind, LoadKind, MOp, StoreKind } from './mops.js';
import {
  INST_IS_BRANCH,
  INST_IS_RET,
  RegClass,
  defEarlyReg,
  defFixed,
  defReg,
  defReuse,
  useAny,
  useFixed,
  useReg,
} from './regalloc-types.js';
import { AluOp } from '../x64/index.js';
import { IselError } from './errors.js';

export function lowerControlInst(ctx: Lowerer, inst: number, op: number): boolean {
  const dfg = ctx.dfg;
  switch (op) {
    case Opcode.jump:
      ctx.begin(MOp.Jmp, 0);
      ctx.end(INST_IS_BRANCH);
      ctx.edge(0);
      return true;
    case Opcode.brif: {
      const cond = lowerBrifCondition(ctx, inst);
      ctx.begin(MOp.JccJmp, 0, cond);
      ctx.end(INST_IS_BRANCH);
      ctx.edge(0);
      ctx.edge(1);
      return true;
    }
    case Opcode.br_table:
      lowerBrTable(ctx, inst);
      return true;
    case Opcode.return:
      lowerReturn(ctx, inst);
      return true;
    case Opcode.trap:
      ctx.begin(MOp.Trap, 0);
      ctx.setAux(ctx.trapSite(dfg.trapCode(inst)));
      ctx.end(INST_IS_BRANCH);
      return true;
    case Opcode.trapz:
    case Opcode.trapnz: {
      const cond = lowerCondition(ctx, dfg.arg(inst, 0));
      emitTrapIf(ctx, op === Opcode.trapnz ? cond : invertCondition(cond), ctx.trapSite(dfg.trapCode(inst)));
      return true;
    }
    case Opcode.select:
      lowerSelect(ctx, inst);
      return true;
    case Opcode.icmp:
    case Opcode.icmp_imm:
      emitSetcc(ctx, emitIntCompare(ctx, inst), ctx.result());
      return true;
    case Opcode.fcmp:
      emitSetcc(ctx, emitFloatCompare(ctx, inst), ctx.result());
      return true;
    default:
      return false;
  }
}

// ---- brif --------------------------------------------------------------------------------------------------------

function lowerBrifCondition(ctx: Lowerer, term: number): number {
  const dfg = ctx.dfg;
  const c = dfg.arg(term, 0);
  const cmp = ctx.defOf(c);
  if (cmp !== NONE && ctx.useCount[dfg.resolve(c)] === 1 && ctx.func.layout.nextInst(cmp) === term) {
    const cond = tryFlagsFromArithmetic(ctx, c, cmp);
    if (cond >= 0) return cond;
  }
  return lowerCondition(ctx, c);
}

/**
 * `x = op …; [store x, [a];] c = icmp_imm cc x, 0; brif c` with cc ∈ {eq, ne, slt, sge}: the arithmetic (or its
 * read-modify-write form) already leaves the answer in ZF/SF, so it is emitted right before the jump and no compare
 * is needed. Returns the condition, or -1 when the pattern does not apply (nothing emitted).
 */
function tryFlagsFromArithmetic(ctx: Lowerer, c: number, cmp: number): number {
  const dfg = ctx.dfg;
  const layout = ctx.func.layout;
  const op = dfg.opcode(cmp);
  let zeroOperand = NONE;
  if (op === Opcode.icmp_imm) {
    if (dfg.immLo(cmp) !== 0 || (dfg.immHi(cmp) !== 0 && dfg.valueType(dfg.arg(cmp, 0)) === I64)) return -1;
  } else if (op === Opcode.icmp) {
    zeroOperand = dfg.arg(cmp, 1);
    if (!ctx.constOf(zeroOperand) || ctx.cLo !== 0 || ctx.cHi !== 0) return -1;
  } else {
    return -1;
  }
  const cond = zeroCompareCond(dfg.condCode(cmp));
  if (cond < 0) return -1;
  const x = dfg.arg(cmp, 0);
  const X = ctx.defOf(x);
  if (X === NONE || !ctx.inCurrentBlock(X)) return -1;
  const aluOp = flagAluOf(dfg.opcode(X));
  if (aluOp < 0) return -1;
  const t = dfg.instType(X);
  const size = ctx.intSize(t);
  const prev = layout.prevInst(cmp);
  const xr = dfg.resolve(x);

  if (prev === X) {
    // The arithmetic moves down to the branch (it is right above the compare, so nothing is reordered).
    const isImmForm = dfg.format(X) === Format.BinaryImm;
    if (isImmForm && size === 8 && dfg.immHi(X) !== dfg.immLo(X) >> 31) return -1;
    ctx.absorb(c, cmp);
    if (zeroOperand !== NONE) ctx.consume(zeroOperand);
    ctx.consume(x); // the compare's use: we define x instead of reading it
    ctx.merged[X] = 1;
    const d = ctx.vreg(x);
    let a = dfg.arg(X, 0);
    if (isImmForm) {
      emitAluImm(ctx, aluOp, size, ctx.vreg(a), dfg.immLo(X), d);
      return cond;
    }
    let b = dfg.arg(X, 1);
    if (aluOp !== AluOp.Sub && ctx.immOf(a, size) && !ctx.immOf(b, size)) [a, b] = [b, a];
    if (ctx.immOf(b, size)) {
      ctx.consume(b);
      emitAluImm(ctx, aluOp, size, ctx.vreg(a), ctx.cLo, d);
    } else {
      ctx.begin(MOp.AluRR, size, aluOp);
      ctx.use(useReg(ctx.vreg(a)));
      ctx.use(useAny(ctx.vreg(b)));
      ctx.use(defReuse(d, 0));
      ctx.end();
    }
    return cond;
  }

  // Read-modify-write: X = op(load [a+off], y); store x, [a+off]; compare; branch.
  if (
    prev === NONE ||
    dfg.opcode(prev) !== Opcode.store ||
    dfg.resolve(dfg.arg(prev, 0)) !== xr ||
    layout.prevInst(prev) !== X ||
    ctx.useCount[xr] !== 2
  ) {
    return -1;
  }
  const store = prev;
  const addr = dfg.arg(store, 1);
  const off = dfg.offset(store);
  const load = matchRmwLoad(ctx, X, addr, off, t, store);
  if (load < 0) return -1;
  ctx.absorb(c, cmp);
  if (zeroOperand !== NONE) ctx.consume(zeroOperand);
  ctx.merged[store] = 1; // its operands (x, addr) are ours now
  ctx.consume(x);
  ctx.consume(x);
  ctx.merged[X] = 1;
  emitRmw(ctx, X, load, addr, off, aluOp, size);
  return cond;
}

function emitAluImm(ctx: Lowerer, aluOp: number, size: number, a: number, imm: number, d: number): void {
  ctx.begin(MOp.AluRI, size, aluOp);
  ctx.use(useReg(a));
  ctx.use(defReuse(d, 0));
  ctx.setImm(imm);
  ctx.end();
}

// ---- br_table --------------------------------------------------------------------------------------------------

function lowerBrTable(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const nd = dfg.numDests(inst);
  const idx = ctx.vreg(dfg.arg(inst, 0));
  const table = ctx.jumpTableBlock.length;
  ctx.jumpTableBlock.push(ctx.currentVBlock());
  const target = ctx.newVReg(RegClass.Int);
  ctx.begin(MOp.JtAddr, 8);
  ctx.use(useReg(idx));
  ctx.use(defReg(target));
  ctx.use(defEarlyReg(ctx.newVReg(RegClass.Int)));
  ctx.setAux(table);
  ctx.setImm(nd - 1); // table size; index nd - 1 (clamped) is the default
  ctx.end();
  ctx.begin(MOp.JmpTable, 8);
  ctx.use(useReg(target));
  ctx.setAux(table);
  ctx.end(INST_IS_BRANCH);
  for (let k = 0; k < nd; k++) ctx.edge(k);
}

// ---- return and entry ------------------------------------------------------------------------------------------

function lowerReturn(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const layout = ctx.sigLayoutOf(ctx.func.signature);
  const n = dfg.numArgs(inst);
  if (n !== layout.results.length) {
    throw new IselError(`return of ${n} values from a function with ${layout.results.length} results`);
  }
  for (let i = 0; i < n; i++) {
    const loc = layout.results[i];
    if (loc.kind !== AbiLocKind.ReturnArea) continue;
    const v = dfg.arg(inst, i);
    const t = dfg.valueType(v);
    ctx.amKind = AmKind.Base;
    ctx.amBase = ctx.returnAreaVReg();
    ctx.amDisp = loc.value;
    ctx.amShift = 0;
    ctx.begin(MOp.Store, 0, storeKindOfType(t));
    ctx.use(useReg(ctx.vreg(v)));
    ctx.useAmode();
    ctx.end();
  }
  ctx.begin(MOp.Ret, 0);
  for (let i = 0; i < n; i++) {
    const loc = layout.results[i];
    if (loc.kind === AbiLocKind.Reg) ctx.use(useFixed(ctx.vreg(dfg.arg(inst, i)), loc.value));
  }
  ctx.end(INST_IS_RET);
}

/** Defines the incoming arguments `params` (vregs, in signature order) at the function entry. */
export function lowerEntryArgs(ctx: Lowerer, params: readonly number[]): void {
  const sig = ctx.func.signature;
  const layout = ctx.sigLayoutOf(sig);
  if (params.length !== sig.params.length) {
    throw new IselError(`${ctx.func.name}: entry block has ${params.length} parameters, the signature ${sig.params.length}`);
  }
  ctx.begin(MOp.Args, 0);
  for (let i = 0; i < params.length; i++) {
    const loc = layout.params[i];
    if (loc.kind === AbiLocKind.Reg) ctx.use(defFixed(params[i], loc.value));
  }
  if (layout.returnAreaReg >= 0) ctx.use(defFixed(ctx.returnAreaVReg(), layout.returnAreaReg));
  ctx.end();
  for (let i = 0; i < params.length; i++) {
    const loc = layout.params[i];
    if (loc.kind !== AbiLocKind.Stack) continue;
    ctx.begin(MOp.LoadIncoming, 0, loadKindOfType(sig.params[i]));
    ctx.use(defReg(params[i]));
    ctx.setAux(loc.value);
    ctx.end();
  }
}

export function loadKindOfType(t: number): number {
  return t === F32 ? LoadKind.F32 : t === F64 ? LoadKind.F64 : t === I64 ? LoadKind.I64 : LoadKind.I32;
}

export function storeKindOfType(t: number): number {
  return t === F32 ? StoreKind.F32 : t === F64 ? StoreKind.F64 : t === I64 ? StoreKind.I64 : StoreKind.I32;
}

// ---- select ----------------------------------------------------------------------------------------------------

function lowerSelect(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const x = dfg.arg(inst, 1);
  const y = dfg.arg(inst, 2);
  let cond = lowerCondition(ctx, dfg.arg(inst, 0));
  // result = cond ? alt : base. E∧NP cannot be a pair of cmovs; select(E∧NP, x, y) = select(NE∨P, y, x).
  let base = y;
  let alt = x;
  if (cond === CC_FEQ) {
    cond = CC_FNE;
    base = x;
    alt = y;
  }
  const d = ctx.result();
  if (t === F32 || t === F64) {
    ctx.begin(MOp.XmmCmov, 0, cond);
    ctx.use(useReg(ctx.vreg(base)));
    ctx.use(useReg(ctx.vreg(alt)));
  } else {
    ctx.begin(MOp.Cmov, ctx.intSize(t), cond);
    ctx.use(useReg(ctx.vreg(base)));
    ctx.use(useAny(ctx.vreg(alt)));
  }
  ctx.use(defReuse(d, 0));
  ctx.end();
}

