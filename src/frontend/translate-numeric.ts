/**
 * Numeric operators: most map one-to-one onto an IR opcode with the same (wasm) semantics, so they are table
 * driven — one typed-array read gives the shape and the IR opcode. Integer division and the trapping float → int
 * conversions are translated by hand: with fuel on, their traps become explicit guarded branches to cold blocks, so
 * each trap can count exactly the fuel pending at its operator (the IR opcodes' implicit traps could not).
 */
import {
  F32,
  F64,
  FloatCC,
  I32,
  I64,
  IntCC,
  Opcode,
  TrapCode,
  type Type,
} from '../ir/index.js';
import { Op, OP_COUNT } from './opcodes.js';
import type { FunctionTranslator } from './translate.js';

/** Shapes of table-driven operators (SIMPLE_KIND). 0 = not table driven. */
export const enum SimpleKind {
  None = 0,
  /** Two operands, result of the operands' type: `SIMPLE_OPCODE` applied. */
  Binary = 1,
  /** One operand, result of its type. */
  Unary = 2,
  /** Integer compare, `SIMPLE_OPCODE` holds the IntCC. */
  IntCompare = 3,
  /** `eqz`: compare with zero. */
  EqualZero = 4,
  /** Float compare, `SIMPLE_OPCODE` holds the FloatCC. */
  FloatCompare = 5,
  /** One operand, explicit result type `SIMPLE_TYPE`. */
  Convert = 6,
  /** Integer division or remainder (may trap): translated by `translateDivRem`. */
  DivRem = 7,
  /** Trapping float → int conversion: translated by `translateTruncate`. */
  Truncate = 8,
  /** Constants. */
  Const = 9,
}

export const SIMPLE_KIND = new Uint8Array(OP_COUNT);
export const SIMPLE_OPCODE = new Int16Array(OP_COUNT);
export const SIMPLE_TYPE = new Uint8Array(OP_COUNT);
/** For Truncate: 1 when the result is signed. */
const TRUNC_SIGNED = new Uint8Array(OP_COUNT);

function def(op: number, kind: SimpleKind, opcode: number, type: Type = 0): void {
  SIMPLE_KIND[op] = kind;
  SIMPLE_OPCODE[op] = opcode;
  SIMPLE_TYPE[op] = type;
}

