// Execution tests, integers: IR functions compiled by the backend, run natively, compared with JS references.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_CPU_FEATURES } from '../../src/x64/index.js';
import { ExecModule, i32Of, i64Of } from './exec-harness.js';

const I32_SAMPLES = [0, 1, -1, 2, 7, -7, 31, 32, 33, 63, 64, 100, 0x7fffffff, -0x80000000, 0x12345678, -0x12345678, 0xff, 0x8000];
const I64_SAMPLES = [
  0n, 1n, -1n, 2n, 7n, -7n, 31n, 32n, 63n, 64n, 65n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0x123456789abcdefn,
  -0x123456789abcdefn, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn,
];

type Ref32 = (a: number, b: number) => number;
type Ref64 = (a: bigint, b: bigint) => bigint;

const s32 = (x: number): number => x | 0;
const u32 = (x: number): number => x >>> 0;
const w64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const uw64 = (x: bigint): bigint => BigInt.asUintN(64, x);

const BIN32: [string, Ref32][] = [
  ['iadd', (a, b) => s32(a + b)],
  ['isub', (a, b) => s32(a - b)],
  ['imul', (a, b) => Math.imul(a, b)],
  ['band', (a, b) => a & b],
  ['bor', (a, b) => a | b],
  ['bxor', (a, b) => a ^ b],
  ['ishl', (a, b) => a << (b & 31)],
  ['ushr', (a, b) => s32(u32(a) >>> (b & 31))],
  ['sshr', (a, b) => a >> (b & 31)],
  ['rotl', (a, b) => s32((a << (b & 31)) | (u32(a) >>> ((32 - (b & 31)) & 31)))],
  ['rotr', (a, b) => s32((u32(a) >>> (b & 31)) | (a << ((32 - (b & 31)) & 31)))],
];
const BIN64: [string, Ref64][] = [
  ['iadd', (a, b) => w64(a + b)],
  ['isub', (a, b) => w64(a - b)],
  ['imul', (a, b) => w64(a * b)],
  ['band', (a, b) => a & b],
  ['bor', (a, b) => a | b],
  ['bxor', (a, b) => a ^ b],
  ['ishl', (a, b) => w64(a << (b & 63n))],
  ['ushr', (a, b) => w64(uw64(a) >> (b & 63n))],
  ['sshr', (a, b) => a >> (b & 63n)],
  ['rotl', (a, b) => w64((uw64(a) << (b & 63n)) | (uw64(a) >> ((64n - (b & 63n)) & 63n)))],
  ['rotr', (a, b) => w64((uw64(a) >> (b & 63n)) | (uw64(a) << ((64n - (b & 63n)) & 63n)))],
];

function binFunc(name: string, op: string, t: string): string {
  return `function %${name}(i64 vmctx, ${t}, ${t}) -> ${t} {
block0(v0: i64, v1: ${t}, v2: ${t}):
    v3 = ${op} v1, v2
    return v3
}
`;
}

/** Same op with the second operand a constant (immediate forms). */
function immFunc(name: string, op: string, t: string, c: string): string {
  return `function %${name}(i64 vmctx, ${t}) -> ${t} {
block0(v0: i64, v1: ${t}):
    v2 = iconst.${t} ${c}
    v3 = ${op} v1, v2
    return v3
}
`;
}

const IMM32 = [0, 1, 3, -1, 5, 31, 33, 0x7fffffff, -0x80000000, 1000];
const IMM64 = [0n, 1n, 2n, 3n, -1n, 63n, 65n, 0x7fffffffn, -0x80000000n, 0x100000000n, 0x7fffffffffffffffn];

