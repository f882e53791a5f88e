// Floating-point rules (scalar SSE):
//
//   f32const / f64const        → movss/movsd d, [rip + c]   (+0 → xorps d, d)
//   fadd x, (load m | y)       → addsd d, [m] | addsd d, y     (load-op merging; a spilled y is read from its slot)
//   fmin / fmax                → ucomis + minsd/maxsd with the wasm NaN (→ NaN) and ±0 (min → −0, max → +0) cases
//   fneg / fabs                → xorps / andps with a sign / magnitude mask
//   fcopysign                  → andps / andps / orps through xmm15
//   sqrt                       → sqrtsd;   fpromote / fdemote → cvtss2sd / cvtsd2ss
//   ceil / floor / trunc / nearest → roundsd d, s, mode (SSE4.1), else the 2^52 trick (RoundSse2)
//   bitcast                    → movd / movq

import { F32, F64, Opcode } from '../ir/index.js';
import { RoundMode, SseOp } from '../x64/index.js';
import type { Lowerer } from './lower.js';
import { MaskKind, MOp } from './mops.js';
import { RegClass, defEarlyReg, defReg, defReuse, useAny, useReg } from './regalloc-types.js';

/** Opcode-indexed: SSE op of fadd/fsub/fmul/fdiv for f32 and f64, rounding mode of ceil/floor/trunc/nearest. */
const ARITH_32 = new Uint8Array(256);
const ARITH_64 = new Uint8Array(256);
const ROUND_MODE = new Uint8Array(256);
for (const [op, s32, s64] of [
  [Opcode.fadd, SseOp.Addss, SseOp.Addsd], [Opcode.fsub, SseOp.Subss, SseOp.Subsd],
  [Opcode.fmul, SseOp.Mulss, SseOp.Mulsd], [Opcode.fdiv, SseOp.Divss, SseOp.Divsd],
] as const) {
  ARITH_32[op] = s32;
  ARITH_64[op] = s64;
}
ROUND_MODE[Opcode.ceil] = RoundMode.Ceil;
ROUND_MODE[Opcode.floor] = RoundMode.Floor;
ROUND_MODE[Opcode.trunc] = RoundMode.Trunc;
ROUND_MODE[Opcode.nearest] = RoundMode.Nearest;

export function lowerFloatInst(ctx: Lowerer, inst: number, op: number): boolean {
  const dfg = ctx.dfg;
  const t = dfg.instType(inst);
  const size = t === F32 ? 4 : 8;
  switch (op) {
    case Opcode.f32const:
    case Opcode.f64const:
      ctx.begin(MOp.XmmConst, op === Opcode.f32const ? 4 : 8);
      ctx.use(defReg(ctx.result()));
      ctx.setImm(dfg.immLo(inst), op === Opcode.f32const ? 0 : dfg.immHi(inst));
      ctx.end();
      return true;
    case Opcode.fadd:
    case Opcode.fsub:
    case Opcode.fmul:
    case Opcode.fdiv: {
      const sse = (size === 4 ? ARITH_32 : ARITH_64)[op];
      const x = dfg.arg(inst, 0);
      const y = dfg.arg(inst, 1);
      const commutative = op === Opcode.fadd || op === Opcode.fmul;
      if (x !== y && ctx.tryMergeLoad(y, t)) return xmmRM(ctx, sse, x), true;
      if (commutative && x !== y && ctx.tryMergeLoad(x, t)) return xmmRM(ctx, sse, y), true;
      ctx.begin(MOp.XmmRR, size, sse);
      ctx.use(useReg(ctx.vreg(x)));
      ctx.use(useAny(ctx.vreg(y)));
      ctx.use(defReuse(ctx.result(), 0));
      ctx.end();
      return true;
    }
    case Opcode.fmin:
    case Opcode.fmax:
      ctx.begin(MOp.FMinMax, size, op === Opcode.fmax ? 1 : 0);
      ctx.use(useReg(ctx.vreg(dfg.arg(inst, 0))));
      ctx.use(useReg(ctx.vreg(dfg.arg(inst, 1))));
      ctx.use(defReuse(ctx.result(), 0));
      ctx.end();
      return true;
    case Opcode.fcopysign:
      ctx.begin(MOp.Copysign, size);
      ctx.use(useReg(ctx.vreg(dfg.arg(inst, 0))));
      ctx.use(useReg(ctx.vreg(dfg.arg(inst, 1))));
      ctx.use(defReuse(ctx.result(), 0));
      ctx.end();
      return true;
    case Opcode.fneg:
    case Opcode.fabs: {
      const neg = op === Opcode.fneg;
      ctx.begin(MOp.XmmMaskOp, size, neg ? SseOp.Xorps : SseOp.Andps);
      ctx.use(useReg(ctx.vreg(dfg.arg(inst, 0))));
      ctx.use(defReuse(ctx.result(), 0));
      ctx.setAux(size === 4 ? (neg ? MaskKind.SignF32 : MaskKind.AbsF32) : neg ? MaskKind.SignF64 : MaskKind.AbsF64);
      ctx.end();
      return true;
    }
    case Opcode.sqrt:
      xmmUnary(ctx, size === 4 ? SseOp.Sqrtss : SseOp.Sqrtsd, dfg.arg(inst, 0));
      return true;
    case Opcode.fpromote:
      xmmUnary(ctx, SseOp.Cvtss2sd, dfg.arg(inst, 0));
      return true;
    case Opcode.fdemote:
      xmmUnary(ctx, SseOp.Cvtsd2ss, dfg.arg(inst, 0));
      return true;
    case Opcode.ceil:
    case Opcode.floor:
    case Opcode.trunc:
    case Opcode.nearest: {
      const x = ctx.vreg(dfg.arg(inst, 0));
      if (ctx.cpu.sse41) {
        ctx.begin(MOp.Round, size);
        ctx.use(useAny(x));
        ctx.use(defReg(ctx.result()));
      } else {
        ctx.begin(MOp.RoundSse2, size);
        ctx.use(useReg(x));
        ctx.use(defReuse(ctx.result(), 0));
        ctx.use(defEarlyReg(ctx.newVReg(RegClass.Float)));
      }
      ctx.setImm(ROUND_MODE[op]);
      ctx.end();
      return true;
    }
    case Opcode.bitcast: {
      const x = dfg.arg(inst, 0);
      if (t === F32 || t === F64) {
        ctx.begin(MOp.MovToXmm, size);
        ctx.use(useAny(ctx.vreg(x)));
      } else {
        ctx.begin(MOp.MovFromXmm, ctx.intSize(t));
        ctx.use(useReg(ctx.vreg(x)));
      }
      ctx.use(defReg(ctx.result()));
      ctx.end();
      return true;
    }
    default:
      return false;
  }
}

function xmmRM(ctx: Lowerer, sse: number, a: number): void {
  ctx.begin(MOp.XmmRM, 0, sse);
  ctx.use(useReg(ctx.vreg(a)));
  ctx.use(defReuse(ctx.result(), 0));
  ctx.useAmode();
  ctx.end();
}

function xmmUnary(ctx: Lowerer, sse: number, x: number): void {
  ctx.begin(MOp.XmmUnary, 0, sse);
  ctx.use(useAny(ctx.vreg(x)));
  ctx.use(defReg(ctx.result()));
  ctx.end();
}

