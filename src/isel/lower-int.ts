// Integer lowering rules. Each rule reads as "IR pattern → x86-64 instructions":
//
//   iconst 0                         → xor r32, r32
//   iconst c                         → mov r, c
//   iadd x, (iconst c | load m)      → lea d, [x + c]  |  add d, [m]      (imm / load-op)
//   iadd x, y                        → lea d, [x + y*s + c]               (3-operand add, folded address arithmetic)
//   isub x, c                        → lea d, [x - c];   isub 0, y → neg
//   imul x, c                        → imul d, x, c
//   band/bor/bxor x, (c | load m | y) → and d, c | and d, [m] | and d, y;  bxor x, -1 → not
//   ishl x, 1..3                     → lea d, [x*2^k]
//   shifts/rotates x, c              → shl d, c & (bits-1);  x, y → shl d, cl (x64 masks the count like wasm)
//   udiv/sdiv/urem/srem              → zero check, INT_MIN/-1 check, div/idiv on rdx:rax
//   clz/ctz/popcnt                   → lzcnt/tzcnt/popcnt, or bsr/bsf/SWAR fallbacks without the CPU feature
//   uextend.i64 x                    → nothing when x was written by a 32-bit op, else mov r32, r32
//   ireduce.i32 x                    → nothing (the register is reused)

import { I64, NONE, Opcode, TrapCode } from '../ir/index.js';
import { AluOp, BitOp, Cond, ShiftOp, UnaryOp } from '../x64/index.js';
import { RAX, RCX, RDX } from '../x64/registers.js';
import { matchSum } from './amode.js';
import type { Lowerer } from './lower.js';
import { AmKind, CMP_TEST, ExtendKind, MOp } from './mops.js';
import {
  OperandConstraint,
  OperandKind,
  OperandPos,
  RegClass,
  defEarlyReg,
  defFixed,
  defReg,
  defReuse,
  makeOperand,
  useAny,
  useFixed,
  useReg,
} from './regalloc-types.js';
import { emitTrapIf } from './lower-flags.js';

/** Opcode-indexed tables (-1: not applicable): x86 ALU op and shift op of each IR opcode. */
const ALU_OF = new Int8Array(256).fill(-1);
const SHIFT_OF = new Int8Array(256).fill(-1);
for (const [op, alu] of [
  [Opcode.iadd, AluOp.Add], [Opcode.isub, AluOp.Sub], [Opcode.band, AluOp.And], [Opcode.bor, AluOp.Or],
  [Opcode.bxor, AluOp.Xor], [Opcode.iadd_imm, AluOp.Add], [Opcode.band_imm, AluOp.And], [Opcode.bor_imm, AluOp.Or],
  [Opcode.bxor_imm, AluOp.Xor],
] as const) {
  ALU_OF[op] = alu;
}
for (const [op, sh] of [
  [Opcode.ishl, ShiftOp.Shl], [Opcode.ushr, ShiftOp.Shr], [Opcode.sshr, ShiftOp.Sar], [Opcode.rotl, ShiftOp.Rol],
  [Opcode.rotr, ShiftOp.Ror], [Opcode.ishl_imm, ShiftOp.Shl], [Opcode.ushr_imm, ShiftOp.Shr],
  [Opcode.sshr_imm, ShiftOp.Sar], [Opcode.rotl_imm, ShiftOp.Rol], [Opcode.rotr_imm, ShiftOp.Ror],
] as const) {
  SHIFT_OF[op] = sh;
}

/** x86 ALU op of an IR opcode that sets ZF/SF from its result (add/sub/and/or/xor and their _imm forms), or -1. */
export function flagAluOf(op: number): number {
  return ALU_OF[op];
}

