/**
 * The constant evaluators (int64 halves, integer and float opcodes) against independent references: BigInt for
 * integers, Math.fround / known IEEE results for floats.
 */
import { describe, expect, it } from 'vitest';
import { F32, F64, FloatCC, I32, I64, IntCC, Opcode } from '../../../src/ir/index.js';
import {
  ConvertResult, evalFloatBinary, evalFloatCompare, evalFloatToInt, evalFloatUnary, evalIntToFloat, f32FromBits,
  f32ToBits, f64FromBits, f64ToBits, isNaNBits, roundTiesEven,
} from '../../../src/ir/passes/eval-float.js';
import { evalIntBinary, evalIntCompare, evalIntUnary } from '../../../src/ir/passes/eval-int.js';
import { divRemS64, divRemU64, mulHiU32 } from '../../../src/ir/passes/int64.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const toBig = (lo: number, hi: number) => BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
const loOf = (x: bigint) => Number(BigInt.asUintN(64, x) & 0xffffffffn) | 0;
const hiOf = (x: bigint) => Number(BigInt.asUintN(64, x) >> 32n) | 0;

/** Interesting 64-bit values: edges plus random ones of every magnitude. */
function samples64(n: number, seed: number): bigint[] {
  const r = rng(seed);
  const out: bigint[] = [0n, 1n, -1n, 2n, 3n, 7n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
    -0x80000000n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 12345678901234n];
  for (let i = 0; i < n; i++) {
    const bits = 1 + Math.floor(r() * 64);
    let x = 0n;
    for (let b = 0; b < bits; b += 16) x = (x << 16n) | BigInt(Math.floor(r() * 65536));
    out.push(BigInt.asIntN(64, r() < 0.5 ? x : -x));
  }
  return out;
}

function ref64(op: number, a: bigint, b: bigint): bigint | null {
  const ua = BigInt.asUintN(64, a);
  const ub = BigInt.asUintN(64, b);
  const n = BigInt(Number(ub & 63n));
  switch (op) {
    case Opcode.iadd: return a + b;
    case Opcode.isub: return a - b;
    case Opcode.imul: return a * b;
    case Opcode.band: return a & b;
    case Opcode.bor: return a | b;
    case Opcode.bxor: return a ^ b;
    case Opcode.ishl: return a << n;
    case Opcode.ushr: return ua >> n;
    case Opcode.sshr: return a >> n;
    case Opcode.rotl: return (ua << n) | (ua >> ((64n - n) & 63n));
    case Opcode.rotr: return (ua >> n) | (ua << ((64n - n) & 63n));
    case Opcode.udiv: return ub === 0n ? null : ua / ub;
    case Opcode.urem: return ub === 0n ? null : ua % ub;
    case Opcode.sdiv: return b === 0n || (a === -(2n ** 63n) && b === -1n) ? null : a / b;
    case Opcode.srem: return b === 0n ? null : a % b;
    default: throw new Error(String(op));
  }
}

const BINARY = [Opcode.iadd, Opcode.isub, Opcode.imul, Opcode.band, Opcode.bor, Opcode.bxor, Opcode.ishl,
  Opcode.ushr, Opcode.sshr, Opcode.rotl, Opcode.rotr, Opcode.udiv, Opcode.urem, Opcode.sdiv, Opcode.srem];

