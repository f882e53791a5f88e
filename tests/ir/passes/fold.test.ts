import { describe, expect, it } from 'vitest';
import { ir, optimizeText } from './helpers.js';

/** Runs fold then DCE (so folded-away constants do not clutter the expected text). */
const fold = (text: string) => optimizeText(text, ['fold', 'dce']).text;

describe('constant folding: integers', () => {
  it('wraps i64 and i32 arithmetic and masks shift amounts', () => {
    expect(fold(ir`
      function %f() -> i64, i32, i32, i64 {
      block0:
          v0 = iconst.i64 0x7fffffffffffffff
          v1 = iadd_imm v0, 1
          v2 = iconst.i32 -2147483648
          v3 = iconst.i32 -1
          v4 = imul v2, v3
          v5 = iconst.i32 1
          v6 = iconst.i32 33
          v7 = ishl v5, v6
          v8 = iconst.i64 -8
          v9 = iconst.i64 65
          v10 = sshr v8, v9
          return v1, v4, v7, v10
      }
    `)).toBe(ir`
      function %f() -> i64, i32, i32, i64 {
      block0:
          v1 = iconst.i64 0x8000000000000000
          v4 = iconst.i32 -2147483648
          v7 = iconst.i32 2
          v10 = iconst.i64 -4
          return v1, v4, v7, v10
      }
    `);
  });

  it('leaves divisions that trap, folds the ones that do not', () => {
    expect(fold(ir`
      function %f() -> i32, i32, i32, i64, i64 {
      block0:
          v0 = iconst.i32 7
          v1 = iconst.i32 0
          v2 = udiv v0, v1
          v3 = iconst.i32 -2147483648
          v4 = iconst.i32 -1
          v5 = sdiv v3, v4
          v6 = srem v3, v4
          v7 = iconst.i64 -7
          v8 = iconst.i64 2
          v9 = sdiv v7, v8
          v10 = urem v7, v8
          return v2, v5, v6, v9, v10
      }
    `)).toBe(ir`
      function %f() -> i32, i32, i32, i64, i64 {
      block0:
          v0 = iconst.i32 7
          v1 = iconst.i32 0
          v2 = udiv v0, v1
          v3 = iconst.i32 -2147483648
          v4 = iconst.i32 -1
          v5 = sdiv v3, v4
          v6 = iconst.i32 0
          v9 = iconst.i64 -3
          v10 = iconst.i64 1
          return v2, v5, v6, v9, v10
      }
    `);
  });

  it('canonicalises constants into immediate forms and strength-reduces', () => {
    expect(fold(ir`
      function %f(i32, i64) -> i32, i64, i64, i32, i32 {
      block0(v0: i32, v1: i64):
          v2 = iconst.i32 5
          v3 = icmp slt v2, v0
          v4 = iconst.i64 0x0000010000000000
          v5 = imul v4, v1
          v6 = iconst.i64 3
          v7 = isub v1, v6
          v8 = iconst.i32 16
          v9 = udiv v0, v8
          v10 = urem v0, v8
          return v3, v5, v7, v9, v10
      }
    `)).toBe(ir`
      function %f(i32, i64) -> i32, i64, i64, i32, i32 {
      block0(v0: i32, v1: i64):
          v3 = icmp_imm sgt v0, 5
          v5 = ishl_imm v1, 40
          v7 = iadd_imm v1, -3
          v9 = ushr_imm v0, 4
          v10 = band_imm v0, 15
          return v3, v5, v7, v9, v10
      }
    `);
  });

  it('applies identities and combines immediate chains', () => {
    expect(fold(ir`
      function %f(i32) -> i32, i32, i32, i32, i32, i32, i32, i32 {
      block0(v0: i32):
          v1 = imul_imm v0, 1
          v2 = band_imm v0, -1
          v3 = bor_imm v0, -1
          v4 = bxor_imm v0, -1
          v5 = imul_imm v0, -1
          v6 = imul_imm v0, 3
          v7 = imul_imm v6, 5
          v8 = band_imm v0, 0xff0
          v9 = band_imm v8, 0x0ff
          v10 = ushr_imm v0, 30
          v11 = ushr_imm v10, 3
          v12 = rotl_imm v0, 20
          v13 = rotl_imm v12, 12
          v14 = band v0, v0
          v15 = bxor v0, v0
          return v1, v2, v3, v4, v5, v7, v9, v11
      }
    `)).toBe(ir`
      function %f(i32) -> i32, i32, i32, i32, i32, i32, i32, i32 {
      block0(v0: i32):
          v3 = iconst.i32 -1
          v4 = bnot v0
          v5 = ineg v0
          v7 = imul_imm v0, 15
          v9 = band_imm v0, 240
          v11 = iconst.i32 0
          return v0, v0, v3, v4, v5, v7, v9, v11
      }
    `);
  });

  it('turns compares of equal operands and of booleans against zero into constants and inverted compares', () => {
    expect(fold(ir`
      function %f(i64, f64) -> i32, i32, i32, i32, i32 {
      block0(v0: i64, v1: f64):
          v2 = icmp ult v0, v0
          v3 = icmp uge v0, v0
          v4 = icmp_imm ule v0, 10
          v5 = icmp_imm eq v4, 0
          v6 = fcmp eq v1, v1
          v7 = icmp_imm eq v6, 0
          v8 = icmp_imm ult v0, 0
          return v2, v3, v5, v7, v8
      }
    `)).toBe(ir`
      function %f(i64, f64) -> i32, i32, i32, i32, i32 {
      block0(v0: i64, v1: f64):
          v2 = iconst.i32 0
          v3 = iconst.i32 1
          v5 = icmp_imm ugt v0, 10
          v7 = fcmp ne v1, v1
          v8 = iconst.i32 0
          return v2, v3, v5, v7, v8
      }
    `);
  });

  it('simplifies selects, conversions and double negations', () => {
    expect(fold(ir`
      function %f(i32, i64, i32) -> i64, i32, i64, i32 {
      block0(v0: i32, v1: i64, v2: i32):
          v3 = iconst.i32 1
          v4 = select v3, v1, v1
          v5 = uextend.i64 v0
          v6 = ireduce.i32 v5
          v7 = select v3, v1, v5
          v8 = bnot v0
          v9 = bnot v8
          v10 = icmp_imm eq v2, 0
          v11 = select v10, v0, v6
          v12 = iconst.i32 -1
          v13 = uextend.i64 v12
          v14 = iadd v13, v7
          return v14, v9, v4, v11
      }
    `)).toBe(ir`
      function %f(i32, i64, i32) -> i64, i32, i64, i32 {
      block0(v0: i32, v1: i64, v2: i32):
          v14 = iadd_imm v1, 0x00000000ffffffff
          return v14, v0, v1, v0
      }
    `);
  });
});

