/**
 * Exact wasm semantics of the float opcodes and float conversions on bit patterns, shared by constant folding
 * and the IR interpreter. f32 values are one int32 of bits; f64 values are (lo, hi) int32 halves.
 *
 * Arithmetic on f32 is done in f64 and rounded once with Math.fround: for + - * / and sqrt of f32 operands
 * that double rounding is exact (f64 has more than 2·24+2 significand bits), and the rounding operators
 * (ceil, floor, trunc, nearest) give integers that f32 holds exactly.
 *
 * NaN results carry whatever payload JS produces; constant folding refuses to fold any arithmetic whose input
 * or output is a NaN (`isNaNBits`), so a folded program never depends on NaN payloads.
 */
import { FloatCC } from '../condcodes.js';
import { Opcode } from '../opcodes.js';
import { F32, F64, I32, I64, type Type } from '../types.js';

const f32Buf = new Float32Array(1);
const f32Bits = new Int32Array(f32Buf.buffer);
const f64Buf = new Float64Array(1);
const f64Bits = new Int32Array(f64Buf.buffer);

/** The f32 with bit pattern `bits`, as a JS number (exact). */
export function f32FromBits(bits: number): number {
  f32Bits[0] = bits;
  return f32Buf[0]!;
}

/** Bit pattern of `x` rounded to f32. */
export function f32ToBits(x: number): number {
  f32Buf[0] = x;
  return f32Bits[0]!;
}

export function f64FromBits(lo: number, hi: number): number {
  f64Bits[0] = lo;
  f64Bits[1] = hi;
  return f64Buf[0]!;
}

/** Writes the bit pattern of `x` to out[0] (lo), out[1] (hi). */
export function f64ToBits(x: number, out: Int32Array): void {
  f64Buf[0] = x;
  out[0] = f64Bits[0]!;
  out[1] = f64Bits[1]!;
}

/** True when the bits (of type F32 or F64) are a NaN. */
export function isNaNBits(type: Type, lo: number, hi: number): boolean {
  if (type === F32) return (lo & 0x7f800000) === 0x7f800000 && (lo & 0x7fffff) !== 0;
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0);
}

/** The value of float bits as a JS number. */
export function floatValue(type: Type, lo: number, hi: number): number {
  return type === F32 ? f32FromBits(lo) : f64FromBits(lo, hi);
}

/** Writes `x` (rounded to `type`) as bits to out. */
export function setFloat(type: Type, x: number, out: Int32Array): void {
  if (type === F32) {
    out[0] = f32ToBits(x);
    out[1] = 0;
  } else f64ToBits(x, out);
}

/** wasm `nearest`: round to the nearest integer, ties to even, keeping the sign of zero. */
export function roundTiesEven(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  let r = Math.round(x); // ties toward +inf
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  if (r === 0) return x < 0 ? -0 : 0;
  return r;
}

function wasmMin(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.min(a, b); // orders -0 below +0, as wasm does
}

function wasmMax(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.max(a, b);
}

/** Float binary opcodes (fadd .. fcopysign) of type `type`; results as bits in out. False for other opcodes. */
export function evalFloatBinary(
  op: number, type: Type, alo: number, ahi: number, blo: number, bhi: number, out: Int32Array,
): boolean {
  if (op === Opcode.fcopysign) {
    // Bitwise, even for NaN.
    if (type === F32) {
      out[0] = (alo & 0x7fffffff) | (blo & (0x80000000 | 0));
      out[1] = 0;
    } else {
      out[0] = alo;
      out[1] = (ahi & 0x7fffffff) | (bhi & (0x80000000 | 0));
    }
    return true;
  }
  const a = floatValue(type, alo, ahi);
  const b = floatValue(type, blo, bhi);
  let r: number;
  switch (op) {
    case Opcode.fadd: r = a + b; break;
    case Opcode.fsub: r = a - b; break;
    case Opcode.fmul: r = a * b; break;
    case Opcode.fdiv: r = a / b; break;
    case Opcode.fmin: r = wasmMin(a, b); break;
    case Opcode.fmax: r = wasmMax(a, b); break;
    default: return false;
  }
  setFloat(type, r, out);
  return true;
}

/** Float unary opcodes (fneg .. nearest) of type `type`. False for other opcodes. */
export function evalFloatUnary(op: number, type: Type, lo: number, hi: number, out: Int32Array): boolean {
  const signBit = 0x80000000 | 0;
  switch (op) {
    case Opcode.fneg:
      if (type === F32) { out[0] = lo ^ signBit; out[1] = 0; } else { out[0] = lo; out[1] = hi ^ signBit; }
      return true;
    case Opcode.fabs:
      if (type === F32) { out[0] = lo & 0x7fffffff; out[1] = 0; } else { out[0] = lo; out[1] = hi & 0x7fffffff; }
      return true;
    default:
      break;
  }
  const x = floatValue(type, lo, hi);
  let r: number;
  switch (op) {
    case Opcode.sqrt: r = Math.sqrt(x); break;
    case Opcode.ceil: r = Math.ceil(x); break;
    case Opcode.floor: r = Math.floor(x); break;
    case Opcode.trunc: r = Math.trunc(x); break;
    case Opcode.nearest: r = roundTiesEven(x); break;
    default: return false;
  }
  setFloat(type, r, out);
  return true;
}

