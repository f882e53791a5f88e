/**
 * Constant folding and algebraic simplification, with exact wasm semantics.
 *
 * Walks the reachable blocks in reverse postorder (so operands are simplified before their users) and rewrites
 * each instruction in place until no rule applies. Rules:
 * - Constant operands: integer ops fold with wrap-around and masked shift counts; an op that would trap
 *   (division by zero, INT_MIN / -1, a trapping float->int conversion out of range) is left alone. Float ops
 *   fold only when no input and no result is a NaN (the bitwise fneg/fabs/fcopysign/bitcast always fold), so
 *   NaN payloads never depend on the optimiser.
 * - Canonical forms: a constant operand moves right (commutative ops, icmp with swapped condition) and into the
 *   `_imm` form (`iadd x, c` -> `iadd_imm x, c`; `isub x, c` -> `iadd_imm x, -c`); shift amounts are masked.
 * - Identities: x+0, x*1, x&-1, x|0, x^0, shifts by 0 -> x; x*0, x&0 -> 0; x|-1 -> -1; x*-1 -> ineg x;
 *   x^-1 -> bnot x; x*2^k -> ishl_imm k; udiv by 2^k -> ushr_imm; urem by 2^k -> band_imm; x-x, x^x -> 0;
 *   x&x, x|x -> x; icmp of equal operands; chains of iadd_imm/imul_imm/band_imm/bor_imm/bxor_imm and of
 *   same-direction shifts combine; double bnot/ineg/fneg/bitcast and ireduce of an extend cancel.
 * - Booleans: `icmp_imm ne b, 0` of a compare result is the result; `eq b, 0` inverts the compare; a
 *   `brif`/`select`/`trapz`/`trapnz` testing `x != 0` or `x == 0` tests x directly.
 * - Conditional traps on a constant: removed when they cannot fire; turned into `trap` (cutting off the rest
 *   of the block, whose now unreachable successors are removed) when they always fire.
 *
 * Results that become unused are left for dead-code elimination; branches on constants are CFG cleanup's job.
 */
import { FloatCC, IntCC, invertIntCC, swapIntCC } from '../condcodes.js';
import type { DataFlowGraph } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE, type Inst, type Value } from '../ids.js';
import type { Layout } from '../layout.js';
import { Format, OPCODE_FORMAT, Opcode, immediateForm, isCommutative } from '../opcodes.js';
import { I32, isFloat, isInt, type Type } from '../types.js';
import {
  ConvertResult, evalBitcast, evalFloatBinary, evalFloatCompare, evalFloatConvert, evalFloatToInt,
  evalFloatUnary, evalIntToFloat, isNaNBits,
} from './eval-float.js';
import { evalIntBinary, evalIntCompare, evalIntUnary } from './eval-int.js';
import { add64, isPow2_64, log2Pow2_64, mul64 } from './int64.js';
import { freshAnalyses, type CfgAnalyses } from './cfg-analyses.js';
import { resolveInstAliases, resolveOperandAliases } from './resolve-aliases.js';
import { removeUnreachableBlocks } from './unreachable.js';

/** Outcome of one rewrite attempt. */
const NO_CHANGE = 0;
/** Rewritten in place: try the rules again. */
const CHANGED = 1;
/** Replaced by another value (or, for a trap that cannot fire, deleted). */
const REMOVED = 2;
/** Turned into an unconditional trap; the rest of its block is gone. */
const TRUNCATED = 3;

/** Iteration cap per instruction (each rewrite strictly simplifies, so this is only a guard). */
const MAX_REWRITES = 16;

/**
 * Runs constant folding and simplification over `func`; returns the number of rewrites made. `analyses` (the
 * pipeline's) supplies the reverse postorder and is invalidated when folding changes the CFG.
 *
 * With `resolveOperands`, every instruction's aliased operands are rewritten to the values they stand for on the
 * way (what `resolveOperandAliases` does, without a walk of its own): afterwards no operand in the layout is an
 * alias. This holds because folding visits definitions before their uses (reverse postorder, and every use is
 * dominated by its definition), so an alias folding makes is always made before its users are visited.
 */
export function foldConstants(func: IrFunction, analyses: CfgAnalyses = freshAnalyses(), resolveOperands = false): number {
  return sharedFolder.run(func, analyses, resolveOperands);
}

