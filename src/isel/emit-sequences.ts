// Multi-instruction sequences with wasm semantics that x86 lacks as single instructions. Each runs inside one machine
// op, with local labels; r11 and xmm15 (never allocated) serve as scratch.

import {
  AluOp,
  BitOp,
  Cond,
  R11,
  ShiftOp,
  SseOp,
  ripRel,
  type Amode,
  type Assembler,
} from '../x64/index.js';
import { RoundMode } from '../x64/index.js';
import type { Emitter } from './emit.js';
import { CVT_SAT, CVT_SIGNED, MaskKind } from './mops.js';

const XMM15 = 31;

function fconst(a: Assembler, fsize: number, x: number): Amode {
  return ripRel(fsize === 4 ? a.constF32Value(x) : a.constF64Value(x));
}

/** clz without LZCNT: bsr gives the index of the highest set bit; zero input → width. */
export function emitClzBsr(a: Assembler, size: 4 | 8, d: number, s: number): void {
  const w = size * 8;
  a.movRI(4, R11, 2 * w - 1);
  a.bitRR(BitOp.Bsr, size, d, s);
  a.cmovRR(Cond.E, size, d, R11);
  a.aluRI(AluOp.Xor, size, d, w - 1); // (w-1) - i = i ^ (w-1) for 0 <= i < w; (2w-1) ^ (w-1) = w
}

/** ctz without TZCNT: bsf gives the index of the lowest set bit; zero input → width. */
export function emitCtzBsf(a: Assembler, size: 4 | 8, d: number, s: number): void {
  a.movRI(4, R11, size * 8);
  a.bitRR(BitOp.Bsf, size, d, s);
  a.cmovRR(Cond.E, size, d, R11);
}

/** popcnt without POPCNT: the SWAR sum of bit counts (Hacker's Delight 5-1). t is a temporary, d may be s. */
export function emitPopcntSeq(a: Assembler, size: 4 | 8, d: number, s: number, t: number): void {
  const wide = size === 8;
  const andMask = (r: number, m32: number): void => {
    if (wide) {
      a.movRI64(R11, m32, m32);
      a.aluRR(AluOp.And, 8, r, R11);
    } else {
      a.aluRI(AluOp.And, 4, r, m32);
    }
  };
  if (d !== s) a.movRR(size, d, s);
  a.movRR(size, t, s);
  a.shiftRI(ShiftOp.Shr, size, t, 1);
  andMask(t, 0x55555555);
  a.aluRR(AluOp.Sub, size, d, t); // 2-bit counts
  a.movRR(size, t, d);
  a.shiftRI(ShiftOp.Shr, size, d, 2);
  if (wide) {
    a.movRI64(R11, 0x33333333, 0x33333333);
    a.aluRR(AluOp.And, 8, t, R11);
    a.aluRR(AluOp.And, 8, d, R11);
  } else {
    andMask(t, 0x33333333);
    andMask(d, 0x33333333);
  }
  a.aluRR(AluOp.Add, size, d, t); // 4-bit counts
  a.movRR(size, t, d);
  a.shiftRI(ShiftOp.Shr, size, t, 4);
  a.aluRR(AluOp.Add, size, d, t);
  andMask(d, 0x0f0f0f0f); // byte counts
  if (wide) {
    a.movRI64(R11, 0x01010101, 0x01010101);
    a.imulRR(8, d, R11);
    a.shiftRI(ShiftOp.Shr, 8, d, 56);
  } else {
    a.imulRRI(4, d, d, 0x01010101);
    a.shiftRI(ShiftOp.Shr, 4, d, 24);
  }
}

/**
 * wasm fmin/fmax (d = d op b): NaN if either input is NaN (produced by an add, which propagates a quieted input NaN);
 * for equal inputs the bitwise or (min: −0 wins) / and (max: +0 wins) of the two; otherwise minsd/maxsd.
 */