/** Float comparison with wasm semantics (`ne` is true on NaN; the ordered conditions are false). */
export function evalFloatCompare(cc: number, type: Type, alo: number, ahi: number, blo: number, bhi: number): boolean {
  const a = floatValue(type, alo, ahi);
  const b = floatValue(type, blo, bhi);
  switch (cc) {
    case FloatCC.eq: return a === b;
    case FloatCC.ne: return a !== b;
    case FloatCC.lt: return a < b;
    case FloatCC.le: return a <= b;
    case FloatCC.gt: return a > b;
    case FloatCC.ge: return a >= b;
    default: throw new Error(`evalFloatCompare: bad condition code ${cc}`);
  }
}

/** Outcome of a float-to-int conversion. */
export const ConvertResult = {
  ok: 0,
  /** NaN input to a trapping conversion. */
  nan: 1,
  /** Out of range for a trapping conversion. */
  overflow: 2,
} as const;

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

/** Writes an integer-valued JS number (|t| < 2^64) to out as 64-bit two's complement. */
function setInt64FromNumber(t: number, out: Int32Array): void {
  let hi = Math.floor(t / TWO32);
  const lo = t - hi * TWO32; // exact: t is an integer and hi·2^32 is within its magnitude
  if (hi >= 2147483648) hi -= TWO32; // unsigned values above 2^63 wrap to negative halves
  out[0] = lo | 0;
  out[1] = hi | 0;
}

/**
 * fcvt_to_sint / fcvt_to_uint (trapping) and their `_sat` forms: float `srcType` bits to integer `dstType`.
 * Returns ConvertResult.ok with the value in out, or why a trapping form traps.
 */
export function evalFloatToInt(
  op: number, dstType: Type, srcType: Type, lo: number, hi: number, out: Int32Array,
): number {
  const x = floatValue(srcType, lo, hi);
  const signed = op === Opcode.fcvt_to_sint || op === Opcode.fcvt_to_sint_sat;
  const saturate = op === Opcode.fcvt_to_sint_sat || op === Opcode.fcvt_to_uint_sat;
  const is64 = dstType === I64;
  // The valid range is (min - 1, max + 1) before truncation; the bounds below are exact doubles.
  const low = signed ? (is64 ? -TWO63 : -2147483648) : 0;
  const high = signed ? (is64 ? TWO63 : 2147483648) : is64 ? TWO64 : TWO32; // exclusive
  if (x !== x) {
    if (!saturate) return ConvertResult.nan;
    out[0] = 0;
    out[1] = 0;
    return ConvertResult.ok;
  }
  const t = Math.trunc(x);
  if (t < low || t >= high) {
    if (!saturate) return ConvertResult.overflow;
    if (t < low) {
      // Saturate to the minimum.
      if (is64) setInt64FromNumber(low, out);
      else { out[0] = low | 0; out[1] = (low | 0) >> 31; }
    } else if (is64) {
      if (signed) { out[0] = -1; out[1] = 0x7fffffff; } else { out[0] = -1; out[1] = -1; }
    } else {
      const m = signed ? 0x7fffffff : -1;
      out[0] = m;
      out[1] = m >> 31;
    }
    return ConvertResult.ok;
  }
  if (is64) setInt64FromNumber(t === 0 ? 0 : t, out);
  else {
    out[0] = t | 0;
    out[1] = (t | 0) >> 31;
  }
  return ConvertResult.ok;
}

/**
 * fcvt_from_sint / fcvt_from_uint: integer `srcType` (lo, hi) to float `dstType`, rounded to nearest-even once.
 * i64 -> f32 is rounded to odd at 53 bits first (exact in a double), which makes the final fround correct.
 */
export function evalIntToFloat(op: number, dstType: Type, srcType: Type, lo: number, hi: number, out: Int32Array): void {
  const signed = op === Opcode.fcvt_from_sint;
  let x: number;
  if (srcType === I32) {
    x = signed ? lo | 0 : lo >>> 0;
  } else {
    let neg = false;
    if (signed && hi < 0) {
      // Magnitude as an unsigned 64-bit value (INT64_MIN stays 2^63).
      neg = true;
      const nlo = -lo | 0;
      hi = (~hi + (nlo === 0 ? 1 : 0)) | 0;
      lo = nlo;
    }
    const uhi = hi >>> 0;
    if (dstType === F32 && uhi >= 0x200000) {
      // >= 2^53: keep bits 11..63 and fold the discarded low bits into bit 11 (round to odd).
      lo = (lo & ~0x7ff) | ((lo & 0x7ff) !== 0 ? 0x800 : 0);
    }
    x = uhi * TWO32 + (lo >>> 0);
    if (neg) x = -x;
  }
  setFloat(dstType, x, out);
}

/** fpromote (f32 -> f64) and fdemote (f64 -> f32). */
export function evalFloatConvert(op: number, lo: number, hi: number, out: Int32Array): void {
  if (op === Opcode.fpromote) f64ToBits(f32FromBits(lo), out);
  else {
    out[0] = f32ToBits(f64FromBits(lo, hi));
    out[1] = 0;
  }
}

/** bitcast: reinterpret bits (i32 <-> f32, i64 <-> f64). The pair is unchanged, except that i32 gets hi = lo >> 31. */
export function evalBitcast(dstType: Type, lo: number, hi: number, out: Int32Array): void {
  out[0] = lo;
  out[1] = dstType === I32 ? lo >> 31 : dstType === F32 ? 0 : hi;
}