describe('integer binary operators (register and immediate forms)', () => {
  let m: ExecModule;
  const names: string[] = [];
  beforeAll(() => {
    let text = '';
    for (const [op] of BIN32) {
      text += binFunc(`${op}32`, op, 'i32');
      names.push(`${op}32`);
      IMM32.forEach((c, k) => {
        text += immFunc(`${op}32_imm${k}`, op, 'i32', String(c));
        names.push(`${op}32_imm${k}`);
      });
    }
    for (const [op] of BIN64) {
      text += binFunc(`${op}64`, op, 'i64');
      names.push(`${op}64`);
      IMM64.forEach((c, k) => {
        text += immFunc(`${op}64_imm${k}`, op, 'i64', String(c));
        names.push(`${op}64_imm${k}`);
      });
    }
    m = ExecModule.build(text);
  });
  afterAll(() => m.free());

  it('i32 operators match JS for all sample pairs', () => {
    let checked = 0;
    for (const [op, ref] of BIN32) {
      const f = names.indexOf(`${op}32`);
      for (const a of I32_SAMPLES) {
        for (const b of I32_SAMPLES) {
          const r = m.call(f, [a, b]);
          expect(i32Of(r.results[0]), `${op} ${a}, ${b}`).toBe(ref(a, b));
          // The result register must be zero-extended (a 32-bit op wrote it): check the raw bits too.
          expect(r.results[0] >> 32n, `${op} ${a}, ${b} upper bits`).toBe(0n);
          checked++;
        }
        IMM32.forEach((c, k) => {
          const r = m.call(names.indexOf(`${op}32_imm${k}`), [a]);
          expect(i32Of(r.results[0]), `${op} ${a}, imm ${c}`).toBe(ref(a, c));
          checked++;
        });
      }
    }
    expect(checked).toBe(BIN32.length * I32_SAMPLES.length * (I32_SAMPLES.length + IMM32.length));
  });

  it('i64 operators match JS for all sample pairs', () => {
    for (const [op, ref] of BIN64) {
      const f = names.indexOf(`${op}64`);
      for (const a of I64_SAMPLES) {
        for (const b of I64_SAMPLES) expect(i64Of(m.call(f, [a, b]).results[0]), `${op} ${a}, ${b}`).toBe(ref(a, b));
        IMM64.forEach((c, k) => {
          expect(i64Of(m.call(names.indexOf(`${op}64_imm${k}`), [a]).results[0]), `${op} ${a}, imm ${c}`).toBe(ref(a, c));
        });
      }
    }
  });
});

const UNARY = `
function %clz32(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = clz v1
    return v2
}
function %ctz32(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = ctz v1
    return v2
}
function %popcnt32(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = popcnt v1
    return v2
}
function %clz64(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = clz v1
    return v2
}
function %ctz64(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = ctz v1
    return v2
}
function %popcnt64(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = popcnt v1
    return v2
}
function %neg_not_ext32(i64 vmctx, i32) -> i32, i32, i32, i32 {
block0(v0: i64, v1: i32):
    v2 = ineg v1
    v3 = bnot v1
    v4 = sextend8 v1
    v5 = sextend16 v1
    return v2, v3, v4, v5
}
function %ext64(i64 vmctx, i64, i32) -> i64, i64, i64, i64, i64, i32 {
block0(v0: i64, v1: i64, v2: i32):
    v3 = sextend8 v1
    v4 = sextend16 v1
    v5 = sextend32 v1
    v6 = uextend.i64 v2
    v7 = sextend.i64 v2
    v8 = ireduce.i32 v1
    return v3, v4, v5, v6, v7, v8
}
function %uext_of_param(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = ireduce.i32 v1
    v3 = uextend.i64 v2
    return v3
}
`;

function clz32(x: number): number {
  return Math.clz32(x);
}
function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
function popcnt32(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
}
function clz64(x: bigint): bigint {
  const u = uw64(x);
  for (let i = 63n; i >= 0n; i--) if ((u >> i) & 1n) return 63n - i;
  return 64n;
}
function ctz64(x: bigint): bigint {
  const u = uw64(x);
  for (let i = 0n; i < 64n; i++) if ((u >> i) & 1n) return i;
  return 64n;
}
function popcnt64(x: bigint): bigint {
  let n = 0n;
  for (let u = uw64(x); u !== 0n; u >>= 1n) n += u & 1n;
  return n;
}

