// Execution tests, floating point and conversions: exact wasm results, including NaN / −0 bit patterns and the
// trapping / saturating conversion boundaries. Each group runs with SSE4.1 and with the SSE2-only fallbacks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_CPU_FEATURES } from '../../src/x64/index.js';
import { ExecModule, bitsF32, bitsF64, f32Bits, f64Bits, i32Of, i64Of } from './exec-harness.js';

const NAN64 = 0x7ff8000000000000n;
const NAN32 = 0x7fc00000;
const PAYLOAD_NAN64 = 0x7ff4000000000001n; // a signalling NaN with a payload
const F64_SAMPLES = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 0.49999999999999994, 1e300, -1e300, Infinity, -Infinity, NaN,
  4503599627370496, 4503599627370497, -4503599627370497, 9007199254740993, 1e-310, 2147483647.5, -2147483648.9,
];
const F32_SAMPLES = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 8388608, 8388609, -8388609, 3.4e38, Infinity, -Infinity, NaN, 1e-40];

const fround = Math.fround;

function nearest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const t = Math.trunc(x);
  const frac = Math.abs(x - t);
  let r: number;
  if (frac === 0.5) r = t % 2 === 0 ? t : t + Math.sign(x);
  else r = Math.round(x);
  return r === 0 ? (x < 0 ? -0 : 0) : r;
}
function wasmMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) || Object.is(b, -0) ? -0 : 0;
  return Math.min(a, b);
}
function wasmMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, 0) || Object.is(b, 0) ? 0 : -0;
  return Math.max(a, b);
}
/** Compares as wasm does: NaN matches any NaN; otherwise identical bits (so −0 ≠ +0). */
function sameF(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Object.is(actual, expected);
}