export function emitFMinMax(a: Assembler, size: 4 | 8, isMax: boolean, d: number, b: number): void {
  const f32 = size === 4;
  const notEqual = a.newLabel();
  const nan = a.newLabel();
  const done = a.newLabel();
  a.xmmRR(f32 ? SseOp.Ucomiss : SseOp.Ucomisd, d, b);
  a.jcc(Cond.NE, notEqual); // ordered and different (unordered sets ZF)
  a.jcc(Cond.P, nan);
  a.xmmRR(isMax ? SseOp.Andps : SseOp.Orps, d, b); // equal: only ±0 can differ
  a.jmp(done);
  a.bind(nan);
  a.xmmRR(f32 ? SseOp.Addss : SseOp.Addsd, d, b);
  a.jmp(done);
  a.bind(notEqual);
  a.xmmRR(isMax ? (f32 ? SseOp.Maxss : SseOp.Maxsd) : f32 ? SseOp.Minss : SseOp.Minsd, d, b);
  a.bind(done);
}

/**
 * ceil/floor/trunc/nearest without SSE4.1 (d holds x; t and xmm15 are temporaries). For |x| < 2^52 (2^23 for f32),
 * (|x| + 2^52) − 2^52 rounds |x| to the nearest integer (ties to even, the default rounding mode); that is adjusted
 * down or up by one as the mode and x's sign require, and x's sign is put back (so −0.5 → −0, and NaN stays NaN).
 * Larger magnitudes, infinities and zeros are already integral.
 */
export function emitRoundSse2(em: Emitter, size: 4 | 8, mode: number, d: number, t: number): void {
  const a = em.a;
  const f32 = size === 4;
  const ucomis = f32 ? SseOp.Ucomiss : SseOp.Ucomisd;
  const add = f32 ? SseOp.Addss : SseOp.Addsd;
  const sub = f32 ? SseOp.Subss : SseOp.Subsd;
  const big = fconst(a, size, f32 ? 8388608 : 4503599627370496);
  const one = fconst(a, size, 1);
  const zero = fconst(a, size, 0);
  const done = a.newLabel();
  const up = a.newLabel();
  const sign = a.newLabel();
  a.xmmRR(SseOp.Movaps, t, d);
  a.xmmRR(SseOp.Movaps, XMM15, d);
  a.xmmRM(SseOp.Andps, XMM15, em.mask(f32 ? MaskKind.AbsF32 : MaskKind.AbsF64));
  a.xmmRM(ucomis, XMM15, big);
  a.jcc(Cond.AE, done);
  a.xmmRR(SseOp.Movaps, d, XMM15);
  a.xmmRM(add, d, big);
  a.xmmRM(sub, d, big); // d = round-half-even(|x|)
  // Adjust r = round(|x|) down (r > |x| → r - 1) or up (r < |x| → r + 1) as mode and sign require. A NaN compares
  // unordered everywhere, so it is never adjusted.
  if (mode !== RoundMode.Nearest) {
    if (mode === RoundMode.Floor || mode === RoundMode.Ceil) {
      a.xmmRM(ucomis, t, zero);
      // floor: negative x rounds |x| up; ceil: non-negative x does (a NaN goes either way and is never adjusted).
      a.jcc(mode === RoundMode.Floor ? Cond.B : Cond.AE, up);
    }
    a.xmmRR(ucomis, d, XMM15);
    a.jcc(Cond.BE, sign);
    a.xmmRM(sub, d, one);
    if (mode !== RoundMode.Trunc) {
      a.jmp(sign);
      a.bind(up);
      a.xmmRR(ucomis, XMM15, d);
      a.jcc(Cond.BE, sign);
      a.xmmRM(add, d, one);
    }
  }
  a.bind(sign);
  a.xmmRM(SseOp.Andps, t, em.mask(f32 ? MaskKind.SignF32 : MaskKind.SignF64));
  a.xmmRR(SseOp.Orps, d, t);
  a.bind(done);
}

/** u64 → float: values ≥ 2^63 are halved with the lost bit or-ed back (round to odd), converted and doubled. */
export function emitCvtU64ToF(a: Assembler, fsize: 4 | 8, d: number, s: number, t: number): void {
  const big = a.newLabel();
  const done = a.newLabel();
  a.xmmRR(SseOp.Xorps, d, d);
  a.testRR(8, s, s);
  a.jcc(Cond.S, big);
  a.cvtsi2fpRR(fsize, 8, d, s);
  a.jmp(done);
  a.bind(big);
  a.movRR(8, R11, s);
  a.shiftRI(ShiftOp.Shr, 8, R11, 1);
  a.movRR(8, t, s);
  a.aluRI(AluOp.And, 8, t, 1);
  a.aluRR(AluOp.Or, 8, R11, t);
  a.cvtsi2fpRR(fsize, 8, d, R11);
  a.xmmRR(fsize === 4 ? SseOp.Addss : SseOp.Addsd, d, d);
  a.bind(done);
}