function countLayoutBlocks(layout: Layout): number {
  let n = 0;
  for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) n++;
  return n;
}

/** One folder for every run (passes run synchronously): its state is reset per run. */
class Folder {
  private dfg!: DataFlowGraph;
  private layout!: Layout;
  private readonly out = new Int32Array(2);
  private changes = 0;
  private truncatedBlocks = 0;
  /** A brif's destinations were swapped: successor order, hence the reverse postorder, changed. */
  private swappedBranches = 0;

  run(func: IrFunction, analyses: CfgAnalyses, resolveOperands: boolean): number {
    this.dfg = func.dfg;
    this.layout = func.layout;
    this.changes = 0;
    this.truncatedBlocks = 0;
    this.swappedBranches = 0;
    if (this.layout.firstBlock === NONE) return 0;
    // The dominator tree's reverse postorder is the one a DFS over the terminators gives (same successor order).
    // It is a view the next computation overwrites: nothing recomputes the analyses during the walk.
    const rpo = analyses.get(func).domtree.rpo;
    const layout = this.layout;
    for (let i = 0; i < rpo.length; i++) {
      for (let inst = layout.firstInst(rpo[i]!); inst !== NONE;) {
        const next = layout.nextInst(inst);
        if (resolveOperands) resolveInstAliases(this.dfg, inst);
        let r = CHANGED;
        for (let n = 0; r === CHANGED && n < MAX_REWRITES; n++) r = this.simplify(inst);
        if (r === TRUNCATED) break;
        inst = next;
      }
    }
    if (this.truncatedBlocks > 0) removeUnreachableBlocks(func);
    // Blocks the walk did not visit (unreachable ones still in the layout) need the full walk.
    if (resolveOperands && countLayoutBlocks(layout) !== rpo.length) resolveOperandAliases(func);
    if (this.truncatedBlocks > 0 || this.swappedBranches > 0) analyses.invalidate();
    return this.changes;
  }