export function lowerIntInst(ctx: Lowerer, inst: number, op: number): boolean {
  const dfg = ctx.dfg;
  switch (op) {
    case Opcode.iconst: {
      const size = ctx.intSize(dfg.instType(inst));
      ctx.movImm(ctx.result(), size, dfg.immLo(inst), dfg.immHi(inst));
      return true;
    }
    case Opcode.iadd:
      lowerIadd(ctx, inst);
      return true;
    case Opcode.isub:
      lowerIsub(ctx, inst);
      return true;
    case Opcode.band:
    case Opcode.bor:
    case Opcode.bxor:
      lowerLogic(ctx, inst, ALU_OF[op]);
      return true;
    case Opcode.imul:
      lowerImul(ctx, inst);
      return true;
    case Opcode.iadd_imm:
      addImm(ctx, inst, dfg.arg(inst, 0), dfg.immLo(inst), dfg.immHi(inst));
      return true;
    case Opcode.band_imm:
    case Opcode.bor_imm:
    case Opcode.bxor_imm:
      logicImm(ctx, inst, ALU_OF[op], dfg.arg(inst, 0), dfg.immLo(inst), dfg.immHi(inst));
      return true;
    case Opcode.imul_imm:
      mulImm(ctx, inst, dfg.arg(inst, 0), dfg.immLo(inst), dfg.immHi(inst));
      return true;
    case Opcode.ishl:
    case Opcode.ushr:
    case Opcode.sshr:
    case Opcode.rotl:
    case Opcode.rotr:
      lowerShift(ctx, inst, SHIFT_OF[op]);
      return true;
    case Opcode.ishl_imm:
    case Opcode.ushr_imm:
    case Opcode.sshr_imm:
    case Opcode.rotl_imm:
    case Opcode.rotr_imm:
      shiftImm(ctx, inst, SHIFT_OF[op], dfg.arg(inst, 0), dfg.immLo(inst));
      return true;
    case Opcode.ineg:
    case Opcode.bnot:
      unary(ctx, op === Opcode.ineg ? UnaryOp.Neg : UnaryOp.Not, ctx.intSize(dfg.instType(inst)), dfg.arg(inst, 0));
      return true;
    case Opcode.clz:
    case Opcode.ctz:
    case Opcode.popcnt:
      lowerBitCount(ctx, inst, op);
      return true;
    case Opcode.sextend8:
    case Opcode.sextend16:
    case Opcode.sextend32: {
      const wide = dfg.instType(inst) === I64;
      const kind =
        op === Opcode.sextend8
          ? wide ? ExtendKind.S8x64 : ExtendKind.S8x32
          : op === Opcode.sextend16
            ? wide ? ExtendKind.S16x64 : ExtendKind.S16x32
            : ExtendKind.S32x64;
      movx(ctx, kind, dfg.arg(inst, 0));
      return true;
    }
    case Opcode.uextend: {
      const x = dfg.arg(inst, 0);
      if (ctx.knownZeroExtended(x)) ctx.aliasValue(dfg.result(inst, 0), x);
      else ctx.mov(ctx.result(), ctx.vreg(x), 4);
      return true;
    }
    case Opcode.sextend:
      movx(ctx, ExtendKind.S32x64, dfg.arg(inst, 0));
      return true;
    case Opcode.ireduce:
      ctx.aliasValue(dfg.result(inst, 0), dfg.arg(inst, 0));
      return true;
    case Opcode.udiv:
    case Opcode.sdiv:
    case Opcode.urem:
    case Opcode.srem:
      lowerDivRem(ctx, inst, op);
      return true;
    default:
      return false;
  }
}

// ---- add / sub -------------------------------------------------------------------------------------------------

function lowerIadd(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const size = ctx.intSize(t);
  const x = dfg.arg(inst, 0);
  const y = dfg.arg(inst, 1);
  if (ctx.immOf(y, size)) {
    ctx.consume(y);
    addImm(ctx, inst, x, ctx.cLo, ctx.cLo >> 31);
    return;
  }
  if (ctx.immOf(x, size)) {
    ctx.consume(x);
    addImm(ctx, inst, y, ctx.cLo, ctx.cLo >> 31);
    return;
  }
  if (ctx.tryMergeLoad(y, t)) return aluRM(ctx, AluOp.Add, size, x);
  if (ctx.tryMergeLoad(x, t)) return aluRM(ctx, AluOp.Add, size, y);
  lea(ctx, size, x, y, 0, t);
}