/**
 * Float → int with wasm semantics (instruction i: size = int size, imm = float size, sub = CVT_* flags, aux = trap
 * sites: NaN, then out of range).
 */
export function emitCvtFToInt(em: Emitter, i: number, d: number, s: number): void {
  const a = em.a;
  const v = em.vcode.insts;
  const isize = v.size[i] as 4 | 8;
  const fsize = v.imm[i] as 4 | 8;
  const signed = (v.sub[i] & CVT_SIGNED) !== 0;
  const sat = (v.sub[i] & CVT_SAT) !== 0;
  const ucomis = fsize === 4 ? SseOp.Ucomiss : SseOp.Ucomisd;
  const badSite = em.stubLabel[v.aux[i]];
  const ovfSite = em.stubLabel[v.aux[i] + 1];
  const done = a.newLabel();
  const bits = isize * 8;

  if (signed) {
    a.cvttfp2siRR(fsize, isize, d, s);
    a.aluRI(AluOp.Cmp, isize, d, 1); // overflows only for INT_MIN, the "invalid" result
    a.jcc(Cond.NO, done);
    if (!sat) {
      a.xmmRR(ucomis, s, s);
      a.jcc(Cond.P, badSite);
      if (fsize === 8 && isize === 4) {
        a.xmmRM(ucomis, s, fconst(a, 8, -2147483649));
        a.jcc(Cond.BE, ovfSite);
      } else {
        a.xmmRM(ucomis, s, fconst(a, fsize, -(2 ** (bits - 1))));
        a.jcc(Cond.B, ovfSite);
      }
      a.xmmRM(ucomis, s, fconst(a, fsize, 0));
      a.jcc(Cond.A, ovfSite); // positive and converted to INT_MIN: too large
    } else {
      const nan = a.newLabel();
      a.xmmRR(ucomis, s, s);
      a.jcc(Cond.P, nan);
      a.xmmRM(ucomis, s, fconst(a, fsize, 0));
      a.jcc(Cond.BE, done); // negative overflow: INT_MIN is the saturated value
      if (isize === 4) a.movRI(4, d, 0x7fffffff);
      else a.movRI64(d, -1, 0x7fffffff);
      a.jmp(done);
      a.bind(nan);
      a.aluRR(AluOp.Xor, 4, d, d);
    }
    a.bind(done);
    return;
  }

  const zero = a.newLabel();
  const max = a.newLabel();
  a.xmmRR(ucomis, s, s);
  a.jcc(Cond.P, sat ? zero : badSite);
  if (sat) {
    a.xmmRM(ucomis, s, fconst(a, fsize, 0));
    a.jcc(Cond.BE, zero);
  } else {
    a.xmmRM(ucomis, s, fconst(a, fsize, -1));
    a.jcc(Cond.BE, ovfSite); // trunc(x) < 0
  }
  a.xmmRM(ucomis, s, fconst(a, fsize, 2 ** bits));
  a.jcc(Cond.AE, sat ? max : ovfSite);
  if (isize === 4) {
    a.cvttfp2siRR(fsize, 8, d, s); // exact for [0, 2^32) and zero-extended
  } else {
    const high = a.newLabel();
    const two63 = fconst(a, fsize, 2 ** 63);
    a.xmmRM(ucomis, s, two63);
    a.jcc(Cond.AE, high);
    a.cvttfp2siRR(fsize, 8, d, s);
    a.jmp(done);
    a.bind(high);
    a.xmmRR(SseOp.Movaps, XMM15, s);
    a.xmmRM(fsize === 4 ? SseOp.Subss : SseOp.Subsd, XMM15, two63);
    a.cvttfp2siRR(fsize, 8, d, XMM15);
    a.movRI64(R11, 0, 0x80000000);
    a.aluRR(AluOp.Xor, 8, d, R11);
  }
  if (sat) {
    a.jmp(done);
    a.bind(zero);
    a.aluRR(AluOp.Xor, 4, d, d);
    a.jmp(done);
    a.bind(max);
    if (isize === 4) a.movRI(4, d, -1);
    else a.movRI64(d, -1, -1);
  }
  a.bind(done);
}