{
  const O = Opcode;
  for (const op of [Op.I32_CONST, Op.I64_CONST, Op.F32_CONST, Op.F64_CONST]) def(op, SimpleKind.Const, 0);
  // Integer compares.
  def(Op.I32_EQZ, SimpleKind.EqualZero, 0);
  def(Op.I64_EQZ, SimpleKind.EqualZero, 0);
  const intCC = [IntCC.eq, IntCC.ne, IntCC.slt, IntCC.ult, IntCC.sgt, IntCC.ugt, IntCC.sle, IntCC.ule, IntCC.sge, IntCC.uge];
  for (let i = 0; i < 10; i++) {
    def(Op.I32_EQ + i, SimpleKind.IntCompare, intCC[i]);
    def(Op.I64_EQ + i, SimpleKind.IntCompare, intCC[i]);
  }
  const floatCC = [FloatCC.eq, FloatCC.ne, FloatCC.lt, FloatCC.gt, FloatCC.le, FloatCC.ge];
  for (let i = 0; i < 6; i++) {
    def(Op.F32_EQ + i, SimpleKind.FloatCompare, floatCC[i]);
    def(Op.F64_EQ + i, SimpleKind.FloatCompare, floatCC[i]);
  }
  // Integer arithmetic: the i32 and i64 rows are laid out alike (clz … rotr).
  for (const base of [Op.I32_CLZ, Op.I64_CLZ]) {
    def(base + 0, SimpleKind.Unary, O.clz);
    def(base + 1, SimpleKind.Unary, O.ctz);
    def(base + 2, SimpleKind.Unary, O.popcnt);
    def(base + 3, SimpleKind.Binary, O.iadd);
    def(base + 4, SimpleKind.Binary, O.isub);
    def(base + 5, SimpleKind.Binary, O.imul);
    def(base + 6, SimpleKind.DivRem, O.sdiv);
    def(base + 7, SimpleKind.DivRem, O.udiv);
    def(base + 8, SimpleKind.DivRem, O.srem);
    def(base + 9, SimpleKind.DivRem, O.urem);
    def(base + 10, SimpleKind.Binary, O.band);
    def(base + 11, SimpleKind.Binary, O.bor);
    def(base + 12, SimpleKind.Binary, O.bxor);
    def(base + 13, SimpleKind.Binary, O.ishl);
    def(base + 14, SimpleKind.Binary, O.sshr);
    def(base + 15, SimpleKind.Binary, O.ushr);
    def(base + 16, SimpleKind.Binary, O.rotl);
    def(base + 17, SimpleKind.Binary, O.rotr);
  }
  // Float arithmetic: f32 and f64 rows alike (abs … copysign).
  for (const base of [Op.F32_ABS, Op.F64_ABS]) {
    def(base + 0, SimpleKind.Unary, O.fabs);
    def(base + 1, SimpleKind.Unary, O.fneg);
    def(base + 2, SimpleKind.Unary, O.ceil);
    def(base + 3, SimpleKind.Unary, O.floor);
    def(base + 4, SimpleKind.Unary, O.trunc);
    def(base + 5, SimpleKind.Unary, O.nearest);
    def(base + 6, SimpleKind.Unary, O.sqrt);
    def(base + 7, SimpleKind.Binary, O.fadd);
    def(base + 8, SimpleKind.Binary, O.fsub);
    def(base + 9, SimpleKind.Binary, O.fmul);
    def(base + 10, SimpleKind.Binary, O.fdiv);
    def(base + 11, SimpleKind.Binary, O.fmin);
    def(base + 12, SimpleKind.Binary, O.fmax);
    def(base + 13, SimpleKind.Binary, O.fcopysign);
  }
  // Conversions.
  def(Op.I32_WRAP_I64, SimpleKind.Convert, O.ireduce, I32);
  def(Op.I64_EXTEND_I32_S, SimpleKind.Convert, O.sextend, I64);
  def(Op.I64_EXTEND_I32_U, SimpleKind.Convert, O.uextend, I64);
  def(Op.I32_TRUNC_F32_S, SimpleKind.Truncate, O.fcvt_to_sint, I32);
  def(Op.I32_TRUNC_F32_U, SimpleKind.Truncate, O.fcvt_to_uint, I32);
  def(Op.I32_TRUNC_F64_S, SimpleKind.Truncate, O.fcvt_to_sint, I32);
  def(Op.I32_TRUNC_F64_U, SimpleKind.Truncate, O.fcvt_to_uint, I32);
  def(Op.I64_TRUNC_F32_S, SimpleKind.Truncate, O.fcvt_to_sint, I64);
  def(Op.I64_TRUNC_F32_U, SimpleKind.Truncate, O.fcvt_to_uint, I64);
  def(Op.I64_TRUNC_F64_S, SimpleKind.Truncate, O.fcvt_to_sint, I64);
  def(Op.I64_TRUNC_F64_U, SimpleKind.Truncate, O.fcvt_to_uint, I64);
  for (const op of [Op.I32_TRUNC_F32_S, Op.I32_TRUNC_F64_S, Op.I64_TRUNC_F32_S, Op.I64_TRUNC_F64_S]) TRUNC_SIGNED[op] = 1;
  def(Op.I32_TRUNC_SAT_F32_S, SimpleKind.Convert, O.fcvt_to_sint_sat, I32);
  def(Op.I32_TRUNC_SAT_F32_U, SimpleKind.Convert, O.fcvt_to_uint_sat, I32);
  def(Op.I32_TRUNC_SAT_F64_S, SimpleKind.Convert, O.fcvt_to_sint_sat, I32);
  def(Op.I32_TRUNC_SAT_F64_U, SimpleKind.Convert, O.fcvt_to_uint_sat, I32);
  def(Op.I64_TRUNC_SAT_F32_S, SimpleKind.Convert, O.fcvt_to_sint_sat, I64);
  def(Op.I64_TRUNC_SAT_F32_U, SimpleKind.Convert, O.fcvt_to_uint_sat, I64);
  def(Op.I64_TRUNC_SAT_F64_S, SimpleKind.Convert, O.fcvt_to_sint_sat, I64);
  def(Op.I64_TRUNC_SAT_F64_U, SimpleKind.Convert, O.fcvt_to_uint_sat, I64);
  def(Op.F32_CONVERT_I32_S, SimpleKind.Convert, O.fcvt_from_sint, F32);
  def(Op.F32_CONVERT_I32_U, SimpleKind.Convert, O.fcvt_from_uint, F32);
  def(Op.F32_CONVERT_I64_S, SimpleKind.Convert, O.fcvt_from_sint, F32);
  def(Op.F32_CONVERT_I64_U, SimpleKind.Convert, O.fcvt_from_uint, F32);
  def(Op.F32_DEMOTE_F64, SimpleKind.Convert, O.fdemote, F32);
  def(Op.F64_CONVERT_I32_S, SimpleKind.Convert, O.fcvt_from_sint, F64);
  def(Op.F64_CONVERT_I32_U, SimpleKind.Convert, O.fcvt_from_uint, F64);
  def(Op.F64_CONVERT_I64_S, SimpleKind.Convert, O.fcvt_from_sint, F64);
  def(Op.F64_CONVERT_I64_U, SimpleKind.Convert, O.fcvt_from_uint, F64);
  def(Op.F64_PROMOTE_F32, SimpleKind.Convert, O.fpromote, F64);
  def(Op.I32_REINTERPRET_F32, SimpleKind.Convert, O.bitcast, I32);
  def(Op.I64_REINTERPRET_F64, SimpleKind.Convert, O.bitcast, I64);
  def(Op.F32_REINTERPRET_I32, SimpleKind.Convert, O.bitcast, F32);
  def(Op.F64_REINTERPRET_I64, SimpleKind.Convert, O.bitcast, F64);
  // Sign extension in place.
  def(Op.I32_EXTEND8_S, SimpleKind.Unary, O.sextend8);
  def(Op.I32_EXTEND16_S, SimpleKind.Unary, O.sextend16);
  def(Op.I64_EXTEND8_S, SimpleKind.Unary, O.sextend8);
  def(Op.I64_EXTEND16_S, SimpleKind.Unary, O.sextend16);
  def(Op.I64_EXTEND32_S, SimpleKind.Unary, O.sextend32);
}