  private simplify(inst: Inst): number {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    switch (OPCODE_FORMAT[op]) {
      case Format.Binary:
        return isInt(dfg.instType(inst)) ? this.intBinary(inst, op) : this.floatBinary(inst, op);
      case Format.BinaryImm: return this.binaryImm(inst, op);
      case Format.Unary: return op === Opcode.set_pinned_reg ? NO_CHANGE : this.unary(inst, op);
      case Format.IntCompare: return this.icmp(inst);
      case Format.IntCompareImm: return this.icmpImm(inst);
      case Format.FloatCompare: return this.fcmp(inst);
      case Format.Ternary: return this.select(inst);
      case Format.CondTrap: return this.condTrap(inst, op);
      case Format.Brif: return this.brif(inst);
      default: return NO_CHANGE;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------------------

  /** The iconst instruction defining `v`, or NONE. */
  private iconstOf(v: Value): Inst {
    const i = this.dfg.valueInst(v);
    return i !== NONE && this.dfg.opcode(i) === Opcode.iconst ? i : NONE;
  }

  /** The f32const/f64const instruction defining `v`, or NONE. */
  private fconstOf(v: Value): Inst {
    const i = this.dfg.valueInst(v);
    if (i === NONE) return NONE;
    const op = this.dfg.opcode(i);
    return op === Opcode.f32const || op === Opcode.f64const ? i : NONE;
  }

  /** The instruction defining `v` if its opcode is `op`, else NONE. */
  private defIs(v: Value, op: number): Inst {
    const i = this.dfg.valueInst(v);
    return i !== NONE && this.dfg.opcode(i) === op ? i : NONE;
  }

  /** Every use of the result of `inst` now reads `v`; `inst` leaves the layout. */
  private replaceWith(inst: Inst, v: Value): number {
    this.dfg.changeToAlias(this.dfg.firstResult(inst), v);
    this.layout.removeInst(inst);
    this.changes++;
    return REMOVED;
  }

  private toIconst(inst: Inst, lo: number, hi: number): number {
    this.dfg.replaceWithIconst(inst, lo, hi);
    this.dfg.setTrapFuel(inst, 0);
    this.changes++;
    return REMOVED; // a constant needs no further rules
  }

  private toFconst(inst: Inst, lo: number, hi: number): number {
    this.dfg.replaceWithFconst(inst, lo, hi);
    this.dfg.setTrapFuel(inst, 0);
    this.changes++;
    return REMOVED;
  }

  /** Rewrites `inst` as `op x, imm` of type `t` (i32 immediates are stored sign-extended). */
  private toBinaryImm(inst: Inst, op: number, t: Type, x: Value, lo: number, hi: number): number {
    const dfg = this.dfg;
    dfg.replaceOpcode(inst, op, t);
    dfg.setFixedArgs(inst, x, NONE, NONE);
    dfg.setImm(inst, lo | 0, t === I32 ? (lo | 0) >> 31 : hi | 0);
    dfg.setTrapFuel(inst, 0);
    this.changes++;
    return CHANGED;
  }

  /** Rewrites `inst` as the unary `op x` of type `t`. */
  private toUnary(inst: Inst, op: number, t: Type, x: Value): number {
    this.dfg.replaceOpcode(inst, op, t);
    this.dfg.setFixedArgs(inst, x, NONE, NONE);
    this.dfg.setTrapFuel(inst, 0);
    this.changes++;
    return CHANGED;
  }

  // -------------------------------------------------------------------------------------------------------
  // Integer arithmetic
  // -------------------------------------------------------------------------------------------------------

  private intBinary(inst: Inst, op: number): number {
    const dfg = this.dfg;
    const t = dfg.instType(inst);
    const a = dfg.arg(inst, 0);
    const b = dfg.arg(inst, 1);
    const ca = this.iconstOf(a);
    const cb = this.iconstOf(b);
    const out = this.out;
    if (ca !== NONE && cb !== NONE) {
      if (evalIntBinary(op, t, dfg.immLo(ca), dfg.immHi(ca), dfg.immLo(cb), dfg.immHi(cb), out)) {
        return this.toIconst(inst, out[0]!, out[1]!);
      }
      return NO_CHANGE; // it traps: keep the trap
    }
    if (a === b) {
      switch (op) {
        case Opcode.isub: case Opcode.bxor: return this.toIconst(inst, 0, 0);
        case Opcode.band: case Opcode.bor: return this.replaceWith(inst, a);
        default: break;
      }
    }
    if (ca !== NONE && isCommutative(op)) {
      dfg.setArg(inst, 0, b);
      dfg.setArg(inst, 1, a);
      this.changes++;
      return CHANGED;
    }
    if (cb === NONE) return NO_CHANGE;
    const lo = dfg.immLo(cb);
    const hi = dfg.immHi(cb);
    const one = lo === 1 && hi === 0;
    // Unsigned power of two: an i32 constant is judged on its 32 bits only.
    const pow2 = t === I32 ? isPow2_64(lo, 0) : isPow2_64(lo, hi);
    switch (op) {
      case Opcode.isub:
        add64(~lo, ~hi, 1, 0, out); // -c
        return this.toBinaryImm(inst, Opcode.iadd_imm, t, a, out[0]!, out[1]!);
      case Opcode.udiv:
        if (one) return this.replaceWith(inst, a);
        if (pow2) return this.toBinaryImm(inst, Opcode.ushr_imm, t, a, t === I32 ? log2Pow2_64(lo, 0) : log2Pow2_64(lo, hi), 0);
        return NO_CHANGE;
      case Opcode.urem:
        if (one) return this.toIconst(inst, 0, 0);
        if (pow2) {
          add64(lo, t === I32 ? 0 : hi, -1, -1, out); // c - 1
          return this.toBinaryImm(inst, Opcode.band_imm, t, a, out[0]!, out[1]!);
        }
        return NO_CHANGE;
      case Opcode.sdiv:
        return one ? this.replaceWith(inst, a) : NO_CHANGE;
      case Opcode.srem:
        // x % 1 and x % -1 are 0 (wasm defines INT_MIN % -1 = 0, no trap).
        return one || (lo === -1 && hi === -1) ? this.toIconst(inst, 0, 0) : NO_CHANGE;
      default: {
        const immOp = immediateForm(op);
        return immOp >= 0 ? this.toBinaryImm(inst, immOp, t, a, lo, hi) : NO_CHANGE;
      }
    }
  }

  private binaryImm(inst: Inst, op: number): number {
    const dfg = this.dfg;
    const t = dfg.instType(inst);
    const x = dfg.arg(inst, 0);
    const lo = dfg.immLo(inst);
    const hi = t === I32 ? lo >> 31 : dfg.immHi(inst);
    const out = this.out;
    const cx = this.iconstOf(x);
    if (cx !== NONE) {
      if (evalIntBinary(op, t, dfg.immLo(cx), dfg.immHi(cx), lo, hi, out)) return this.toIconst(inst, out[0]!, out[1]!);
      return NO_CHANGE;
    }
    const zero = lo === 0 && hi === 0;
    const allOnes = lo === -1 && hi === -1;
    const inner = this.defIs(x, op);
    switch (op) {
      case Opcode.iadd_imm:
        if (zero) return this.replaceWith(inst, x);
        if (inner !== NONE) {
          add64(lo, hi, dfg.immLo(inner), dfg.immHi(inner), out);
          return this.toBinaryImm(inst, op, t, dfg.arg(inner, 0), out[0]!, out[1]!);
        }
        return NO_CHANGE;
      case Opcode.imul_imm:
        if (zero) return this.toIconst(inst, 0, 0);
        if (lo === 1 && hi === 0) return this.replaceWith(inst, x);
        if (allOnes) return this.toUnary(inst, Opcode.ineg, t, x);
        if (t === I32 ? isPow2_64(lo, 0) : isPow2_64(lo, hi)) {
          return this.toBinaryImm(inst, Opcode.ishl_imm, t, x, t === I32 ? log2Pow2_64(lo, 0) : log2Pow2_64(lo, hi), 0);
        }
        if (inner !== NONE) {
          mul64(lo, hi, dfg.immLo(inner), dfg.immHi(inner), out);
          return this.toBinaryImm(inst, op, t, dfg.arg(inner, 0), out[0]!, out[1]!);
        }
        return NO_CHANGE;
      case Opcode.band_imm:
        if (zero) return this.toIconst(inst, 0, 0);
        if (allOnes) return this.replaceWith(inst, x);
        if (inner !== NONE) {
          return this.toBinaryImm(inst, op, t, dfg.arg(inner, 0), lo & dfg.immLo(inner), hi & dfg.immHi(inner));
        }
        return NO_CHANGE;
      case Opcode.bor_imm:
        if (zero) return this.replaceWith(inst, x);
        if (allOnes) return this.toIconst(inst, -1, -1);
        if (inner !== NONE) {
          return this.toBinaryImm(inst, op, t, dfg.arg(inner, 0), lo | dfg.immLo(inner), hi | dfg.immHi(inner));
        }
        return NO_CHANGE;
      case Opcode.bxor_imm:
        if (zero) return this.replaceWith(inst, x);
        if (allOnes) return this.toUnary(inst, Opcode.bnot, t, x);
        if (inner !== NONE) {
          return this.toBinaryImm(inst, op, t, dfg.arg(inner, 0), lo ^ dfg.immLo(inner), hi ^ dfg.immHi(inner));
        }
        return NO_CHANGE;
      default:
        return this.shiftImm(inst, op, t, x, lo, hi, inner);
    }
  }

  /** ishl_imm, ushr_imm, sshr_imm, rotl_imm, rotr_imm. */
  private shiftImm(inst: Inst, op: number, t: Type, x: Value, lo: number, hi: number, inner: Inst): number {
    const bits = t === I32 ? 32 : 64;
    const n = lo & (bits - 1);
    if (n === 0) return this.replaceWith(inst, x);
    if (lo !== n || hi !== 0) return this.toBinaryImm(inst, op, t, x, n, 0); // mask the amount
    if (inner === NONE) return NO_CHANGE;
    const m = this.dfg.immLo(inner) & (bits - 1);
    const y = this.dfg.arg(inner, 0);
    switch (op) {
      case Opcode.ishl_imm: case Opcode.ushr_imm:
        if (n + m >= bits) return this.toIconst(inst, 0, 0);
        return this.toBinaryImm(inst, op, t, y, n + m, 0);
      case Opcode.sshr_imm:
        return this.toBinaryImm(inst, op, t, y, Math.min(n + m, bits - 1), 0);
      case Opcode.rotl_imm: case Opcode.rotr_imm: {
        const s = (n + m) & (bits - 1);
        return s === 0 ? this.replaceWith(inst, y) : this.toBinaryImm(inst, op, t, y, s, 0);
      }
      default:
        return NO_CHANGE;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Unary operations and conversions
  // -------------------------------------------------------------------------------------------------------

  private unary(inst: Inst, op: number): number {
    const dfg = this.dfg;
    const t = dfg.instType(inst);
    const x = dfg.arg(inst, 0);
    const xt = dfg.valueType(x);
    const cx = isInt(xt) ? this.iconstOf(x) : this.fconstOf(x);
    if (cx !== NONE) return this.unaryConst(inst, op, t, xt, dfg.immLo(cx), dfg.immHi(cx));
    const xi = dfg.valueInst(x);
    if (xi === NONE) return NO_CHANGE;
    const xop = dfg.opcode(xi);
    switch (op) {
      case Opcode.bnot: case Opcode.ineg: case Opcode.fneg:
        return xop === op ? this.replaceWith(inst, dfg.arg(xi, 0)) : NO_CHANGE;
      case Opcode.bitcast:
        return xop === Opcode.bitcast ? this.replaceWith(inst, dfg.arg(xi, 0)) : NO_CHANGE;
      case Opcode.ireduce:
        return xop === Opcode.uextend || xop === Opcode.sextend ? this.replaceWith(inst, dfg.arg(xi, 0)) : NO_CHANGE;
      case Opcode.fabs:
        if (xop === Opcode.fabs) return this.replaceWith(inst, x);
        if (xop === Opcode.fneg) {
          dfg.setArg(inst, 0, dfg.arg(xi, 0));
          this.changes++;
          return CHANGED;
        }
        return NO_CHANGE;
      case Opcode.sextend8: case Opcode.sextend16:
        return xop === op ? this.replaceWith(inst, x) : NO_CHANGE;
      default:
        return NO_CHANGE;
    }
  }

  private unaryConst(inst: Inst, op: number, t: Type, xt: Type, lo: number, hi: number): number {
    const out = this.out;
    switch (op) {
      case Opcode.fcvt_from_sint: case Opcode.fcvt_from_uint:
        evalIntToFloat(op, t, xt, lo, hi, out);
        return this.toFconst(inst, out[0]!, out[1]!);
      case Opcode.bitcast:
        evalBitcast(t, lo, hi, out);
        return isFloat(t) ? this.toFconst(inst, out[0]!, out[1]!) : this.toIconst(inst, out[0]!, out[1]!);
      case Opcode.fcvt_to_sint: case Opcode.fcvt_to_uint: case Opcode.fcvt_to_sint_sat: case Opcode.fcvt_to_uint_sat:
        if (evalFloatToInt(op, t, xt, lo, hi, out) !== ConvertResult.ok) return NO_CHANGE;
        return this.toIconst(inst, out[0]!, out[1]!);
      case Opcode.fpromote: case Opcode.fdemote:
        if (isNaNBits(xt, lo, hi)) return NO_CHANGE;
        evalFloatConvert(op, lo, hi, out);
        return this.toFconst(inst, out[0]!, out[1]!);
      default:
        break;
    }
    if (isInt(t)) {
      return evalIntUnary(op, t, lo, hi, out) ? this.toIconst(inst, out[0]!, out[1]!) : NO_CHANGE;
    }
    if (!evalFloatUnary(op, t, lo, hi, out)) return NO_CHANGE;
    const bitwise = op === Opcode.fneg || op === Opcode.fabs;
    if (!bitwise && (isNaNBits(t, lo, hi) || isNaNBits(t, out[0]!, out[1]!))) return NO_CHANGE;
    return this.toFconst(inst, out[0]!, out[1]!);
  }

  private floatBinary(inst: Inst, op: number): number {
    const dfg = this.dfg;
    const t = dfg.instType(inst);
    const ca = this.fconstOf(dfg.arg(inst, 0));
    const cb = this.fconstOf(dfg.arg(inst, 1));
    if (ca === NONE || cb === NONE) return NO_CHANGE;
    const alo = dfg.immLo(ca);
    const ahi = dfg.immHi(ca);
    const blo = dfg.immLo(cb);
    const bhi = dfg.immHi(cb);
    const out = this.out;
    if (!evalFloatBinary(op, t, alo, ahi, blo, bhi, out)) return NO_CHANGE;
    if (op !== Opcode.fcopysign &&
      (isNaNBits(t, alo, ahi) || isNaNBits(t, blo, bhi) || isNaNBits(t, out[0]!, out[1]!))) return NO_CHANGE;
    return this.toFconst(inst, out[0]!, out[1]!);
  }

  // -------------------------------------------------------------------------------------------------------
  // Comparisons and selects
  // -------------------------------------------------------------------------------------------------------

  private icmp(inst: Inst): number {
    const dfg = this.dfg;
    const cc = dfg.condCode(inst);
    const a = dfg.arg(inst, 0);
    const b = dfg.arg(inst, 1);
    const ca = this.iconstOf(a);
    const cb = this.iconstOf(b);
    if (ca !== NONE && cb !== NONE) {
      const r = evalIntCompare(cc, dfg.valueType(a), dfg.immLo(ca), dfg.immHi(ca), dfg.immLo(cb), dfg.immHi(cb));
      return this.toIconst(inst, r ? 1 : 0, 0);
    }
    if (a === b) {
      const holds = cc === IntCC.eq || cc === IntCC.sle || cc === IntCC.sge || cc === IntCC.ule || cc === IntCC.uge;
      return this.toIconst(inst, holds ? 1 : 0, 0);
    }
    if (ca !== NONE) {
      dfg.setArg(inst, 0, b);
      dfg.setArg(inst, 1, a);
      dfg.setAux(inst, swapIntCC(cc));
      this.changes++;
      return CHANGED;
    }
    if (cb === NONE) return NO_CHANGE;
    dfg.replaceOpcode(inst, Opcode.icmp_imm, I32);
    dfg.setFixedArgs(inst, a, NONE, NONE);
    dfg.setImm(inst, dfg.immLo(cb), dfg.immHi(cb));
    dfg.setAux(inst, cc);
    this.changes++;
    return CHANGED;
  }

  private icmpImm(inst: Inst): number {
    const dfg = this.dfg;
    const cc = dfg.condCode(inst);
    const x = dfg.arg(inst, 0);
    const t = dfg.valueType(x);
    const lo = dfg.immLo(inst);
    const hi = t === I32 ? lo >> 31 : dfg.immHi(inst);
    const cx = this.iconstOf(x);
    if (cx !== NONE) return this.toIconst(inst, evalIntCompare(cc, t, dfg.immLo(cx), dfg.immHi(cx), lo, hi) ? 1 : 0, 0);
    const zero = lo === 0 && hi === 0;
    const allOnes = lo === -1 && hi === -1;
    if (zero && cc === IntCC.ult) return this.toIconst(inst, 0, 0);
    if (zero && cc === IntCC.uge) return this.toIconst(inst, 1, 0);
    if (allOnes && cc === IntCC.ugt) return this.toIconst(inst, 0, 0);
    if (allOnes && cc === IntCC.ule) return this.toIconst(inst, 1, 0);
    if (!zero || (cc !== IntCC.eq && cc !== IntCC.ne)) return NO_CHANGE;
    // x is compared with 0: if x is itself a compare result (0 or 1), use it or its inverse.
    const xi = dfg.valueInst(x);
    if (xi === NONE) return NO_CHANGE;
    const xop = dfg.opcode(xi);
    if (xop !== Opcode.icmp && xop !== Opcode.icmp_imm && xop !== Opcode.fcmp) return NO_CHANGE;
    if (cc === IntCC.ne) return this.replaceWith(inst, x);
    const xcc = dfg.condCode(xi);
    let inverted: number;
    if (xop === Opcode.fcmp) {
      // Only eq/ne invert within FloatCC (the negation of an ordered `lt` is "unordered or ge").
      if (xcc === FloatCC.eq) inverted = FloatCC.ne;
      else if (xcc === FloatCC.ne) inverted = FloatCC.eq;
      else return NO_CHANGE;
    } else inverted = invertIntCC(xcc);
    const a0 = dfg.arg(xi, 0);
    const a1 = xop === Opcode.icmp_imm ? NONE : dfg.arg(xi, 1);
    const xlo = dfg.immLo(xi);
    const xhi = dfg.immHi(xi);
    dfg.replaceOpcode(inst, xop, I32);
    dfg.setFixedArgs(inst, a0, a1, NONE);
    dfg.setImm(inst, xlo, xhi);
    dfg.setAux(inst, inverted);
    this.changes++;
    return CHANGED;
  }

  private fcmp(inst: Inst): number {
    const dfg = this.dfg;
    const a = dfg.arg(inst, 0);
    const ca = this.fconstOf(a);
    const cb = this.fconstOf(dfg.arg(inst, 1));
    if (ca === NONE || cb === NONE) return NO_CHANGE;
    const r = evalFloatCompare(dfg.condCode(inst), dfg.valueType(a), dfg.immLo(ca), dfg.immHi(ca),
      dfg.immLo(cb), dfg.immHi(cb));
    return this.toIconst(inst, r ? 1 : 0, 0);
  }

  /**
   * If `c` is `icmp_imm ne x, 0` or `icmp_imm eq x, 0`, returns x and sets `this.negated` for `eq`; else NONE.
   * Consumers that only test a value for non-zero (brif, select, trapz/trapnz) can test x instead.
   */
  private zeroTest(c: Value): Value {
    const dfg = this.dfg;
    const ci = this.defIs(c, Opcode.icmp_imm);
    if (ci === NONE || dfg.immLo(ci) !== 0 || dfg.immHi(ci) !== 0) return NONE;
    const cc = dfg.condCode(ci);
    if (cc !== IntCC.ne && cc !== IntCC.eq) return NONE;
    this.negated = cc === IntCC.eq;
    return dfg.arg(ci, 0);
  }

  private negated = false;

  private select(inst: Inst): number {
    const dfg = this.dfg;
    const c = dfg.arg(inst, 0);
    const x = dfg.arg(inst, 1);
    const y = dfg.arg(inst, 2);
    if (x === y) return this.replaceWith(inst, x);
    const cc = this.iconstOf(c);
    if (cc !== NONE) return this.replaceWith(inst, dfg.immLo(cc) !== 0 || dfg.immHi(cc) !== 0 ? x : y);
    const tested = this.zeroTest(c);
    if (tested === NONE) return NO_CHANGE;
    dfg.setFixedArgs(inst, tested, this.negated ? y : x, this.negated ? x : y);
    this.changes++;
    return CHANGED;
  }

  // -------------------------------------------------------------------------------------------------------
  // Traps and branches
  // -------------------------------------------------------------------------------------------------------

  private condTrap(inst: Inst, op: number): number {
    const dfg = this.dfg;
    const c = dfg.arg(inst, 0);
    const code = dfg.trapCode(inst);
    const cc = this.iconstOf(c);
    if (cc !== NONE) {
      const nonZero = dfg.immLo(cc) !== 0 || dfg.immHi(cc) !== 0;
      const fires = op === Opcode.trapz ? !nonZero : nonZero;
      if (!fires) {
        this.layout.removeInst(inst);
        this.changes++;
        return REMOVED;
      }
      // Always traps: the rest of the block never runs.
      dfg.replaceOpcode(inst, Opcode.trap, dfg.instType(inst));
      dfg.setAux(inst, code);
      const layout = this.layout;
      for (let i = layout.nextInst(inst); i !== NONE;) {
        const next = layout.nextInst(i);
        layout.removeInst(i);
        i = next;
      }
      this.truncatedBlocks++;
      this.changes++;
      return TRUNCATED;
    }
    const tested = this.zeroTest(c);
    if (tested === NONE) return NO_CHANGE;
    const newOp = this.negated ? (op === Opcode.trapz ? Opcode.trapnz : Opcode.trapz) : op;
    dfg.replaceOpcode(inst, newOp, dfg.instType(inst));
    dfg.setFixedArgs(inst, tested, NONE, NONE);
    dfg.setAux(inst, code);
    this.changes++;
    return CHANGED;
  }

  private brif(inst: Inst): number {
    const dfg = this.dfg;
    const tested = this.zeroTest(dfg.arg(inst, 0));
    if (tested === NONE) return NO_CHANGE;
    const thenCall = dfg.dest(inst, 0);
    const elseCall = dfg.dest(inst, 1);
    if (this.negated) {
      dfg.setBrif(inst, tested, elseCall, thenCall);
      this.swappedBranches++;
    } else dfg.setArg(inst, 0, tested);
    this.changes++;
    return CHANGED;
  }
}

const sharedFolder = new Folder();