describe('constant folding: floats (bit-exact, no NaN results)', () => {
  it('folds exact results including infinities, not NaN-producing ones', () => {
    expect(fold(ir`
      function %f() -> f64, f64, f32, f64, i32 {
      block0:
          v0 = f64const 1e308
          v1 = fadd v0, v0
          v2 = fsub v1, v1
          v3 = f32const -0.0
          v4 = f32const 0.0
          v5 = fmin v4, v3
          v6 = f32const nan
          v7 = fpromote.f64 v6
          v8 = fcmp ne v6, v6
          return v1, v2, v5, v7, v8
      }
    `)).toBe(ir`
      function %f() -> f64, f64, f32, f64, i32 {
      block0:
          v1 = f64const inf
          v2 = fsub v1, v1
          v5 = f32const -0.0
          v6 = f32const nan
          v7 = fpromote.f64 v6
          v8 = iconst.i32 1
          return v1, v2, v5, v7, v8
      }
    `);
  });

  it('rounds i64 -> f32 once (a value where rounding through f64 would be wrong)', () => {
    // 2^60 + 2^36 + 1 is just above the f32 tie between 2^60 and 2^60 + 2^37: the answer is 2^60 + 2^37
    // (printed as the shortest text that reads back as that f32; 2^60 itself would print 1152921500000000000.0).
    expect(fold(ir`
      function %f() -> f32, i32, f64 {
      block0:
          v0 = iconst.i64 0x1000001000000001
          v1 = fcvt_from_uint.f32 v0
          v2 = f32const -1.5
          v3 = fcvt_to_sint_sat.i32 v2
          v4 = iconst.i32 -1
          v5 = fcvt_from_uint.f64 v4
          return v1, v3, v5
      }
    `)).toBe(ir`
      function %f() -> f32, i32, f64 {
      block0:
          v1 = f32const 1152921600000000000.0
          v3 = iconst.i32 -1
          v5 = f64const 4294967295.0
          return v1, v3, v5
      }
    `);
  });
});

describe('constant folding: traps and branches', () => {
  it('removes a conditional trap that cannot fire and turns one that always fires into trap', () => {
    const { text, stats } = optimizeText(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 1
          trapz v1, int_divz
          brif v0, block1, block2

      block1:
          v2 = iconst.i64 0
          trapz v2, heap_oob
          v3 = iadd_imm v0, 1
          jump block3(v3)

      block2:
          jump block3(v0)

      block3(v4: i32):
          return v4
      }
    `, ['fold']);
    expect(text).toBe(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 1
          brif v0, block1, block2

      block1:
          v2 = iconst.i64 0
          trap heap_oob

      block2:
          jump block3(v0)

      block3(v4: i32):
          return v4
      }
    `);
    expect(stats.folded).toBe(2);
  });

  it('tests x directly instead of x == 0 / x != 0 in brif and trapz', () => {
    expect(fold(ir`
      function %f(i64, i32) -> i32 {
      block0(v0: i64, v1: i32):
          v2 = icmp_imm eq v1, 0
          trapz v2, int_divz
          v3 = icmp_imm eq v0, 0
          brif v3, block1, block2

      block1:
          v4 = iconst.i32 1
          return v4

      block2:
          v5 = icmp_imm ne v0, 0
          trapnz v5, unreachable
          return v1
      }
    `)).toBe(ir`
      function %f(i64, i32) -> i32 {
      block0(v0: i64, v1: i32):
          trapnz v1, int_divz
          brif v0, block2, block1

      block1:
          v4 = iconst.i32 1
          return v4

      block2:
          trapnz v0, unreachable
          return v1
      }
    `);
  });
});