/** Translates a table-driven operator (SIMPLE_KIND[op] = kind ≠ 0). */
export function translateSimple(t: FunctionTranslator, op: number, kind: number): void {
  const ins = t.ins;
  switch (kind) {
    case SimpleKind.Binary: {
      const y = t.pop();
      const x = t.pop();
      t.push(ins.binary(SIMPLE_OPCODE[op], x, y));
      return;
    }
    case SimpleKind.Unary:
      t.push(ins.unary(SIMPLE_OPCODE[op], t.pop()));
      return;
    case SimpleKind.IntCompare: {
      const y = t.pop();
      const x = t.pop();
      t.push(ins.icmp(SIMPLE_OPCODE[op], x, y));
      return;
    }
    case SimpleKind.EqualZero:
      t.push(ins.icmpImm(IntCC.eq, t.pop(), 0));
      return;
    case SimpleKind.FloatCompare: {
      const y = t.pop();
      const x = t.pop();
      t.push(ins.fcmp(SIMPLE_OPCODE[op], x, y));
      return;
    }
    case SimpleKind.Convert:
      t.push(ins.convert(SIMPLE_OPCODE[op], SIMPLE_TYPE[op], t.pop()));
      return;
    case SimpleKind.Const:
      translateConst(t, op);
      return;
    case SimpleKind.DivRem:
      translateDivRem(t, SIMPLE_OPCODE[op]);
      return;
    case SimpleKind.Truncate:
      translateTruncate(t, op);
      return;
    default:
      throw new Error(`translateSimple: operator ${op} is not table driven`);
  }
}

function translateConst(t: FunctionTranslator, op: number): void {
  const r = t.reader;
  const ins = t.ins;
  switch (op) {
    case Op.I32_CONST: t.push(ins.iconst(I32, r.i32)); return;
    case Op.I64_CONST: t.push(ins.iconstBits(I64, r.i64lo, r.i64hi)); return;
    case Op.F32_CONST: t.push(ins.f32constBits(r.f32bits)); return;
    default: t.push(ins.f64constBits(r.f64lo, r.f64hi));
  }
}

