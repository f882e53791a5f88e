/**
 * Exact wasm semantics of the integer opcodes on constant operands, shared by constant folding and the IR
 * interpreter. Values are (lo, hi) int32 halves; an i32 value uses `lo` only and its result is written
 * sign-extended (`hi = lo >> 31`, the IR's canonical form for i32 immediates).
 *
 * Evaluators return false when the operation would trap (division by zero, signed overflow), so the caller
 * leaves the instruction alone (folding) or raises the trap (interpreter).
 */
import { IntCC } from '../condcodes.js';
import { Opcode } from '../opcodes.js';
import { I32, I64, type Type } from '../types.js';
import {
  add64, clz64, ctz32, ctz64, divRemS64, divRemU64, ltS64, ltU64, mul64, neg64, popcnt32, rotl64, rotr64,
  shl64, sshr64, sub64, ushr64,
} from './int64.js';

/** The register-register opcode an `_imm` opcode abbreviates (iadd_imm -> iadd), or the opcode itself. */
export function baseOfImmediateForm(op: number): number {
  switch (op) {
    case Opcode.iadd_imm: return Opcode.iadd;
    case Opcode.imul_imm: return Opcode.imul;
    case Opcode.band_imm: return Opcode.band;
    case Opcode.bor_imm: return Opcode.bor;
    case Opcode.bxor_imm: return Opcode.bxor;
    case Opcode.ishl_imm: return Opcode.ishl;
    case Opcode.ushr_imm: return Opcode.ushr;
    case Opcode.sshr_imm: return Opcode.sshr;
    case Opcode.rotl_imm: return Opcode.rotl;
    case Opcode.rotr_imm: return Opcode.rotr;
    case Opcode.icmp_imm: return Opcode.icmp;
    default: return op;
  }
}

const quot = new Int32Array(2);
const rem = new Int32Array(2);

function set32(out: Int32Array, r: number): true {
  out[0] = r | 0;
  out[1] = (r | 0) >> 31;
  return true;
}

/**
 * `op a, b` of integer type `type` (op may be an `_imm` form: pass the immediate as b). Returns false when it
 * traps or is not an integer binary opcode.
 */
export function evalIntBinary(
  op: number, type: Type, alo: number, ahi: number, blo: number, bhi: number, out: Int32Array,
): boolean {
  op = baseOfImmediateForm(op);
  if (type === I32) return evalI32Binary(op, alo | 0, blo | 0, out);
  if (type !== I64) return false;
  switch (op) {
    case Opcode.iadd: add64(alo, ahi, blo, bhi, out); return true;
    case Opcode.isub: sub64(alo, ahi, blo, bhi, out); return true;
    case Opcode.imul: mul64(alo, ahi, blo, bhi, out); return true;
    case Opcode.band: out[0] = alo & blo; out[1] = ahi & bhi; return true;
    case Opcode.bor: out[0] = alo | blo; out[1] = ahi | bhi; return true;
    case Opcode.bxor: out[0] = alo ^ blo; out[1] = ahi ^ bhi; return true;
    case Opcode.ishl: shl64(alo, ahi, blo, out); return true;
    case Opcode.ushr: ushr64(alo, ahi, blo, out); return true;
    case Opcode.sshr: sshr64(alo, ahi, blo, out); return true;
    case Opcode.rotl: rotl64(alo, ahi, blo, out); return true;
    case Opcode.rotr: rotr64(alo, ahi, blo, out); return true;
    case Opcode.udiv: case Opcode.urem:
      if (blo === 0 && bhi === 0) return false;
      divRemU64(alo, ahi, blo, bhi, quot, rem);
      out[0] = op === Opcode.udiv ? quot[0]! : rem[0]!;
      out[1] = op === Opcode.udiv ? quot[1]! : rem[1]!;
      return true;
    case Opcode.sdiv: case Opcode.srem:
      if (blo === 0 && bhi === 0) return false;
      if (op === Opcode.sdiv && alo === 0 && ahi === (0x80000000 | 0) && blo === -1 && bhi === -1) return false;
      divRemS64(alo, ahi, blo, bhi, quot, rem);
      out[0] = op === Opcode.sdiv ? quot[0]! : rem[0]!;
      out[1] = op === Opcode.sdiv ? quot[1]! : rem[1]!;
      return true;
    default:
      return false;
  }
}