for (const [label, cpu] of [
  ['lzcnt/tzcnt/popcnt', undefined],
  ['bsr/bsf/SWAR fallbacks (baseline CPU)', BASELINE_CPU_FEATURES],
] as const) {
  describe(`bit counting and extensions with ${label}`, () => {
    let m: ExecModule;
    beforeAll(() => {
      m = ExecModule.build(UNARY, cpu === undefined ? {} : { cpu });
    });
    afterAll(() => m.free());

    it('clz/ctz/popcnt (i32, i64)', () => {
      for (const x of [...I32_SAMPLES, 0x80000000 | 0, 0x00010000, 0x40000000]) {
        expect(i32Of(m.call(0, [x]).results[0]), `clz ${x}`).toBe(clz32(x));
        expect(i32Of(m.call(1, [x]).results[0]), `ctz ${x}`).toBe(ctz32(x));
        expect(i32Of(m.call(2, [x]).results[0]), `popcnt ${x}`).toBe(popcnt32(x));
      }
      for (const x of [...I64_SAMPLES, 0x100000000n, -0x100000000n]) {
        expect(i64Of(m.call(3, [x]).results[0]), `clz ${x}`).toBe(clz64(x));
        expect(i64Of(m.call(4, [x]).results[0]), `ctz ${x}`).toBe(ctz64(x));
        expect(i64Of(m.call(5, [x]).results[0]), `popcnt ${x}`).toBe(popcnt64(x));
      }
    });

    it('neg, not, sign extensions, uextend/sextend/ireduce', () => {
      for (const x of I32_SAMPLES) {
        const r = m.call(6, [x]).results.map(i32Of);
        expect(r).toEqual([s32(-x), ~x, (x << 24) >> 24, (x << 16) >> 16]);
      }
      for (const x of I64_SAMPLES) {
        const y = Number(BigInt.asIntN(32, x));
        const r = m.call(7, [x, y]).results;
        expect(r.slice(0, 5).map(i64Of)).toEqual([
          BigInt.asIntN(8, x),
          BigInt.asIntN(16, x),
          BigInt.asIntN(32, x),
          BigInt(y >>> 0),
          BigInt(y),
        ]);
        expect(i32Of(r[5])).toBe(y);
        // uextend of a value whose register may hold garbage above bit 31 must really clear it.
        expect(m.call(8, [x]).results[0]).toBe(BigInt.asUintN(32, x));
      }
    });
  });
}

const DIV = `
function %udiv32(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = udiv v1, v2
    return v3
}
function %sdiv32(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = sdiv v1, v2
    return v3
}
function %urem32(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = urem v1, v2
    return v3
}
function %srem32(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = srem v1, v2
    return v3
}
function %udiv64(i64 vmctx, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = udiv v1, v2
    return v3
}
function %sdiv64(i64 vmctx, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = sdiv v1, v2
    return v3
}
function %urem64(i64 vmctx, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = urem v1, v2
    return v3
}
function %srem64(i64 vmctx, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = srem v1, v2
    return v3
}
function %sdiv_by_const(i64 vmctx, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 7
    v3 = sdiv v1, v2
    v4 = iconst.i32 -1
    v5 = srem v1, v4
    v6 = sdiv v1, v4
    return v3, v5, v6
}
function %div_by_zero_const(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = udiv v1, v2
    return v3
}
function %div_same(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v3 = sdiv v1, v1
    return v3
}
`;

describe('division and remainder with wasm traps', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(DIV);
  });
  afterAll(() => m.free());

  it('i32: results, divide-by-zero traps, INT_MIN / -1 traps, INT_MIN % -1 = 0', () => {
    for (const a of I32_SAMPLES) {
      for (const b of I32_SAMPLES) {
        if (b === 0) {
          for (let f = 0; f < 4; f++) expect(m.call(f, [a, b]).trap).toBe('int_divz');
          continue;
        }
        expect(i32Of(m.call(0, [a, b]).results[0])).toBe(s32(Math.trunc(u32(a) / u32(b))));
        expect(i32Of(m.call(2, [a, b]).results[0])).toBe(s32(u32(a) % u32(b)));
        const srem = m.call(3, [a, b]);
        expect(srem.trap).toBeNull();
        expect(i32Of(srem.results[0])).toBe(s32(a % b));
        if (a === -0x80000000 && b === -1) {
          expect(m.call(1, [a, b]).trap).toBe('int_ovf');
        } else {
          expect(i32Of(m.call(1, [a, b]).results[0]), `${a} / ${b}`).toBe(s32(Math.trunc(a / b)));
        }
      }
    }
  });

  it('i64: results and traps', () => {
    for (const a of I64_SAMPLES) {
      for (const b of I64_SAMPLES) {
        if (b === 0n) {
          for (let f = 4; f < 8; f++) expect(m.call(f, [a, b]).trap).toBe('int_divz');
          continue;
        }
        expect(i64Of(m.call(4, [a, b]).results[0])).toBe(w64(uw64(a) / uw64(b)));
        expect(i64Of(m.call(6, [a, b]).results[0])).toBe(w64(uw64(a) % uw64(b)));
        expect(i64Of(m.call(7, [a, b]).results[0])).toBe(a % b);
        if (a === -0x8000000000000000n && b === -1n) expect(m.call(5, [a, b]).trap).toBe('int_ovf');
        else expect(i64Of(m.call(5, [a, b]).results[0])).toBe(a / b);
      }
    }
  });

  it('constant divisors: no checks needed except for -1 and 0', () => {
    for (const a of I32_SAMPLES) {
      const r = m.call(8, [a]);
      if (a === -0x80000000) {
        expect(r.trap).toBe('int_ovf');
        continue;
      }
      expect(r.results.map(i32Of)).toEqual([s32(Math.trunc(a / 7)), 0, s32(-a)]);
    }
    expect(m.call(9, [5]).trap).toBe('int_divz');
    expect(i32Of(m.call(10, [-9]).results[0])).toBe(1);
    expect(m.call(10, [0]).trap).toBe('int_divz');
  });
});