/**
 * Integer division and remainder. Without fuel the IR opcode's own traps are exact (nothing is pending that the
 * trap would have to count); with 'annotate' the opcode carries its pending fuel. With trap blocks, the traps
 * become explicit guards — division by zero, and INT_MIN / −1 for `sdiv` — unless the divisor is a constant that
 * rules them out.
 */
function translateDivRem(t: FunctionTranslator, opcode: number): void {
  const y = t.pop();
  const x = t.pop();
  if (!t.trapBlocks) {
    const ins = t.ins;
    const result = ins.binary(opcode, x, y);
    // 'annotate': the opcode's own trap stub counts the pending fuel (unless a constant divisor rules it out).
    const divisor = t.constantOf(y);
    const mayTrap = !divisor.known || (divisor.lo === 0 && divisor.hi === 0) ||
      (opcode === Opcode.sdiv && divisor.lo === -1 && divisor.hi === -1);
    if (mayTrap) t.annotateTrap(t.func.dfg.valueInst(result));
    t.push(result);
    return;
  }
  const divisor = t.constantOf(y);
  if (!divisor.known || (divisor.lo === 0 && divisor.hi === 0)) t.trapUnless(y, TrapCode.int_divz);
  if (opcode === Opcode.sdiv && (!divisor.known || (divisor.lo === -1 && divisor.hi === -1))) {
    const ins = t.ins;
    const is64 = t.fb.dfg.valueType(x) === I64;
    const xIsMin = ins.icmpImm(IntCC.eq, x, is64 ? -9223372036854775808 : -2147483648);
    const overflow = divisor.known ? xIsMin : ins.band(xIsMin, ins.icmpImm(IntCC.eq, y, -1));
    t.trapIf(overflow, TrapCode.int_ovf);
  }
  t.push(t.ins.binary(opcode, x, y));
}

/**
 * Trapping float → int conversions. With trap blocks, the range check is explicit: the fast path tests
 * `lo ≤ x < hi` (or `lo < x < hi`; NaN fails both) and traps `bad_conversion` otherwise — the code the IR opcode
 * uses for NaN and out-of-range alike, so the trap does not depend on the fuel mode; the conversion itself can
 * then saturate, never trap.
 */
function translateTruncate(t: FunctionTranslator, op: number): void {
  const x = t.pop();
  const resultType = SIMPLE_TYPE[op];
  const signed = TRUNC_SIGNED[op] === 1;
  const ins = t.ins;
  if (!t.trapBlocks) {
    const result = ins.convert(signed ? Opcode.fcvt_to_sint : Opcode.fcvt_to_uint, resultType, x);
    t.annotateTrap(t.func.dfg.valueInst(result));
    t.push(result);
    return;
  }
  const srcType = t.fb.dfg.valueType(x);
  // Bounds of the values whose truncation fits: x > loExclusive (or x ≥ loInclusive) and x < hi.
  let lo: number;
  let loInclusive: boolean;
  let hi: number;
  if (signed) {
    hi = resultType === I32 ? 2147483648 : 9223372036854775808;
    if (resultType === I32 && srcType === F64) {
      lo = -2147483649; // representable in f64: anything above it truncates to ≥ -2^31
      loInclusive = false;
    } else {
      lo = resultType === I32 ? -2147483648 : -9223372036854775808; // the next float below is already out
      loInclusive = true;
    }
  } else {
    lo = -1;
    loInclusive = false;
    hi = resultType === I32 ? 4294967296 : 18446744073709551616;
  }
  const loConst = srcType === F32 ? ins.f32const(lo) : ins.f64const(lo);
  const hiConst = srcType === F32 ? ins.f32const(hi) : ins.f64const(hi);
  const aboveLo = ins.fcmp(loInclusive ? FloatCC.ge : FloatCC.gt, x, loConst);
  const belowHi = ins.fcmp(FloatCC.lt, x, hiConst);
  t.trapUnless(ins.band(aboveLo, belowHi), TrapCode.bad_conversion);
  t.push(ins.convert(signed ? Opcode.fcvt_to_sint_sat : Opcode.fcvt_to_uint_sat, resultType, x));
}

/** A value's constant bits, when an `iconst` defines it. */
export interface ConstantBits {
  known: boolean;
  lo: number;
  hi: number;
}