describe('64-bit integer arithmetic on halves', () => {
  it('mulHiU32 matches BigInt', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const a = (r() * 2 ** 32) >>> 0;
      const b = i % 7 === 0 ? 0xffffffff : (r() * 2 ** 32) >>> 0;
      expect(mulHiU32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n) | 0);
    }
  });

  it('every i64 binary opcode matches BigInt over edge and random values', () => {
    const xs = samples64(60, 2);
    const out = new Int32Array(2);
    let checked = 0;
    let traps = 0;
    for (const op of BINARY) {
      for (const a of xs) {
        for (const b of xs) {
          const want = ref64(op, a, b);
          const ok = evalIntBinary(op, I64, loOf(a), hiOf(a), loOf(b), hiOf(b), out);
          if (want === null) {
            if (ok) throw new Error(`op ${op}: ${a}, ${b} should trap`);
            traps++;
            continue;
          }
          if (!ok) throw new Error(`op ${op}: ${a}, ${b} should not trap`);
          const got = toBig(out[0]!, out[1]!);
          if (got !== BigInt.asIntN(64, want)) throw new Error(`op ${op}: ${a}, ${b}: got ${got} want ${BigInt.asIntN(64, want)}`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(80000);
    expect(traps).toBeGreaterThan(150); // zero divisors and INT64_MIN / -1
  });

  it('every i32 binary opcode matches BigInt and keeps the result sign-extended', () => {
    const r = rng(3);
    const xs = [0, 1, -1, 2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678];
    for (let i = 0; i < 40; i++) xs.push((r() * 2 ** 32) | 0);
    const out = new Int32Array(2);
    for (const op of BINARY) {
      for (const a of xs) {
        for (const b of xs) {
          const A = BigInt(a);
          const B = BigInt(b);
          let want: bigint | null;
          const ua = BigInt(a >>> 0);
          const ub = BigInt(b >>> 0);
          const n = BigInt(b & 31);
          switch (op) {
            case Opcode.ushr: want = ua >> n; break;
            case Opcode.sshr: want = A >> n; break;
            case Opcode.ishl: want = A << n; break;
            case Opcode.rotl: want = (ua << n) | (ua >> ((32n - n) & 31n)); break;
            case Opcode.rotr: want = (ua >> n) | (ua << ((32n - n) & 31n)); break;
            case Opcode.udiv: want = ub === 0n ? null : ua / ub; break;
            case Opcode.urem: want = ub === 0n ? null : ua % ub; break;
            case Opcode.sdiv: want = B === 0n || (a === -0x80000000 && b === -1) ? null : A / B; break;
            case Opcode.srem: want = B === 0n ? null : A % B; break;
            default: want = ref64(op, A, B);
          }
          const ok = evalIntBinary(op, I32, a, a >> 31, b, b >> 31, out);
          if (ok !== (want !== null)) throw new Error(`op ${op}: ${a}, ${b}: trap mismatch`);
          if (want === null) continue;
          const w = Number(BigInt.asIntN(32, want));
          if (out[0] !== w || out[1] !== w >> 31) throw new Error(`op ${op}: ${a}, ${b}: got ${out[0]}/${out[1]} want ${w}`);
        }
      }
    }
  });

  it('divRemU64 / divRemS64 take both the fast and the long path correctly', () => {
    const q = new Int32Array(2);
    const r = new Int32Array(2);
    const cases: [bigint, bigint][] = [[2n ** 52n - 1n, 3n], [2n ** 60n + 5n, 7n], [-1n, 1n], [-1n, -1n],
      [2n ** 63n, 2n ** 32n + 1n], [12345n, 2n ** 40n]];
    for (const [a, b] of cases) {
      divRemU64(loOf(a), hiOf(a), loOf(b), hiOf(b), q, r);
      const ua = BigInt.asUintN(64, a);
      const ub = BigInt.asUintN(64, b);
      expect(BigInt.asUintN(64, toBig(q[0]!, q[1]!))).toBe(ua / ub);
      expect(BigInt.asUintN(64, toBig(r[0]!, r[1]!))).toBe(ua % ub);
      divRemS64(loOf(a), hiOf(a), loOf(b), hiOf(b), q, r);
      expect(toBig(q[0]!, q[1]!)).toBe(BigInt.asIntN(64, a) / BigInt.asIntN(64, b));
      expect(toBig(r[0]!, r[1]!)).toBe(BigInt.asIntN(64, a) % BigInt.asIntN(64, b));
    }
  });

  it('unary integer opcodes and extensions', () => {
    const out = new Int32Array(2);
    const u = (op: number, t: number, lo: number, hi: number) => {
      expect(evalIntUnary(op, t, lo, hi, out)).toBe(true);
      return toBig(out[0]!, out[1]!);
    };
    expect(u(Opcode.clz, I32, 1, 0)).toBe(31n);
    expect(u(Opcode.clz, I32, 0, 0)).toBe(32n);
    expect(u(Opcode.clz, I64, 1, 0)).toBe(63n);
    expect(u(Opcode.clz, I64, 0, 0)).toBe(64n);
    expect(u(Opcode.ctz, I64, 0, 0)).toBe(64n);
    expect(u(Opcode.ctz, I64, 0, 0x100)).toBe(40n);
    expect(u(Opcode.ctz, I32, 0, 0)).toBe(32n);
    expect(u(Opcode.popcnt, I64, -1, -1)).toBe(64n);
    expect(u(Opcode.popcnt, I32, 0x0f0f, 0)).toBe(8n);
    expect(u(Opcode.ineg, I64, 0, 0x80000000 | 0)).toBe(-(2n ** 63n));
    expect(u(Opcode.ineg, I32, 5, 0)).toBe(-5n);
    expect(u(Opcode.bnot, I64, 0, 0)).toBe(-1n);
    expect(u(Opcode.sextend8, I32, 0x80, 0)).toBe(-128n);
    expect(u(Opcode.sextend16, I64, 0x7fff, 0)).toBe(0x7fffn);
    expect(u(Opcode.sextend32, I64, -2, 0)).toBe(-2n);
    expect(u(Opcode.uextend, I64, -1, -1)).toBe(0xffffffffn);
    expect(u(Opcode.sextend, I64, -1, -1)).toBe(-1n);
    expect(u(Opcode.ireduce, I32, 0x80000000 | 0, 7)).toBe(-(2n ** 31n));
  });

  it('comparisons, signed and unsigned, both widths', () => {
    expect(evalIntCompare(IntCC.ult, I32, -1, -1, 1, 0)).toBe(false);
    expect(evalIntCompare(IntCC.slt, I32, -1, -1, 1, 0)).toBe(true);
    expect(evalIntCompare(IntCC.ugt, I64, 0, 1, -1, 0)).toBe(true);
    expect(evalIntCompare(IntCC.sge, I64, 0, -1, 5, 0)).toBe(false);
    expect(evalIntCompare(IntCC.ule, I64, 5, 0, 5, 0)).toBe(true);
    expect(evalIntCompare(IntCC.ne, I64, 5, 0, 5, 1)).toBe(true);
  });
});

describe('float evaluation', () => {
  const out = new Int32Array(2);
  const f32 = (op: number, a: number, b: number) => {
    evalFloatBinary(op, F32, f32ToBits(a), 0, f32ToBits(b), 0, out);
    return f32FromBits(out[0]!);
  };
  const bits64 = new Int32Array(2);
  const f64 = (op: number, a: number, b: number) => {
    f64ToBits(a, bits64);
    const alo = bits64[0]!;
    const ahi = bits64[1]!;
    f64ToBits(b, bits64);
    evalFloatBinary(op, F64, alo, ahi, bits64[0]!, bits64[1]!, out);
    return f64FromBits(out[0]!, out[1]!);
  };

  it('f32 arithmetic rounds once to f32', () => {
    expect(f32(Opcode.fadd, 0.1, 0.2)).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(f32(Opcode.fdiv, 1, 3)).toBe(Math.fround(1 / 3));
    expect(f32(Opcode.fmul, 3.4e38, 10)).toBe(Infinity);
  });

  it('fmin / fmax order -0 below +0 and propagate NaN', () => {
    expect(Object.is(f64(Opcode.fmin, 0, -0), -0)).toBe(true);
    expect(Object.is(f64(Opcode.fmax, -0, 0), 0)).toBe(true);
    expect(Number.isNaN(f64(Opcode.fmin, NaN, 1))).toBe(true);
    expect(Number.isNaN(f32(Opcode.fmax, 1, NaN))).toBe(true);
  });

  it('fcopysign, fneg and fabs are bitwise, NaN payloads included', () => {
    evalFloatBinary(Opcode.fcopysign, F32, 0x7fa00001, 0, 0x80000000 | 0, 0, out);
    expect(out[0]! >>> 0).toBe(0xffa00001);
    evalFloatUnary(Opcode.fneg, F64, 1, 0x7ff00000, out);
    expect([out[0], out[1]! >>> 0]).toEqual([1, 0xfff00000]);
    evalFloatUnary(Opcode.fabs, F32, 0xffc00001 | 0, 0, out);
    expect(out[0]! >>> 0).toBe(0x7fc00001);
  });

  it('nearest rounds half to even and keeps the sign of zero', () => {
    expect(roundTiesEven(2.5)).toBe(2);
    expect(roundTiesEven(3.5)).toBe(4);
    expect(roundTiesEven(-2.5)).toBe(-2);
    expect(Object.is(roundTiesEven(-0.5), -0)).toBe(true);
    expect(Object.is(roundTiesEven(0.5), 0)).toBe(true);
    expect(roundTiesEven(-1.5)).toBe(-2);
    expect(roundTiesEven(4503599627370497)).toBe(4503599627370497);
  });

  it('float compares follow wasm NaN rules', () => {
    const nan = f32ToBits(NaN);
    expect(evalFloatCompare(FloatCC.ne, F32, nan, 0, nan, 0)).toBe(true);
    expect(evalFloatCompare(FloatCC.eq, F32, nan, 0, nan, 0)).toBe(false);
    expect(evalFloatCompare(FloatCC.le, F32, f32ToBits(-0), 0, f32ToBits(0), 0)).toBe(true);
  });

  it('float-to-int conversions trap or saturate at the exact bounds', () => {
    const conv = (op: number, dst: number, x: number) => {
      f64ToBits(x, bits64);
      const r = evalFloatToInt(op, dst, F64, bits64[0]!, bits64[1]!, out);
      return r === ConvertResult.ok ? toBig(out[0]!, out[1]!) : r;
    };
    expect(conv(Opcode.fcvt_to_sint, I32, 2147483647.9)).toBe(2147483647n);
    expect(conv(Opcode.fcvt_to_sint, I32, 2147483648)).toBe(ConvertResult.overflow);
    expect(conv(Opcode.fcvt_to_sint, I32, -2147483648.9)).toBe(-2147483648n);
    expect(conv(Opcode.fcvt_to_sint, I32, NaN)).toBe(ConvertResult.nan);
    expect(conv(Opcode.fcvt_to_uint, I32, -0.9)).toBe(0n);
    expect(conv(Opcode.fcvt_to_uint, I32, -1)).toBe(ConvertResult.overflow);
    expect(conv(Opcode.fcvt_to_uint, I64, 18446744073709549568)).toBe(-2048n); // 2^64 - 2048 as i64 bits
    expect(conv(Opcode.fcvt_to_uint, I64, 18446744073709551616)).toBe(ConvertResult.overflow);
    expect(conv(Opcode.fcvt_to_sint, I64, -9223372036854775808)).toBe(-(2n ** 63n));
    expect(conv(Opcode.fcvt_to_sint_sat, I64, 1e300)).toBe(2n ** 63n - 1n);
    expect(conv(Opcode.fcvt_to_sint_sat, I32, -1e300)).toBe(-(2n ** 31n));
    expect(conv(Opcode.fcvt_to_uint_sat, I64, Infinity)).toBe(-1n);
    expect(conv(Opcode.fcvt_to_uint_sat, I32, NaN)).toBe(0n);
  });

  it('int-to-float conversions round once (i64 -> f32 included)', () => {
    const r = rng(9);
    for (let i = 0; i < 3000; i++) {
      const x = samples64(0, 0)[i % 17]! + BigInt(Math.floor(r() * 1e6)) * (i % 2 === 0 ? 1n : 1n << 40n);
      const s = BigInt.asIntN(64, x);
      const u = BigInt.asUintN(64, x);
      // Reference: round the exact integer to 24 significant bits, ties to even (then it is exact in f32).
      const refF32 = (v: bigint): number => {
        const neg = v < 0n;
        const mag = neg ? -v : v;
        const width = mag.toString(2).length;
        if (width <= 24) return neg ? -Number(mag) : Number(mag);
        const drop = BigInt(width - 24);
        const kept = mag >> drop;
        const rest = mag & ((1n << drop) - 1n);
        const half = 1n << (drop - 1n);
        let rounded = kept;
        if (rest > half || (rest === half && (kept & 1n) === 1n)) rounded++;
        const val = Number(rounded) * 2 ** Number(drop);
        return neg ? -val : val;
      };
      const check = (got: number, want: number) => {
        if (!Object.is(got, want)) throw new Error(`${x}: got ${got} want ${want}`);
      };
      evalIntToFloat(Opcode.fcvt_from_sint, F32, I64, loOf(s), hiOf(s), out);
      check(f32FromBits(out[0]!), Math.fround(refF32(s)));
      evalIntToFloat(Opcode.fcvt_from_uint, F32, I64, loOf(u), hiOf(u), out);
      check(f32FromBits(out[0]!), Math.fround(refF32(u)));
      evalIntToFloat(Opcode.fcvt_from_uint, F64, I64, loOf(u), hiOf(u), out);
      check(f64FromBits(out[0]!, out[1]!), Number(u));
      evalIntToFloat(Opcode.fcvt_from_sint, F64, I64, loOf(s), hiOf(s), out);
      check(f64FromBits(out[0]!, out[1]!), Number(s));
    }
    // A value whose double rounding would go wrong: 2^60 + 2^36 + 1 (a tie at f32 broken by the low bit).
    const tricky = (1n << 60n) + (1n << 36n) + 1n;
    evalIntToFloat(Opcode.fcvt_from_uint, F32, I64, loOf(tricky), hiOf(tricky), out);
    expect(f32FromBits(out[0]!)).toBe(2 ** 60 + 2 ** 37);
  });

  it('isNaNBits', () => {
    expect(isNaNBits(F32, 0x7fc00000, 0)).toBe(true);
    expect(isNaNBits(F32, 0x7f800000, 0)).toBe(false);
    expect(isNaNBits(F64, 1, 0x7ff00000)).toBe(true);
    expect(isNaNBits(F64, 0, 0x7ff00000 | 0)).toBe(false);
  });
});