function evalI32Binary(op: number, a: number, b: number, out: Int32Array): boolean {
  switch (op) {
    case Opcode.iadd: return set32(out, a + b);
    case Opcode.isub: return set32(out, a - b);
    case Opcode.imul: return set32(out, Math.imul(a, b));
    case Opcode.band: return set32(out, a & b);
    case Opcode.bor: return set32(out, a | b);
    case Opcode.bxor: return set32(out, a ^ b);
    case Opcode.ishl: return set32(out, a << (b & 31));
    case Opcode.ushr: return set32(out, a >>> (b & 31));
    case Opcode.sshr: return set32(out, a >> (b & 31));
    case Opcode.rotl: {
      const n = b & 31;
      return set32(out, n === 0 ? a : (a << n) | (a >>> (32 - n)));
    }
    case Opcode.rotr: {
      const n = b & 31;
      return set32(out, n === 0 ? a : (a >>> n) | (a << (32 - n)));
    }
    case Opcode.udiv:
      if (b === 0) return false;
      return set32(out, Math.trunc((a >>> 0) / (b >>> 0)));
    case Opcode.urem:
      if (b === 0) return false;
      return set32(out, (a >>> 0) % (b >>> 0));
    case Opcode.sdiv:
      if (b === 0 || (a === -2147483648 && b === -1)) return false;
      return set32(out, Math.trunc(a / b));
    case Opcode.srem:
      if (b === 0) return false;
      // JS % keeps the dividend's sign like wasm; INT_MIN % -1 is -0 in JS, which `| 0` makes 0.
      return set32(out, a % b);
    default:
      return false;
  }
}

/**
 * Integer unary opcodes and integer-to-integer conversions: `resultType` is the instruction's controlling
 * type (for uextend/sextend i64, for ireduce i32). Returns false for other opcodes.
 */
export function evalIntUnary(op: number, resultType: Type, lo: number, hi: number, out: Int32Array): boolean {
  const is64 = resultType === I64;
  switch (op) {
    case Opcode.ineg:
      if (is64) neg64(lo, hi, out);
      else set32(out, -lo);
      return true;
    case Opcode.bnot:
      out[0] = ~lo;
      out[1] = is64 ? ~hi : ~lo >> 31;
      return true;
    case Opcode.clz: return setCount(out, is64 ? clz64(lo, hi) : Math.clz32(lo));
    case Opcode.ctz: return setCount(out, is64 ? ctz64(lo, hi) : ctz32(lo));
    case Opcode.popcnt: return setCount(out, is64 ? popcnt32(lo) + popcnt32(hi) : popcnt32(lo));
    case Opcode.sextend8: return set32(out, (lo << 24) >> 24);
    case Opcode.sextend16: return set32(out, (lo << 16) >> 16);
    case Opcode.sextend32: case Opcode.sextend: return set32(out, lo);
    case Opcode.uextend:
      out[0] = lo;
      out[1] = 0;
      return true;
    case Opcode.ireduce: return set32(out, lo);
    default:
      return false;
  }
}

function setCount(out: Int32Array, n: number): true {
  out[0] = n;
  out[1] = 0;
  return true;
}

/** Integer comparison of two values of type `type`. */
export function evalIntCompare(cc: number, type: Type, alo: number, ahi: number, blo: number, bhi: number): boolean {
  if (type === I32) {
    ahi = alo >> 31;
    bhi = blo >> 31;
  }
  switch (cc) {
    case IntCC.eq: return alo === blo && ahi === bhi;
    case IntCC.ne: return alo !== blo || ahi !== bhi;
    case IntCC.slt: return ltS64(alo, ahi, blo, bhi);
    case IntCC.sle: return !ltS64(blo, bhi, alo, ahi);
    case IntCC.sgt: return ltS64(blo, bhi, alo, ahi);
    case IntCC.sge: return !ltS64(alo, ahi, blo, bhi);
    case IntCC.ult: return ltU64(alo, ahi, blo, bhi);
    case IntCC.ule: return !ltU64(blo, bhi, alo, ahi);
    case IntCC.ugt: return ltU64(blo, bhi, alo, ahi);
    case IntCC.uge: return !ltU64(alo, ahi, blo, bhi);
    default: throw new Error(`evalIntCompare: bad condition code ${cc}`);
  }
}