const COMPARE = `
function %cmp32(i64 vmctx, i32, i32) -> i32, i32, i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp eq v1, v2
    v4 = icmp slt v1, v2
    v5 = icmp ule v1, v2
    v6 = icmp_imm sgt v1, 5
    v7 = icmp_imm uge v1, -3
    return v3, v4, v5, v6, v7
}
function %cmp64(i64 vmctx, i64, i64) -> i32, i32, i32, i32, i32 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = icmp ne v1, v2
    v4 = icmp sge v1, v2
    v5 = icmp ugt v1, v2
    v6 = icmp_imm slt v1, 0x100000000
    v7 = icmp_imm eq v1, 0
    return v3, v4, v5, v6, v7
}
function %select32(i64 vmctx, i32, i32, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: i32):
    v5 = icmp sle v1, v2
    v6 = select v5, v3, v4
    return v6
}
function %select_value(i64 vmctx, i32, i64, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64, v3: i64):
    v4 = select v1, v2, v3
    return v4
}
function %max_diamond(i64 vmctx, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = icmp sgt v1, v2
    brif v3, block1, block2

block1:
    jump block3(v1)

block2:
    jump block3(v2)

block3(v4: i64):
    return v4
}
function %brif_value(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    brif v1, block1, block2

block1:
    v2 = iconst.i32 10
    return v2

block2:
    v3 = iconst.i32 20
    return v3
}
function %trapnz_cmp(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = icmp_imm ugt v1, 100
    trapnz v2, heap_oob
    v3 = icmp_imm eq v1, 7
    trapz v3, unreachable
    return v1
}
`;

describe('compares, selects, branches', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(COMPARE);
  });
  afterAll(() => m.free());

  it('icmp materialised (setcc) for i32 and i64', () => {
    const b = (x: boolean): number => (x ? 1 : 0);
    for (const x of I32_SAMPLES) {
      for (const y of I32_SAMPLES) {
        expect(m.call(0, [x, y]).results.map(i32Of)).toEqual([
          b(x === y), b(x < y), b(u32(x) <= u32(y)), b(x > 5), b(u32(x) >= u32(-3)),
        ]);
      }
    }
    for (const x of I64_SAMPLES) {
      for (const y of I64_SAMPLES) {
        expect(m.call(1, [x, y]).results.map(i32Of)).toEqual([
          b(x !== y), b(x >= y), b(uw64(x) > uw64(y)), b(x < 0x100000000n), b(x === 0n),
        ]);
      }
    }
  });

  it('select with a fused compare (cmov) and with a plain value; diamonds with block params', () => {
    for (const x of I32_SAMPLES) {
      for (const y of [0, 5, -5]) {
        expect(i32Of(m.call(2, [x, y, 111, 222]).results[0])).toBe(x <= y ? 111 : 222);
      }
      expect(i64Of(m.call(3, [x, 1n << 40n, -3n]).results[0])).toBe(x !== 0 ? 1n << 40n : -3n);
    }
    for (const x of I64_SAMPLES) for (const y of I64_SAMPLES) expect(i64Of(m.call(4, [x, y]).results[0])).toBe(x > y ? x : y);
    expect(i32Of(m.call(5, [0]).results[0])).toBe(20);
    expect(i32Of(m.call(5, [-4]).results[0])).toBe(10);
  });

  it('trapz/trapnz with fused compares', () => {
    expect(m.call(6, [101]).trap).toBe('heap_oob');
    expect(m.call(6, [-1]).trap).toBe('heap_oob');
    expect(m.call(6, [5]).trap).toBe('unreachable');
    expect(i32Of(m.call(6, [7]).results[0])).toBe(7);
  });
});