/** d = x + (lo, hi): lea d, [x + c] (a copy for 0; through a register when c is not an imm32). */
function addImm(ctx: Lowerer, inst: number, x: number, lo: number, hi: number): void {
  const t = ctx.dfg.instType(inst);
  const size = ctx.intSize(t);
  if (size === 4) hi = lo >> 31;
  if (lo === 0 && hi === 0) {
    ctx.mov(ctx.result(), ctx.vreg(x), size);
    return;
  }
  if (hi !== lo >> 31) {
    const c = ctx.intConstVReg(lo, hi, 8);
    return aluRRv(ctx, AluOp.Add, size, ctx.vreg(x), c, ctx.result());
  }
  lea(ctx, size, x, NONE, lo, t);
}

function lea(ctx: Lowerer, size: number, x: number, y: number, disp: number, t: number): void {
  const d = ctx.result();
  matchSum(ctx, x, y, disp, t);
  ctx.begin(MOp.Lea, size);
  ctx.use(defReg(d));
  ctx.useAmode();
  ctx.end();
}

function lowerIsub(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const size = ctx.intSize(t);
  const x = dfg.arg(inst, 0);
  const y = dfg.arg(inst, 1);
  if (ctx.immOf(y, size) && ctx.cLo !== -0x80000000) {
    ctx.consume(y);
    return addImm(ctx, inst, x, -ctx.cLo, -ctx.cLo >> 31);
  }
  if (ctx.constOf(x) && ctx.cLo === 0 && ctx.cHi === 0) {
    ctx.consume(x);
    return unary(ctx, UnaryOp.Neg, size, y);
  }
  if (ctx.tryMergeLoad(y, t)) return aluRM(ctx, AluOp.Sub, size, x);
  aluRRv(ctx, AluOp.Sub, size, ctx.vreg(x), ctx.vreg(y), ctx.result());
}

// ---- logic -----------------------------------------------------------------------------------------------------

function lowerLogic(ctx: Lowerer, inst: number, aluOp: number): void {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const size = ctx.intSize(t);
  let x = dfg.arg(inst, 0);
  let y = dfg.arg(inst, 1);
  if (ctx.immOf(x, size) && !ctx.immOf(y, size)) [x, y] = [y, x];
  if (ctx.immOf(y, size)) {
    ctx.consume(y);
    return logicImm(ctx, inst, aluOp, x, ctx.cLo, ctx.cLo >> 31);
  }
  if (ctx.tryMergeLoad(y, t)) return aluRM(ctx, aluOp, size, x);
  if (ctx.tryMergeLoad(x, t)) return aluRM(ctx, aluOp, size, y);
  if (ctx.diesHereButNot(y, x)) [x, y] = [y, x];
  aluRRv(ctx, aluOp, size, ctx.vreg(x), ctx.vreg(y), ctx.result());
}

function logicImm(ctx: Lowerer, inst: number, aluOp: number, x: number, lo: number, hi: number): void {
  const size = ctx.intSize(ctx.dfg.instType(inst));
  if (size === 4) hi = lo >> 31;
  if (aluOp === AluOp.Xor && lo === -1 && hi === -1) return unary(ctx, UnaryOp.Not, size, x);
  if (hi !== lo >> 31) {
    const c = ctx.intConstVReg(lo, hi, 8);
    return aluRRv(ctx, aluOp, size, ctx.vreg(x), c, ctx.result());
  }
  aluRI(ctx, aluOp, size, ctx.vreg(x), lo, ctx.result());
}

// ---- multiply --------------------------------------------------------------------------------------------------

function lowerImul(ctx: Lowerer, inst: number): void {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const size = ctx.intSize(t);
  let x = dfg.arg(inst, 0);
  let y = dfg.arg(inst, 1);
  if (ctx.immOf(x, size) && !ctx.immOf(y, size)) [x, y] = [y, x];
  if (ctx.immOf(y, size)) {
    ctx.consume(y);
    return mulImm(ctx, inst, x, ctx.cLo, ctx.cLo >> 31);
  }
  if (ctx.tryMergeLoad(y, t)) return imulRM(ctx, size, x);
  if (ctx.tryMergeLoad(x, t)) return imulRM(ctx, size, y);
  if (ctx.diesHereButNot(y, x)) [x, y] = [y, x];
  const d = ctx.result();
  ctx.begin(MOp.ImulRR, size);
  ctx.use(useReg(ctx.vreg(x)));
  ctx.use(useAny(ctx.vreg(y)));
  ctx.use(defReuse(d, 0));
  ctx.end();
}

