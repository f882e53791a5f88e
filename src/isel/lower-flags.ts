// Conditions: compares that set the flags, and the instructions that consume them.
//
//   brif (icmp cc a, b) …           → cmp a, b; jcc          (compare + branch fusion: no setcc)
//   icmp cc (load m), c             → cmp [m], c             (compare with memory; also cmp a, [m] / cmp [m], r)
//   icmp cc a, 0                    → test a, a
//   select (icmp cc a, b), x, y     → cmp a, b; cmovcc       (compare + select)
//   trapnz (icmp cc a, b)           → cmp a, b; jcc trap
//   fcmp cc a, b                    → ucomis a, b (operands swapped for lt/le so only A/AE are needed)
//   brif v (any other value)        → test v, v; jne
//
// A compare is fused into its consumer when it is in the same block and the consumer is its only use; otherwise it is
// materialised with setcc and consumers test the result.

import { F32, IntCC, NONE, Opcode, swapIntCC } from '../ir/index.js';
import { AluOp, Cond } from '../x64/index.js';
import { FLOAT_CC_SWAP, FLOAT_CC_TO_COND, INT_CC_TO_COND } from './conds.js';
import type { Lowerer } from './lower.js';
import { CMP_TEST, MOp } from './mops.js';
import { defReg, useAny, useReg } from './regalloc-types.js';


/**
 * Emits the flag-setting instruction for the icmp/icmp_imm `cmp` (whose operands the current instruction owns: the
 * compare itself, or a consumer that absorbed it). Returns the x86 condition that holds when the compare is true.
 */
export function emitIntCompare(ctx: Lowerer, cmp: number): number {
  const dfg = ctx.dfg;
  const cc = dfg.condCode(cmp);
  let a = dfg.arg(cmp, 0);
  const t = dfg.valueType(a);
  const size = ctx.intSize(t);
  let cond = INT_CC_TO_COND[cc];
  let isImm = false;
  let lo = 0;
  let hi = 0;
  let b = NONE;
  if (dfg.opcode(cmp) === Opcode.icmp_imm) {
    isImm = true;
    lo = dfg.immLo(cmp);
    hi = size === 4 ? lo >> 31 : dfg.immHi(cmp);
  } else {
    b = dfg.arg(cmp, 1);
    if (ctx.constOf(b) && a !== b) {
      ctx.consume(b);
      isImm = true;
      lo = ctx.cLo;
      hi = size === 4 ? lo >> 31 : ctx.cHi;
    } else if (ctx.constOf(a) && a !== b) {
      ctx.consume(a);
      isImm = true;
      lo = ctx.cLo;
      hi = size === 4 ? lo >> 31 : ctx.cHi;
      a = b;
      cond = INT_CC_TO_COND[swapIntCC(cc)];
    }
  }
  if (isImm) {
    if (hi !== lo >> 31) {
      // Not an imm32: compare against a register.
      const c = ctx.intConstVReg(lo, hi, 8);
      ctx.begin(MOp.CmpRR, size, AluOp.Cmp);
      ctx.use(useReg(ctx.vreg(a)));
      ctx.use(useAny(c));
      ctx.end();
      return cond;
    }
    if (ctx.tryMergeLoad(a, t)) {
      ctx.begin(MOp.CmpMI, size, AluOp.Cmp);
      ctx.setImm(lo);
      ctx.useAmode();
      ctx.end();
      return cond;
    }
    const av = ctx.vreg(a);
    if (lo === 0) {
      ctx.begin(MOp.CmpRR, size, CMP_TEST);
      ctx.use(useReg(av));
      ctx.use(useAny(av));
    } else {
      ctx.begin(MOp.CmpRI, size, AluOp.Cmp);
      ctx.use(useAny(av));
      ctx.setImm(lo);
    }
    ctx.end();
    return cond;
  }
  if (a !== b && ctx.tryMergeLoad(b, t)) {
    ctx.begin(MOp.CmpRM, size, AluOp.Cmp);
    ctx.use(useReg(ctx.vreg(a)));
    ctx.useAmode();
    ctx.end();
    return cond;
  }
  if (a !== b && ctx.tryMergeLoad(a, t)) {
    ctx.begin(MOp.CmpMR, size, AluOp.Cmp);
    ctx.use(useReg(ctx.vreg(b)));
    ctx.useAmode();
    ctx.end();
    return cond;
  }
  ctx.begin(MOp.CmpRR, size, AluOp.Cmp);
  ctx.use(useReg(ctx.vreg(a)));
  ctx.use(useAny(ctx.vreg(b)));
  ctx.end();
  return cond;
}

/** Emits ucomis for the fcmp `cmp`; returns the condition (possibly compound: CC_FEQ / CC_FNE). */
export function emitFloatCompare(ctx: Lowerer, cmp: number): number {
  const dfg = ctx.dfg;
  const cc = dfg.condCode(cmp);
  let a = dfg.arg(cmp, 0);
  let b = dfg.arg(cmp, 1);
  if (FLOAT_CC_SWAP[cc] === 1) [a, b] = [b, a];
  const t = dfg.valueType(a);
  const size = t === F32 ? 4 : 8;
  if (a !== b && ctx.tryMergeLoad(b, t)) {
    ctx.begin(MOp.UcomisRM, size);
    ctx.use(useReg(ctx.vreg(a)));
    ctx.useAmode();
    ctx.end();
  } else {
    ctx.begin(MOp.Ucomis, size);
    ctx.use(useReg(ctx.vreg(a)));
    ctx.use(useAny(ctx.vreg(b)));
    ctx.end();
  }
  return FLOAT_CC_TO_COND[cc];
}

/**
 * Sets the flags for truth value `c` (non-zero = true) and returns the condition: a single-use icmp/fcmp of this
 * block is fused; anything else is tested against zero.
 */
export function lowerCondition(ctx: Lowerer, c: number): number {
  const dfg = ctx.dfg;
  const d = ctx.defOf(c);
  if (d !== NONE && ctx.useCount[dfg.resolve(c)] === 1 && ctx.inCurrentBlock(d)) {
    const op = dfg.opcode(d);
    if (op === Opcode.icmp || op === Opcode.icmp_imm) {
      ctx.absorb(c, d);
      return emitIntCompare(ctx, d);
    }
    if (op === Opcode.fcmp) {
      ctx.absorb(c, d);
      return emitFloatCompare(ctx, d);
    }
  }
  const v = ctx.vreg(c);
  ctx.begin(MOp.CmpRR, ctx.intSize(dfg.valueType(c)), CMP_TEST);
  ctx.use(useReg(v));
  ctx.use(useAny(v));
  ctx.end();
  return Cond.NE;
}

/** Jumps to trap site `site` when `cc` holds (the flags were just set). */
export function emitTrapIf(ctx: Lowerer, cc: number, site: number): void {
  ctx.begin(MOp.TrapIf, 0, cc);
  ctx.setAux(site);
  ctx.end();
}

/** d = cc ? 1 : 0. */
export function emitSetcc(ctx: Lowerer, cc: number, d: number): void {
  ctx.begin(MOp.Setcc, 4, cc);
  ctx.use(defReg(d));
  ctx.end();
}

/** Conditions an add/sub/and/or/xor leaves in SF/ZF for a compare of its result with 0, or -1. */
export function zeroCompareCond(cc: number): number {
  switch (cc) {
    case IntCC.eq:
      return Cond.E;
    case IntCC.ne:
      return Cond.NE;
    case IntCC.slt:
      return Cond.S;
    case IntCC.sge:
      return Cond.NS;
    default:
      return -1;
  }
}