const BIN_OPS = ['fadd', 'fsub', 'fmul', 'fdiv', 'fmin', 'fmax', 'fcopysign'];
const UN_OPS = ['fneg', 'fabs', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest'];

function floatModuleText(): string {
  let text = '';
  for (const t of ['f32', 'f64']) {
    for (const op of BIN_OPS) {
      text += `function %${op}_${t}(i64 vmctx, ${t}, ${t}) -> ${t} {
block0(v0: i64, v1: ${t}, v2: ${t}):
    v3 = ${op} v1, v2
    return v3
}
`;
    }
    for (const op of UN_OPS) {
      text += `function %${op}_${t}(i64 vmctx, ${t}) -> ${t} {
block0(v0: i64, v1: ${t}):
    v2 = ${op} v1
    return v2
}
`;
    }
    text += `function %fcmp_${t}(i64 vmctx, ${t}, ${t}) -> i32, i32, i32, i32, i32, i32 {
block0(v0: i64, v1: ${t}, v2: ${t}):
    v3 = fcmp eq v1, v2
    v4 = fcmp ne v1, v2
    v5 = fcmp lt v1, v2
    v6 = fcmp le v1, v2
    v7 = fcmp gt v1, v2
    v8 = fcmp ge v1, v2
    return v3, v4, v5, v6, v7, v8
}
function %fselect_eq_${t}(i64 vmctx, ${t}, ${t}, ${t}, ${t}) -> ${t} {
block0(v0: i64, v1: ${t}, v2: ${t}, v3: ${t}, v4: ${t}):
    v5 = fcmp eq v1, v2
    v6 = select v5, v3, v4
    return v6
}
function %fselect_ne_${t}(i64 vmctx, ${t}, ${t}, i64, i64) -> i64 {
block0(v0: i64, v1: ${t}, v2: ${t}, v3: i64, v4: i64):
    v5 = fcmp ne v1, v2
    v6 = select v5, v3, v4
    return v6
}
function %fbr_eq_${t}(i64 vmctx, ${t}, ${t}) -> i32 {
block0(v0: i64, v1: ${t}, v2: ${t}):
    v3 = fcmp eq v1, v2
    brif v3, block1, block2

block1:
    v4 = iconst.i32 1
    return v4

block2:
    v5 = iconst.i32 0
    return v5
}
function %fbr_lt_${t}(i64 vmctx, ${t}, ${t}) -> i32 {
block0(v0: i64, v1: ${t}, v2: ${t}):
    v3 = fcmp lt v1, v2
    brif v3, block1, block2

block1:
    v4 = iconst.i32 1
    return v4

block2:
    v5 = iconst.i32 0
    return v5
}
`;
  }
  return text;
}

function refBin(op: string, a: number, b: number, f32: boolean): number {
  const r = (x: number): number => (f32 ? fround(x) : x);
  switch (op) {
    case 'fadd':
      return r(a + b);
    case 'fsub':
      return r(a - b);
    case 'fmul':
      return r(a * b);
    case 'fdiv':
      return r(a / b);
    case 'fmin':
      return wasmMin(a, b);
    case 'fmax':
      return wasmMax(a, b);
    default: {
      const neg = Object.is(b, -0) || b < 0 || (Number.isNaN(b) && false);
      return neg ? -Math.abs(a) : Math.abs(a);
    }
  }
}
function refUn(op: string, a: number, f32: boolean): number {
  switch (op) {
    case 'fneg':
      return -a;
    case 'fabs':
      return Math.abs(a);
    case 'sqrt':
      return f32 ? fround(Math.sqrt(a)) : Math.sqrt(a);
    case 'ceil':
      return Math.ceil(a);
    case 'floor':
      return Math.floor(a);
    case 'trunc':
      return Math.trunc(a);
    default:
      return nearest(a);
  }
}

for (const [label, cpu] of [
  ['SSE4.1', undefined],
  ['SSE2 only', BASELINE_CPU_FEATURES],
] as const) {
  describe(`float operators (${label})`, () => {
    let m: ExecModule;
    const index = new Map<string, number>();
    beforeAll(() => {
      const text = floatModuleText();
      m = ExecModule.build(text, cpu === undefined ? {} : { cpu });
      m.funcs.forEach((f, i) => index.set(f.name, i));
    });
    afterAll(() => m.free());

    const call = (name: string, args: (number | bigint)[]): bigint[] => {
      const r = m.call(index.get(name)!, args);
      if (r.trap !== null) throw new Error(`${name} trapped: ${r.trap}`);
      return r.results;
    };

    it('binary ops, f64 and f32 (NaN, ±0, infinities)', () => {
      for (const op of BIN_OPS) {
        for (const a of F64_SAMPLES) {
          for (const b of F64_SAMPLES) {
            if (op === 'fcopysign' && Number.isNaN(b)) continue; // sign of a NaN: checked below
            const got = bitsF64(call(`${op}_f64`, [a, b])[0]);
            expect(sameF(got, refBin(op, a, b, false)), `${op} ${a}, ${b} = ${got}`).toBe(true);
          }
        }
        for (const a of F32_SAMPLES) {
          for (const b of F32_SAMPLES) {
            if (op === 'fcopysign' && Number.isNaN(b)) continue;
            const got = bitsF32(call(`${op}_f32`, [a, b])[0]);
            expect(sameF(got, refBin(op, fround(a), fround(b), true)), `${op}.f32 ${a}, ${b} = ${got}`).toBe(true);
          }
        }
      }
    });

    it('NaN bit patterns: min/max propagate a quieted input NaN; copysign moves only the sign bit', () => {
      // Canonical NaN in → canonical NaN out.
      expect(call('fmin_f64', [NAN64, 1])[0]).toBe(NAN64);
      expect(call('fmax_f64', [2, NAN64])[0]).toBe(NAN64);
      expect(call('fmin_f32', [BigInt(NAN32), 1])[0] & 0xffffffffn).toBe(BigInt(NAN32));
      // A signalling NaN comes out quiet, payload kept (an arithmetic NaN).
      const q = call('fmax_f64', [PAYLOAD_NAN64, 0])[0];
      expect(q).toBe(PAYLOAD_NAN64 | 0x0008000000000000n);
      // min(-0, +0) = -0 and max(-0, +0) = +0 in both operand orders, bit-exact.
      expect(call('fmin_f64', [0, -0])[0]).toBe(0x8000000000000000n);
      expect(call('fmin_f64', [-0, 0])[0]).toBe(0x8000000000000000n);
      expect(call('fmax_f64', [-0, 0])[0]).toBe(0n);
      expect(call('fmax_f32', [0, -0])[0] & 0xffffffffn).toBe(0n);
      expect(call('fmin_f32', [0, -0])[0] & 0xffffffffn).toBe(0x80000000n);
      // copysign with a negative NaN as the sign source; fneg/fabs of NaN flip/clear only the sign.
      expect(call('fcopysign_f64', [1.5, 0xfff8000000000000n])[0]).toBe(f64Bits(-1.5));
      expect(call('fcopysign_f64', [PAYLOAD_NAN64, -1])[0]).toBe(PAYLOAD_NAN64 | (1n << 63n));
      expect(call('fneg_f64', [PAYLOAD_NAN64])[0]).toBe(PAYLOAD_NAN64 | (1n << 63n));
      expect(call('fabs_f32', [0xffc00001n])[0] & 0xffffffffn).toBe(0x7fc00001n);
    });

    it('unary ops incl. ceil/floor/trunc/nearest edge cases', () => {
      for (const op of UN_OPS) {
        for (const a of F64_SAMPLES) {
          const got = bitsF64(call(`${op}_f64`, [a])[0]);
          expect(sameF(got, refUn(op, a, false)), `${op} ${a} = ${got}`).toBe(true);
        }
        for (const a of F32_SAMPLES) {
          const got = bitsF32(call(`${op}_f32`, [a])[0]);
          expect(sameF(got, refUn(op, fround(a), true)), `${op}.f32 ${a} = ${got}`).toBe(true);
        }
      }
      // nearest rounds half to even; -0.5 → -0.
      expect(call('nearest_f64', [-0.5])[0]).toBe(0x8000000000000000n);
      expect(bitsF64(call('nearest_f64', [2.5])[0])).toBe(2);
      expect(bitsF64(call('nearest_f64', [-3.5])[0])).toBe(-4);
      expect(call('ceil_f64', [-0.75])[0]).toBe(0x8000000000000000n);
    });

    it('fcmp (materialised, select, branch) treats NaN as unordered', () => {
      const b = (x: boolean): number => (x ? 1 : 0);
      for (const [t, samples] of [['f64', F64_SAMPLES], ['f32', F32_SAMPLES]] as const) {
        for (const x of samples) {
          for (const y of samples) {
            expect(call(`fcmp_${t}`, [x, y]).map(i32Of), `fcmp ${x} ${y}`).toEqual([
              b(x === y), b(!(x === y)), b(x < y), b(x <= y), b(x > y), b(x >= y),
            ]);
            const sel = call(`fselect_eq_${t}`, [x, y, 10, 20])[0];
            expect(t === 'f64' ? bitsF64(sel) : bitsF32(sel)).toBe(x === y ? 10 : 20);
            expect(i64Of(call(`fselect_ne_${t}`, [x, y, 1n, 2n])[0])).toBe(x !== y ? 1n : 2n);
            expect(i32Of(call(`fbr_eq_${t}`, [x, y])[0])).toBe(b(x === y));
            expect(i32Of(call(`fbr_lt_${t}`, [x, y])[0])).toBe(b(x < y));
          }
        }
      }
    });
  });
}

const CONVERT = `
function %to_s32_f64(i64 vmctx, f64) -> i32 {
block0(v0: i64, v1: f64):
    v2 = fcvt_to_sint.i32 v1
    return v2
}
function %to_u32_f64(i64 vmctx, f64) -> i32 {
block0(v0: i64, v1: f64):
    v2 = fcvt_to_uint.i32 v1
    return v2
}
function %to_s64_f64(i64 vmctx, f64) -> i64 {
block0(v0: i64, v1: f64):
    v2 = fcvt_to_sint.i64 v1
    return v2
}
function %to_u64_f64(i64 vmctx, f64) -> i64 {
block0(v0: i64, v1: f64):
    v2 = fcvt_to_uint.i64 v1
    return v2
}
function %to_s32_f32(i64 vmctx, f32) -> i32 {
block0(v0: i64, v1: f32):
    v2 = fcvt_to_sint.i32 v1
    return v2
}
function %to_u32_f32(i64 vmctx, f32) -> i32 {
block0(v0: i64, v1: f32):
    v2 = fcvt_to_uint.i32 v1
    return v2
}
function %to_s64_f32(i64 vmctx, f32) -> i64 {
block0(v0: i64, v1: f32):
    v2 = fcvt_to_sint.i64 v1
    return v2
}
function %to_u64_f32(i64 vmctx, f32) -> i64 {
block0(v0: i64, v1: f32):
    v2 = fcvt_to_uint.i64 v1
    return v2
}
function %sat_f64(i64 vmctx, f64) -> i32, i32, i64, i64 {
block0(v0: i64, v1: f64):
    v2 = fcvt_to_sint_sat.i32 v1
    v3 = fcvt_to_uint_sat.i32 v1
    v4 = fcvt_to_sint_sat.i64 v1
    v5 = fcvt_to_uint_sat.i64 v1
    return v2, v3, v4, v5
}
function %sat_f32(i64 vmctx, f32) -> i32, i32, i64, i64 {
block0(v0: i64, v1: f32):
    v2 = fcvt_to_sint_sat.i32 v1
    v3 = fcvt_to_uint_sat.i32 v1
    v4 = fcvt_to_sint_sat.i64 v1
    v5 = fcvt_to_uint_sat.i64 v1
    return v2, v3, v4, v5
}
function %from_int(i64 vmctx, i32, i64) -> f64, f64, f64, f64, f32, f32, f32, f32 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = fcvt_from_sint.f64 v1
    v4 = fcvt_from_uint.f64 v1
    v5 = fcvt_from_sint.f64 v2
    v6 = fcvt_from_uint.f64 v2
    v7 = fcvt_from_sint.f32 v1
    v8 = fcvt_from_uint.f32 v1
    v9 = fcvt_from_sint.f32 v2
    v10 = fcvt_from_uint.f32 v2
    return v3, v4, v5, v6, v7, v8, v9, v10
}
function %promote_demote_bitcast(i64 vmctx, f32, f64, i32, i64) -> f64, f32, i32, i64, f32, f64 {
block0(v0: i64, v1: f32, v2: f64, v3: i32, v4: i64):
    v5 = fpromote.f64 v1
    v6 = fdemote.f32 v2
    v7 = bitcast.i32 v1
    v8 = bitcast.i64 v2
    v9 = bitcast.f32 v3
    v10 = bitcast.f64 v4
    return v5, v6, v7, v8, v9, v10
}
`;

/** Reference of wasm's trapping truncation: a result, or 'nan' / 'ovf'. */
function truncRef(x: number, bits: number, signed: boolean): bigint | 'nan' | 'ovf' {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return 'ovf';
  const t = BigInt(Math.trunc(x));
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (t < lo || t > hi) return 'ovf';
  return t;
}
function satRef(x: number, bits: number, signed: boolean): bigint {
  if (Number.isNaN(x)) return 0n;
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (x === Infinity) return hi;
  if (x === -Infinity) return lo;
  const t = BigInt(Math.trunc(x));
  return t < lo ? lo : t > hi ? hi : t;
}

const CONVERT_SAMPLES_F64 = [
  0, -0, 0.9, -0.9, 1, -1, 2147483647, 2147483647.9, 2147483648, -2147483648, -2147483648.9, -2147483649,
  4294967295, 4294967295.5, 4294967296, -1.5, 9223372036854774784, 9223372036854775808, -9223372036854775808,
  -9223372036854777856, 18446744073709549568, 18446744073709551616, 1e20, -1e20, Infinity, -Infinity, NaN,
];
const CONVERT_SAMPLES_F32 = [
  0, -0, 0.9, -0.9, 1, -1, 2147483520, 2147483648, -2147483648, -2147483904, 4294967040, 4294967296, -1.5,
  9223371487098961920, 9223372036854775808, -9223372036854775808, -9223373136366403584, 18446742974197923840,
  18446744073709551616, Infinity, -Infinity, NaN,
];

describe('conversions at their boundaries', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(CONVERT);
  });
  afterAll(() => m.free());

  it('trapping float → int: NaN → bad_conversion, out of range → int_ovf, exact bounds pass', () => {
    const cases: [number, number, boolean, number[], boolean][] = [
      [0, 32, true, CONVERT_SAMPLES_F64, false],
      [1, 32, false, CONVERT_SAMPLES_F64, false],
      [2, 64, true, CONVERT_SAMPLES_F64, false],
      [3, 64, false, CONVERT_SAMPLES_F64, false],
      [4, 32, true, CONVERT_SAMPLES_F32, true],
      [5, 32, false, CONVERT_SAMPLES_F32, true],
      [6, 64, true, CONVERT_SAMPLES_F32, true],
      [7, 64, false, CONVERT_SAMPLES_F32, true],
    ];
    for (const [f, bits, signed, samples, f32] of cases) {
      for (const raw of samples) {
        const x = f32 ? fround(raw) : raw;
        const want = truncRef(x, bits, signed);
        const r = m.call(f, [x]);
        const what = `${f32 ? 'f32' : 'f64'} ${x} → ${signed ? 's' : 'u'}${bits}`;
        if (want === 'nan') expect(r.trap, what).toBe('bad_conversion');
        else if (want === 'ovf') expect(r.trap, what).toBe('int_ovf');
        else {
          expect(r.trap, what).toBeNull();
          const got = bits === 32 ? BigInt(signed ? i32Of(r.results[0]) : i32Of(r.results[0]) >>> 0) : signed ? i64Of(r.results[0]) : r.results[0];
          expect(got, what).toBe(want);
        }
      }
    }
  });

  it('saturating float → int', () => {
    for (const [f, samples, f32] of [[8, CONVERT_SAMPLES_F64, false], [9, CONVERT_SAMPLES_F32, true]] as const) {
      for (const raw of samples) {
        const x = f32 ? fround(raw) : raw;
        const r = m.call(f, [x]).results;
        expect(
          [BigInt(i32Of(r[0])), BigInt(i32Of(r[1]) >>> 0), i64Of(r[2]), r[3]],
          `${f32 ? 'f32' : 'f64'} ${x}`,
        ).toEqual([satRef(x, 32, true), satRef(x, 32, false), satRef(x, 64, true), satRef(x, 64, false)]);
      }
    }
  });

  it('int → float (signed and unsigned, i32 and i64, rounding of large u64)', () => {
    const ints: [number, bigint][] = [
      [0, 0n], [1, 1n], [-1, -1n], [0x7fffffff, 0x7fffffffffffffffn], [-0x80000000, -0x8000000000000000n],
      [123456789, 0x10000000000001n], [-5, 0x20000000000001n], [7, 0xfffffffffffff800n], [9, 0xfffffffffffffc00n],
      [11, 0x8000000000000401n], [13, 0x80000000000003ffn], [16777217, 0x1000001n],
    ];
    for (const [a, b] of ints) {
      const r = m.call(10, [a, b]).results;
      const ub = BigInt.asUintN(64, b);
      const sb = BigInt.asIntN(64, b);
      expect(r.slice(0, 4).map(bitsF64), `${a} ${b}`).toEqual([a, a >>> 0, Number(sb), Number(ub)]);
      expect(r.slice(4).map(bitsF32), `${a} ${b}`).toEqual([fround(a), fround(a >>> 0), f32OfBig(sb), f32OfBig(ub)]);
    }
  });

  it('promote, demote, bitcast', () => {
    const r = m.call(11, [fround(1.1), 1e300, 0x3f800000, 0x4000000000000000n]).results;
    expect(bitsF64(r[0])).toBe(fround(1.1));
    expect(bitsF32(r[1])).toBe(Infinity);
    expect(i32Of(r[2])).toBe(f32Bits(fround(1.1)) | 0);
    expect(r[3]).toBe(f64Bits(1e300));
    expect(bitsF32(r[4])).toBe(1);
    expect(bitsF64(r[5])).toBe(2);
    // NaN payloads survive bitcasts; demote keeps NaN-ness.
    const n = m.call(11, [0x7fa00001n, PAYLOAD_NAN64, 0x7f800001, PAYLOAD_NAN64]).results;
    expect(Number.isNaN(bitsF64(n[0]))).toBe(true);
    expect(Number.isNaN(bitsF32(n[1]))).toBe(true);
    expect(i32Of(n[2])).toBe(0x7fa00001);
    expect(n[3]).toBe(PAYLOAD_NAN64);
    expect(n[4] & 0xffffffffn).toBe(0x7f800001n);
    expect(n[5]).toBe(PAYLOAD_NAN64);
  });
});

/** Round a 64-bit integer to f32 exactly (round to nearest even), independent of double rounding. */
function f32OfBig(x: bigint): number {
  const neg = x < 0n;
  const v = neg ? -x : x;
  const bits = v.toString(2).length;
  if (bits <= 24) return neg ? -Number(v) : Number(v);
  const shift = BigInt(bits - 24);
  const mant = v >> shift;
  const rem = v & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  let m = mant;
  if (rem > half || (rem === half && (mant & 1n) === 1n)) m += 1n;
  const r = Number(m) * 2 ** Number(shift);
  return fround(neg ? -r : r);
}