function imulRM(ctx: Lowerer, size: number, a: number): void {
  ctx.begin(MOp.ImulRM, size);
  ctx.use(useReg(ctx.vreg(a)));
  ctx.use(defReuse(ctx.result(), 0));
  ctx.useAmode();
  ctx.end();
}

function mulImm(ctx: Lowerer, inst: number, x: number, lo: number, hi: number): void {
  const size = ctx.intSize(ctx.dfg.instType(inst));
  if (size === 4) hi = lo >> 31;
  const d = ctx.result();
  if (hi !== lo >> 31) {
    const c = ctx.intConstVReg(lo, hi, 8);
    ctx.begin(MOp.ImulRR, size);
    ctx.use(useReg(ctx.vreg(x)));
    ctx.use(useAny(c));
    ctx.use(defReuse(d, 0));
    ctx.end();
    return;
  }
  ctx.begin(MOp.ImulRRI, size);
  ctx.use(useAny(ctx.vreg(x)));
  ctx.use(defReg(d));
  ctx.setImm(lo);
  ctx.end();
}

// ---- shifts ----------------------------------------------------------------------------------------------------

function lowerShift(ctx: Lowerer, inst: number, shiftOp: number): void {
  const dfg = ctx.dfg;
  const size = ctx.intSize(dfg.instType(inst));
  const x = dfg.arg(inst, 0);
  const y = dfg.arg(inst, 1);
  if (ctx.constOf(y)) {
    ctx.consume(y);
    return shiftImm(ctx, inst, shiftOp, x, ctx.cLo);
  }
  ctx.begin(MOp.ShiftRCl, size, shiftOp);
  ctx.use(useReg(ctx.vreg(x)));
  ctx.use(useFixed(ctx.vreg(y), RCX));
  ctx.use(defReuse(ctx.result(), 0));
  ctx.end();
}

function shiftImm(ctx: Lowerer, inst: number, shiftOp: number, x: number, amount: number): void {
  const t = ctx.dfg.instType(inst);
  const size = ctx.intSize(t);
  const k = amount & (size * 8 - 1);
  const d = ctx.result();
  if (k === 0) return ctx.mov(d, ctx.vreg(x), size);
  if (shiftOp === ShiftOp.Shl && k <= 3) {
    // lea d, [x*2^k]: a 3-operand shift.
    const xv = ctx.vreg(x);
    ctx.amDisp = 0;
    if (k === 1) {
      ctx.amKind = AmKind.BaseIndex;
      ctx.amBase = xv;
      ctx.amIndex = xv;
      ctx.amShift = 0;
    } else {
      ctx.amKind = AmKind.Index;
      ctx.amIndex = xv;
      ctx.amShift = k;
    }
    ctx.begin(MOp.Lea, size);
    ctx.use(defReg(d));
    ctx.useAmode();
    ctx.end();
    return;
  }
  ctx.begin(MOp.ShiftRI, size, shiftOp);
  ctx.use(useReg(ctx.vreg(x)));
  ctx.use(defReuse(d, 0));
  ctx.setImm(k);
  ctx.end();
}

// ---- unary, extensions, bit counting -----------------------------------------------------------------------------

function unary(ctx: Lowerer, unaryOp: number, size: number, x: number): void {
  ctx.begin(MOp.Unary, size, unaryOp);
  ctx.use(useReg(ctx.vreg(x)));
  ctx.use(defReuse(ctx.result(), 0));
  ctx.end();
}

function movx(ctx: Lowerer, kind: number, x: number): void {
  ctx.begin(MOp.Movx, 0, kind);
  ctx.use(useAny(ctx.vreg(x)));
  ctx.use(defReg(ctx.result()));
  ctx.end();
}

function lowerBitCount(ctx: Lowerer, inst: number, op: number): void {
  const size = ctx.intSize(ctx.dfg.instType(inst));
  const x = ctx.vreg(ctx.dfg.arg(inst, 0));
  const d = ctx.result();
  const cpu = ctx.cpu;
  const native =
    op === Opcode.clz ? (cpu.lzcnt ? BitOp.Lzcnt : -1) : op === Opcode.ctz ? (cpu.bmi1 ? BitOp.Tzcnt : -1) : cpu.popcnt ? BitOp.Popcnt : -1;
  if (native >= 0) {
    ctx.begin(MOp.BitRR, size, native);
    ctx.use(useAny(x));
    ctx.use(defReg(d));
    ctx.end();
    return;
  }
  ctx.begin(op === Opcode.clz ? MOp.ClzBsr : op === Opcode.ctz ? MOp.CtzBsf : MOp.PopcntSeq, size);
  ctx.use(useReg(x));
  // The fallbacks write d before they finish reading x (popcnt) or use a temporary: keep d apart from x for popcnt.
  if (op === Opcode.popcnt) {
    ctx.use(defReg(d));
    ctx.use(defEarlyReg(ctx.newVReg(RegClass.Int)));
  } else {
    ctx.use(defReg(d));
  }
  ctx.end();
}

// ---- division ----------------------------------------------------------------------------------------------------

function lowerDivRem(ctx: Lowerer, inst: number, op: number): void {
  const dfg = ctx.dfg;
  const size = ctx.intSize(dfg.instType(inst));
  const x = ctx.vreg(dfg.arg(inst, 0));
  const yv = dfg.arg(inst, 1);
  const signed = op === Opcode.sdiv || op === Opcode.srem;
  const rem = op === Opcode.urem || op === Opcode.srem;
  // A constant divisor needs no zero check, and no -1 check unless it is -1.
  const yConst = ctx.constOf(yv);
  const yIsZero = yConst && ctx.cLo === 0 && (size === 4 || ctx.cHi === 0);
  const yIsMinusOne = yConst && ctx.cLo === -1 && (size === 4 || ctx.cHi === -1);
  const y = ctx.vreg(yv);
  if (!yConst || yIsZero) {
    ctx.begin(MOp.CmpRR, size, CMP_TEST);
    ctx.use(useReg(y));
    ctx.use(useAny(y));
    ctx.end();
    emitTrapIf(ctx, Cond.E, ctx.trapSite(TrapCode.int_divz));
  }
  if (op === Opcode.sdiv && (!yConst || yIsMinusOne)) {
    ctx.begin(MOp.SdivOvfCheck, size);
    ctx.use(useReg(x));
    ctx.use(useReg(y));
    ctx.setAux(ctx.trapSite(TrapCode.int_ovf));
    ctx.end();
  }
  const d = ctx.result();
  const q = rem ? ctx.newVReg(RegClass.Int) : d;
  const r = rem ? d : ctx.newVReg(RegClass.Int);
  const seq = op === Opcode.srem && (!yConst || yIsMinusOne);
  ctx.begin(seq ? MOp.SremSeq : MOp.Div, size, signed ? 1 : 0);
  ctx.use(useFixed(x, RAX));
  ctx.use(useReg(y));
  ctx.use(defFixed(q, RAX));
  ctx.use(makeOperand(r, OperandKind.Def, OperandPos.Early, OperandConstraint.FixedReg, RDX));
  ctx.end();
}

// ---- shared shapes ---------------------------------------------------------------------------------------------

/** d = a op b (two-address: d reuses a's register). */
export function aluRRv(ctx: Lowerer, aluOp: number, size: number, a: number, b: number, d: number): void {
  ctx.begin(MOp.AluRR, size, aluOp);
  ctx.use(useReg(a));
  ctx.use(useAny(b));
  ctx.use(defReuse(d, 0));
  ctx.end();
}

export function aluRI(ctx: Lowerer, aluOp: number, size: number, a: number, imm: number, d: number): void {
  ctx.begin(MOp.AluRI, size, aluOp);
  ctx.use(useReg(a));
  ctx.use(defReuse(d, 0));
  ctx.setImm(imm);
  ctx.end();
}

/** d = a op [m] with the address already in ctx.am* (from tryMergeLoad). */
function aluRM(ctx: Lowerer, aluOp: number, size: number, a: number): void {
  ctx.begin(MOp.AluRM, size, aluOp);
  ctx.use(useReg(ctx.vreg(a)));
  ctx.use(defReuse(ctx.result(), 0));
  ctx.useAmode();
  ctx.end();
}

